package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/credithub/credithub/internal/credit"
)

// MaxTimelinessDays is the longest range a timeliness report covers: a
// year, leap years included.
const MaxTimelinessDays = 366

// TimelinessReport is how punctually departments' licences and penalties
// decided in [From, To] reached the platform.
type TimelinessReport struct {
	From, To credit.Date
	// Department is the department the report is limited to, if any.
	Department *string
	// Rows has one row per department with records in the range, by code.
	Rows []TimelinessRow
	// Total is the sum of Rows, computed by the database.
	Total TimelinessRow
}

// TimelinessRow is one department's counts, or the total's (no department).
// Records = OnTime + Late + UnknownDeadline; MissingFields counts
// independently.
type TimelinessRow struct {
	DepartmentCode  *string
	DepartmentName  *string
	Licences        int
	Penalties       int
	Records         int
	OnTime          int
	Late            int
	UnknownDeadline int
	MissingFields   int
}

// OnTimeRate is OnTime / (OnTime + Late): the share of records with a known
// deadline that met it; nil when there is none.
func (r TimelinessRow) OnTimeRate() *float64 {
	if r.OnTime+r.Late == 0 {
		return nil
	}
	rate := float64(r.OnTime) / float64(r.OnTime+r.Late)
	return &rate
}

// DisclosureTimeliness reports, per deciding department and in total, how
// many licences and penalties decided from from to to (inclusive) reached
// the platform on time, late, or against an unknown deadline, and how many
// lack a field the 双公示 standard requires (store.DisclosureTimeliness
// defines each). DASHBOARD and CREDIT_OFFICE callers see every department
// or the one they name; a DEPARTMENT caller sees its own (also when it
// names none). Statistics reveal no record, so every use scope counts.
// Errors: FORBIDDEN for other roles, and on "department" for a DEPARTMENT
// caller naming another department; BAD_USER_INPUT on "to" when to is
// before from or the range is longer than MaxTimelinessDays days, and on
// "department" for a code that is not a registered department.
func (s *Service) DisclosureTimeliness(ctx context.Context, from, to credit.Date, department string) (TimelinessReport, error) {
	countsEveryRecord(ctx)
	department, err := s.timelinessDepartment(ctx, strings.TrimSpace(department))
	if err != nil {
		return TimelinessReport{}, err
	}
	switch {
	case to.Before(from):
		return TimelinessReport{}, credit.FieldErrorf("to", "%s is before from (%s)", to, from)
	case !to.Before(from.AddDays(MaxTimelinessDays)):
		return TimelinessReport{}, credit.FieldErrorf("to",
			"the range from %s to %s is longer than %d days; ask for a year at most", from, to, MaxTimelinessDays)
	}
	rep := TimelinessReport{From: from, To: to, Rows: []TimelinessRow{}}
	if department != "" {
		if _, err := s.db.DepartmentByCode(ctx, department); credit.CodeOf(err) == credit.NotFound {
			return TimelinessReport{}, credit.FieldErrorf("department", "%q is not a registered department", department)
		} else if err != nil {
			return TimelinessReport{}, err
		}
		rep.Department = &department
	}
	counts, err := s.db.DisclosureTimeliness(ctx, from, to, department)
	if err != nil {
		return TimelinessReport{}, err
	}
	for _, c := range counts {
		row := TimelinessRow{DepartmentCode: c.DepartmentCode, DepartmentName: c.DepartmentName,
			Licences: c.Licences, Penalties: c.Penalties, Records: c.Records, OnTime: c.OnTime, Late: c.Late,
			UnknownDeadline: c.UnknownDeadline, MissingFields: c.MissingFields}
		if c.Total {
			row.DepartmentCode, row.DepartmentName = nil, nil
			rep.Total = row
		} else {
			rep.Rows = append(rep.Rows, row)
		}
	}
	return rep, nil
}

// timelinessDepartment authorises a timeliness report and returns the
// department it is limited to: a DEPARTMENT caller's own (FORBIDDEN for
// another's), anyone else's choice.
func (s *Service) timelinessDepartment(ctx context.Context, department string) (string, error) {
	c, err := s.authorize(ctx, credit.ActTimeliness)
	if err != nil || c.Role != credit.RoleDepartment {
		return department, err
	}
	if department == "" {
		return c.Department, nil
	}
	if department != c.Department {
		return "", &credit.Error{Code: credit.Forbidden, Field: "department", Message: fmt.Sprintf(
			"a DEPARTMENT key of %s may read only its own department's timeliness, not %s's", c.Department, department)}
	}
	return department, nil
}
