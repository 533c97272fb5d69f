package graph

import (
	"github.com/credithub/credithub/graph/model"
	"github.com/credithub/credithub/internal/credit"
)

// statsQuery moves the arguments every statistic takes into the domain's
// query; the service checks them against the statistic's spec.
func statsQuery(from, to credit.Date, groupBy []credit.StatsDimension, f *model.StatsFilter) credit.StatsQuery {
	q := credit.StatsQuery{From: from, To: to, GroupBy: groupBy}
	if f != nil {
		q.Filter = credit.StatsFilter{Department: deref(f.Department), Domain: deref(f.Domain),
			Institution: deref(f.Institution)}
		if f.ListKind != nil {
			q.Filter.ListKind = *f.ListKind
		}
		if f.Severity != nil {
			q.Filter.Severity = *f.Severity
		}
		if f.Role != nil {
			q.Filter.Role = *f.Role
		}
	}
	return q
}
