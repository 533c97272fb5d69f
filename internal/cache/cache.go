// Package cache is the hub's use of Redis (go-redis v9): one key scheme,
// short timeouts, and failures that degrade to misses instead of errors,
// because PostgreSQL is the store of record and Redis only makes it fast.
package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Options configures the Redis client.
type Options struct {
	// URL is the Redis URL, e.g. redis://127.0.0.1:6379/0. With
	// ClusterAddrs its user, password and TLS apply to every node.
	URL string
	// ClusterAddrs, when set, are the seed nodes (host:port) of a Redis
	// Cluster, used instead of URL's server (REDIS_CLUSTER_ADDRS).
	ClusterAddrs []string
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
	// tagged starts the keys that multi-key commands read and write
	// together (epoch, seq, gen:*): the prefix and a hash tag of its own,
	// so that in a Redis Cluster they share one hash slot (coherent.go).
	tagged string

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

// Open connects to Redis, or to a Redis Cluster when o.ClusterAddrs is
// set. It does not fail when Redis is down: the hub then runs without it
// and the client reconnects by itself.
func Open(o Options) (*Cache, error) {
	opts, err := redis.ParseURL(o.URL)
	if err != nil {
		return nil, fmt.Errorf("parse REDIS_URL: %w", err)
	}
	if o.Timeout <= 0 {
		o.Timeout = 50 * time.Millisecond
	}
	if o.Prefix == "" {
		o.Prefix = "credithub:"
	}
	if strings.ContainsAny(o.Prefix, "{}") {
		// The cache puts its own hash tag after the prefix; a brace in the
		// prefix could make Redis Cluster hash something else.
		return nil, fmt.Errorf("REDIS_PREFIX %q: must not contain { or }", o.Prefix)
	}
	opts.DialTimeout = o.Timeout * 4
	opts.ReadTimeout = o.Timeout
	opts.WriteTimeout = o.Timeout
	opts.MaxRetries = 0 // a retry doubles the wait on a dead Redis; a miss is cheaper
	opts.DialerRetries = 1
	opts.DialerRetryTimeout = o.Timeout
	opts.PoolTimeout = o.Timeout * 2
	invOpts := *opts
	invOpts.DialTimeout, invOpts.ReadTimeout, invOpts.WriteTimeout = InvalidateWait, InvalidateWait, InvalidateWait
	invOpts.PoolTimeout, invOpts.DialerRetryTimeout = InvalidateWait, InvalidateWait
	invOpts.PoolSize = 4
	c := &Cache{prefix: o.Prefix, tagged: o.Prefix + hashTag(o.Prefix), closed: make(chan struct{})}
	if len(o.ClusterAddrs) == 0 {
		c.rdb, c.inv = redis.NewClient(opts), redis.NewClient(&invOpts)
		return c, nil
	}
	c.rdb = redis.NewClusterClient(clusterOptions(o.ClusterAddrs, opts, 3))
	// An invalidation rides out a failover: it follows MOVED and retries
	// CLUSTERDOWN, TRYAGAIN and a node that went away, backing off up to
	// half a second, for as long as InvalidateWait allows.
	c.inv = redis.NewClusterClient(clusterOptions(o.ClusterAddrs, &invOpts, 32))
	return c, nil
}

// clusterOptions are a ClusterClient's options with the timeouts and
// credentials of o. Reads and writes go to masters only (ReadOnly false,
// no routing by latency or at random): a replica may not have applied an
// invalidation its master confirmed, and a check read there could serve an
// answer the write changed.
func clusterOptions(addrs []string, o *redis.Options, redirects int) *redis.ClusterOptions {
	return &redis.ClusterOptions{
		Addrs:              addrs,
		Username:           o.Username,
		Password:           o.Password,
		TLSConfig:          o.TLSConfig,
		DialTimeout:        o.DialTimeout,
		ReadTimeout:        o.ReadTimeout,
		WriteTimeout:       o.WriteTimeout,
		PoolTimeout:        o.PoolTimeout,
		PoolSize:           o.PoolSize,
		DialerRetries:      o.DialerRetries,
		DialerRetryTimeout: o.DialerRetryTimeout,
		MaxRedirects:       redirects,
		MinRetryBackoff:    8 * time.Millisecond,
		MaxRetryBackoff:    512 * time.Millisecond,
		ReadOnly:           false,
		RouteByLatency:     false,
		RouteRandomly:      false,
	}
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

// Client returns the underlying client, for libraries that take one: a
// *redis.Client, or a *redis.ClusterClient on a Redis Cluster.
func (c *Cache) Client() redis.UniversalClient { return c.rdb }

// AddHook adds h to every client the cache uses (reads and invalidations),
// for instrumentation and for tests that check each command.
func (c *Cache) AddHook(h redis.Hook) {
	c.rdb.AddHook(h)
	c.inv.AddHook(h)
}

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
