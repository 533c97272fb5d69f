package cache

import (
	"sync"
	"time"
)

// Near is an in-process tier in front of Redis for whole entries. It is as
// strict as Get: an entry found here is served only after Current has
// confirmed, in a round trip sent after the request arrived, that every
// generation it was computed at is still the one in Redis. A write
// acknowledged on any server has bumped its counters in Redis before it was
// acknowledged, so no server serves an answer it changed. What the tier
// saves is the entry's bytes on the wire and the script in Redis, and
// Current lets concurrent readers share one MGET.
//
// V is what the caller keeps with an entry, decoded once when it was
// stored here (not on every hit).
type Near[V any] struct {
	mu  sync.RWMutex
	m   map[string]NearEntry[V]
	max int
}

// NearEntry is an entry of the in-process tier.
type NearEntry[V any] struct {
	Gens    Gens
	Value   V
	Expires time.Time
}

// NewNear returns a tier that holds at most max entries.
func NewNear[V any](max int) *Near[V] {
	if max < 1 {
		max = 1
	}
	return &Near[V]{m: make(map[string]NearEntry[V]), max: max}
}

// Get returns the entry stored under key unless it has expired. The caller
// must still check its generations with Current before serving it.
func (n *Near[V]) Get(key string, now time.Time) (NearEntry[V], bool) {
	n.mu.RLock()
	e, ok := n.m[key]
	n.mu.RUnlock()
	if !ok || !now.Before(e.Expires) {
		return NearEntry[V]{}, false
	}
	return e, true
}

// Put stores an entry. When the tier is full it first forgets an eighth of
// its entries, whichever the map yields first: the entries are only copies
// of what Redis holds, and a bounded, simple eviction beats an exact LRU
// whose bookkeeping would cost every hit a write lock.
func (n *Near[V]) Put(key string, e NearEntry[V]) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, ok := n.m[key]; !ok && len(n.m) >= n.max {
		drop := max(n.max/8, 1)
		for k := range n.m {
			delete(n.m, k)
			if drop--; drop == 0 {
				break
			}
		}
	}
	n.m[key] = e
}

// Delete forgets the entry stored under key.
func (n *Near[V]) Delete(key string) {
	n.mu.Lock()
	delete(n.m, key)
	n.mu.Unlock()
}

// Len returns the number of entries held.
func (n *Near[V]) Len() int {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return len(n.m)
}
