package service

import (
	"context"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/push"
)

// receive returns the next push on ch, failing after a generous wait (a
// notification normally arrives within milliseconds).
func receive(t *testing.T, what string, ch <-chan credit.Assignment) credit.Assignment {
	t.Helper()
	select {
	case a, ok := <-ch:
		if !ok {
			t.Fatalf("%s: subscription closed", what)
		}
		return a
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: no push", what)
	}
	return credit.Assignment{}
}

func TestJointCaseEndToEndForThreeDepartments(t *testing.T) {
	t.Parallel()
	depts := []string{"D1", "D2", "D3"}
	e := newJointEnv(t, depts)
	e.f.Department("D4", "不相关部门")
	hub, err := push.Listen(context.Background(), e.url, e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer hub.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	subs := map[string]<-chan credit.Assignment{}
	for _, d := range append(depts, "D4") {
		if subs[d], err = e.svc.AssignmentPushed(credit.WithCaller(ctx, credit.CallerFrom(deptCtx(d))), hub, d); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.svc.AssignmentPushed(deptCtx("D1"), hub, "D2")
	wantCode(t, "a department subscribes to another's pushes", err, credit.Forbidden)

	entry, jc := e.approved("2026-02-27")
	if jc.InitiatingDepartment != "TAX" || jc.ClosedAt != nil || len(entry.Measures) != 3 {
		t.Fatalf("case %+v, %d measures; want an open case of TAX with 3 measures", jc, len(entry.Measures))
	}
	for _, d := range depts {
		a := receive(t, d, subs[d])
		if a.DepartmentCode != d || a.CaseID != jc.ID || a.Status != credit.AssignmentPushed {
			t.Errorf("%s received %+v", d, a)
		}
		mine, err := e.svc.MyAssignments(deptCtx(d), credit.AssignmentPushed)
		if err != nil || len(mine) != 1 || mine[0].ID != a.ID {
			t.Fatalf("%s: myAssignments(PUSHED) = %+v %v, want the pushed one", d, mine, err)
		}
		if got, err := e.svc.AcceptAssignment(deptCtx(d), a.ID); err != nil || got.Status != credit.AssignmentAccepted {
			t.Fatalf("%s accepts: %+v %v", d, got, err)
		}
		x, err := e.svc.RecordExecution(deptCtx(d), a.ID, "丹"+d+"执〔2026〕1号", credit.MustDate("2026-03-02"), "已从严审核")
		if err != nil || x.AssignmentID != a.ID {
			t.Fatalf("%s executes: %+v %v", d, x, err)
		}
		if _, err := e.svc.SubmitFeedback(deptCtx(d), jc.ID, "2026Q1", "本季度已落实惩戒措施"); err != nil {
			t.Fatalf("%s feeds back: %v", d, err)
		}
	}

	st, err := e.svc.JointCaseStats(office1, credit.StatsQuery{From: credit.MustDate("2026-03-01"), To: credit.MustDate("2026-03-31")})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Rows) != 3 || st.CasesOpened != 1 {
		t.Fatalf("stats: %+v, want one case and a row for each of 3 departments", st)
	}
	for _, r := range st.Rows {
		if r.Cases != 1 || r.Pushed != 1 || r.Accepted != 1 || r.Executed != 1 || r.FedBack != 1 || r.Overdue != 0 {
			t.Errorf("%s: %+v, want 1 case, 1 pushed, accepted, executed and fed back", r.Department, r)
		}
	}
	if tot := st.Total; tot.Pushed != 3 || tot.Executed != 3 || *tot.ExecutedPercent() != 100 ||
		*tot.AcceptedPercent() != 100 || *tot.FedBackPercent() != 100 || tot.Overdue != 0 {
		t.Errorf("total: %+v, want 3 pushed, 3 executed, 100 %%", tot)
	}
	checkTotalIsSum(t, st)

	// D4 holds nothing in the case: the first push it sees is its own.
	e.f.Measure("M_D4", credit.Punishment, credit.Black, taxDomain, "D4", credit.MarketAccess)
	_, other := e.approved("2026-02-27")
	if a := receive(t, "D4", subs["D4"]); a.CaseID != other.ID {
		t.Errorf("D4 first received %+v, want its push of case %d", a, other.ID)
	}
}

func TestExitClosesOpenAssignmentsAndRefusesExecutions(t *testing.T) {
	t.Parallel()
	e := newJointEnv(t, []string{"D1", "D2", "D3", "D4"})
	entry, jc := e.approved("2026-02-27")
	a1, a2, a3, a4 := e.assignmentOf(jc, "D1"), e.assignmentOf(jc, "D2"), e.assignmentOf(jc, "D3"), e.assignmentOf(jc, "D4")
	for _, a := range []credit.Assignment{a1, a2} {
		if _, err := e.svc.AcceptAssignment(deptCtx(a.DepartmentCode), a.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.RecordExecution(deptCtx("D1"), a1.ID, "执1", credit.MustDate("2026-03-02"), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RejectAssignment(deptCtx("D3"), a3.ID, "不属于本部门职责"); err != nil {
		t.Fatal(err)
	}
	exited, err := e.svc.ExitListEntry(taxStaff, entry.ID, credit.ExitInput{DecisionNo: "丹税撤〔2026〕1号",
		DecidedOn: credit.MustDate("2026-03-02"), Reason: credit.ExitObligationsFulfilled, Note: "已缴清税款"})
	if err != nil || exited.Status != credit.EntryExited || exited.EndedOn == nil || *exited.EndedOn != credit.MustDate("2026-03-02") {
		t.Fatalf("exit: %+v %v", exited, err)
	}
	want := map[int64]credit.AssignmentStatus{a1.ID: credit.AssignmentClosed, a2.ID: credit.AssignmentClosed,
		a3.ID: credit.AssignmentRejected, a4.ID: credit.AssignmentClosed}
	as, err := e.svc.AssignmentsByCases(office1, []int64{jc.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as[jc.ID] {
		if a.Status != want[a.ID] || (a.Status == credit.AssignmentClosed) != (a.ClosedAt != nil) {
			t.Errorf("assignment of %s: %s (closed at %v), want %s", a.DepartmentCode, a.Status, a.ClosedAt, want[a.ID])
		}
	}
	cases, err := e.svc.CasesByEntries(office1, []int64{entry.ID})
	if c := cases[entry.ID]; err != nil || c == nil || c.ClosedAt == nil || c.CloseReason == nil {
		t.Errorf("case after exit: %+v %v, want closed with a reason", c, err)
	}
	_, err = e.svc.RecordExecution(deptCtx("D1"), a1.ID, "执2", credit.MustDate("2026-03-02"), "")
	wantCode(t, "an execution after the exit", err, credit.Conflict)
	_, err = e.svc.AcceptAssignment(deptCtx("D4"), a4.ID)
	wantCode(t, "an acceptance after the exit", err, credit.Conflict)
	open := true
	page, err := e.svc.JointCases(office1, credit.JointCaseFilter{Open: &open}, credit.Page{First: 10})
	if err != nil || len(page.Cases) != 0 {
		t.Errorf("open cases after the exit: %+v %v, want none", page.Cases, err)
	}
}

func TestDepartmentsActOnlyOnTheirOwnAssignments(t *testing.T) {
	t.Parallel()
	e := newJointEnv(t, []string{"D1", "D2"})
	_, jc := e.approved("2026-02-27")
	a1 := e.assignmentOf(jc, "D1")
	_, err := e.svc.AcceptAssignment(deptCtx("D2"), a1.ID)
	wantCode(t, "D2 accepts D1's assignment", err, credit.Forbidden)
	_, err = e.svc.AcceptAssignment(office1, a1.ID)
	wantCode(t, "the office accepts", err, credit.Forbidden)
	_, err = e.svc.AcceptAssignment(deptCtx("D1"), 999999)
	wantCode(t, "an unknown assignment", err, credit.NotFound)
	_, err = e.svc.RecordExecution(deptCtx("D1"), a1.ID, "执1", credit.MustDate("2026-03-02"), "")
	wantCode(t, "an execution before acceptance", err, credit.Conflict)
	_, err = e.svc.RejectAssignment(deptCtx("D1"), a1.ID, "")
	wantField(t, "a rejection without reason", err, "reason")
	if _, err := e.svc.AcceptAssignment(deptCtx("D1"), a1.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.AcceptAssignment(deptCtx("D1"), a1.ID)
	wantCode(t, "a second acceptance", err, credit.Conflict)
	for _, tc := range []struct {
		name, doc, date, field string
	}{
		{"no document number", " ", "2026-03-02", "docNo"},
		{"a future date", "执1", "2026-03-03", "date"},
		{"before the entry starts", "执1", "2026-02-26", "date"},
	} {
		_, err := e.svc.RecordExecution(deptCtx("D1"), a1.ID, tc.doc, credit.MustDate(tc.date), "")
		wantField(t, tc.name, err, tc.field)
	}
	if _, err := e.svc.RecordExecution(deptCtx("D1"), a1.ID, "执1", credit.MustDate("2026-03-02"), ""); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.RecordExecution(deptCtx("D1"), a1.ID, "执1", credit.MustDate("2026-03-02"), "")
	wantCode(t, "the same document again", err, credit.Conflict)

	if _, err := e.svc.SubmitFeedback(deptCtx("D1"), jc.ID, "2026Q1", "已执行"); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.SubmitFeedback(deptCtx("D1"), jc.ID, "2026Q1", "再次反馈")
	wantCode(t, "feedback twice for a quarter", err, credit.Conflict)
	e.f.Department("D9", "无关部门")
	_, err = e.svc.SubmitFeedback(deptCtx("D9"), jc.ID, "2026Q1", "x")
	wantCode(t, "feedback from a department without assignment", err, credit.Forbidden)
	for _, tc := range []struct{ name, period, text, field string }{
		{"not a quarter", "2026-Q1", "x", "period"},
		{"a future quarter", "2026Q2", "x", "period"},
		{"a quarter before the case", "2025Q4", "x", "period"},
		{"no text", "2026Q1", "", "text"},
	} {
		_, err := e.svc.SubmitFeedback(deptCtx("D2"), jc.ID, tc.period, tc.text)
		wantField(t, tc.name, err, tc.field)
	}
	// What a department sees of the workflow: the cases it is involved in.
	if got, err := e.svc.AssignmentsByCases(deptCtx("D9"), []int64{jc.ID}); err != nil || len(got[jc.ID]) != 0 {
		t.Errorf("D9 reads the case's assignments: got %v %v, want none", got, err)
	}
	if got, err := e.svc.AssignmentsByCases(deptCtx("D2"), []int64{jc.ID}); err != nil || len(got[jc.ID]) != 2 {
		t.Errorf("D2 reads the case's assignments: got %v %v, want both", got, err)
	}
	_, err = e.svc.JointCases(deptCtx("D1"), credit.JointCaseFilter{}, credit.Page{First: 1})
	wantCode(t, "a department lists all cases", err, credit.Forbidden)
}
