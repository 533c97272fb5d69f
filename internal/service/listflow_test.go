package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// testClock is a service clock that tests move.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) set(day string) {
	d := credit.MustDate(day)
	c.mu.Lock()
	c.t = time.Date(d.Year(), d.Time().Month(), d.Time().Day(), 10, 0, 0, 0, credit.Shanghai)
	c.mu.Unlock()
}

// jointEnv is a database with a tax bureau that decides black-list entries
// of a 36-month tax domain of the test's own (the real MAJOR_TAX_VIOLATION
// has the national catalogue's measures), one measure per implementing
// department, an
// organisation with its legal representative, and a service on a clock
// that starts on Monday 2026-03-02.
type jointEnv struct {
	t        *testing.T
	url      string
	db       *store.DB
	f        *testenv.Fixtures
	clk      *testClock
	svc      *Service
	org, rep int64
	orgCode  string
	repCode  string
	n        int
}

const taxDomain = "TEST_TAX_VIOLATION"

func newJointEnv(t *testing.T, depts []string, opts ...Option) *jointEnv {
	t.Helper()
	url := testenv.NewDatabase(t)
	db, err := store.Open(context.Background(), url, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &jointEnv{t: t, url: url, db: db, f: testenv.NewFixtures(t, db), clk: &testClock{}}
	e.clk.set("2026-03-02")
	e.f.Department("TAX", "丹东市税务局")
	e.f.Domain(taxDomain, credit.Black, "测试税收违法失信主体", 36)
	contexts := []credit.MeasureContext{credit.BankCredit, credit.ApprovalWindow, credit.TravelConsumption, credit.FiscalFunds}
	for i, d := range depts {
		e.f.Department(d, "部门"+d)
		e.f.Measure(fmt.Sprintf("M%d_%s", i, d), credit.Punishment, credit.Black, taxDomain, d, contexts[i%len(contexts)])
	}
	e.orgCode, e.repCode = testenv.USCC(1), testenv.CitizenID(1)
	e.org = e.f.Subject(e.orgCode, credit.LegalPerson, "丹东某贸易有限公司")
	e.rep = e.f.Subject(e.repCode, credit.NaturalPerson, "张三")
	e.f.KeyPerson(e.org, e.rep, credit.LegalRepresentative, "2020-01-01", "")
	e.svc = New(db, append([]Option{WithClock(e.clk.now)}, opts...)...)
	return e
}

func as(id string, role credit.Role, dept string) context.Context {
	return credit.WithCaller(context.Background(), credit.Caller{ID: id, Role: role, Department: dept})
}

var (
	taxStaff = as("staff:tax", credit.RoleDepartment, "TAX")
	office1  = as("staff:office-1", credit.RoleCreditOffice, "")
	office2  = as("staff:office-2", credit.RoleCreditOffice, "")
)

func deptCtx(code string) context.Context { return as("staff:"+code, credit.RoleDepartment, code) }

func (e *jointEnv) input(decided string) credit.ListEntryInput {
	e.n++
	return credit.ListEntryInput{SubjectCode: e.orgCode, Kind: credit.Black, Domain: taxDomain,
		DecisionNo: fmt.Sprintf("丹税稽罚〔2026〕%d号", e.n), DecidedOn: credit.MustDate(decided), Facts: "虚开增值税专用发票"}
}

func (e *jointEnv) propose(decided string) credit.ListEntry {
	e.t.Helper()
	entry, err := e.svc.ProposeListEntry(taxStaff, e.input(decided))
	if err != nil {
		e.t.Fatalf("propose: %v", err)
	}
	return entry
}

func (e *jointEnv) approved(decided string) (credit.ListEntry, credit.JointCase) {
	e.t.Helper()
	entry, jc, err := e.svc.ApproveListEntry(office2, e.propose(decided).ID, nil)
	if err != nil {
		e.t.Fatalf("approve: %v", err)
	}
	return entry, jc
}

// assignmentOf returns the assignment of case jc pushed to dept.
func (e *jointEnv) assignmentOf(jc credit.JointCase, dept string) credit.Assignment {
	e.t.Helper()
	as, err := e.svc.AssignmentsByCases(office1, []int64{jc.ID})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, a := range as[jc.ID] {
		if a.DepartmentCode == dept {
			return a
		}
	}
	e.t.Fatalf("case %d has no assignment for %s", jc.ID, dept)
	return credit.Assignment{}
}

func wantCode(t *testing.T, what string, err error, code credit.ErrorCode) {
	t.Helper()
	if got := credit.CodeOf(err); got != code {
		t.Errorf("%s: got %v (%v), want %s", what, got, err, code)
	}
}

func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	var ce *credit.Error
	if !errors.As(err, &ce) || ce.Code != credit.BadUserInput || ce.Field != field {
		t.Errorf("%s: got %v, want BAD_USER_INPUT on %s", what, err, field)
	}
}

