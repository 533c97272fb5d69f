package service

import (
	"context"
	"fmt"
	"testing"

	"github.com/credithub/credithub/internal/credit"
)

// checkTotalIsSum fails unless every column of the total is the sum of the rows.
func checkTotalIsSum(t *testing.T, st credit.JointStats) {
	t.Helper()
	var sum credit.JointStatsRow
	for _, r := range st.Rows {
		sum.Cases += r.Cases
		sum.Pushed += r.Pushed
		sum.Accepted += r.Accepted
		sum.Rejected += r.Rejected
		sum.Executed += r.Executed
		sum.FedBack += r.FedBack
		sum.Overdue += r.Overdue
	}
	if sum != st.Total {
		t.Errorf("total %+v, want the sum of the rows %+v", st.Total, sum)
	}
}

// workingDay returns the n-th working day after day on the official calendar.
func workingDay(t *testing.T, day string, n int) string {
	t.Helper()
	cal, err := officialCalendar()
	if err != nil {
		t.Fatal(err)
	}
	d, err := cal.AddWorkingDays(credit.MustDate(day).Time(), n)
	if err != nil {
		t.Fatal(err)
	}
	return credit.DateFromTime(d).String()
}

func TestAPushSixWorkingDaysOldWithoutResponseIsOverdue(t *testing.T) {
	t.Parallel()
	// The WORKFLOW_DEADLINE rules of the migrations: 5 working days to
	// respond, 10 after a quarter to feed back.
	e := newJointEnv(t, []string{"D1", "D2"})
	_, jc := e.approved("2026-02-27") // pushed on Monday 2026-03-02
	a1, a2 := e.assignmentOf(jc, "D1"), e.assignmentOf(jc, "D2")
	if _, err := e.svc.AcceptAssignment(deptCtx("D2"), a2.ID); err != nil {
		t.Fatal(err)
	}
	overdue := func() []credit.Overdue {
		t.Helper()
		got, err := e.svc.Overdue(office1, []int64{jc.ID})
		if err != nil {
			t.Fatal(err)
		}
		st, err := e.svc.JointCaseStats(office1, credit.MustDate("2026-03-01"), credit.Date{})
		if err != nil || st.Total.Overdue != len(got[jc.ID]) {
			t.Errorf("stats count %d overdue (%v), the case shows %d", st.Total.Overdue, err, len(got[jc.ID]))
		}
		return got[jc.ID]
	}
	e.clk.set(workingDay(t, "2026-03-02", 5))
	if got := overdue(); len(got) != 0 {
		t.Errorf("5 working days after the push: %+v, want nothing overdue", got)
	}
	e.clk.set(workingDay(t, "2026-03-02", 6))
	want := credit.Overdue{CaseID: jc.ID, AssignmentID: a1.ID, Department: "D1", Kind: credit.OverdueResponse,
		DueOn: credit.MustDate(workingDay(t, "2026-03-02", 5))}
	if got := overdue(); len(got) != 1 || got[0].DaysLate == nil || *got[0].DaysLate != 1 || func() bool { g := got[0]; g.DaysLate = nil; return g != want }() {
		t.Errorf("6 working days after the push: %+v, want %+v, 1 day late", got, want)
	}

	// D2 accepted and owes feedback for 2026Q1 within 10 working days after 31 March.
	due := workingDay(t, "2026-03-31", 10)
	e.clk.set(due)
	if got := overdue(); len(got) != 1 {
		t.Errorf("on the feedback deadline: %+v, want only D1's response", got)
	}
	e.clk.set(credit.MustDate(due).AddDays(1).String())
	got := overdue()
	if len(got) != 2 || got[1].Kind != credit.OverdueFeedback || got[1].Department != "D2" || got[1].Period != "2026Q1" ||
		got[1].DueOn != credit.MustDate(due) || got[1].AssignmentID != a2.ID || got[1].DaysLate == nil || *got[1].DaysLate < 1 {
		t.Errorf("after the feedback deadline: %+v, want D1's response and D2's 2026Q1 feedback", got)
	}
	if _, err := e.svc.SubmitFeedback(deptCtx("D2"), jc.ID, "2026Q1", "已落实"); err != nil {
		t.Fatal(err)
	}
	if got := overdue(); len(got) != 1 || got[0].Department != "D1" {
		t.Errorf("after D2's feedback: %+v, want only D1's response", got)
	}
	if got, err := e.svc.Overdue(deptCtx("D9"), []int64{jc.ID}); err != nil || len(got[jc.ID]) != 0 {
		t.Errorf("a department not in the case reads its overdue items: %+v %v", got, err)
	}
}

