package cache

import (
	"context"
	"time"
)

// PersistedQueries stores the text of Automatic Persisted Queries by their
// SHA-256, shared by every server. It implements gqlgen's
// graphql.Cache[string].
type PersistedQueries struct {
	c   *Cache
	ttl time.Duration
}

// PersistedQueries returns the APQ store; entries live for ttl after their
// last registration (0: for ever).
func (c *Cache) PersistedQueries(ttl time.Duration) *PersistedQueries {
	return &PersistedQueries{c: c, ttl: ttl}
}

// Get returns the query registered under hash. A Redis failure is a miss:
// the client then sends the full query, which still works.
func (p *PersistedQueries) Get(ctx context.Context, hash string) (string, bool) {
	q, err := p.c.rdb.Get(ctx, p.c.Key("apq", hash)).Result()
	return q, err == nil
}

// Add registers query under hash (already checked to be its SHA-256).
func (p *PersistedQueries) Add(ctx context.Context, hash, query string) {
	_ = p.c.rdb.Set(ctx, p.c.Key("apq", hash), query, p.ttl).Err()
}
