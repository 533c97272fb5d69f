package auth

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// keyCacheTTL is how long a verified API key is trusted from memory before
// it is read again: the hot checks authenticate without a query, and a
// revoked key stops working within this time on every server.
const keyCacheTTL = 5 * time.Second

const maxCachedKeys = 10_000

// Authenticator resolves bearer tokens to callers.
type Authenticator struct {
	db  *store.DB
	jwt *jwtVerifier
	now func() time.Time

	mu   sync.Mutex
	keys map[string]cachedKey
}

type cachedKey struct {
	caller credit.Caller
	err    error
	until  time.Time
}

// New returns an Authenticator over the API keys in db and, when
// configured, JWTs verified with jwtConfig.
func New(ctx context.Context, db *store.DB, jwtConfig JWTConfig, production bool) (*Authenticator, error) {
	v, err := newJWTVerifier(ctx, jwtConfig, production)
	if err != nil {
		return nil, err
	}
	return &Authenticator{db: db, jwt: v, now: time.Now, keys: map[string]cachedKey{}}, nil
}

// Authenticate returns the caller behind an Authorization header value:
// Anonymous (PUBLIC) when it is empty, UNAUTHENTICATED when it is present
// but not a valid, unexpired, unrevoked key or token.
func (a *Authenticator) Authenticate(ctx context.Context, header string) (credit.Caller, error) {
	if header == "" {
		return credit.Anonymous, nil
	}
	token, ok := strings.CutPrefix(header, "Bearer ")
	token = strings.TrimSpace(token)
	if !ok || token == "" {
		return credit.Caller{}, credit.Errorf(credit.Unauthenticated, `the Authorization header must be "Bearer <token>"`)
	}
	if isAPIKey(token) {
		return a.apiKey(ctx, token)
	}
	if a.jwt == nil {
		return credit.Caller{}, credit.Errorf(credit.Unauthenticated, "the token is not an API key, and this hub accepts no JWTs (none configured)")
	}
	return a.jwt.verify(token)
}

func (a *Authenticator) apiKey(ctx context.Context, key string) (credit.Caller, error) {
	hash := string(HashKey(key))
	now := a.now()
	a.mu.Lock()
	c, ok := a.keys[hash]
	a.mu.Unlock()
	if ok && now.Before(c.until) {
		return c.caller, c.err
	}
	caller, err := a.lookup(ctx, []byte(hash), now)
	if credit.CodeOf(err) == credit.Internal {
		return caller, err // a database failure is not cached
	}
	a.mu.Lock()
	if len(a.keys) >= maxCachedKeys {
		clear(a.keys) // simple and bounded; keys are re-read in one query each
	}
	a.keys[hash] = cachedKey{caller: caller, err: err, until: now.Add(keyCacheTTL)}
	a.mu.Unlock()
	return caller, err
}

func (a *Authenticator) lookup(ctx context.Context, hash []byte, now time.Time) (credit.Caller, error) {
	k, err := a.db.APIKeyByHash(ctx, hash)
	if credit.CodeOf(err) == credit.NotFound {
		return credit.Caller{}, credit.Errorf(credit.Unauthenticated, "unknown API key")
	}
	if err != nil {
		return credit.Caller{}, err
	}
	if k.RevokedAt != nil {
		return credit.Caller{}, credit.Errorf(credit.Unauthenticated, "the API key %s… was revoked", k.Prefix)
	}
	if k.ExpiresAt != nil && !now.Before(*k.ExpiresAt) {
		return credit.Caller{}, credit.Errorf(credit.Unauthenticated, "the API key %s… expired", k.Prefix)
	}
	c := credit.Caller{ID: "key:" + strconv.FormatInt(k.ID, 10), Role: k.Role, Institution: k.Institution}
	if k.Department != nil {
		c.Department = *k.Department
	}
	return c, nil
}
