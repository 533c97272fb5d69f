package graph

import (
	"context"
	"errors"
	"runtime"
	"sync"
)

// batchLoader gathers the keys that sibling resolvers ask for and fetches
// them with one call. gqlgen resolves the fields and list elements of one
// level in goroutines that start within microseconds of each other; instead
// of sleeping a fixed window (which cost every level 2 ms of waiting on an
// idle machine), the batch yields the processor until a yield brings no new
// key, then runs: it fires as soon as the level's keys are known. Results
// are kept for the request, so a key asked twice is fetched once. Every
// loader is mapped: results are matched to keys by key, never by position.
type batchLoader[K comparable, V any] struct {
	fetch func(context.Context, []K) (map[K]V, error)

	mu      sync.Mutex
	pending *batch[K, V]
	done    map[K]*batch[K, V]
}

type batch[K comparable, V any] struct {
	keys    []K
	results map[K]V
	err     error
	ready   chan struct{}
}

// errNoRow is a mapped fetch's answer for a key it returned nothing for.
var errNoRow = errors.New("graph: not found")

// maxYields bounds how long a batch waits for stragglers.
const maxYields = 16

func newBatchLoader[K comparable, V any](fetch func(context.Context, []K) (map[K]V, error)) *batchLoader[K, V] {
	return &batchLoader[K, V]{fetch: fetch, done: map[K]*batch[K, V]{}}
}

// Load returns the value for key, fetched with the keys its siblings ask
// for at the same moment.
func (l *batchLoader[K, V]) Load(ctx context.Context, key K) (V, error) {
	l.mu.Lock()
	b, ok := l.done[key]
	if !ok {
		b = l.pending
		if b == nil {
			b = &batch[K, V]{ready: make(chan struct{})}
			l.pending = b
			go l.dispatch(ctx, b)
		}
		b.keys = append(b.keys, key)
		l.done[key] = b
	}
	l.mu.Unlock()
	select {
	case <-b.ready:
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
	var zero V
	if b.err != nil {
		return zero, b.err
	}
	v, ok := b.results[key]
	if !ok {
		return zero, errNoRow
	}
	return v, nil
}

// dispatch waits until the keys stop arriving, then fetches the batch.
func (l *batchLoader[K, V]) dispatch(ctx context.Context, b *batch[K, V]) {
	seen := -1
	for range maxYields {
		runtime.Gosched()
		l.mu.Lock()
		n := len(b.keys)
		l.mu.Unlock()
		if n == seen {
			break
		}
		seen = n
	}
	l.mu.Lock()
	if l.pending == b {
		l.pending = nil
	}
	keys := b.keys
	l.mu.Unlock()
	b.results, b.err = l.fetch(ctx, keys)
	close(b.ready)
}
