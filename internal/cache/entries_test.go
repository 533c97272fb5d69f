package cache_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/testenv"
)

func TestEntryIsServedOnlyWhileItsGenerationsAreCurrent(t *testing.T) {
	ctx := context.Background()
	c := testenv.Cache(t)
	_, gens, err := c.Get(ctx, "k", "A")
	if !errors.Is(err, cache.ErrMiss) || gens.Codes["A"] != 0 {
		t.Fatalf("empty cache: got %v %+v, want a miss at generation 0", err, gens)
	}
	if err := c.Put(ctx, "k", gens, []byte("answer 1"), time.Minute); err != nil {
		t.Fatal(err)
	}
	body, _, err := c.Get(ctx, "k", "A")
	if err != nil || string(body) != "answer 1" {
		t.Fatalf("got %q, %v; want the stored answer", body, err)
	}
	if err := c.Invalidate(ctx, "A"); err != nil {
		t.Fatal(err)
	}
	if _, g, err := c.Get(ctx, "k", "A"); !errors.Is(err, cache.ErrMiss) || g.Codes["A"] != 1 {
		t.Fatalf("after invalidation: got %v %+v, want a miss at generation 1", err, g)
	}
}

func TestAnswerComputedBeforeAWriteIsNeverServedAfterIt(t *testing.T) {
	ctx := context.Background()
	c := testenv.Cache(t)
	_, before, _ := c.Get(ctx, "k", "A")                // a reader learns the generation, then reads PostgreSQL…
	c.Invalidate(ctx, "A")                              // …a writer commits and invalidates…
	c.Put(ctx, "k", before, []byte("old"), time.Minute) // …and the reader stores its old answer afterwards.
	if body, _, err := c.Get(ctx, "k", "A"); !errors.Is(err, cache.ErrMiss) {
		t.Fatalf("got %q, %v; want a miss: the old answer must not be served", body, err)
	}
}

func TestEpochInvalidatesEverything(t *testing.T) {
	ctx := context.Background()
	c := testenv.Cache(t)
	_, g, _ := c.Get(ctx, "k", "A", "B")
	c.Put(ctx, "k", g, []byte("x"), time.Minute)
	if err := c.InvalidateAll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Get(ctx, "k", "A", "B"); !errors.Is(err, cache.ErrMiss) {
		t.Fatalf("got %v, want a miss after the epoch moved", err)
	}
}

func TestEntryWithSeveralDependenciesFallsWithAnyOfThem(t *testing.T) {
	ctx := context.Background()
	c := testenv.Cache(t)
	_, g, _ := c.Get(ctx, "k", "A", "B")
	c.Put(ctx, "k", g, []byte("x"), time.Minute)
	c.Invalidate(ctx, "B")
	if _, _, err := c.Get(ctx, "k"); !errors.Is(err, cache.ErrMiss) {
		t.Fatalf("got %v, want a miss after one dependency moved", err)
	}
}

func TestDeadRedisIsAnErrorNotAHang(t *testing.T) {
	c, err := cache.Open(cache.Options{URL: "redis://127.0.0.1:1/0", Timeout: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Get(context.Background(), "k", "A")
	if err == nil || errors.Is(err, cache.ErrMiss) {
		t.Fatalf("got %v, want a connection error", err)
	}
}
