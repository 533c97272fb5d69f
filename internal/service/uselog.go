package service

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
)

// noteReads writes each subject read by a role whose reads are logged to
// the query-use log, once per request. It fails the read when the log
// cannot take the row: an unlogged read is not served.
func (s *Service) noteReads(ctx context.Context, subjects ...credit.Subject) error {
	c, a := s.access(ctx)
	if !a.LogsUse || s.uses == nil {
		return nil
	}
	r := requestFrom(ctx)
	r.mu.Lock()
	var fresh []credit.Subject
	for _, subj := range subjects {
		if !r.logged[subj.ID] {
			r.logged[subj.ID] = true
			fresh = append(fresh, subj)
		}
	}
	purpose, op := r.purpose, r.operation
	r.mu.Unlock()
	if purpose != "" {
		c.Purpose = purpose
	}
	for _, subj := range fresh {
		if err := s.uses.Record(ctx, c, subj.Code, op, s.now()); err != nil {
			return credit.Errorf(credit.Unavailable, "the query-use log cannot record this read now; try again")
		}
	}
	return nil
}
