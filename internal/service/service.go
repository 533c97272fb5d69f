// Package service holds the hub's use cases: it authorises, validates,
// runs transactions, caches and invalidates. Resolvers call one method each;
// rules themselves live in internal/credit.
package service

import (
	"log/slog"
	"time"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/calendar"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/ratelimit"
	"github.com/credithub/credithub/internal/seal"
	"github.com/credithub/credithub/internal/store"
)

// MaxPageSize is the largest `first` a connection accepts.
const MaxPageSize = 100

// Service is the hub's application layer.
type Service struct {
	db        *store.DB
	now       func() time.Time
	uses      *audit.QueryLog
	responses *responses
	ops       operations
	limiter   *ratelimit.Limiter
	metrics   *Metrics
	log       *slog.Logger
	// rules are the rules in force (rules.go); cal the working-day
	// calendar (WithCalendar; nil: the official one).
	rules ruleBooks
	cal   *calendar.Calendar
	// reportKeys seal reporters' identities (WithReportKeys; nil: reports
	// with a reporter are refused).
	reportKeys *seal.Keyring
	// refs key the references that replace masked persons' codes.
	refs entityRefs
}

// WithQueryLog makes the service record reads in log: the plan's system
// for querying and using credit records.
func WithQueryLog(log *audit.QueryLog) Option {
	return func(s *Service) { s.uses = log }
}

// Option configures a Service.
type Option func(*Service)

// WithClock makes the service read the time from now; tests pass a fixed clock.
func WithClock(now func() time.Time) Option {
	return func(s *Service) { s.now = now }
}

// WithCache makes the service cache whole responses in c (nil: no cache).
func WithCache(c *cache.Cache) Option {
	return func(s *Service) {
		if c != nil {
			s.responses = &responses{c: c, near: cache.NewNear[storedResponse](nearResponses)}
		}
	}
}

// WithMetrics makes the service count into m.
func WithMetrics(m *Metrics) Option {
	return func(s *Service) { s.metrics = m }
}

// WithLogger sets the service's logger.
func WithLogger(l *slog.Logger) Option {
	return func(s *Service) { s.log = l }
}

// New returns a Service over db.
func New(db *store.DB, opts ...Option) *Service {
	s := &Service{db: db, now: time.Now, log: slog.Default()}
	for _, o := range opts {
		o(s)
	}
	if s.metrics == nil {
		s.metrics = NewMetrics(nil)
	}
	if s.responses != nil {
		s.responses.metrics, s.responses.log = s.metrics, s.log
	}
	return s
}

// Metrics returns the service's counters.
func (s *Service) Metrics() *Metrics { return s.metrics }

// Today is the current date in the city (Asia/Shanghai).
func (s *Service) Today() credit.Date { return credit.DateOf(s.now()) }

// checkFirst validates a page size argument named field.
func checkFirst(field string, first int) error {
	if first < 0 || first > MaxPageSize {
		return credit.FieldErrorf(field, "must be between 0 and %d, got %d", MaxPageSize, first)
	}
	return nil
}
