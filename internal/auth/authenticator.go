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

// KeyGrace is how long a key verified before stays trusted while the
// database cannot be asked (PostgreSQL down): cached answers can still be
// served to the banks and windows that were using them. Once the database
// answers again, keys are read every keyCacheTTL as before, so a key
// revoked meanwhile stops within 5 s of the database's return.
const KeyGrace = 10 * time.Minute

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
	// verified is when the key was last read and found valid.
	verified time.Time
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

// EndUserHeader carries, on a ROUTER's request, the Authorization value of
// the end user the router forwards ("Bearer <their key or JWT>").
const EndUserHeader = "X-End-User-Authorization"

// AuthenticateRouted returns the caller of a request with Authorization
// header and X-End-User-Authorization endUser. A ROUTER's request is its end
// user's: the end user's token is verified like any other (a revoked key
// fails), and the router's ID is kept in Caller.Router; without an end-user
// token the end user is anonymous (PUBLIC). Only a ROUTER may speak for
// someone else, and nobody may speak for a ROUTER.
func (a *Authenticator) AuthenticateRouted(ctx context.Context, header, endUser string) (credit.Caller, error) {
	c, err := a.Authenticate(ctx, header)
	if err != nil {
		return c, err
	}
	if c.Role != credit.RoleRouter {
		if endUser != "" {
			return credit.Caller{}, credit.Errorf(credit.Unauthenticated, "only a ROUTER key or token may send %s", EndUserHeader)
		}
		return c, nil
	}
	user := credit.Anonymous
	if endUser != "" {
		if user, err = a.Authenticate(ctx, endUser); err != nil {
			if credit.CodeOf(err) == credit.Unauthenticated {
				return credit.Caller{}, credit.Errorf(credit.Unauthenticated, "%s: %s", EndUserHeader, err.Error())
			}
			return credit.Caller{}, err
		}
		if user.Role == credit.RoleRouter {
			return credit.Caller{}, credit.Errorf(credit.Unauthenticated, "%s: a router cannot act for another router", EndUserHeader)
		}
	}
	user.Router = c.ID
	return user, nil
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
	if code := credit.CodeOf(err); code == credit.Internal || code == credit.Unavailable {
		// The database could not say: a key verified within KeyGrace stays
		// trusted (not cached anew, so it is read again on the next call).
		if ok && c.err == nil && now.Sub(c.verified) < KeyGrace {
			return c.caller, nil
		}
		return caller, err
	}
	entry := cachedKey{caller: caller, err: err, until: now.Add(keyCacheTTL)}
	if err == nil {
		entry.verified = now
	}
	a.mu.Lock()
	if len(a.keys) >= maxCachedKeys {
		clear(a.keys) // simple and bounded; keys are re-read in one query each
	}
	a.keys[hash] = entry
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