func TestProposerCannotApproveAnotherOfficeIdentityCan(t *testing.T) {
	t.Parallel()
	e := newJointEnv(t, []string{"D1"})
	// One person, two keys: a department key to propose, an office key to decide.
	zhang := credit.Caller{ID: "jwt:zhang.san", Role: credit.RoleDepartment, Department: "TAX"}
	entry, err := e.svc.ProposeListEntry(credit.WithCaller(context.Background(), zhang), e.input("2026-02-27"))
	if err != nil {
		t.Fatal(err)
	}
	zhang.Role, zhang.Department = credit.RoleCreditOffice, ""
	zhangOffice := credit.WithCaller(context.Background(), zhang)
	_, _, err = e.svc.ApproveListEntry(zhangOffice, entry.ID, nil)
	wantCode(t, "the proposer approves", err, credit.Forbidden)
	_, err = e.svc.RejectListEntry(zhangOffice, entry.ID, "不予认定")
	wantCode(t, "the proposer rejects", err, credit.Forbidden)
	_, _, err = e.svc.ApproveListEntry(taxStaff, entry.ID, nil)
	wantCode(t, "a department approves", err, credit.Forbidden)

	got, jc, err := e.svc.ApproveListEntry(as("jwt:li.si", credit.RoleCreditOffice, ""), entry.ID, nil)
	if err != nil || got.Status != credit.EntryActive || jc.EntryID != entry.ID || len(got.Measures) != 1 {
		t.Fatalf("another office identity approves: got %+v %+v %v", got, jc, err)
	}
	events, err := e.svc.EventsByEntries(office1, []int64{entry.ID})
	if err != nil || len(events[entry.ID]) != 2 || events[entry.ID][1].Actor != "jwt:li.si" ||
		*events[entry.ID][1].FromStatus != credit.EntryProposed || events[entry.ID][1].ToStatus != credit.EntryActive {
		t.Errorf("events: got %+v %v, want PROPOSED then PROPOSED→ACTIVE by jwt:li.si", events[entry.ID], err)
	}
}

func TestTransitionsOutsideTheStateMachineConflict(t *testing.T) {
	t.Parallel()
	e := newJointEnv(t, []string{"D1"})
	active, _ := e.approved("2026-02-27")
	rejected := e.propose("2026-02-27")
	if _, err := e.svc.RejectListEntry(office1, rejected.ID, "事实不清"); err != nil {
		t.Fatal(err)
	}
	exited, _ := e.approved("2026-02-27")
	exit := credit.ExitInput{DecisionNo: "丹税撤〔2026〕1号", DecidedOn: credit.MustDate("2026-03-02"), Reason: credit.ExitObligationsFulfilled}
	if _, err := e.svc.ExitListEntry(office1, exited.ID, exit); err != nil {
		t.Fatal(err)
	}
	proposed := e.propose("2026-02-27")
	// ACTIVE in the table but past its last day: EXPIRED for every decision.
	lapsed := e.f.ListEntry(testenv.Entry{Subject: e.org, Kind: credit.Black, Domain: taxDomain, Dept: "TAX",
		DecidedOn: "2023-01-05", EndsOn: "2026-01-04"})

	for _, tc := range []struct {
		name string
		run  func() error
	}{
		{"approve ACTIVE", func() error { _, _, err := e.svc.ApproveListEntry(office1, active.ID, nil); return err }},
		{"reject ACTIVE", func() error { _, err := e.svc.RejectListEntry(office1, active.ID, "x"); return err }},
		{"approve REJECTED", func() error { _, _, err := e.svc.ApproveListEntry(office1, rejected.ID, nil); return err }},
		{"exit REJECTED", func() error { _, err := e.svc.ExitListEntry(office1, rejected.ID, exit); return err }},
		{"exit PROPOSED", func() error { _, err := e.svc.ExitListEntry(office1, proposed.ID, exit); return err }},
		{"exit EXITED", func() error { _, err := e.svc.ExitListEntry(office1, exited.ID, exit); return err }},
		{"approve EXITED", func() error { _, _, err := e.svc.ApproveListEntry(office1, exited.ID, nil); return err }},
		{"exit past its end", func() error { _, err := e.svc.ExitListEntry(office1, lapsed, exit); return err }},
	} {
		wantCode(t, tc.name, tc.run(), credit.Conflict)
	}
	_, _, err := e.svc.ApproveListEntry(office1, 999999, nil)
	wantCode(t, "approve an unknown id", err, credit.NotFound)
	_, err = e.svc.ExitListEntry(deptCtx("D1"), active.ID, exit)
	wantCode(t, "another department exits", err, credit.Forbidden)
}

