package service

import (
	"context"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
)

// noteReads writes the subjects read by a role whose reads are logged to
// the query-use log, each once per request, as one use. It fails the read
// when the log cannot take the row: an unlogged read is not served.
func (s *Service) noteReads(ctx context.Context, subjects ...credit.Subject) error {
	c, a := s.access(ctx)
	if !a.LogsUse || s.uses == nil {
		return nil
	}
	r := requestFrom(ctx)
	r.mu.Lock()
	var fresh []string
	for _, subj := range subjects {
		if !r.logged[subj.Code] {
			r.logged[subj.Code] = true
			fresh = append(fresh, subj.Code)
		}
	}
	purpose, op := r.purpose, r.operation
	r.mu.Unlock()
	if purpose != "" {
		c.Purpose = purpose
	}
	if len(fresh) == 0 {
		return nil
	}
	if err := s.uses.Record(ctx, audit.Use{Caller: c, SubjectCodes: fresh, Operation: op, At: s.now()}); err != nil {
		return credit.Errorf(credit.Unavailable, "the query-use log cannot record this read now; try again")
	}
	return nil
}

// QueryLog returns who read the subject's records, newest first, at most
// first rows (at most 500). FORBIDDEN for roles other than CREDIT_OFFICE and
// AUDITOR. The log is written asynchronously; rows appear within a fraction
// of a second.
func (s *Service) QueryLog(ctx context.Context, subject credit.Subject, first int) ([]credit.QueryUse, error) {
	if _, err := s.authorize(ctx, credit.ActReadQueryLog); err != nil {
		return nil, err
	}
	if first < 0 || first > 500 {
		return nil, credit.FieldErrorf("first", "must be between 0 and 500, got %d", first)
	}
	return s.db.QueryLogForSubject(ctx, subject.Code, first)
}
