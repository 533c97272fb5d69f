package service

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
)

// CasesByIDs returns the cases with the given ids the caller may see (nil
// for the others), for the loader behind Assignment.case.
func (s *Service) CasesByIDs(ctx context.Context, ids []int64) (map[int64]*credit.JointCase, error) {
	uncacheable(ctx, "the joint workflow")
	dept, err := s.jointView(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.CasesByIDs(ctx, ids, dept)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*credit.JointCase, len(ids))
	for _, id := range ids {
		out[id] = nil
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}