func TestProposalAndExitErrorsNameTheField(t *testing.T) {
	t.Parallel()
	e := newJointEnv(t, []string{"D1"})
	mod := func(f func(*credit.ListEntryInput)) credit.ListEntryInput {
		in := e.input("2026-02-27")
		f(&in)
		return in
	}
	nextYear, longer := credit.MustDate("2027-01-01"), credit.MustDate("2030-02-26")
	for _, tc := range []struct {
		name  string
		in    credit.ListEntryInput
		field string
	}{
		{"a malformed code", mod(func(in *credit.ListEntryInput) { in.SubjectCode = "91350100M000100Y4Z" }), "input.subjectCode"},
		{"an unregistered subject", mod(func(in *credit.ListEntryInput) { in.SubjectCode = testenv.USCC(99) }), "input.subjectCode"},
		{"an unknown domain", mod(func(in *credit.ListEntryInput) { in.Domain = "NO_SUCH_LIST" }), "input.domain"},
		{"a red kind on a black domain", mod(func(in *credit.ListEntryInput) { in.Kind = credit.Red }), "input.kind"},
		{"no facts", mod(func(in *credit.ListEntryInput) { in.Facts = "  " }), "input.facts"},
		{"no decision number", mod(func(in *credit.ListEntryInput) { in.DecisionNo = "" }), "input.decisionNumber"},
		{"a future decision", mod(func(in *credit.ListEntryInput) { in.DecidedOn = nextYear }), "input.decidedOn"},
		{"an end the domain does not allow", mod(func(in *credit.ListEntryInput) { in.EndsOn = &longer }), "input.endsOn"},
		{"an end before today", mod(func(in *credit.ListEntryInput) { in.DecidedOn = credit.MustDate("2022-03-01") }), "input.endsOn"},
		{"a NUL in the content", mod(func(in *credit.ListEntryInput) { in.DecisionContent = "a\x00b" }), "input.decisionContent"},
		{"an unknown scope", mod(func(in *credit.ListEntryInput) { in.UseScope = "SECRET" }), "input.useScope"},
	} {
		_, err := e.svc.ProposeListEntry(taxStaff, tc.in)
		wantField(t, tc.name, err, tc.field)
	}
	in := e.input("2026-02-27")
	if _, err := e.svc.ProposeListEntry(taxStaff, in); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.ProposeListEntry(taxStaff, in)
	wantCode(t, "the same decision number again", err, credit.Conflict)
	_, err = e.svc.ProposeListEntry(office1, e.input("2026-02-27"))
	wantCode(t, "the office proposes", err, credit.Forbidden)
	_, err = e.svc.RejectListEntry(office1, e.propose("2026-02-27").ID, " ")
	wantField(t, "a rejection without reason", err, "reason")

	entry, _ := e.approved("2026-02-27")
	for _, tc := range []struct {
		name  string
		in    credit.ExitInput
		field string
	}{
		{"no exit decision number", credit.ExitInput{DecidedOn: credit.MustDate("2026-03-01"), Reason: credit.ExitCourtDeletion}, "input.decisionNumber"},
		{"an unknown reason", credit.ExitInput{DecisionNo: "x", DecidedOn: credit.MustDate("2026-03-01"), Reason: "BORED"}, "input.reason"},
		{"a future exit", credit.ExitInput{DecisionNo: "x", DecidedOn: credit.MustDate("2026-03-03"), Reason: credit.ExitError}, "input.decidedOn"},
	} {
		_, err := e.svc.ExitListEntry(office1, entry.ID, tc.in)
		wantField(t, tc.name, err, tc.field)
	}
}

