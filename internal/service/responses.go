package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
)

// The response cache: the pipeline's cache stage. A read-only operation
// made of subject reads and checks is stored whole, under a key naming the
// operation as the client sent it, who asks (role, department, the purpose
// header) and the day, with the generations of every subject it read (see
// internal/cache): any selection, nesting, alias or fragment, persisted or
// not. It is served only while those generations are current, and the reads
// it made are logged again for every request it answers. Two tiers: Redis,
// shared by every server, and each server's memory (at most nearResponses
// entries), whose entries are served only after one MGET — shared by every
// request waiting at that moment — confirms their generations, so memory
// is never less strict than Redis.

// allRecords is the generation every write bumps, with the subjects it
// wrote: a statistic counts every record, so it rests on this one. It is
// not a subject code (a code has no '*'), so no subject shares it.
const allRecords = "*records"

// nearResponses bounds the in-process tier: at a few kilobytes a response,
// some hundred megabytes at most.
const nearResponses = 50_000

// redisPause is how long the cache is left alone after Redis failed, so
// that a dead Redis costs one timeout per second, not one per request.
const redisPause = time.Second

// responses is the service's use of Redis for whole responses.
type responses struct {
	c       *cache.Cache
	near    *cache.Near[storedResponse]
	metrics *Metrics
	log     *slog.Logger

	downUntil atomic.Int64
	// lostInvalidation is set when a write could not invalidate: every
	// answer cached before may be stale, so the epoch must move once Redis
	// answers again, before anything is served from it.
	lostInvalidation atomic.Bool
	recovering       atomic.Bool // recoverInBackground is running
	epochMu          sync.Mutex
}

// storedResponse is a cached response: the reads to log again and the
// bytes to write.
type storedResponse struct {
	reads []Read
	body  []byte
}

// ResponseKey names a response by everything it depends on besides the
// data: the operation as sent (the raw request: query or persisted hash,
// operation name and variables — a client that spells the same request
// another way gets a second entry, a miss, never a wrong answer), who asks
// (role and department decide scopes and masking; the purpose header is
// logged with the reads) and the day.
func (s *Service) ResponseKey(r *Request, operation []byte) string {
	h := sha256.New()
	for _, part := range []string{string(r.Caller.Role), r.Caller.Department, r.Caller.Purpose, r.Day.String()} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(bytes.TrimSpace(operation))
	var sum [sha256.Size]byte
	return "resp:" + hex.EncodeToString(h.Sum(sum[:0]))
}

// CachedResponse returns the stored response under key if it is current,
// after recording its reads on r (the pipeline logs them before it
// answers). On a miss it keeps on r what Redis said before the execution
// reads PostgreSQL, so that StoreResponse can store the answer safely.
func (s *Service) CachedResponse(ctx context.Context, r *Request, key string) ([]byte, string, bool) {
	rc := s.responses
	if !rc.usable(ctx) {
		r.Uncacheable("the cache is unavailable")
		return nil, "", false
	}
	if e, ok := rc.near.Get(key, s.now()); ok {
		current, err := rc.c.Current(ctx, e.Gens)
		if err != nil {
			rc.failed(ctx, "current", err)
			r.Uncacheable("the cache is unavailable")
			return nil, "", false
		}
		if current {
			rc.metrics.ResponseHits.WithLabelValues("memory").Inc()
			replay(r, e.Value.reads)
			return e.Value.body, "memory", true
		}
		rc.near.Delete(key)
	}
	body, gens, snap, err := rc.c.Lookup(ctx, key)
	switch {
	case err == nil:
		current, cerr := rc.c.Current(ctx, gens)
		if cerr != nil {
			rc.failed(ctx, "current", cerr)
			r.Uncacheable("the cache is unavailable")
			return nil, "", false
		}
		if stored, ok := parseStored(body); ok && current {
			rc.near.Put(key, cache.NearEntry[storedResponse]{Gens: gens, Value: stored, Expires: endOf(r.Day)})
			rc.metrics.ResponseHits.WithLabelValues("redis").Inc()
			replay(r, stored.reads)
			return stored.body, "redis", true
		}
	case !errors.Is(err, cache.ErrMiss):
		rc.failed(ctx, "lookup", err)
		r.Uncacheable("the cache is unavailable")
		return nil, "", false
	}
	rc.metrics.ResponseMisses.Inc()
	r.mu.Lock()
	r.snapshot = snap
	r.mu.Unlock()
	return nil, "", false
}