func TestStatsTotalIsTheSumOfTheRows(t *testing.T) {
	t.Parallel()
	depts := []string{"D1", "D2", "D3"}
	e := newJointEnv(t, depts)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, c1 := e.approved("2026-02-27")
	_, err := e.svc.AcceptAssignment(deptCtx("D1"), e.assignmentOf(c1, "D1").ID)
	must(err)
	_, err = e.svc.RecordExecution(deptCtx("D1"), e.assignmentOf(c1, "D1").ID, "执1", credit.MustDate("2026-03-02"), "")
	must(err)
	_, err = e.svc.RejectAssignment(deptCtx("D2"), e.assignmentOf(c1, "D2").ID, "非本部门职责")
	must(err)
	e.clk.set("2026-03-20")
	_, c2 := e.approved("2026-03-19")
	for _, d := range []string{"D1", "D3"} {
		_, err = e.svc.AcceptAssignment(deptCtx(d), e.assignmentOf(c2, d).ID)
		must(err)
	}
	_, err = e.svc.RecordExecution(deptCtx("D3"), e.assignmentOf(c2, "D3").ID, "执2", credit.MustDate("2026-03-20"), "")
	must(err)
	_, err = e.svc.SubmitFeedback(deptCtx("D3"), c2.ID, "2026Q1", "已执行")
	must(err)
	e.clk.set("2026-04-30")

	st, err := e.svc.JointCaseStats(office1, credit.MustDate("2026-03-01"), credit.MustDate("2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	checkTotalIsSum(t, st)
	got := map[string]string{}
	for _, r := range st.Rows {
		got[r.Department] = fmt.Sprintf("%d/%d/%d/%d/%d/%d/%d", r.Cases, r.Pushed, r.Accepted, r.Rejected, r.Executed, r.FedBack, r.Overdue)
	}
	// Late on 30 April (Q1 feedback was due mid-April): D1's Q1 feedback on
	// both cases, D3's response to c1 and D2's to c2.
	want := map[string]string{"D1": "2/2/2/0/1/0/2", "D2": "2/2/0/1/0/0/1", "D3": "2/2/1/0/1/1/1"}
	if fmt.Sprint(got) != fmt.Sprint(want) || st.CasesOpened != 2 || st.Total.Cases != 6 {
		t.Errorf("rows cases/pushed/accepted/rejected/executed/fed back/overdue: %v, %d opened; want %v, 2 opened",
			got, st.CasesOpened, want)
	}
	ov, err := e.svc.Overdue(office1, []int64{c1.ID, c2.ID})
	if err != nil || len(ov[c1.ID])+len(ov[c2.ID]) != st.Total.Overdue {
		t.Errorf("overdue: cases show %d+%d (%v), stats %d", len(ov[c1.ID]), len(ov[c2.ID]), err, st.Total.Overdue)
	}
	early, err := e.svc.JointCaseStats(office1, credit.MustDate("2026-03-01"), credit.MustDate("2026-03-10"))
	if err != nil || early.CasesOpened != 1 || early.Total.Pushed != 3 {
		t.Errorf("March 1-10: %+v %v, want the first case only", early, err)
	}
	checkTotalIsSum(t, early)
	none, err := e.svc.JointCaseStats(office1, credit.MustDate("2025-01-01"), credit.MustDate("2025-12-31"))
	if err != nil || none.CasesOpened != 0 || len(none.Rows) != 0 || none.Total != (credit.JointStatsRow{}) {
		t.Errorf("a year without cases: %+v %v, want zeros", none, err)
	}
	_, err = e.svc.JointCaseStats(office1, credit.MustDate("2026-03-31"), credit.MustDate("2026-03-01"))
	wantField(t, "to before from", err, "to")
	_, err = e.svc.JointCaseStats(deptCtx("D1"), credit.MustDate("2026-03-01"), credit.Date{})
	wantCode(t, "a department reads the statistics", err, credit.Forbidden)
}

func TestExpiryJobRecordsWhatReadsAlreadyShow(t *testing.T) {
	t.Parallel()
	e := newJointEnv(t, []string{"D1"})
	entry, jc := e.approved("2023-03-02") // 36 months counted from the decision: the last day is today, 2026-03-02
	a := e.assignmentOf(jc, "D1")
	if _, err := e.svc.AcceptAssignment(deptCtx("D1"), a.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := e.svc.ExpireListEntries(context.Background()); err != nil || n != 0 {
		t.Fatalf("on its last day: expired %d %v, want 0", n, err)
	}
	e.clk.set("2026-03-03")
	page, err := e.svc.ListEntries(office1, credit.ListEntryFilter{Status: credit.EntryActive}, credit.Page{First: 10})
	if err != nil || len(page.Entries) != 0 {
		t.Errorf("ACTIVE the day after its end, before the job: %+v %v, want none", page.Entries, err)
	}
	_, err = e.svc.RecordExecution(deptCtx("D1"), a.ID, "执1", credit.MustDate("2026-03-02"), "")
	wantCode(t, "an execution after the end, before the job", err, credit.Conflict)

	if n, err := e.svc.ExpireListEntries(context.Background()); err != nil || n != 1 {
		t.Fatalf("the day after: expired %d %v, want 1", n, err)
	}
	if n, err := e.svc.ExpireListEntries(context.Background()); err != nil || n != 0 {
		t.Errorf("again: expired %d %v, want 0", n, err)
	}
	events, err := e.svc.EventsByEntries(office1, []int64{entry.ID})
	last := events[entry.ID][len(events[entry.ID])-1]
	if err != nil || last.ToStatus != credit.EntryExpired || last.Actor != "system:expiry" {
		t.Errorf("last event: %+v %v, want EXPIRED by system:expiry", last, err)
	}
	if got := e.assignmentOf(jc, "D1"); got.Status != credit.AssignmentClosed {
		t.Errorf("assignment after expiry: %s, want CLOSED", got.Status)
	}
	var audited int
	if err := e.db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'list_entry.expired' AND target = $1`,
		entryTarget(entry.ID)).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("audit rows of the expiry: %d %v, want 1", audited, err)
	}
}

func TestApprovalAndExitChangeChecksOnTheNextRequest(t *testing.T) {
	t.Parallel()
	e := newJointEnv(t, []string{"D1", "D2"})
	bank := as("bank", credit.RoleBank, "")
	check := func(code string) *credit.CreditCheck {
		t.Helper()
		c, _, err := e.svc.CreditCheck(bank, code, credit.Date{}, "贷前审查", nil)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, code := range []string{e.orgCode, e.repCode, e.orgCode, e.repCode} {
		if check(code).Blacklisted {
			t.Fatalf("%s blacklisted before any entry", code)
		}
	}
	entry, _ := e.approved("2026-02-27")
	org, rep := check(e.orgCode), check(e.repCode)
	if !org.Blacklisted || len(org.Measures) != 1 || org.Measures[0].Measure.ImplementingDepartment != "D1" {
		t.Errorf("the organisation after approval: blacklisted %v, measures %+v; want blacklisted with D1's bank measure",
			org.Blacklisted, org.Measures)
	}
	if !rep.Blacklisted {
		t.Errorf("the legal representative after approval: not blacklisted, want the attributed entry")
	}
	app, _, err := e.svc.ApplicantCheck(as("window", credit.RoleWindow, ""), e.orgCode, "", credit.Date{}, "受理审查", nil)
	if err != nil || len(app.Measures) != 1 || app.Measures[0].Measure.ImplementingDepartment != "D2" {
		t.Errorf("the applicant check: %+v %v, want D2's window measure", app, err)
	}
	if _, err := e.svc.ExitListEntry(office1, entry.ID, credit.ExitInput{DecisionNo: "丹税撤〔2026〕1号",
		DecidedOn: credit.MustDate("2026-03-02"), Reason: credit.ExitCourtDeletion}); err != nil {
		t.Fatal(err)
	}
	if check(e.orgCode).Blacklisted || check(e.repCode).Blacklisted {
		t.Errorf("after the exit: still blacklisted")
	}
}