func TestListEntriesFiltersByStatusAsOfTodayAndByCaller(t *testing.T) {
	t.Parallel()
	e := newJointEnv(t, []string{"D1"})
	e.f.Department("COURT", "丹东市中级人民法院")
	active, _ := e.approved("2026-02-27")
	proposed := e.propose("2026-02-28")
	lapsed := e.f.ListEntry(testenv.Entry{Subject: e.org, Kind: credit.Black, Domain: taxDomain, Dept: "TAX",
		DecidedOn: "2023-01-05", EndsOn: "2026-01-04"})
	courts := e.f.ListEntry(testenv.Entry{Subject: e.org, Kind: credit.Black, Domain: "COURT_ENFORCEMENT_DISHONESTY",
		Dept: "COURT", DecidedOn: "2026-01-10", EndsOn: "2028-01-09"})
	e.f.EntryScope(courts, credit.ScopeAuthorized)

	ids := func(ctx context.Context, f credit.ListEntryFilter) []int64 {
		t.Helper()
		page, err := e.svc.ListEntries(ctx, f, credit.Page{First: 10})
		if err != nil {
			t.Fatal(err)
		}
		n, err := e.svc.CountListEntries(ctx, page.Filter)
		if err != nil || n != len(page.Entries) {
			t.Errorf("count %d %v, page %d", n, err, len(page.Entries))
		}
		var out []int64
		for _, x := range page.Entries {
			out = append(out, x.ID)
		}
		return out
	}
	public := credit.WithCaller(context.Background(), credit.Anonymous)
	for _, tc := range []struct {
		name string
		ctx  context.Context
		f    credit.ListEntryFilter
		want []int64
	}{
		{"the office, ACTIVE", office1, credit.ListEntryFilter{Status: credit.EntryActive}, []int64{courts, active.ID}},
		{"the office, EXPIRED before the job ran", office1, credit.ListEntryFilter{Status: credit.EntryExpired}, []int64{lapsed}},
		{"the office, PROPOSED", office1, credit.ListEntryFilter{Status: credit.EntryProposed}, []int64{proposed.ID}},
		{"the office, by department", office1, credit.ListEntryFilter{Department: "COURT"}, []int64{courts}},
		{"the office, by decision date", office1, credit.ListEntryFilter{DecidedFrom: credit.MustDate("2026-02-28")}, []int64{proposed.ID}},
		{"the dashboard: what the public sees (the statistics count the rest)", as("dash", credit.RoleDashboard, ""), credit.ListEntryFilter{}, []int64{active.ID}},
		{"another department: not the tax bureau's proposal", deptCtx("COURT"), credit.ListEntryFilter{Kind: credit.Black, Domain: taxDomain}, []int64{lapsed, active.ID}},
		{"the tax bureau: not the court's authorised entry", taxStaff, credit.ListEntryFilter{}, []int64{lapsed, proposed.ID, active.ID}},
		{"the court: its own authorised entry", deptCtx("COURT"), credit.ListEntryFilter{Kind: credit.Black, Domain: "COURT_ENFORCEMENT_DISHONESTY"}, []int64{courts}},
		{"the public: in force and public only", public, credit.ListEntryFilter{}, []int64{active.ID}},
	} {
		// Ids descend in insertion order: fixtures came after the proposals.
		if got := ids(tc.ctx, tc.f); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	page, err := e.svc.ListEntries(office1, credit.ListEntryFilter{}, credit.Page{First: 1})
	if err != nil || !page.HasNextPage {
		t.Fatalf("first page: %+v %v", page, err)
	}
	next, err := e.svc.ListEntries(office1, credit.ListEntryFilter{}, credit.Page{First: 10, After: ListEntryCursor(page.Entries[0].ID)})
	if err != nil || len(next.Entries) != 3 || next.HasNextPage {
		t.Errorf("after the cursor: got %d entries %v, want the other 3", len(next.Entries), err)
	}
	if e, err := e.svc.EntriesByIDs(office1, []int64{lapsed}); err != nil || e[lapsed].Status != credit.EntryExpired {
		t.Errorf("a lapsed entry by id: got %+v %v, want EXPIRED", e[lapsed], err)
	}
	_, err = e.svc.ListEntries(as("bank", credit.RoleBank, ""), credit.ListEntryFilter{}, credit.Page{First: 1})
	wantCode(t, "a bank lists", err, credit.Forbidden)
	_, err = e.svc.ListEntries(office1, credit.ListEntryFilter{}, credit.Page{First: 1, After: JointCaseCursor(1)})
	wantField(t, "a cursor of another list", err, "after")
}
