package service

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/credithub/credithub/internal/calendar"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// What the office and the dashboards watch: the root list of list entries,
// late responses and feedback in the joint workflow, counted on the
// official working-day calendar, and the statistics per implementing
// department; with the batches of the loaders that fill them in.

// WithDeadlines sets the working days departments have to respond to a
// push and to feed back after a quarter (credit.DefaultDeadlines when not
// set). A value below 1 keeps its default.
func WithDeadlines(d credit.Deadlines) Option {
	return func(s *Service) {
		if d.ResponseDays < 1 {
			d.ResponseDays = credit.DefaultDeadlines.ResponseDays
		}
		if d.FeedbackDays < 1 {
			d.FeedbackDays = credit.DefaultDeadlines.FeedbackDays
		}
		s.deadlines = d
	}
}

// Deadlines returns the service's deadlines for responses and feedback.
func (s *Service) Deadlines() credit.Deadlines { return s.deadlines }

// workdays counts deadlines on the official calendar. Past the years the
// calendar covers it counts Monday to Friday: an overdue flag must not
// fail for want of next year's holiday notice.
type workdays struct{ cal *calendar.Calendar }

func (s *Service) workdays() (workdays, error) {
	cal, err := officialCalendar()
	if err != nil {
		return workdays{}, fmt.Errorf("service: official calendar: %w", err)
	}
	return workdays{cal}, nil
}

// due is the n-th working day after d.
func (w workdays) due(d credit.Date, n int) credit.Date {
	t, _, err := w.cal.AddWorkingDaysOrEstimate(d.Time(), n)
	if err != nil { // only for n < 1, which WithDeadlines prevents
		return d.AddDays(n)
	}
	return credit.DateFromTime(t)
}

