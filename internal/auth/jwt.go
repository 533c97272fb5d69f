package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"

	"github.com/credithub/credithub/internal/credit"
)

// JWTConfig says how to verify tokens from the city's identity provider.
// Exactly one key source: a JWKS file, a JWKS URL (refreshed in the
// background) or, in development only, an HS256 shared secret.
type JWTConfig struct {
	JWKSFile    string
	JWKSURL     string
	HS256Secret string
	Issuer      string
	Audience    string
}

// Enabled reports whether any key source is configured.
func (c JWTConfig) Enabled() bool {
	return c.JWKSFile != "" || c.JWKSURL != "" || c.HS256Secret != ""
}

// claims are the claims credithub reads from a JWT.
type claims struct {
	jwt.RegisteredClaims
	Role        credit.Role `json:"role"`
	Institution string      `json:"institution"`
	Department  string      `json:"department"`
}

type jwtVerifier struct {
	parser  *jwt.Parser
	keyfunc jwt.Keyfunc
}

// newJWTVerifier builds a verifier. HS256 is refused in production: a
// shared secret is for a developer's laptop, not a city's identity provider.
func newJWTVerifier(ctx context.Context, c JWTConfig, production bool) (*jwtVerifier, error) {
	methods := []string{"RS256", "ES256"}
	var kf jwt.Keyfunc
	switch {
	case c.JWKSFile != "":
		raw, err := os.ReadFile(c.JWKSFile)
		if err != nil {
			return nil, fmt.Errorf("read JWKS file: %w", err)
		}
		k, err := keyfunc.NewJWKSetJSON(json.RawMessage(raw))
		if err != nil {
			return nil, fmt.Errorf("parse JWKS file %s: %w", c.JWKSFile, err)
		}
		kf = k.Keyfunc
	case c.JWKSURL != "":
		k, err := keyfunc.NewDefaultCtx(ctx, []string{c.JWKSURL})
		if err != nil {
			return nil, fmt.Errorf("JWKS URL %s: %w", c.JWKSURL, err)
		}
		kf = k.Keyfunc
	case c.HS256Secret != "":
		if production {
			return nil, fmt.Errorf("JWT_HS256_SECRET is for development only; configure JWT_JWKS_FILE or JWT_JWKS_URL in production")
		}
		secret := []byte(c.HS256Secret)
		methods = []string{"HS256"}
		kf = func(*jwt.Token) (any, error) { return secret, nil }
	default:
		return nil, nil
	}
	opts := []jwt.ParserOption{jwt.WithValidMethods(methods), jwt.WithExpirationRequired(), jwt.WithLeeway(30 * time.Second)}
	if c.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(c.Issuer))
	}
	if c.Audience != "" {
		opts = append(opts, jwt.WithAudience(c.Audience))
	}
	return &jwtVerifier{parser: jwt.NewParser(opts...), keyfunc: kf}, nil
}

// verify checks a JWT and returns its caller.
func (v *jwtVerifier) verify(token string) (credit.Caller, error) {
	var c claims
	if _, err := v.parser.ParseWithClaims(token, &c, v.keyfunc); err != nil {
		return credit.Caller{}, credit.Errorf(credit.Unauthenticated, "the token is not valid: %v", err)
	}
	if c.Subject == "" {
		return credit.Caller{}, credit.Errorf(credit.Unauthenticated, "the token has no subject (sub)")
	}
	if err := checkRole(c.Role, c.Department); err != nil {
		return credit.Caller{}, err
	}
	return credit.Caller{ID: "jwt:" + c.Subject, Role: c.Role, Institution: c.Institution, Department: c.Department}, nil
}

// checkRole validates the role a token claims.
func checkRole(r credit.Role, department string) error {
	if !r.Valid() || r == credit.RolePublic {
		return credit.Errorf(credit.Unauthenticated, "the token's role %q is not one of "+credit.KeyRoles, r)
	}
	if (r == credit.RoleDepartment) != (department != "") {
		return credit.Errorf(credit.Unauthenticated, "a DEPARTMENT token must name its department, and only a DEPARTMENT token may")
	}
	return nil
}
