package testenv

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/cache"
)

// RedisURL is the Redis tests use (TEST_REDIS_URL, default the local one).
func RedisURL() string {
	if u := os.Getenv("TEST_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// Cache returns a cache on the real Redis with a key prefix of t's own;
// its keys are deleted when t ends.
func Cache(t testing.TB) *cache.Cache {
	t.Helper()
	return CacheWithPrefix(t, "credithub-test:"+randomSuffix()+":")
}

// CacheWithPrefix is Cache with the given key prefix (a deployment's own).
func CacheWithPrefix(t testing.TB, prefix string) *cache.Cache {
	t.Helper()
	c, err := cache.Open(cache.Options{URL: RedisURL(), Prefix: prefix, Timeout: time.Second})
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	if err := c.Ping(context.Background()); err != nil {
		t.Fatalf("testenv: Redis at %s: %v (make test starts it)", RedisURL(), err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		rdb := c.Client()
		iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
		c.Close()
	})
	return c
}
