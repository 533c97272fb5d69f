// Package cache is the hub's use of Redis (go-redis v9): one key scheme,
// short timeouts, and failures that degrade to misses instead of errors,
// because PostgreSQL is the store of record and Redis only makes it fast.
package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Options configures the Redis client.
type Options struct {
	// URL is the Redis URL, e.g. redis://127.0.0.1:6379/0.
	URL string
	// Prefix starts every key, so that several deployments (or tests) can
	// share one Redis without seeing each other's keys.
	Prefix string
	// Timeout bounds each command; a slow Redis is treated as a miss.
	Timeout time.Duration
}

// Cache is the hub's Redis client.
type Cache struct {
	rdb redis.UniversalClient
	// inv carries invalidations: a writer waits for Redis to confirm them
	// (up to its context's deadline), where reads give up after Timeout.
	inv    redis.UniversalClient
	prefix string

	// Current's batching loop (current.go), started on first use.
	checksOnce sync.Once
	checks     chan *genCheck
	closed     chan struct{}
	closeOnce  sync.Once
}

func init() {
	// go-redis logs every failed dial through the standard logger; while
	// Redis is down that is one line per request. The hub counts and logs
	// fallbacks itself.
	redis.SetLogger(quietLogger{})
}

type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

// Open connects to Redis. It does not fail when Redis is down: the hub then
// runs without it and the client reconnects by itself.
func Open(o Options) (*Cache, error) {
	opts, err := redis.ParseURL(o.URL)
	if err != nil {
		return nil, fmt.Errorf("parse REDIS_URL: %w", err)
	}
	if o.Timeout <= 0 {
		o.Timeout = 50 * time.Millisecond
	}
	opts.DialTimeout = o.Timeout * 4
	opts.ReadTimeout = o.Timeout
	opts.WriteTimeout = o.Timeout
	opts.MaxRetries = 0 // a retry doubles the wait on a dead Redis; a miss is cheaper
	opts.DialerRetries = 1
	opts.DialerRetryTimeout = o.Timeout
	opts.PoolTimeout = o.Timeout * 2
	if o.Prefix == "" {
		o.Prefix = "credithub:"
	}
	invOpts := *opts
	invOpts.DialTimeout, invOpts.ReadTimeout, invOpts.WriteTimeout = InvalidateWait, InvalidateWait, InvalidateWait
	invOpts.PoolTimeout, invOpts.DialerRetryTimeout = InvalidateWait, InvalidateWait
	invOpts.PoolSize = 4
	return &Cache{rdb: redis.NewClient(opts), inv: redis.NewClient(&invOpts), prefix: o.Prefix, closed: make(chan struct{})}, nil
}

// InvalidateWait bounds how long a write waits for Redis to confirm its
// invalidation. A write is acknowledged only once Redis has confirmed it (or
// this much time has passed): a Redis that stalls (a frozen process accepts
// commands and runs them, in no particular order, when it resumes) must not
// see a later reader's check before the write's bump.
const InvalidateWait = 10 * time.Second

// Close closes the client.
func (c *Cache) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	c.inv.Close()
	return c.rdb.Close()
}

// Client returns the underlying client, for libraries that take one.
func (c *Cache) Client() redis.UniversalClient { return c.rdb }

// Key returns the full key for a name in this cache's key space.
func (c *Cache) Key(parts ...string) string {
	k := c.prefix
	for i, p := range parts {
		if i > 0 {
			k += ":"
		}
		k += p
	}
	return k
}

// Ping reports whether Redis answers.
func (c *Cache) Ping(ctx context.Context) error { return c.rdb.Ping(ctx).Err() }

// PrefixFor is the key prefix of the deployment whose database identity is
// id (store.DB.Identity): every server of one deployment shares it, and two
// deployments on one Redis never see each other's keys.
func PrefixFor(id string) string {
	sum := sha256.Sum256([]byte(id))
	return "credithub:" + hex.EncodeToString(sum[:6]) + ":"
}
