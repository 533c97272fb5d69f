package cache

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Cached answers are never stale after a write is acknowledged.
//
// Each subject code has a generation counter in Redis; a writer bumps the
// counters of every subject whose answers its write can change, after its
// transaction commits and before it answers, and bumps one global write
// sequence with them. An entry is stored with the generations of every
// subject the answer read, and is served only while each is still the one
// in Redis (Current).
//
// Which subjects an answer reads is known only once it is computed, so the
// generations cannot all be read before the data. Instead a computation
// takes a snapshot of the epoch and the write sequence before it reads
// PostgreSQL (Lookup), and Store reads the generations afterwards together
// with the sequence: if the sequence has not moved, no invalidation of any
// subject happened between the snapshot and that read, so the generations
// read are the ones the data was read at, and the entry is stored with
// them. If it has moved, the answer is served but not stored. A write that
// commits after the data was read bumps its counters after Store read them
// (the entry is then never current) or before (the sequence moved: not
// stored). The race in which an old answer is put back is closed by
// construction, not by timing.
//
// A global epoch invalidates everything at once: a writer that could not
// reach Redis bumps it once Redis answers again, and so does a change of
// the rules or reference data every answer rests on.

// Gens are the generations of the subjects an answer depends on, and the
// epoch, as they were when its data was read.
type Gens struct {
	Epoch int64            `json:"e"`
	Codes map[string]int64 `json:"d"`
}

// Snapshot is the epoch and write sequence a computation saw before it read
// PostgreSQL; Store stores only while both are unchanged.
type Snapshot struct {
	Epoch, Seq int64
	// Valid is false for the zero Snapshot (no lookup was made): Store
	// then stores nothing.
	Valid bool
}

// ErrMiss is returned by Lookup when there is no entry.
var ErrMiss = errors.New("cache: miss")

// Lookup returns the entry stored under key with the generations it was
// computed at (the caller must confirm them with Current before serving
// it), and in the same round trip a snapshot for storing a new answer. On
// a miss the error is ErrMiss and the snapshot is still valid; any other
// error means Redis could not be asked.
func (c *Cache) Lookup(ctx context.Context, key string) ([]byte, Gens, Snapshot, error) {
	var entry, epoch, seq *redis.StringCmd
	_, err := c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		entry = p.Get(ctx, c.Key(key))
		epoch = p.Get(ctx, c.EpochKey())
		seq = p.Get(ctx, c.SeqKey())
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, Gens{}, Snapshot{}, err
	}
	snap := Snapshot{Valid: true}
	snap.Seq, _ = seq.Int64()
	if e, err := epoch.Int64(); err == nil {
		snap.Epoch = e
	} else {
		// No epoch: Redis lost its keys. Give it a new one (unless another
		// server just did): nothing computed before can be current again,
		// and what is computed from now on is stored at the new epoch.
		if err := c.newEpoch(ctx); err != nil {
			return nil, Gens{}, Snapshot{}, err
		}
		e, err := c.rdb.Get(ctx, c.EpochKey()).Int64()
		if err != nil {
			return nil, Gens{}, Snapshot{}, err
		}
		snap.Epoch = e
		return nil, Gens{}, snap, ErrMiss
	}
	v, err := entry.Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, Gens{}, snap, ErrMiss
	}
	meta, body, ok := strings.Cut(string(v), "\n")
	var g Gens
	if !ok || json.Unmarshal([]byte(meta), &g) != nil {
		return nil, Gens{}, snap, ErrMiss
	}
	return []byte(body), g, snap, nil
}

// Store stores body under key for at most ttl, valid while the generations
// of codes (the subjects the answer read) stay current, if nothing was
// invalidated since snap. It returns the generations stored and whether it
// stored.
func (c *Cache) Store(ctx context.Context, key string, snap Snapshot, codes []string, body []byte, ttl time.Duration) (Gens, bool, error) {
	if !snap.Valid {
		return Gens{}, false, nil
	}
	keys := make([]string, 0, 2+len(codes))
	keys = append(keys, c.EpochKey(), c.SeqKey())
	for _, code := range codes {
		keys = append(keys, c.GenKey(code))
	}
	vals, err := c.getMany(ctx, keys)
	if err != nil {
		return Gens{}, false, err
	}
	if vals[0] == nil || toInt(vals[0]) != snap.Epoch || toInt(vals[1]) != snap.Seq {
		return Gens{}, false, nil
	}
	g := Gens{Epoch: snap.Epoch, Codes: make(map[string]int64, len(codes))}
	for i, code := range codes {
		g.Codes[code] = toInt(vals[2+i])
	}
	meta, err := json.Marshal(g)
	if err != nil {
		return Gens{}, false, err
	}
	v := make([]byte, 0, len(meta)+1+len(body))
	v = append(append(append(v, meta...), '\n'), body...)
	if err := c.rdb.Set(ctx, c.Key(key), v, ttl).Err(); err != nil {
		return Gens{}, false, err
	}
	return g, true, nil
}

// genTTL keeps a generation counter well past the longest entry lifetime
// (an entry lives until midnight at most): a counter that vanished would
// read as 0 again, but no entry computed at 0 is still alive by then.
const genTTL = 7 * 24 * time.Hour

// Invalidate bumps the generations of codes and the write sequence: every
// entry that read one of them is no longer served, on every server, and no
// computation in flight stores its answer.
func (c *Cache) Invalidate(ctx context.Context, codes ...string) error {
	if len(codes) == 0 {
		return nil
	}
	// One transaction: no reader's MGET sees a generation bumped and the
	// sequence not yet (Store would then keep an answer read before the
	// write at the new generation).
	_, err := c.inv.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, code := range codes {
			k := c.GenKey(code)
			p.Incr(ctx, k)
			p.Expire(ctx, k, genTTL)
		}
		p.Incr(ctx, c.SeqKey())
		return nil
	})
	return err
}

// InvalidateAll bumps the epoch: every entry is no longer served.
func (c *Cache) InvalidateAll(ctx context.Context) error {
	_, err := c.inv.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Incr(ctx, c.EpochKey())
		p.Incr(ctx, c.SeqKey())
		return nil
	})
	return err
}

// getMany reads keys — coherence keys, in one hash slot — in one MGET:
// atomically, also on a Redis Cluster. A missing key reads as nil.
func (c *Cache) getMany(ctx context.Context, keys []string) ([]any, error) {
	return c.rdb.MGet(ctx, keys...).Result()
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}
