package service

import (
	"context"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
)

// noteRead records that subjects (by code) were shown for purpose. Inside a
// request it goes on the request, and the pipeline writes the request's
// reads to the query-use log, durably, before it answers; outside one (the
// service used directly) the read is written at once. Either way no read is
// answered unlogged.
func (s *Service) noteRead(ctx context.Context, purpose string, codes ...string) error {
	if len(codes) == 0 {
		return nil
	}
	if r := RequestFrom(ctx); r != nil {
		r.Read(purpose, codes...)
		return nil
	}
	c, a := s.access(ctx)
	if !a.LogsUse || s.uses == nil {
		return nil
	}
	c.Purpose = purpose
	if err := s.uses.Commit(ctx, audit.Use{Caller: c, SubjectCodes: codes, Operation: "service", At: s.now()}); err != nil {
		return credit.Errorf(credit.Unavailable, "the query-use log cannot record this read now; try again")
	}
	return nil
}

// LogReads writes what request r read to the query-use log — one row per
// purpose, naming every subject read for it — and returns once the rows are
// durable. The pipeline calls it before it answers; an error (UNAVAILABLE)
// means the answer must not be given. Roles whose reads are not logged
// pass at once.
func (s *Service) LogReads(ctx context.Context, r *Request) error {
	if !r.Access.LogsUse || s.uses == nil {
		return nil
	}
	reads := r.Reads()
	if len(reads) == 0 {
		return nil
	}
	uses := make([]audit.Use, len(reads))
	for i, rd := range reads {
		c := r.Caller
		c.Purpose = rd.Purpose
		uses[i] = audit.Use{Caller: c, SubjectCodes: rd.Codes, Operation: r.Operation, At: r.Arrived}
	}
	if err := s.uses.Commit(ctx, uses...); err != nil {
		return credit.Errorf(credit.Unavailable, "the query-use log cannot record this read now, so it is not answered; try again")
	}
	return nil
}

// QueryLog returns who read the subject's records, newest first, at most
// first rows (at most 500). FORBIDDEN for roles other than CREDIT_OFFICE and
// AUDITOR.
func (s *Service) QueryLog(ctx context.Context, subject credit.Subject, first int) ([]credit.QueryUse, error) {
	uncacheable(ctx, "the query-use log")
	if _, err := s.authorize(ctx, credit.ActReadQueryLog); err != nil {
		return nil, err
	}
	if first < 0 || first > 500 {
		return nil, credit.FieldErrorf("first", "must be between 0 and 500, got %d", first)
	}
	return s.db.QueryLogForSubject(ctx, subject.Code, first)
}
