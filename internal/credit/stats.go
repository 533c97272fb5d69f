package credit

import (
	"fmt"
	"slices"
	"strings"
)

// The statistics family: every statistic counts over a period, groups its
// rows by the dimensions the caller asks for (each statistic accepts some
// of StatsDimensions), narrows them with a filter, and adds a total row
// that the database computes from the same counts (GROUPING SETS), so that
// it is the sum of the rows by construction.

// StatsDimension is something a statistic groups its rows by.
type StatsDimension string

// The dimensions.
const (
	// DimDepartment: the deciding department of a record or list entry,
	// the implementing department of an assignment.
	DimDepartment StatsDimension = "DEPARTMENT"
	// DimDomain: a record's domain (its department's) or a list domain.
	DimDomain StatsDimension = "DOMAIN"
	// DimMonth: the month of the decision (records), as YYYY-MM.
	DimMonth StatsDimension = "MONTH"
	// DimListKind: red or black list.
	DimListKind StatsDimension = "LIST_KIND"
	// DimSeverity: a penalty's severity.
	DimSeverity StatsDimension = "SEVERITY"
	// DimRole: the role of the caller who read (query-use log).
	DimRole StatsDimension = "ROLE"
	// DimInstitution: the institution of the caller who read.
	DimInstitution StatsDimension = "INSTITUTION"
)

// StatsDimensions lists every dimension in the order rows are sorted by.
var StatsDimensions = []StatsDimension{DimListKind, DimDomain, DimDepartment, DimSeverity, DimRole, DimInstitution, DimMonth}

// StatsFilter narrows a statistic; an empty field does not filter. Each
// statistic accepts the fields of the dimensions it has.
type StatsFilter struct {
	Department  string
	Domain      string
	ListKind    ListKind
	Severity    Severity
	Role        Role
	Institution string
}

// StatsQuery is what a caller asks a statistic for: decisions (or uses)
// from From to To inclusive, grouped by GroupBy, narrowed by Filter.
type StatsQuery struct {
	From, To Date
	GroupBy  []StatsDimension
	Filter   StatsFilter
}

// Has reports whether the rows are grouped by d.
func (q StatsQuery) Has(d StatsDimension) bool { return slices.Contains(q.GroupBy, d) }

// StatsSpec is what one statistic accepts.
type StatsSpec struct {
	// Name is the statistic's GraphQL field, for messages.
	Name string
	// Dimensions it may group by.
	Dimensions []StatsDimension
	// MaxDays is the longest period, in days, counting both ends.
	MaxDays int
}

// MaxStatsDays is the longest period of most statistics: a year, leap years
// included, as for disclosureTimeliness.
const MaxStatsDays = 366

// Check validates q against the spec and returns it with GroupBy in the
// canonical order and without repeats. Errors (BAD_USER_INPUT): on "to"
// when to is before from or the period is longer than MaxDays; on
// "groupBy" when it is empty or names a dimension the statistic does not
// have; on "filter.x" for a filter on a dimension it does not have, or an
// invalid value.
func (sp StatsSpec) Check(q StatsQuery) (StatsQuery, error) {
	switch {
	case q.From.IsZero():
		return q, FieldErrorf("from", "is required")
	case q.To.IsZero():
		return q, FieldErrorf("to", "is required")
	case q.To.Before(q.From):
		return q, FieldErrorf("to", "%s is before from (%s)", q.To, q.From)
	case !q.To.Before(q.From.AddDays(sp.MaxDays)):
		return q, FieldErrorf("to", "the period from %s to %s is longer than %d days; ask for %s at most",
			q.From, q.To, sp.MaxDays, periodWords(sp.MaxDays))
	}
	if len(q.GroupBy) == 0 {
		return q, FieldErrorf("groupBy", "name at least one of %s", sp.dimensionList())
	}
	var dims []StatsDimension
	for _, d := range StatsDimensions {
		if slices.Contains(q.GroupBy, d) {
			dims = append(dims, d)
		}
	}
	for _, d := range q.GroupBy {
		if !slices.Contains(sp.Dimensions, d) {
			return q, FieldErrorf("groupBy", "%s has no dimension %s; it groups by %s", sp.Name, d, sp.dimensionList())
		}
	}
	q.GroupBy = dims
	f := &q.Filter
	f.Department, f.Domain, f.Institution = strings.TrimSpace(f.Department), strings.TrimSpace(f.Domain), strings.TrimSpace(f.Institution)
	for _, c := range []struct {
		set   bool
		dim   StatsDimension
		field string
	}{
		{f.Department != "", DimDepartment, "filter.department"},
		{f.Domain != "", DimDomain, "filter.domain"},
		{f.ListKind != "", DimListKind, "filter.listKind"},
		{f.Severity != "", DimSeverity, "filter.severity"},
		{f.Role != "", DimRole, "filter.role"},
		{f.Institution != "", DimInstitution, "filter.institution"},
	} {
		if c.set && !slices.Contains(sp.Dimensions, c.dim) {
			return q, FieldErrorf(c.field, "%s cannot be filtered by %s", sp.Name, strings.ToLower(string(c.dim)))
		}
	}
	return q, nil
}

