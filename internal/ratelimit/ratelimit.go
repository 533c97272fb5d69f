// Package ratelimit limits requests per caller with a GCRA limiter held in
// Redis (github.com/go-redis/redis_rate), so that every server of the hub
// counts against the same budget.
package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
)

// Limits are requests per minute by role; a role without an entry uses Default.
type Limits struct {
	Default int
	ByRole  map[credit.Role]int
}

// DefaultLimits are generous for institutions and tight for the anonymous.
var DefaultLimits = Limits{Default: 1200, ByRole: map[credit.Role]int{
	credit.RolePublic: 60, credit.RoleBank: 6000, credit.RoleWindow: 6000,
}}

// ParseLimits reads "PUBLIC=60,BANK=6000,DEFAULT=1200" (RATE_LIMITS).
func ParseLimits(s string) (Limits, error) {
	l := Limits{Default: DefaultLimits.Default, ByRole: map[credit.Role]int{}}
	for r, n := range DefaultLimits.ByRole {
		l.ByRole[r] = n
	}
	if strings.TrimSpace(s) == "" {
		return l, nil
	}
	for _, part := range strings.Split(s, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(value)
		if !ok || err != nil || n < 1 {
			return l, fmt.Errorf("RATE_LIMITS: %q is not ROLE=requests-per-minute", part)
		}
		if name == "DEFAULT" {
			l.Default = n
			continue
		}
		r := credit.Role(name)
		if !r.Valid() {
			return l, fmt.Errorf("RATE_LIMITS: %q is not a role", name)
		}
		l.ByRole[r] = n
	}
	return l, nil
}

// Limiter checks callers against their limits.
//
// A busy key does not cost a Redis round trip per request: the limiter
// takes a lease of several requests at once from the shared budget in Redis
// (at most a tenth of a second's worth) and spends it in memory. Every
// server draws from the same budget, so the limit holds across servers; a
// lease unused within a second is simply left to expire, which errs on the
// side of the caller being limited a little early, never late.
type Limiter struct {
	c      *cache.Cache
	rl     *redis_rate.Limiter
	limits Limits

	mu     sync.Mutex
	leases map[string]*lease
}

type lease struct {
	left  int
	until time.Time
	// remaining and resetAt are what Redis said when the lease was taken:
	// the budget left after it, and when the whole budget is back.
	remaining int
	resetAt   time.Time
}

const leaseLife = time.Second

// New returns a limiter keeping its counters in c.
func New(c *cache.Cache, limits Limits) *Limiter {
	return &Limiter{c: c, rl: redis_rate.NewLimiter(c.Client()), limits: limits, leases: map[string]*lease{}}
}

// take spends one request of a lease held in memory, if there is one, and
// says what is left of the caller's budget.
func (l *Limiter) take(who string, now time.Time) (Decision, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if le, ok := l.leases[who]; ok && le.left > 0 && now.Before(le.until) {
		le.left--
		return Decision{Allowed: true, Remaining: le.remaining + le.left, Reset: max(0, le.resetAt.Sub(now))}, true
	}
	return Decision{}, false
}

func (l *Limiter) keep(who string, le *lease) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.leases) > 100_000 {
		clear(l.leases) // bounded memory; a cleared lease only costs a round trip
	}
	l.leases[who] = le
}

// Decision is the outcome of one check.
type Decision struct {
	Allowed    bool
	RetryAfter time.Duration
	// Degraded is set when Redis could not be asked: the request is let
	// through, because refusing every bank and window while Redis restarts
	// would do more harm than a minute without limits.
	Degraded bool
	// Limit is the caller's requests per minute; Remaining what is left of
	// it (requests leased to this server but not spent yet count as left);
	// Reset how long until the whole budget is back. They are the
	// RateLimit-Limit, -Remaining and -Reset headers (0 when Degraded).
	Limit     int
	Remaining int
	Reset     time.Duration
}

// Allow counts one request of the caller identified by who (a key or
// identity, or the client address for anonymous requests).
func (l *Limiter) Allow(ctx context.Context, role credit.Role, who string) Decision {
	per, ok := l.limits.ByRole[role]
	if !ok {
		per = l.limits.Default
	}
	now := time.Now()
	if d, ok := l.take(who, now); ok {
		d.Limit = per
		return d
	}
	limit := redis_rate.PerMinute(per)
	chunk := max(1, per/600) // a tenth of a second's worth
	res, err := l.rl.AllowN(ctx, l.c.Key("rate", who), limit, chunk)
	if err == nil && res.Allowed == 0 && chunk > 1 {
		res, err = l.rl.AllowN(ctx, l.c.Key("rate", who), limit, 1)
		chunk = 1
	}
	if err != nil {
		return Decision{Allowed: true, Degraded: true}
	}
	if res.Allowed > 0 && chunk > 1 {
		l.keep(who, &lease{left: chunk - 1, until: now.Add(leaseLife), remaining: res.Remaining, resetAt: now.Add(res.ResetAfter)})
	}
	return Decision{Allowed: res.Allowed > 0, RetryAfter: res.RetryAfter,
		Limit: per, Remaining: res.Remaining + max(0, res.Allowed-1), Reset: res.ResetAfter}
}
