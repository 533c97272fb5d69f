package service

import (
	"context"
	"time"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/ratelimit"
)

// WithRateLimits counts every operation against its caller's budget of
// requests per minute, held in Redis c so that every server shares it.
func WithRateLimits(c *cache.Cache, limits ratelimit.Limits) Option {
	return func(s *Service) {
		if c != nil {
			s.limiter = ratelimit.New(c, limits)
		}
	}
}

// Admit counts one operation of r — an HTTP request or an operation on a
// WebSocket, alike — against its caller's budget: a key or identity, or
// for anonymous callers their address. RATE_LIMITED when the budget is
// spent, with how long to wait. While Redis is down operations are let
// through (refusing every bank and window while Redis restarts would do
// more harm than a minute without limits).
func (s *Service) Admit(ctx context.Context, r *Request, client string) (time.Duration, error) {
	if s.limiter == nil {
		return 0, nil
	}
	who := r.Caller.ID
	if r.Caller.Role == credit.RolePublic {
		who = "ip:" + client
	}
	d := s.limiter.Allow(ctx, r.Caller.Role, who)
	r.mu.Lock()
	r.quota = d
	r.mu.Unlock()
	if d.Allowed {
		return 0, nil
	}
	secs := int(d.RetryAfter.Seconds()) + 1
	return time.Duration(secs) * time.Second, credit.Errorf(credit.RateLimited,
		"too many requests for this caller; try again in %d s", secs)
}

// Quota is what the rate limit said of r's operation (zero when no limit
// was asked: no limiter, Redis down).
func (r *Request) Quota() ratelimit.Decision {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.quota
}

// Caches reports whether the service keeps whole responses (the pipeline
// then computes a key and looks it up).
func (s *Service) Caches() bool { return s.responses != nil }

// CachedInMemory is CachedResponse's first tier alone, for a transport that
// has not decoded the request yet: it costs no round trip unless this
// server holds an answer under key.
func (s *Service) CachedInMemory(ctx context.Context, r *Request, key string) ([]byte, bool) {
	rc := s.responses
	if rc == nil {
		return nil, false
	}
	if _, ok := rc.near.Get(key, s.now()); !ok {
		return nil, false
	}
	body, _, ok := s.CachedResponse(ctx, r, key)
	return body, ok
}
