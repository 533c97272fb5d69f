package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// Persisted operations come from two places. The operator's allow-list
// (persisted_operations, installed with `credithub operations add`) is what
// roles restricted to persisted operations may run. Automatic Persisted
// Queries are what clients register themselves to send a hash instead of
// the text: they live in Redis for apqTTL and are only a shorthand, never
// an allow-list; anonymous callers cannot register them.

// apqTTL is how long a registered Automatic Persisted Query lives after its
// last registration.
const apqTTL = 24 * time.Hour

// allowListTTL is how long a server trusts its memory of the allow-list: an
// operation the operator removed stops running within it.
const allowListTTL = 10 * time.Second

// operations is the service's view of persisted operations.
type operations struct {
	apq *cache.PersistedQueries // nil without Redis

	mu      sync.Mutex
	allowed map[string]allowedOp
}

type allowedOp struct {
	query string // "" when the hash is not on the list
	until time.Time
}

// WithPersistedQueries keeps Automatic Persisted Queries in c.
func WithPersistedQueries(c *cache.Cache) Option {
	return func(s *Service) {
		if c != nil {
			s.ops.apq = c.PersistedQueries(apqTTL)
		}
	}
}

// HashOperation is the SHA-256 of an operation's text, in hex: its name in
// both stores.
func HashOperation(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}

// PersistedOperation returns the text registered under hash: allowListed
// when the operator installed it, else from the Automatic Persisted
// Queries; found is false when neither has it.
func (s *Service) PersistedOperation(ctx context.Context, hash string) (query string, allowListed, found bool, err error) {
	q, err := s.allowListed(ctx, hash)
	if err != nil {
		return "", false, false, err
	}
	if q != "" {
		return q, true, true, nil
	}
	if s.ops.apq != nil {
		if q, ok := s.ops.apq.Get(ctx, hash); ok {
			return q, false, true, nil
		}
	}
	return "", false, false, nil
}

// AllowListed reports whether the operation with this text is on the
// operator's allow-list.
func (s *Service) AllowListed(ctx context.Context, query string) (bool, error) {
	q, err := s.allowListed(ctx, HashOperation(query))
	return q != "", err
}

func (s *Service) allowListed(ctx context.Context, hash string) (string, error) {
	now := s.now()
	s.ops.mu.Lock()
	e, ok := s.ops.allowed[hash]
	s.ops.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.query, nil
	}
	op, err := s.db.PersistedOperation(ctx, hash)
	switch {
	case credit.CodeOf(err) == credit.NotFound:
	case err != nil:
		return "", err
	}
	s.ops.mu.Lock()
	if s.ops.allowed == nil || len(s.ops.allowed) > 10_000 {
		s.ops.allowed = map[string]allowedOp{} // bounded: unknown hashes come from clients
	}
	s.ops.allowed[hash] = allowedOp{query: op.Query, until: now.Add(allowListTTL)}
	s.ops.mu.Unlock()
	return op.Query, nil
}

// RegisterOperation registers query under hash as an Automatic Persisted
// Query for the caller of r, who may then send the hash alone. Anonymous
// callers cannot register (FORBIDDEN); BAD_USER_INPUT when hash is not the
// query's SHA-256.
func (s *Service) RegisterOperation(ctx context.Context, r *Request, hash, query string) error {
	if !strings.EqualFold(hash, HashOperation(query)) {
		return credit.FieldErrorf("extensions.persistedQuery.sha256Hash", "is not the SHA-256 of the query text")
	}
	if r.Caller.Role == credit.RolePublic {
		return credit.Errorf(credit.Forbidden, "anonymous callers may not register persisted queries; send the query text")
	}
	if s.ops.apq != nil {
		s.ops.apq.Add(ctx, strings.ToLower(hash), query)
	}
	return nil
}

// InstallOperation puts an operation (already validated against the schema
// by the caller) on the allow-list, audited as done by actor, and returns
// its hash.
func (s *Service) InstallOperation(ctx context.Context, actor credit.Caller, name, query string) (string, error) {
	hash := HashOperation(query)
	err := s.db.InTx(ctx, func(tx *store.DB) error {
		if err := tx.AddPersistedOperation(ctx, store.PersistedOperation{Hash: hash, Name: name, Query: query, AddedBy: actor.ID}); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Event{Actor: actor, Action: "operation.installed", Target: "operation:" + hash,
			Detail: map[string]string{"name": name}})
	})
	s.forgetAllowed(hash) // this server knows at once; others within allowListTTL
	return hash, err
}

// RemoveOperation takes the operation with hash off the allow-list,
// audited; NOT_FOUND if it is not there. Servers stop running it within
// allowListTTL.
func (s *Service) RemoveOperation(ctx context.Context, actor credit.Caller, hash string) error {
	return s.db.InTx(ctx, func(tx *store.DB) error {
		if err := tx.RemovePersistedOperation(ctx, strings.ToLower(hash)); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, audit.Event{Actor: actor, Action: "operation.removed", Target: "operation:" + hash}); err != nil {
			return err
		}
		s.forgetAllowed(strings.ToLower(hash))
		return nil
	})
}

func (s *Service) forgetAllowed(hash string) {
	s.ops.mu.Lock()
	delete(s.ops.allowed, hash)
	s.ops.mu.Unlock()
}

// Operations lists the allow-list.
func (s *Service) Operations(ctx context.Context) ([]store.PersistedOperation, error) {
	return s.db.PersistedOperations(ctx)
}
