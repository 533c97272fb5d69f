package service

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/credithub/credithub/internal/calendar"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// What the office and the dashboards watch: the root list of list entries,
// late responses and feedback in the joint workflow, counted on the
// official working-day calendar, and the statistics per implementing
// department; with the batches of the loaders that fill them in.

// workdays counts the joint workflow's deadlines: the WORKFLOW_DEADLINE
// rule in force on the day a deadline counts from (a push, a quarter's
// end), in working days on the official calendar. A deadline that needs a
// day the calendar does not cover, or that no rule was in force for, is
// unknown, and nothing is reported late on a guess.
type workdays struct {
	cal  *calendar.Calendar
	book *credit.RuleBook
}

func (s *Service) workdays(ctx context.Context) (workdays, error) {
	cal, err := s.calendar()
	if err != nil {
		return workdays{}, err
	}
	book, err := s.ruleBook(ctx)
	return workdays{cal, book}, err
}

// due is the last day of a deadline of kind counted from d (the push day
// of a RESPONSE, the quarter's last day of a FEEDBACK); false when unknown.
func (w workdays) due(kind credit.OverdueKind, d credit.Date) (credit.Date, bool) {
	dl, ok := w.book.Deadlines(d)
	if !ok {
		return credit.Date{}, false
	}
	n := dl.ResponseDays
	if kind == credit.OverdueFeedback {
		n = dl.FeedbackDays
	}
	t, err := w.cal.AddWorkingDays(d.Time(), n)
	if err != nil {
		return credit.Date{}, false
	}
	return credit.DateFromTime(t), true
}

// late counts the working days in (due, today]; nil when the calendar does
// not cover them all.
func (w workdays) late(due, today credit.Date) *int {
	n, err := w.cal.WorkingDaysBetween(due.Time(), today.Time())
	if err != nil {
		return nil
	}
	return &n
}

// cutoffLookBack bounds how far back cutoffs looks for the latest day
// whose deadline has passed: deadlines are at most a year of working days.
const cutoffLookBack = 800

// cutoffs turns the deadlines into the bounds the SQL of overdue items
// uses. Deadlines grow with the day they count from, so the pushes whose
// response is late today are exactly those before the latest day whose
// deadline has passed, and likewise for quarters. A day whose deadline is
// unknown is not late.
func (s *Service) cutoffs(w workdays, today credit.Date) store.OverdueCutoffs {
	passed := func(kind credit.OverdueKind, d credit.Date) bool {
		due, ok := w.due(kind, d)
		return ok && due.Before(today)
	}
	p := today.AddDays(-1)
	for i := 0; i < cutoffLookBack && !passed(credit.OverdueResponse, p); i++ {
		p = p.AddDays(-1)
	}
	q := credit.QuarterStart(today).AddMonths(-3)
	for i := 0; i < cutoffLookBack/90 && !passed(credit.OverdueFeedback, credit.QuarterEnd(q)); i++ {
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
	w, err := s.workdays(ctx)
	if err != nil {
		return nil, err
	}
	today := s.today(ctx)
	rows, err := s.db.OverdueByCases(ctx, caseIDs, dept, s.cutoffs(w, today))
	if err != nil {
		return nil, err
	}
	out := make([]credit.Overdue, 0, len(rows))
	for _, r := range rows {
		o := credit.Overdue{CaseID: r.CaseID, AssignmentID: r.AssignmentID, Department: r.Department, Kind: r.Kind, Period: r.Period}
		from := r.Since
		if r.Kind == credit.OverdueFeedback {
			from = credit.QuarterEnd(r.Since)
		}
		due, ok := w.due(r.Kind, from)
		if !ok || !due.Before(today) {
			continue
		}
		o.DueOn, o.DaysLate = due, w.late(due, today)
		out = append(out, o)
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
	countsEveryRecord(ctx)
	c, err := s.authorize(ctx, credit.ActJointStatistics)
	if err != nil {
		return credit.JointStats{}, err
	}
	today := s.today(ctx)
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
				"a DEPARTMENT key of %s counts only its own department's assignments", c.Department)}
		}
		q.Filter.Department = c.Department
	} else if err := s.checkStatsFilter(ctx, q.Filter, "list"); err != nil {
		return credit.JointStats{}, err
	}
	w, err := s.workdays(ctx)
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

// entryView is what the caller sees of list entries in the root list: the
// credit office every entry, a department the public and shared ones and
// every entry it decided, the public and the dashboards the public ones in
// force today (dashboards count the rest through the statistics).
// FORBIDDEN for the roles that look subjects up by code only (WINDOW,
// BANK) or read no records.
func (s *Service) entryView(ctx context.Context) (credit.RecordView, error) {
	c, a := s.access(ctx)
	if !a.ListSubjects || !a.ReadRecords {
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
	f.Today = s.today(ctx)
	rows, err := s.db.ListEntries(ctx, f, v, after, p.First+1)
	if err != nil {
		return ListEntryPage{}, err
	}
	page := ListEntryPage{Entries: asOf(rows, f.Today), Filter: f}
	if len(rows) > p.First {
		page.Entries, page.HasNextPage = rows[:p.First], true
	}
	if err := s.noteEntryReads(ctx, page.Entries); err != nil {
		return ListEntryPage{}, err
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
		f.Today = s.today(ctx)
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
	rows, err := s.db.EntriesByIDs(ctx, ids, s.view(ctx))
	if err != nil {
		return nil, err
	}
	if err := s.noteEntryReads(ctx, rows); err != nil {
		return nil, err
	}
	out := make(map[int64]*credit.ListEntry, len(ids))
	for _, id := range ids {
		out[id] = nil
	}
	for i, e := range asOf(rows, s.today(ctx)) {
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

// noteEntryReads records the subjects whose list entries the caller was
// shown as read: an entry is a record of its subject.
func (s *Service) noteEntryReads(ctx context.Context, entries []credit.ListEntry) error {
	codes := make([]string, 0, len(entries))
	for _, e := range entries {
		codes = append(codes, e.SubjectCode)
	}
	return s.noteRead(ctx, "", codes...)
}
