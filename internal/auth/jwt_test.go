package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/credithub/credithub/internal/credit"
)

func token(t *testing.T, method jwt.SigningMethod, key any, kid string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func claimsFor(role credit.Role, exp time.Time) jwt.MapClaims {
	return jwt.MapClaims{"sub": "zhang.san", "role": string(role), "institution": "丹东银行", "exp": exp.Unix()}
}

func TestJWTsFromTheIdentityProvider(t *testing.T) {
	ctx := context.Background()
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	b64 := func(n *big.Int) string { return base64.RawURLEncoding.EncodeToString(n.FillBytes(make([]byte, 32))) }
	jwks, _ := json.Marshal(map[string]any{"keys": []map[string]any{{
		"kty": "EC", "crv": "P-256", "kid": "city-1", "alg": "ES256", "use": "sig", "x": b64(ec.X), "y": b64(ec.Y)}}})
	file := filepath.Join(t.TempDir(), "jwks.json")
	os.WriteFile(file, jwks, 0o600)
	a, err := New(ctx, nil, JWTConfig{JWKSFile: file}, true)
	if err != nil {
		t.Fatal(err)
	}
	hour := time.Now().Add(time.Hour)
	tests := []struct {
		name  string
		token string
		want  credit.ErrorCode
	}{
		{"valid ES256 from the JWKS", token(t, jwt.SigningMethodES256, ec, "city-1", claimsFor(credit.RoleBank, hour)), ""},
		{"expired", token(t, jwt.SigningMethodES256, ec, "city-1", claimsFor(credit.RoleBank, time.Now().Add(-time.Hour))), credit.Unauthenticated},
		{"HS256 refused when keys come from a JWKS", token(t, jwt.SigningMethodHS256, []byte("secret"), "city-1", claimsFor(credit.RoleBank, hour)), credit.Unauthenticated},
		{"unknown role", token(t, jwt.SigningMethodES256, ec, "city-1", claimsFor("KING", hour)), credit.Unauthenticated},
		{"department role without a department", token(t, jwt.SigningMethodES256, ec, "city-1", claimsFor(credit.RoleDepartment, hour)), credit.Unauthenticated},
	}
	for _, tt := range tests {
		c, err := a.Authenticate(ctx, "Bearer "+tt.token)
		if credit.CodeOf(err) != tt.want {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
		if err == nil && (c.ID != "jwt:zhang.san" || c.Role != credit.RoleBank || c.Institution != "丹东银行") {
			t.Errorf("%s: got caller %+v", tt.name, c)
		}
	}
}

func TestHS256IsForDevelopmentOnly(t *testing.T) {
	ctx := context.Background()
	if _, err := New(ctx, nil, JWTConfig{HS256Secret: "s"}, true); err == nil {
		t.Fatal("production accepted an HS256 secret")
	}
	a, err := New(ctx, nil, JWTConfig{HS256Secret: "s"}, false)
	if err != nil {
		t.Fatal(err)
	}
	good := token(t, jwt.SigningMethodHS256, []byte("s"), "", claimsFor(credit.RoleWindow, time.Now().Add(time.Hour)))
	if c, err := a.Authenticate(ctx, "Bearer "+good); err != nil || c.Role != credit.RoleWindow {
		t.Fatalf("got %+v, %v", c, err)
	}
	forged := token(t, jwt.SigningMethodHS256, []byte("other"), "", claimsFor(credit.RoleCreditOffice, time.Now().Add(time.Hour)))
	if _, err := a.Authenticate(ctx, "Bearer "+forged); credit.CodeOf(err) != credit.Unauthenticated {
		t.Fatalf("forged token: got %v", err)
	}
	if c, err := a.Authenticate(ctx, ""); err != nil || c.Role != credit.RolePublic {
		t.Fatalf("no token: got %+v, %v; want PUBLIC", c, err)
	}
	if _, err := a.Authenticate(ctx, "Basic abc"); credit.CodeOf(err) != credit.Unauthenticated {
		t.Fatalf("Basic: got %v", err)
	}
}
