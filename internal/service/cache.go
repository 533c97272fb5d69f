package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
)

// answers is the service's use of the Redis cache for computed answers:
// cache-aside with stampede protection, degrading to PostgreSQL whenever
// Redis is slow or down, and recovering by itself.
type answers struct {
	c       *cache.Cache
	flight  singleflight.Group
	metrics *Metrics
	log     *slog.Logger

	// downUntil skips Redis for a moment after a failure, so that a dead
	// Redis costs one timeout per second, not one per request.
	downUntil atomic.Int64
	// lostInvalidation is set when a write could not invalidate: every
	// answer cached before may be stale, so the epoch must move once
	// Redis answers again, before anything is served from it.
	lostInvalidation atomic.Bool
	recovering       atomic.Bool // recoverInBackground is running
	epochMu          sync.Mutex
}

// cachedAnswer is what is stored: the answer and the subjects it shows, so
// that a cache hit logs the same reads as a computation.
type cachedAnswer struct {
	Reads []string        `json:"r"`
	Gens  cache.Gens      `json:"g"`
	Body  json.RawMessage `json:"b"`
}

const redisPause = time.Second

func (a *answers) usable(ctx context.Context) bool {
	if a == nil || a.c == nil {
		return false
	}
	if time.Now().UnixNano() < a.downUntil.Load() {
		return false
	}
	if a.lostInvalidation.Load() {
		return a.recoverEpoch(ctx)
	}
	return true
}

// lose records an invalidation that did not reach Redis: nothing is served
// from the cache by this process until the epoch has moved, and the epoch
// is moved in the background as soon as Redis answers, so that the other
// servers, which know nothing of the failure, stop serving the old answers
// as soon as possible too.
func (a *answers) lose(op string, err error) {
	a.lostInvalidation.Store(true)
	a.failed(context.Background(), op, err)
	if a.recovering.CompareAndSwap(false, true) {
		go a.recoverInBackground()
	}
}

func (a *answers) recoverInBackground() {
	defer a.recovering.Store(false)
	delay := 50 * time.Millisecond
	for a.lostInvalidation.Load() && !a.recoverEpoch(context.Background()) {
		time.Sleep(delay)
		delay = min(2*delay, 5*time.Second)
	}
}

// failed records that Redis failed op: the cache is left alone for a
// moment. A request whose own context ended (its client went away, its
// deadline passed) saw no failure of Redis, and must not pause the cache
// for every other request.
func (a *answers) failed(ctx context.Context, op string, err error) {
	if ctx.Err() != nil {
		return
	}
	a.downUntil.Store(time.Now().Add(redisPause).UnixNano())
	a.metrics.Fallbacks.WithLabelValues(op).Inc()
	a.log.Warn("Redis unavailable; answering from PostgreSQL", "op", op, "err", err)
}

// recoverEpoch moves the epoch after a lost invalidation; until it has,
// the cache is not used.
func (a *answers) recoverEpoch(ctx context.Context) bool {
	a.epochMu.Lock()
	defer a.epochMu.Unlock()
	if !a.lostInvalidation.Load() {
		return true
	}
	if err := a.c.InvalidateAll(ctx); err != nil {
		a.failed(ctx, "epoch", err)
		return false
	}
	a.lostInvalidation.Store(false)
	a.metrics.Invalidations.Inc()
	return true
}

// CacheUsable reports whether answers may be served from the cache now:
// there is one, Redis has not just failed, and no invalidation is lost (if
// one is, the epoch is moved first). The response cache asks before each
// lookup, so that it is as strict as the check cache.
func (s *Service) CacheUsable(ctx context.Context) bool { return s.answers.usable(ctx) }

// CacheFailed records that Redis failed the response cache in the request
// with ctx: it is left alone for a moment, as after the check cache's own
// failures (unless the request itself ended).
func (s *Service) CacheFailed(ctx context.Context, op string, err error) {
	if s.answers != nil {
		s.answers.failed(ctx, op, err)
	}
}

// cached returns the answer under key, computed by compute when there is no
// current one. dep is the subject code whose generation the answer depends
// on. The generation is read before compute reads PostgreSQL (in the same
// round trip as the cache read), which is what makes a late store harmless.
//
// A computed answer is returned as it is: only what goes to Redis is
// encoded, and only an answer read from Redis is decoded. Readers that
// share one computation share its value, so answers must not be modified
// after they are computed (none is: they are rendered, never edited).
func cached[T any](ctx context.Context, s *Service, key, dep string, ttl time.Duration,
	compute func() (T, []string, error)) (T, error) {
	var zero T
	a := s.answers
	if !a.usable(ctx) {
		markUncachable(ctx)
		v, reads, err := compute()
		if err != nil {
			return zero, err
		}
		return v, s.noteReadCodes(ctx, reads)
	}
	raw, gens, err := a.c.Get(ctx, key, dep)
	switch {
	case err == nil:
		var ans cachedAnswer
		var v T
		if json.Unmarshal(raw, &ans) == nil && json.Unmarshal(ans.Body, &v) == nil {
			a.metrics.Hits.Inc()
			addDeps(ctx, ans.Gens)
			return v, s.noteReadCodes(ctx, ans.Reads)
		}
	case !errors.Is(err, cache.ErrMiss):
		a.failed(ctx, "get", err)
		markUncachable(ctx)
		v, reads, err := compute()
		if err != nil {
			return zero, err
		}
		return v, s.noteReadCodes(ctx, reads)
	}
	a.metrics.Misses.Inc()
	addDeps(ctx, gens)
	// Readers join one computation only if they saw the same generations:
	// a reader that began after a write must not receive the answer of a
	// computation that began before it.
	flightKey := fmt.Sprintf("%s@%d:%d", key, gens.Epoch, gens.Codes[dep])
	shared, err, _ := a.flight.Do(flightKey, func() (any, error) {
		v, reads, err := compute()
		if err != nil {
			return nil, err
		}
		body, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		ans, err := json.Marshal(cachedAnswer{Reads: reads, Gens: gens, Body: body})
		if err != nil {
			return nil, err
		}
		if err := a.c.Put(context.WithoutCancel(ctx), key, gens, ans, ttl); err != nil {
			a.failed(context.Background(), "put", err)
		}
		return computed[T]{value: v, reads: reads}, nil
	})
	if err != nil {
		return zero, err
	}
	c := shared.(computed[T])
	return c.value, s.noteReadCodes(ctx, c.reads)
}

// computed is an answer as one computation gives it to every reader that
// joined it.
type computed[T any] struct {
	value T
	reads []string
}

// invalidate makes every cached answer about codes stale, after a write has
// committed. If Redis cannot be told, the whole cache is dropped (epoch)
// as soon as it can, and nothing is served from it until then.
func (s *Service) invalidate(ctx context.Context, codes []string) {
	a := s.answers
	if a == nil || a.c == nil || len(codes) == 0 {
		return
	}
	if err := a.c.Invalidate(context.WithoutCancel(ctx), codes...); err != nil {
		a.lose("invalidate", err)
		return
	}
	a.metrics.Invalidations.Add(float64(len(codes)))
}

// noteReadCodes logs the reads of subjects known by code.
func (s *Service) noteReadCodes(ctx context.Context, codes []string) error {
	subjects := make([]credit.Subject, len(codes))
	for i, c := range codes {
		subjects[i] = credit.Subject{Code: c}
	}
	return s.noteReads(ctx, subjects...)
}