// late counts the working days in (due, today].
func (w workdays) late(due, today credit.Date) int {
	if n, err := w.cal.WorkingDaysBetween(due.Time(), today.Time()); err == nil {
		return n
	}
	n := 0
	for d := due.AddDays(1); !d.After(today); d = d.AddDays(1) {
		if wd := d.Time().Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// cutoffs turns the deadlines into the bounds the SQL of overdue items
// uses. Deadlines grow with the day they count from, so the pushes whose
// response is late today are exactly those before the latest day whose
// deadline has passed, and likewise for quarters.
func (s *Service) cutoffs(w workdays, today credit.Date) store.OverdueCutoffs {
	dl := s.Deadlines()
	p := today.AddDays(-1)
	for !w.due(p, dl.ResponseDays).Before(today) {
		p = p.AddDays(-1)
	}
	q := credit.QuarterStart(today).AddMonths(-3)
	for !w.due(credit.QuarterEnd(q), dl.FeedbackDays).Before(today) {
		q = q.AddMonths(-3)
	}
	return store.OverdueCutoffs{PushedBefore: store.DayStart(p.AddDays(1)), LastQuarter: q}
}

// jointView returns the department whose involvement limits what the
// caller sees of joint cases ("" for everything). FORBIDDEN for roles
// other than CREDIT_OFFICE, DASHBOARD and DEPARTMENT.
func (s *Service) jointView(ctx context.Context) (string, error) {
	c, err := s.authorize(ctx, credit.ActReadJointCases)
	if c.Role == credit.RoleDepartment {
		return c.Department, err
	}
	return "", err
}

// Overdue returns, per case, the responses and feedback owed past their
// deadline today (credit.Overdue), for the loader of jointCase.overdue;
// every key gets an entry. A DEPARTMENT sees the cases it is involved in.
// Errors: FORBIDDEN for roles other than CREDIT_OFFICE, DASHBOARD and
// DEPARTMENT.
func (s *Service) Overdue(ctx context.Context, caseIDs []int64) (map[int64][]credit.Overdue, error) {
	uncacheable(ctx, "the joint workflow")
	dept, err := s.jointView(ctx)
	if err != nil {
		return nil, err
	}
	w, err := s.workdays()
	if err != nil {
		return nil, err
	}
	today, dl := s.Today(), s.Deadlines()
	rows, err := s.db.OverdueByCases(ctx, caseIDs, dept, s.cutoffs(w, today))
	if err != nil {
		return nil, err
	}
	out := make([]credit.Overdue, len(rows))
	for i, r := range rows {
		o := credit.Overdue{CaseID: r.CaseID, AssignmentID: r.AssignmentID, Department: r.Department, Kind: r.Kind, Period: r.Period}
		if r.Kind == credit.OverdueResponse {
			o.DueOn = w.due(r.Since, dl.ResponseDays)
		} else {
			o.DueOn = w.due(credit.QuarterEnd(r.Since), dl.FeedbackDays)
		}
		o.DaysLate = w.late(o.DueOn, today)
		out[i] = o
	}
	return group(caseIDs, out, nil, func(o credit.Overdue) int64 { return o.CaseID })
}

// JointCaseStats counts the joint workflow of the cases opened in the
// period (the city's days; a zero To is today) per implementing
// department: cases, pushed, accepted, rejected, executed, fed back and
// overdue today, with rates, and their total, which is the sum of the rows
// by construction (SQL ROLLUP over the same counts). It is the joint
// member of the statistics family: grouped by DEPARTMENT, filtered by
// department (implementing) and domain (the entry's list domain). A
// DEPARTMENT caller counts its own assignments only. Errors: FORBIDDEN for
// roles other than CREDIT_OFFICE, DASHBOARD and DEPARTMENT, and on
// filter.department for a DEPARTMENT naming another; BAD_USER_INPUT as
// StatsSpec.Check (from missing, to before from, a period over a year).
func (s *Service) JointCaseStats(ctx context.Context, q credit.StatsQuery) (credit.JointStats, error) {
	uncacheable(ctx, "the joint workflow")
	c, err := s.authorize(ctx, credit.ActJointStatistics)
	if err != nil {
		return credit.JointStats{}, err
	}
	today := s.Today()
	if q.To.IsZero() && !q.From.IsZero() {
		q.To = today
	}
	if len(q.GroupBy) == 0 {
		q.GroupBy = []credit.StatsDimension{credit.DimDepartment}
	}
	if q, err = jointCaseStatsSpec.Check(q); err != nil {
		return credit.JointStats{}, err
	}
	if c.Role == credit.RoleDepartment {
		if q.Filter.Department != "" && q.Filter.Department != c.Department {
			return credit.JointStats{}, &credit.Error{Code: credit.Forbidden, Field: "filter.department", Message: fmt.Sprintf(
				"a DEPARTMENT key of %s counts only its own assignments, not %s's", c.Department, q.Filter.Department)}
		}
		q.Filter.Department = c.Department
	} else if err := s.checkStatsFilter(ctx, q.Filter, "list"); err != nil {
		return credit.JointStats{}, err
	}
	w, err := s.workdays()
	if err != nil {
		return credit.JointStats{}, err
	}
	rows, opened, err := s.db.JointStats(ctx, q.From, q.To, s.cutoffs(w, today), q.Filter.Department, q.Filter.Domain)
	if err != nil {
		return credit.JointStats{}, err
	}
	st := credit.JointStats{From: q.From, To: q.To, GroupBy: q.GroupBy, Filter: q.Filter, CasesOpened: opened, Rows: []credit.JointStatsRow{}}
	for _, r := range rows {
		if r.Department == "" {
			st.Total = r
		} else {
			st.Rows = append(st.Rows, r)
		}
	}
	return st, nil
}

// ListEntryPage is one page of the root list of list entries.
type ListEntryPage struct {
	Entries     []credit.ListEntry
	HasNextPage bool
	Filter      credit.ListEntryFilter
}

// entryView is what the caller sees of list entries in the root list:
// the credit office and the dashboards (statistics frontends; subjects
// reach them masked) every entry, a department the public and shared ones
// and every entry it decided, the public the public ones in force today.
// FORBIDDEN for the roles that look subjects up by code only (WINDOW,
// BANK) or read no records.
func (s *Service) entryView(ctx context.Context) (credit.RecordView, error) {
	c, a := s.access(ctx)
	switch {
	case c.Role == credit.RoleDashboard:
		return credit.RecordView{Scopes: []credit.UseScope{credit.ScopePublic, credit.ScopeShared, credit.ScopeAuthorized}}, nil
	case !a.ListSubjects || !a.ReadRecords:
		return credit.RecordView{}, forbidden(c.Role, "list list entries")
	}
	return s.view(ctx), nil
}

// ListEntries returns the entries matching f that the caller sees, newest
// first, each with its status as of today (an ACTIVE entry past its end is
// EXPIRED, whether or not the expiry job has run). Errors: FORBIDDEN as
// entryView; BAD_USER_INPUT for a page size over MaxPageSize, a foreign
// cursor or decidedTo before decidedFrom.
func (s *Service) ListEntries(ctx context.Context, f credit.ListEntryFilter, p credit.Page) (ListEntryPage, error) {
	uncacheable(ctx, "the joint workflow")
	v, err := s.entryView(ctx)
	if err != nil {
		return ListEntryPage{}, err
	}
	if err := checkFirst("first", p.First); err != nil {
		return ListEntryPage{}, err
	}
	after, err := decodeIDCursor("after", "e", p.After)
	if err != nil {
		return ListEntryPage{}, err
	}
	if !f.DecidedTo.IsZero() && f.DecidedTo.Before(f.DecidedFrom) {
		return ListEntryPage{}, credit.FieldErrorf("filter.decidedTo", "%s is before decidedFrom (%s)", f.DecidedTo, f.DecidedFrom)
	}
	f.Today = s.Today()
	rows, err := s.db.ListEntries(ctx, f, v, after, p.First+1)
	if err != nil {
		return ListEntryPage{}, err
	}
	page := ListEntryPage{Entries: asOf(rows, f.Today), Filter: f}
	if len(rows) > p.First {
		page.Entries, page.HasNextPage = rows[:p.First], true
	}
	return page, nil
}

// CountListEntries counts the entries a (checked) filter matches that the
// caller sees.
func (s *Service) CountListEntries(ctx context.Context, f credit.ListEntryFilter) (int, error) {
	uncacheable(ctx, "the joint workflow")
	v, err := s.entryView(ctx)
	if err != nil {
		return 0, err
	}
	if f.Today.IsZero() {
		f.Today = s.Today()
	}
	return s.db.CountListEntries(ctx, f, v)
}

// ListEntryCursor returns the cursor of an entry in the root list.
func ListEntryCursor(id int64) string { return idCursor("e", id) }

// asOf sets each entry's status to its status on today.
func asOf(rows []credit.ListEntry, today credit.Date) []credit.ListEntry {
	for i := range rows {
		rows[i].Status = rows[i].StatusOn(today)
	}
	return rows
}

// EntriesByIDs returns the entries with the given ids, nil for one the
// caller may not see, with their status as of today: for the loaders of
// jointCase.entry and the like. A department also sees the entries of the
// cases it is involved in, since it implements their measures. Errors:
// FORBIDDEN for roles that read no records.
func (s *Service) EntriesByIDs(ctx context.Context, ids []int64) (map[int64]*credit.ListEntry, error) {
	uncacheable(ctx, "the joint workflow")
	if _, err := s.requireRecords(ctx); err != nil {
		return nil, err
	}
	v := s.view(ctx)
	if credit.CallerFrom(ctx).Role == credit.RoleDashboard {
		v, _ = s.entryView(ctx) // as in the root list
	}
	rows, err := s.db.EntriesByIDs(ctx, ids, v)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*credit.ListEntry, len(ids))
	for _, id := range ids {
		out[id] = nil
	}
	for i, e := range asOf(rows, s.Today()) {
		out[e.ID] = &rows[i]
	}
	return out, nil
}

// EventsByEntries returns each entry's transitions, oldest first: who
// proposed, approved, rejected or ended it, with the decisions. The
// entries were filtered before. Errors: FORBIDDEN for roles other than
// CREDIT_OFFICE and DEPARTMENT, since events name the staff who decided.
func (s *Service) EventsByEntries(ctx context.Context, entryIDs []int64) (map[int64][]credit.ListEntryEvent, error) {
	uncacheable(ctx, "the joint workflow")
	if _, err := s.authorize(ctx, credit.ActListEntryHistory); err != nil {
		return nil, err
	}
	rows, err := s.db.EventsByEntries(ctx, entryIDs)
	return group(entryIDs, rows, err, func(e credit.ListEntryEvent) int64 { return e.EntryID })
}

// MeasuresByIDs returns the catalogue measures with the given ids, nil for
// an unknown one. The catalogue is public. Errors: FORBIDDEN for roles that
// read no records.
func (s *Service) MeasuresByIDs(ctx context.Context, ids []int64) (map[int64]*credit.Measure, error) {
	uncacheable(ctx, "the joint workflow")
	if _, err := s.requireRecords(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.MeasuresByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*credit.Measure, len(ids))
	for _, id := range ids {
		out[id] = nil
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// idCursor and decodeIDCursor make the opaque cursors of lists ordered by
// id, descending: kind:id in base64, so that a cursor of one list is
// refused by another.
func idCursor(kind string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + strconv.FormatInt(id, 10)))
}

func decodeIDCursor(field, kind, c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	rest, ok := strings.CutPrefix(string(b), kind+":")
	id, perr := strconv.ParseInt(rest, 10, 64)
	if err != nil || !ok || perr != nil || id <= 0 {
		return 0, credit.FieldErrorf(field, "is not a cursor from this list")
	}
	return id, nil
}