// StoreResponse stores body, the answer just computed for r, under key when
// it may be: a read-only answer without errors, resting only on what the
// generations cover, whose computation no write overlapped.
func (s *Service) StoreResponse(ctx context.Context, r *Request, key string, body []byte) {
	rc := s.responses
	if rc == nil {
		return
	}
	ok, _ := r.Cacheable()
	r.mu.Lock()
	snap := r.snapshot
	r.mu.Unlock()
	ttl := endOf(r.Day).Sub(s.now())
	codes := r.generations()
	if !ok || !snap.Valid || ttl <= 0 || len(codes) == 0 {
		return
	}
	reads := r.Reads()
	meta, err := json.Marshal(reads)
	if err != nil {
		return
	}
	entry := append(append(meta, '\n'), body...)
	gens, stored, err := rc.c.Store(context.WithoutCancel(ctx), key, snap, codes, entry, ttl)
	switch {
	case err != nil:
		rc.failed(ctx, "store", err)
	case !stored:
		rc.metrics.ResponseStores.WithLabelValues("overlapped_write").Inc()
	default:
		rc.metrics.ResponseStores.WithLabelValues("stored").Inc()
		rc.near.Put(key, cache.NearEntry[storedResponse]{Gens: gens, Value: storedResponse{reads: reads, body: body},
			Expires: endOf(r.Day)})
	}
}

// replay records a cached response's reads on r, as its computation did.
func replay(r *Request, reads []Read) {
	for _, rd := range reads {
		r.Read(rd.Purpose, rd.Codes...)
	}
}

func parseStored(value []byte) (storedResponse, bool) {
	meta, body, ok := bytes.Cut(value, []byte{'\n'})
	var reads []Read
	if !ok || json.Unmarshal(meta, &reads) != nil {
		return storedResponse{}, false
	}
	return storedResponse{reads: reads, body: body}, true
}

// endOf is when day ends in Dandong: no cached answer outlives its day.
func endOf(day credit.Date) time.Time {
	y, m, d := day.Time().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, credit.Shanghai)
}

func (rc *responses) usable(ctx context.Context) bool {
	if rc == nil || rc.c == nil {
		return false
	}
	if time.Now().UnixNano() < rc.downUntil.Load() {
		return false
	}
	if rc.lostInvalidation.Load() {
		return rc.recoverEpoch(ctx)
	}
	return true
}

// failed records that Redis failed op: the cache is left alone for a
// moment. A request whose own context ended (its client went away, its
// deadline passed) saw no failure of Redis, and must not pause the cache
// for every other request.
func (rc *responses) failed(ctx context.Context, op string, err error) {
	if ctx.Err() != nil {
		return
	}
	rc.downUntil.Store(time.Now().Add(redisPause).UnixNano())
	rc.metrics.Fallbacks.WithLabelValues(op).Inc()
	rc.log.Warn("Redis unavailable; answering from PostgreSQL", "op", op, "err", err)
}

// lose records an invalidation that did not reach Redis: nothing is served
// from the cache by this process until the epoch has moved, and the epoch
// is moved in the background as soon as Redis answers, so that the other
// servers, which know nothing of the failure, stop serving the old answers
// as soon as possible too.
func (rc *responses) lose(op string, err error) {
	rc.lostInvalidation.Store(true)
	rc.failed(context.Background(), op, err)
	if rc.recovering.CompareAndSwap(false, true) {
		go rc.recoverInBackground()
	}
}

func (rc *responses) recoverInBackground() {
	defer rc.recovering.Store(false)
	// Tried often: the other servers serve from Redis as soon as it answers,
	// and the epoch must have moved by then. Each try is one INCR.
	for rc.lostInvalidation.Load() && !rc.recoverEpoch(context.Background()) {
		time.Sleep(50 * time.Millisecond)
	}
}

// recoverEpoch moves the epoch after a lost invalidation; until it has,
// the cache is not used.
func (rc *responses) recoverEpoch(ctx context.Context) bool {
	rc.epochMu.Lock()
	defer rc.epochMu.Unlock()
	if !rc.lostInvalidation.Load() {
		return true
	}
	if err := rc.c.InvalidateAll(ctx); err != nil {
		rc.failed(ctx, "epoch", err)
		return false
	}
	rc.lostInvalidation.Store(false)
	rc.metrics.Invalidations.Inc()
	return true
}

// invalidate makes every cached answer about codes stale, after a write has
// committed. If Redis cannot be told, the whole cache is dropped (epoch)
// as soon as it can, and nothing is served from it until then.
func (s *Service) invalidate(ctx context.Context, codes []string) {
	if r := RequestFrom(ctx); r != nil {
		r.Uncacheable("a write")
	}
	rc := s.responses
	if rc == nil {
		return
	}
	// The write is committed: it is told to Redis whether or not its client
	// is still there, and acknowledged only once Redis confirms it. Every
	// write changes the statistics too.
	codes = append(codes[:len(codes):len(codes)], allRecords)
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cache.InvalidateWait)
	defer cancel()
	if err := rc.c.Invalidate(wctx, codes...); err != nil {
		rc.lose("invalidate", err)
		return
	}
	rc.metrics.Invalidations.Add(float64(len(codes)))
}

// invalidateEverything makes every cached answer stale (the epoch), after
// a change every answer may rest on has committed: rules, reference data.
func (s *Service) invalidateEverything(ctx context.Context) {
	rc := s.responses
	if rc == nil {
		return
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cache.InvalidateWait)
	defer cancel()
	if err := rc.c.InvalidateAll(wctx); err != nil {
		rc.lose("epoch", err)
		return
	}
	rc.metrics.Invalidations.Inc()
}
