// Package service holds the hub's use cases: it authorises, validates,
// runs transactions, caches and invalidates. Resolvers call one method each;
// rules themselves live in internal/credit.
package service

import (
	"context"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// MaxPageSize is the largest `first` a connection accepts.
const MaxPageSize = 100

// Service is the hub's application layer.
type Service struct {
	db   *store.DB
	now  func() time.Time
	uses UseLog
}

// UseLog records reads of subjects by the roles whose reads are logged (the
// plan's system for querying and using credit records).
type UseLog interface {
	Record(ctx context.Context, c credit.Caller, subjectCode, operation string, at time.Time) error
}

// WithUseLog makes the service record reads in log.
func WithUseLog(log UseLog) Option {
	return func(s *Service) { s.uses = log }
}

// Option configures a Service.
type Option func(*Service)

// WithClock makes the service read the time from now; tests pass a fixed clock.
func WithClock(now func() time.Time) Option {
	return func(s *Service) { s.now = now }
}

// New returns a Service over db.
func New(db *store.DB, opts ...Option) *Service {
	s := &Service{db: db, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Today is the current date in the city (Asia/Shanghai).
func (s *Service) Today() credit.Date { return credit.DateOf(s.now()) }

// checkFirst validates a page size argument named field.
func checkFirst(field string, first int) error {
	if first < 0 || first > MaxPageSize {
		return credit.FieldErrorf(field, "must be between 0 and %d, got %d", MaxPageSize, first)
	}
	return nil
}
