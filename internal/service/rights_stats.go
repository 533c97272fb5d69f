package service

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
)

// ObjectionStats counts the objections filed in the query's period per
// group (verifying department, record kind, month of filing): where they
// stand today, overdue ones, and how many were closed by their deadline;
// the total row is computed by the database from the same counts. The
// credit office and dashboards see every department, a department its
// own. Errors: FORBIDDEN for other roles, and on filter.department for a
// department asking for another's; BAD_USER_INPUT naming the argument.
func (s *Service) ObjectionStats(ctx context.Context, q credit.RightsStatsQuery) (credit.ObjectionStats, error) {
	countsEveryRecord(ctx)
	dept, err := s.objectionView(ctx, credit.ActRightsStatistics, "filter.department", q.Filter.Department)
	if err != nil {
		return credit.ObjectionStats{}, err
	}
	if q, err = q.Check(); err != nil {
		return credit.ObjectionStats{}, err
	}
	rows, err := s.db.ObjectionStats(ctx, q, dept, s.today(ctx))
	if err != nil {
		return credit.ObjectionStats{}, err
	}
	out := credit.ObjectionStats{From: q.From, To: q.To, GroupBy: q.GroupBy, Rows: []credit.ObjectionStatsRow{}}
	for _, r := range rows {
		if r.IsTotal {
			out.Total = r
		} else {
			out.Rows = append(out.Rows, r)
		}
	}
	return out, nil
}

// RepairStats counts the repair applications requested in the period per
// group, as ObjectionStats counts objections.
func (s *Service) RepairStats(ctx context.Context, q credit.RightsStatsQuery) (credit.RepairStats, error) {
	countsEveryRecord(ctx)
	dept, err := s.objectionView(ctx, credit.ActRightsStatistics, "filter.department", q.Filter.Department)
	if err != nil {
		return credit.RepairStats{}, err
	}
	if q, err = q.Check(); err != nil {
		return credit.RepairStats{}, err
	}
	rows, err := s.db.RepairStats(ctx, q, dept, s.today(ctx))
	if err != nil {
		return credit.RepairStats{}, err
	}
	out := credit.RepairStats{From: q.From, To: q.To, GroupBy: q.GroupBy, Rows: []credit.RepairStatsRow{}}
	for _, r := range rows {
		if r.IsTotal {
			out.Total = r
		} else {
			out.Rows = append(out.Rows, r)
		}
	}
	return out, nil
}
