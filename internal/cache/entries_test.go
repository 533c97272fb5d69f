package cache_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/testenv"
)

// store computes an answer under key as a request does: a lookup (a miss
// with its snapshot), then a store naming the subjects the answer read.
func store(t *testing.T, c *cache.Cache, key, body string, codes ...string) (cache.Gens, bool) {
	t.Helper()
	ctx := context.Background()
	_, _, snap, err := c.Lookup(ctx, key)
	if err != nil && !errors.Is(err, cache.ErrMiss) {
		t.Fatal(err)
	}
	g, ok, err := c.Store(ctx, key, snap, codes, []byte(body), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return g, ok
}

// served looks key up as a request does: an entry is served only if
// Current confirms its generations.
func served(t *testing.T, c *cache.Cache, key string) (string, bool) {
	t.Helper()
	ctx := context.Background()
	body, g, _, err := c.Lookup(ctx, key)
	if errors.Is(err, cache.ErrMiss) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	ok, err := c.Current(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	return string(body), ok
}

func TestEntryIsServedOnlyWhileItsGenerationsAreCurrent(t *testing.T) {
	c := testenv.Cache(t)
	if _, ok := store(t, c, "k", "answer 1", "A"); !ok {
		t.Fatal("a quiet cache refused to store")
	}
	if body, ok := served(t, c, "k"); !ok || body != "answer 1" {
		t.Fatalf("got %q, %v; want the stored answer", body, ok)
	}
	if err := c.Invalidate(context.Background(), "A"); err != nil {
		t.Fatal(err)
	}
	if body, ok := served(t, c, "k"); ok {
		t.Fatalf("after invalidation: got %q, want no answer", body)
	}
}

func TestAnswerComputedAcrossAWriteIsNeverStored(t *testing.T) {
	ctx := context.Background()
	c := testenv.Cache(t)
	_, _, snap, _ := c.Lookup(ctx, "k") // a reader takes its snapshot, then reads PostgreSQL…
	c.Invalidate(ctx, "A")              // …a writer commits and invalidates…
	// …and the reader stores its old answer afterwards, naming A (read
	// after the snapshot, so its generation now is the written one).
	if _, ok, err := c.Store(ctx, "k", snap, []string{"A"}, []byte("old"), time.Minute); err != nil || ok {
		t.Fatalf("got stored=%v, %v; want the old answer refused", ok, err)
	}
	if body, ok := served(t, c, "k"); ok {
		t.Fatalf("got %q; the old answer must not be served", body)
	}
}

func TestAWriteToAnotherSubjectDuringTheComputationAlsoStopsTheStore(t *testing.T) {
	// The write sequence cannot tell which subjects a write touched; it
	// errs on the side of not storing.
	ctx := context.Background()
	c := testenv.Cache(t)
	_, _, snap, _ := c.Lookup(ctx, "k")
	c.Invalidate(ctx, "Z")
	if _, ok, _ := c.Store(ctx, "k", snap, []string{"A"}, []byte("x"), time.Minute); ok {
		t.Fatal("stored an answer whose computation overlapped a write")
	}
	if _, ok := store(t, c, "k", "x", "A"); !ok {
		t.Fatal("the next computation, after the write, was not stored")
	}
}

func TestEpochInvalidatesEverything(t *testing.T) {
	c := testenv.Cache(t)
	store(t, c, "k", "x", "A", "B")
	if err := c.InvalidateAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := served(t, c, "k"); ok {
		t.Fatal("served an entry after the epoch moved")
	}
}

func TestEntryWithSeveralDependenciesFallsWithAnyOfThem(t *testing.T) {
	c := testenv.Cache(t)
	store(t, c, "k", "x", "A", "B")
	c.Invalidate(context.Background(), "B")
	if _, ok := served(t, c, "k"); ok {
		t.Fatal("served an entry after one of its subjects moved")
	}
}

func TestDeadRedisIsAnErrorNotAHang(t *testing.T) {
	c, err := cache.Open(cache.Options{URL: "redis://127.0.0.1:1/0", Timeout: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, _, _, err = c.Lookup(context.Background(), "k")
	if err == nil || errors.Is(err, cache.ErrMiss) {
		t.Fatalf("got %v, want a connection error", err)
	}
}