func (sp StatsSpec) dimensionList() string {
	names := make([]string, len(sp.Dimensions))
	for i, d := range sp.Dimensions {
		names[i] = string(d)
	}
	return strings.Join(names, ", ")
}

func periodWords(days int) string {
	if days <= MaxStatsDays {
		return "a year"
	}
	return fmt.Sprintf("%d days", days)
}

// StatsGroup says what a row counts: the values of the dimensions its
// statistic was grouped by, nil for the others and on the total row.
type StatsGroup struct {
	DepartmentCode *string   `db:"department_code"`
	DepartmentName *string   `db:"department_name"`
	Domain         *string   `db:"domain"`
	DomainName     *string   `db:"domain_name"`
	Month          *string   `db:"month"`
	ListKind       *ListKind `db:"list_kind"`
	Severity       *Severity `db:"severity"`
	Role           *Role     `db:"role"`
	Institution    *string   `db:"institution"`
}

// RecordStatsRow counts the licences and penalties collected: decided in
// the period, revoked penalties left out.
type RecordStatsRow struct {
	StatsGroup
	IsTotal   bool `db:"is_total"`
	Licences  int  `db:"licences"`
	Penalties int  `db:"penalties"`
}

// Records is Licences + Penalties.
func (r RecordStatsRow) Records() int { return r.Licences + r.Penalties }

// TimelinessStatsRow is disclosure timeliness (see the disclosureTimeliness
// query) for one group: Records = OnTime + Late + UnknownDeadline, and
// MissingFields counts independently.
type TimelinessStatsRow struct {
	StatsGroup
	IsTotal         bool `db:"is_total"`
	Licences        int  `db:"licences"`
	Penalties       int  `db:"penalties"`
	OnTime          int  `db:"on_time"`
	Late            int  `db:"late"`
	UnknownDeadline int  `db:"unknown_deadline"`
	MissingFields   int  `db:"missing_fields"`
}

// Records is Licences + Penalties.
func (r TimelinessStatsRow) Records() int { return r.Licences + r.Penalties }

// OnTimeRate is OnTime / (OnTime + Late); nil when no record has a known
// deadline.
func (r TimelinessStatsRow) OnTimeRate() *float64 {
	if r.OnTime+r.Late == 0 {
		return nil
	}
	rate := float64(r.OnTime) / float64(r.OnTime+r.Late)
	return &rate
}

// AmountStatsRow sums the fines and confiscations of penalties decided in
// the period (revoked ones left out), exactly, in fen. EmptyFines and
// EmptyConfiscations count the penalties whose amount an import found
// empty and took as 0: the sums may be short by what those lost.
type AmountStatsRow struct {
	StatsGroup
	IsTotal            bool `db:"is_total"`
	Penalties          int  `db:"penalties"`
	Fines              Fen  `db:"fines"`
	Confiscated        Fen  `db:"confiscated"`
	EmptyFines         int  `db:"empty_fines"`
	EmptyConfiscations int  `db:"empty_confiscations"`
}

// Amount is Fines + Confiscated.
func (r AmountStatsRow) Amount() Fen { return r.Fines + r.Confiscated }

// PublishedPenaltyStatsRow counts the penalties published today: public
// scope, in force (neither revoked nor repaired), and today inside their
// publication window (decided on or before today, publicUntil on or after).
type PublishedPenaltyStatsRow struct {
	StatsGroup
	IsTotal   bool `db:"is_total"`
	Penalties int  `db:"penalties"`
	Fines     Fen  `db:"fines"`
}

// ListEntryStatsRow counts list entries over a period: Entered took effect
// in it (start date), Active were in force on its last day (or today, if
// that is earlier), and Exited, Expired, Repaired and Revoked ended in it
// that way.
type ListEntryStatsRow struct {
	StatsGroup
	IsTotal  bool `db:"is_total"`
	Entered  int  `db:"entered"`
	Active   int  `db:"active"`
	Exited   int  `db:"exited"`
	Expired  int  `db:"expired"`
	Repaired int  `db:"repaired"`
	Revoked  int  `db:"revoked"`
}

// CheckStatsRow counts the query-use log: Uses are reads (a check, a
// look-up, a search page, once per request), Subjects the subjects they
// named.
type CheckStatsRow struct {
	StatsGroup
	IsTotal  bool `db:"is_total"`
	Uses     int  `db:"uses"`
	Subjects int  `db:"subjects"`
}

// Group returns what the row counts (the statistics' `group` field).
func (r RecordStatsRow) Group() StatsGroup { return r.StatsGroup }

// Group returns what the row counts.
func (r TimelinessStatsRow) Group() StatsGroup { return r.StatsGroup }

// Group returns what the row counts.
func (r AmountStatsRow) Group() StatsGroup { return r.StatsGroup }

// Group returns what the row counts.
func (r PublishedPenaltyStatsRow) Group() StatsGroup { return r.StatsGroup }

// Group returns what the row counts.
func (r ListEntryStatsRow) Group() StatsGroup { return r.StatsGroup }

// Group returns what the row counts.
func (r CheckStatsRow) Group() StatsGroup { return r.StatsGroup }
