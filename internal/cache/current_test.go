package cache_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/testenv"
)

func TestCurrentFailsOnceAnyGenerationOrTheEpochMoved(t *testing.T) {
	ctx := context.Background()
	c := testenv.Cache(t)
	g, _ := store(t, c, "k", "x", "A", "B")
	if ok, err := c.Current(ctx, g); err != nil || !ok {
		t.Fatalf("untouched generations: got %v, %v; want current", ok, err)
	}
	c.Invalidate(ctx, "B")
	if ok, err := c.Current(ctx, g); err != nil || ok {
		t.Fatalf("after B was invalidated: got %v, %v; want not current", ok, err)
	}
	g, _ = store(t, c, "k", "x", "A", "B")
	c.InvalidateAll(ctx)
	if ok, err := c.Current(ctx, g); err != nil || ok {
		t.Fatalf("after the epoch moved: got %v, %v; want not current", ok, err)
	}
}

// Every check asked after an invalidation was acknowledged sees it, however
// the checks are batched.
func TestCurrentNeverMissesAnAcknowledgedInvalidation(t *testing.T) {
	ctx := context.Background()
	c := testenv.Cache(t)
	var stale atomic.Int64
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := string(rune('a' + w))
			for range 200 {
				before, ok := store(t, c, "k"+code, "x", code)
				if !ok {
					continue
				}
				if err := c.Invalidate(ctx, code); err != nil {
					t.Error(err)
					return
				}
				if ok, err := c.Current(ctx, before); err != nil || ok {
					stale.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if n := stale.Load(); n != 0 {
		t.Fatalf("%d checks called an invalidated generation current", n)
	}
}

type countingHook struct{ mgets atomic.Int64 }

func (h *countingHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *countingHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}
func (h *countingHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if strings.EqualFold(cmd.Name(), "mget") {
			time.Sleep(2 * time.Millisecond) // a round trip long enough for the others to queue
			h.mgets.Add(1)
		}
		return next(ctx, cmd)
	}
}

func TestConcurrentChecksShareRoundTrips(t *testing.T) {
	ctx := context.Background()
	c := testenv.Cache(t)
	hook := &countingHook{}
	c.Client().AddHook(hook)
	g, _ := store(t, c, "k", "x", "A")
	const checks = 200
	var wg sync.WaitGroup
	for range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := c.Current(ctx, g); err != nil || !ok {
				t.Errorf("got %v, %v; want current", ok, err)
			}
		}()
	}
	wg.Wait()
	if n := hook.mgets.Load(); n >= checks/4 {
		t.Fatalf("%d checks took %d MGETs; concurrent checks should share them", checks, n)
	}
}

func TestCurrentFailsFastWithoutRedis(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c, err := cache.Open(cache.Options{URL: "redis://" + addr, Timeout: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	if ok, err := c.Current(context.Background(), cache.Gens{Codes: map[string]int64{"A": 1}}); err == nil || ok {
		t.Fatalf("got %v, %v; want an error: nothing can be confirmed without Redis", ok, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %v to give up", d)
	}
}

func TestNearForgetsExpiredEntriesAndStaysBounded(t *testing.T) {
	n := cache.NewNear[string](16)
	now := time.Now()
	n.Put("old", cache.NearEntry[string]{Value: "x", Expires: now})
	if _, ok := n.Get("old", now); ok {
		t.Fatal("an entry is served at its expiry time")
	}
	for i := range 100 {
		n.Put(string(rune('A'+i)), cache.NearEntry[string]{Value: "v", Expires: now.Add(time.Hour)})
	}
	if n.Len() > 16 {
		t.Fatalf("holds %d entries, want at most 16", n.Len())
	}
	n.Put("k", cache.NearEntry[string]{Value: "v", Expires: now.Add(time.Hour)})
	if e, ok := n.Get("k", now); !ok || e.Value != "v" {
		t.Fatalf("the entry just stored: got %+v, %v", e, ok)
	}
	n.Delete("k")
	if _, ok := n.Get("k", now); ok {
		t.Fatal("a deleted entry is served")
	}
}

// A server's memory outlives a Redis restart (no persistence): the counters
// start from zero again and may climb back to the values an old entry was
// computed at. Such an entry must never be current again.
func TestEntryFromBeforeRedisLostItsKeysIsNeverCurrentAgain(t *testing.T) {
	ctx := context.Background()
	c := testenv.Cache(t)
	c.Invalidate(ctx, "A")
	g, _ := store(t, c, "k", "x", "A") // computed at A = 1
	if ok, err := c.Current(ctx, g); err != nil || !ok {
		t.Fatalf("before the restart: got %v, %v; want current", ok, err)
	}
	keys, err := c.Client().Keys(ctx, c.Key("*")).Result()
	if err != nil {
		t.Fatal(err)
	}
	c.Client().Del(ctx, keys...) // Redis restarted empty
	if ok, _ := c.Current(ctx, g); ok {
		t.Fatal("right after the restart: an old entry is called current")
	}
	c.Invalidate(ctx, "A") // A is back at 1
	if ok, _ := c.Current(ctx, g); ok {
		t.Fatal("after the counter climbed back: an old entry is called current")
	}
}

func TestCurrentAfterCloseReturns(t *testing.T) {
	c, err := cache.Open(cache.Options{URL: "redis://127.0.0.1:6379/0"})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	done := make(chan error, 1)
	go func() {
		_, err := c.Current(context.Background(), cache.Gens{})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Current on a closed cache: no error")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Current on a closed cache did not return")
	}
}
