package service

import (
	"context"
	"fmt"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// The statistics family (credit/stats.go): each method authorises, checks
// the query against its statistic's spec, limits what is counted to what
// the caller's role may see of the records, and runs one statement. The
// answers rest on no subject's generation, so the response cache never
// keeps them; a cache of statistics belongs around these methods (README
// "Statistics" lists the writes that change each one).

// The specs of the statistics: the dimensions each groups by and the
// longest period it counts.
var (
	recordStatsSpec = credit.StatsSpec{Name: "recordStats", MaxDays: credit.MaxStatsDays,
		Dimensions: []credit.StatsDimension{credit.DimDepartment, credit.DimDomain, credit.DimMonth}}
	timelinessStatsSpec = credit.StatsSpec{Name: "timelinessStats", MaxDays: credit.MaxStatsDays,
		Dimensions: []credit.StatsDimension{credit.DimDepartment, credit.DimDomain, credit.DimMonth}}
	amountStatsSpec = credit.StatsSpec{Name: "amountStats", MaxDays: credit.MaxStatsDays,
		Dimensions: []credit.StatsDimension{credit.DimDepartment, credit.DimDomain, credit.DimMonth, credit.DimSeverity}}
	// Published penalties were decided at most 36 months ago (the longest
	// publication window), so their period may cover three years.
	publishedPenaltyStatsSpec = credit.StatsSpec{Name: "publishedPenaltyStats", MaxDays: 1100,
		Dimensions: []credit.StatsDimension{credit.DimDepartment, credit.DimDomain, credit.DimMonth, credit.DimSeverity}}
	listEntryStatsSpec = credit.StatsSpec{Name: "listEntryStats", MaxDays: credit.MaxStatsDays,
		Dimensions: []credit.StatsDimension{credit.DimListKind, credit.DimDomain, credit.DimDepartment}}
	jointCaseStatsSpec = credit.StatsSpec{Name: "jointCaseStats", MaxDays: credit.MaxStatsDays,
		Dimensions: []credit.StatsDimension{credit.DimDepartment}}
	checkStatsSpec = credit.StatsSpec{Name: "checkStats", MaxDays: credit.MaxStatsDays,
		Dimensions: []credit.StatsDimension{credit.DimRole, credit.DimInstitution, credit.DimMonth}}
)

// RecordStats is the answer of RecordStats; the other reports below have
// the same shape: the query as checked, the rows, and their total.
type RecordStats struct {
	credit.StatsQuery
	Rows  []credit.RecordStatsRow
	Total credit.RecordStatsRow
}

// TimelinessStats is the answer of TimelinessStats.
type TimelinessStats struct {
	credit.StatsQuery
	Rows  []credit.TimelinessStatsRow
	Total credit.TimelinessStatsRow
}

// AmountStats is the answer of AmountStats.
type AmountStats struct {
	credit.StatsQuery
	Rows  []credit.AmountStatsRow
	Total credit.AmountStatsRow
}

// PublishedPenaltyStats is the answer of PublishedPenaltyStats; AsOf is the
// day the penalties are published on (today).
type PublishedPenaltyStats struct {
	credit.StatsQuery
	AsOf  credit.Date
	Rows  []credit.PublishedPenaltyStatsRow
	Total credit.PublishedPenaltyStatsRow
}

// ListEntryStats is the answer of ListEntryStats; AsOf is the day Active
// counts on.
type ListEntryStats struct {
	credit.StatsQuery
	AsOf  credit.Date
	Rows  []credit.ListEntryStatsRow
	Total credit.ListEntryStatsRow
}

// CheckStats is the answer of CheckStats.
type CheckStats struct {
	credit.StatsQuery
	Rows  []credit.CheckStatsRow
	Total credit.CheckStatsRow
}

// split separates the total row (the last, flagged by the database) from
// the others; rows is never nil, so that an empty period answers [].
func split[R any](all []R, isTotal func(R) bool) (rows []R, total R) {
	rows = make([]R, 0, len(all))
	for _, r := range all {
		if isTotal(r) {
			total = r
		} else {
			rows = append(rows, r)
		}
	}
	return rows, total
}

// recordView authorises a statistic of records (ActRecordStatistics),
// checks q against sp, and returns it with the view the caller's role
// counts: PUBLIC and DASHBOARD what is published today, a DEPARTMENT what
// it decided (FORBIDDEN on filter.department naming another), the credit
// office everything. BAD_USER_INPUT on filter.department or filter.domain
// for a department or domain that does not exist (domains is the table:
// "record" for records' domains, "list" for list domains).
func (s *Service) recordView(ctx context.Context, sp credit.StatsSpec, q credit.StatsQuery, domains string) (credit.StatsQuery, store.StatsView, error) {
	c, err := s.authorize(ctx, credit.ActRecordStatistics)
	if err != nil {
		return q, store.StatsView{}, err
	}
	if q, err = sp.Check(q); err != nil {
		return q, store.StatsView{}, err
	}
	var v store.StatsView
	switch {
	case c.Role == credit.RoleDepartment:
		if q.Filter.Department != "" && q.Filter.Department != c.Department {
			return q, v, &credit.Error{Code: credit.Forbidden, Field: "filter.department", Message: fmt.Sprintf(
				"a DEPARTMENT key of %s counts only its own department's records", c.Department)}
		}
		v.Department = c.Department
	case credit.AccessOf(c.Role).PublishedOnly:
		v.PublishedOn = s.today(ctx)
	}
	if err := s.checkStatsFilter(ctx, q.Filter, domains); err != nil {
		return q, v, err
	}
	return q, v, nil
}

// checkStatsFilter refuses a filter naming a department or domain that
// does not exist (BAD_USER_INPUT naming the field): an empty answer would
// hide a typing error.
func (s *Service) checkStatsFilter(ctx context.Context, f credit.StatsFilter, domains string) error {
	if f.Department != "" {
		if _, err := s.db.DepartmentByCode(ctx, f.Department); credit.CodeOf(err) == credit.NotFound {
			return credit.FieldErrorf("filter.department", "%q is not a registered department", f.Department)
		} else if err != nil {
			return err
		}
	}
	if f.Domain == "" {
		return nil
	}
	var known bool
	var err error
	if domains == "list" {
		_, err = s.db.DomainKind(ctx, f.Domain)
		known = err == nil
		if credit.CodeOf(err) == credit.NotFound {
			err = nil
		}
	} else {
		known, err = s.db.RecordDomainExists(ctx, f.Domain)
	}
	if err != nil {
		return err
	}
	if !known {
		return credit.FieldErrorf("filter.domain", "%q is not a %s domain", f.Domain, domains)
	}
	return nil
}

// RecordStats counts the licences and penalties decided in the period
// (revoked penalties left out) by department, domain and month, and their
// total, which is the sum of the rows (recordView says who counts what).
// Errors: FORBIDDEN for roles other than PUBLIC, DASHBOARD, DEPARTMENT and
// CREDIT_OFFICE; BAD_USER_INPUT as StatsSpec.Check and checkStatsFilter.
func (s *Service) RecordStats(ctx context.Context, q credit.StatsQuery) (RecordStats, error) {
	countsEveryRecord(ctx)
	q, v, err := s.recordView(ctx, recordStatsSpec, q, "record")
	if err != nil {
		return RecordStats{}, err
	}
	all, err := s.db.RecordStats(ctx, q, v)
	if err != nil {
		return RecordStats{}, err
	}
	rep := RecordStats{StatsQuery: q}
	rep.Rows, rep.Total = split(all, func(r credit.RecordStatsRow) bool { return r.IsTotal })
	return rep, nil
}

// TimelinessStats is DisclosureTimeliness as a member of the family: the
// same counts by department, domain and month, with the roles of the
// record statistics. Errors as RecordStats.
func (s *Service) TimelinessStats(ctx context.Context, q credit.StatsQuery) (TimelinessStats, error) {
	countsEveryRecord(ctx)
	q, v, err := s.recordView(ctx, timelinessStatsSpec, q, "record")
	if err != nil {
		return TimelinessStats{}, err
	}
	all, err := s.db.TimelinessStats(ctx, q, v)
	if err != nil {
		return TimelinessStats{}, err
	}
	rep := TimelinessStats{StatsQuery: q}
	rep.Rows, rep.Total = split(all, func(r credit.TimelinessStatsRow) bool { return r.IsTotal })
	return rep, nil
}

// AmountStats sums the fines and confiscations of the penalties decided in
// the period, exactly, by department, domain, month and severity, and
// counts the amounts an import took as 0 from an empty cell. Errors as
// RecordStats.
func (s *Service) AmountStats(ctx context.Context, q credit.StatsQuery) (AmountStats, error) {
	countsEveryRecord(ctx)
	q, v, err := s.recordView(ctx, amountStatsSpec, q, "record")
	if err != nil {
		return AmountStats{}, err
	}
	all, err := s.db.AmountStats(ctx, q, v)
	if err != nil {
		return AmountStats{}, err
	}
	rep := AmountStats{StatsQuery: q}
	rep.Rows, rep.Total = split(all, func(r credit.AmountStatsRow) bool { return r.IsTotal })
	return rep, nil
}

// PublishedPenaltyStats counts the penalties decided in the period that
// are published today (public scope, in force: neither revoked nor
// repaired, and today inside their publication window), by department,
// domain, month and severity. Published, they count for every role alike,
// but a DEPARTMENT's only its own. Errors as RecordStats.
func (s *Service) PublishedPenaltyStats(ctx context.Context, q credit.StatsQuery) (PublishedPenaltyStats, error) {
	countsEveryRecord(ctx)
	q, v, err := s.recordView(ctx, publishedPenaltyStatsSpec, q, "record")
	if err != nil {
		return PublishedPenaltyStats{}, err
	}
	today := s.today(ctx)
	all, err := s.db.PublishedPenaltyStats(ctx, q, v, today)
	if err != nil {
		return PublishedPenaltyStats{}, err
	}
	rep := PublishedPenaltyStats{StatsQuery: q, AsOf: today}
	rep.Rows, rep.Total = split(all, func(r credit.PublishedPenaltyStatsRow) bool { return r.IsTotal })
	return rep, nil
}

// ListEntryStats counts list entries by kind, list domain and deciding
// department: entered, active on the period's last day (or today if
// earlier), and exited, expired, repaired and revoked in the period.
// PUBLIC and DASHBOARD count the public entries in force today (so only
// entered and active); a DEPARTMENT its own decisions. Errors as
// RecordStats, with filter.domain a list domain.
func (s *Service) ListEntryStats(ctx context.Context, q credit.StatsQuery) (ListEntryStats, error) {
	countsEveryRecord(ctx)
	q, v, err := s.recordView(ctx, listEntryStatsSpec, q, "list")
	if err != nil {
		return ListEntryStats{}, err
	}
	today := s.today(ctx)
	asOf := q.To
	if today.Before(asOf) {
		asOf = today
	}
	all, err := s.db.ListEntryStats(ctx, q, v, asOf, today)
	if err != nil {
		return ListEntryStats{}, err
	}
	rep := ListEntryStats{StatsQuery: q, AsOf: asOf}
	rep.Rows, rep.Total = split(all, func(r credit.ListEntryStatsRow) bool { return r.IsTotal })
	return rep, nil
}

// CheckStats counts the query-use log's uses (checks, look-ups and search
// pages of banks, windows and departments, once per request) in the
// period by role, institution and month. Errors: FORBIDDEN for roles other
// than CREDIT_OFFICE and AUDITOR; BAD_USER_INPUT as StatsSpec.Check, and on
// filter.role for a role that is not one.
func (s *Service) CheckStats(ctx context.Context, q credit.StatsQuery) (CheckStats, error) {
	uncacheable(ctx, "the query-use log, which every read adds to")
	if _, err := s.authorize(ctx, credit.ActCheckStatistics); err != nil {
		return CheckStats{}, err
	}
	q, err := checkStatsSpec.Check(q)
	if err != nil {
		return CheckStats{}, err
	}
	if q.Filter.Role != "" && !q.Filter.Role.Valid() {
		return CheckStats{}, credit.FieldErrorf("filter.role", "%q is not a role", q.Filter.Role)
	}
	all, err := s.db.CheckStats(ctx, q)
	if err != nil {
		return CheckStats{}, err
	}
	rep := CheckStats{StatsQuery: q}
	rep.Rows, rep.Total = split(all, func(r credit.CheckStatsRow) bool { return r.IsTotal })
	return rep, nil
}
