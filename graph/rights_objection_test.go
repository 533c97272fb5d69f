package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

// Objections end to end through GraphQL, with the response cache on: an
// objection sets its record aside in the checks from the next request,
// suspends a list entry's assignments, and a decision brings the record
// back, corrected where it was wrong.

const windowCheckQuery = `query($c: ID!, $asOf: Date) { applicantCheck(code: $c, asOf: $asOf, purpose: "窗口受理审查") {
	greenChannel acceptWithMissingDocuments measures { measure { code } }
	disputed { kind id decisionNumber } reasons { rule records { kind id } } } }`

type windowCheckOut struct {
	ApplicantCheck struct {
		GreenChannel               bool
		AcceptWithMissingDocuments bool
		Measures                   []struct{ Measure struct{ Code string } }
		Disputed                   []struct{ Kind, ID, DecisionNumber string }
		Reasons                    []struct {
			Rule    string
			Records []struct{ Kind, ID string }
		}
	}
}

func (o windowCheckOut) rules() string {
	var rs []string
	for _, r := range o.ApplicantCheck.Reasons {
		rs = append(rs, r.Rule)
	}
	return strings.Join(rs, " ")
}

// windowCheck runs the window's check of code as WINDOW (asOf "" for
// today) and restores the caller.
func (e *env) windowCheck(code, asOf string) windowCheckOut {
	e.t.Helper()
	saved := e.token
	defer func() { e.token = saved }()
	e.as(credit.RoleWindow)
	vars := map[string]any{"c": code}
	if asOf != "" {
		vars["asOf"] = asOf
	}
	var out windowCheckOut
	e.query(windowCheckQuery, vars, &out)
	return out
}

// keyOf returns an API key of role bound to department code.
func (e *env) deptKey(code string) string {
	e.t.Helper()
	k, _, err := auth.CreateKey(context.Background(), e.db, auth.KeySpec{Role: credit.RoleDepartment, Institution: "部门 " + code, Department: code}, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return k
}

type objectionOut struct {
	ID, Status, FiledOn string
	AcceptDueOn         *string
	VerifyDueOn         *string
	Open                bool
	Record              struct{ Kind, ID, DecisionNumber string }
}

const objectionFields = `id status filedOn acceptDueOn verifyDueOn open record { kind id decisionNumber }`

// objection runs one objection mutation (whose field is name) and returns
// the objection.
func (e *env) objection(name, mutation string, vars map[string]any) objectionOut {
	e.t.Helper()
	var raw map[string]objectionOut
	e.query(mutation, vars, &raw)
	return raw[name]
}

func (e *env) fileObjection(subject, kind string, id any, reason string) objectionOut {
	e.t.Helper()
	rec := map[string]any{"kind": kind}
	if kind == "TAX_GRADE" {
		rec["year"] = id
	} else {
		rec["id"] = id
	}
	return e.objection("fileObjection", `mutation($in: ObjectionInput!) { fileObjection(input: $in) { `+objectionFields+` } }`,
		map[string]any{"in": map[string]any{"subjectCode": subject, "record": rec, "reason": reason, "evidence": []string{"缴款凭证"}}})
}

func TestAnObjectionOnAPenaltySuspendsTheWindowCheckUntilItIsConfirmed(t *testing.T) {
	e := cachedEnv(t, testenv.Cache(t))
	t.Parallel()
	org := testenv.USCC(1)
	oid := e.f.Subject(org, credit.LegalPerson, "丹东异议有限公司")
	pen := e.f.Penalty(oid, dept, "2026-06-01", credit.General, 5000000)
	e.f.Scoped("penalties", pen, credit.ScopePublic, "2027-06-01")
	penID := fmt.Sprint(pen)

	before := e.windowCheck(org, "")
	if before.ApplicantCheck.GreenChannel || before.ApplicantCheck.AcceptWithMissingDocuments || len(before.ApplicantCheck.Disputed) != 0 ||
		!strings.Contains(before.rules(), "GREEN_CHANNEL_REFUSED_BAD_RECORD_3Y") {
		t.Fatalf("before: got %+v, want the penalty's measures to apply (green channel and 容缺受理 refused)", before.ApplicantCheck)
	}
	if again := e.windowCheck(org, ""); again.rules() != before.rules() {
		t.Fatalf("the same check again: got %s", again.rules())
	}

	// A window registers the subject's objection; the answer is at once a
	// disputed record with its measures suspended.
	e.as(credit.RoleWindow)
	o := e.fileObjection(org, "PENALTY", penID, "罚款已于决定前缴清，处罚对象有误")
	if o.Status != "FILED" || !o.Open || o.FiledOn != "2026-11-27" || o.AcceptDueOn == nil || *o.AcceptDueOn != "2026-12-01" ||
		o.Record.Kind != "PENALTY" || o.Record.ID != penID {
		t.Fatalf("filed: got %+v, want FILED today, to accept by 2026-12-01 (2 working days after Friday 27 November)", o)
	}
	during := e.windowCheck(org, "")
	c := during.ApplicantCheck
	if !c.GreenChannel || !c.AcceptWithMissingDocuments || len(c.Disputed) != 1 || c.Disputed[0].ID != penID ||
		!strings.Contains(during.rules(), "RECORD_DISPUTED_MEASURES_SUSPENDED") || strings.Contains(during.rules(), "REFUSED") {
		t.Fatalf("under objection: got %+v (%s), want the penalty disputed and nothing resting on it", c, during.rules())
	}
	// The record shows it, to whoever sees the record.
	var read struct {
		Subject struct {
			Penalties struct {
				Edges []struct{ Node struct{ UnderObjection bool } }
			}
		}
	}
	e.as(credit.RolePublic)
	e.query(`query($c: ID!) { subject(code: $c) { penalties { edges { node { underObjection } } } } }`, map[string]any{"c": org}, &read)
	if len(read.Subject.Penalties.Edges) != 1 || !read.Subject.Penalties.Edges[0].Node.UnderObjection {
		t.Errorf("public read of the penalty: got %+v, want underObjection", read.Subject.Penalties.Edges)
	}
	// An answer about yesterday shows the measures as they applied then.
	if y := e.windowCheck(org, "2026-11-26"); y.ApplicantCheck.GreenChannel || len(y.ApplicantCheck.Disputed) != 0 {
		t.Errorf("as of yesterday: got %+v, want the penalty counted (the objection was filed today)", y.ApplicantCheck)
	}

	// The office accepts, the deciding department verifies and confirms.
	e.as(credit.RoleCreditOffice)
	o = e.objection("acceptObjection", `mutation($id: ID!) { acceptObjection(id: $id) { `+objectionFields+` } }`, map[string]any{"id": o.ID})
	if o.Status != "ACCEPTED" || o.VerifyDueOn == nil || *o.VerifyDueOn != "2026-12-11" {
		t.Fatalf("accepted: got %+v, want ACCEPTED with 10 working days to verify (2026-12-11)", o)
	}
	e.f.Department(otherDept, "国家税务总局丹东市税务局")
	e.token = e.deptKey(otherDept)
	if code, _ := e.errorCode(`mutation($id: ID!) { startObjectionVerification(id: $id) { id } }`, map[string]any{"id": o.ID}); code != "FORBIDDEN" {
		t.Errorf("another department verifying: got %s, want FORBIDDEN", code)
	}
	e.as(credit.RoleDepartment)
	decide := `mutation($id: ID!, $in: ObjectionDecisionInput!) { decideObjection(id: $id, input: $in) { ` + objectionFields + ` } }`
	confirm := map[string]any{"id": o.ID, "in": map[string]any{"outcome": "CONFIRMED", "answer": "经核实，处罚决定无误"}}
	if code, _ := e.errorCode(decide, confirm); code != "CONFLICT" {
		t.Errorf("deciding before verification started: got %s, want CONFLICT", code)
	}
	e.objection("startObjectionVerification", `mutation($id: ID!) { startObjectionVerification(id: $id) { id } }`, map[string]any{"id": o.ID})
	o = e.objection("decideObjection", decide, confirm)
	if o.Status != "CONFIRMED" || o.Open {
		t.Fatalf("decided: got %+v", o)
	}
	if code, _ := e.errorCode(decide, confirm); code != "CONFLICT" {
		t.Errorf("deciding twice: got %s, want CONFLICT", code)
	}

	after := e.windowCheck(org, "")
	if after.ApplicantCheck.GreenChannel || len(after.ApplicantCheck.Disputed) != 0 || after.rules() != before.rules() {
		t.Errorf("after CONFIRMED: got %+v, want the check as before the objection", after.ApplicantCheck)
	}
}

// An objection against a black-list entry leaves its measures out of the
// checks and suspends its assignments; a refusal brings both back.
func TestAnObjectionOnAListEntrySuspendsItsMeasuresAndAssignments(t *testing.T) {
	e := cachedEnv(t, testenv.Cache(t))
	t.Parallel()
	org := testenv.USCC(2)
	e.f.Subject(org, credit.LegalPerson, "丹东欠薪有限公司")
	e.f.Measure("WAGE_STRICT_REVIEW", credit.Punishment, credit.Black, "WAGE_ARREARS", dept, credit.ApprovalWindow)
	entryID, assignment := e.listedWithAssignment(org, "丹人社黑〔2026〕7号", "2026-11-02")

	if c := e.windowCheck(org, ""); len(c.ApplicantCheck.Measures) != 1 {
		t.Fatalf("before: got measures %+v, want the entry's", c.ApplicantCheck.Measures)
	}
	e.as(credit.RoleCreditOffice)
	o := e.fileObjection(org, "LIST_ENTRY", entryID, "已足额支付工资")
	c := e.windowCheck(org, "")
	if len(c.ApplicantCheck.Measures) != 0 || len(c.ApplicantCheck.Disputed) != 1 || c.ApplicantCheck.Disputed[0].Kind != "LIST_ENTRY" {
		t.Errorf("under objection: got %+v, want no measure and the entry disputed", c.ApplicantCheck)
	}
	if st := e.assignmentStatus(assignment); st != "SUSPENDED" {
		t.Errorf("assignment under objection: got %s, want SUSPENDED", st)
	}
	e.as(credit.RoleDepartment)
	if code, _ := e.errorCode(`mutation($a: ID!) { recordExecution(assignment: $a, documentNumber: "执1号", date: "2026-11-27") { id } }`,
		map[string]any{"a": assignment}); code != "CONFLICT" {
		t.Errorf("executing a suspended assignment: got %s, want CONFLICT", code)
	}
	e.as(credit.RoleCreditOffice)
	e.objection("refuseObjection", `mutation($id: ID!) { refuseObjection(id: $id, reason: "未提供支付凭证") { id } }`, map[string]any{"id": o.ID})
	if st := e.assignmentStatus(assignment); st != "ACCEPTED" {
		t.Errorf("assignment after the refusal: got %s, want ACCEPTED again", st)
	}
	if c := e.windowCheck(org, ""); len(c.ApplicantCheck.Measures) != 1 || len(c.ApplicantCheck.Disputed) != 0 {
		t.Errorf("after the refusal: got %+v, want the measure back", c.ApplicantCheck)
	}
	if n := e.intakeRows(`SELECT count(*) FROM push_outbox WHERE assignment_id = ` + assignment); n != 3 {
		t.Errorf("push rows of the assignment: got %d, want 3 (pushed, suspended, resumed)", n)
	}
}

// listedWithAssignment puts org on the WAGE_ARREARS black list through the
// workflow (proposed by the department, approved by the office) and has
// the department accept its one assignment; it returns the entry's and the
// assignment's ids.
func (e *env) listedWithAssignment(org, decisionNo, decidedOn string) (string, string) {
	e.t.Helper()
	saved := e.token
	defer func() { e.token = saved }()
	e.as(credit.RoleDepartment)
	var p struct{ ProposeListEntry struct{ ID string } }
	e.query(`mutation($in: ListEntryInput!) { proposeListEntry(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"subjectCode": org, "kind": "BLACK", "domain": "WAGE_ARREARS", "decisionNumber": decisionNo, "decidedOn": decidedOn,
		"facts": "拖欠农民工工资"}}, &p)
	e.as(credit.RoleCreditOffice)
	e.query(`mutation($id: ID!) { approveListEntry(id: $id) { id } }`, map[string]any{"id": p.ProposeListEntry.ID}, &struct{}{})
	e.as(credit.RoleDepartment)
	var mine struct{ MyAssignments []struct{ ID string } }
	e.query(`{ myAssignments(status: PUSHED) { id } }`, nil, &mine)
	if len(mine.MyAssignments) != 1 {
		e.t.Fatalf("assignments pushed: got %+v, want one", mine.MyAssignments)
	}
	a := mine.MyAssignments[0].ID
	e.query(`mutation($a: ID!) { acceptAssignment(id: $a) { id } }`, map[string]any{"a": a}, &struct{}{})
	return p.ProposeListEntry.ID, a
}

func (e *env) assignmentStatus(id string) string {
	e.t.Helper()
	var st string
	if err := e.db.SQL().QueryRow(`SELECT status FROM assignments WHERE id = $1`, id).Scan(&st); err != nil {
		e.t.Fatal(err)
	}
	return st
}

// A CORRECTED fine: the record shows the new amount, its corrections the
// old and the new with who and when, and the export sends it again.
func TestACorrectedFineIsShownWithItsOldValueAndReachesTheExport(t *testing.T) {
	e := newEnv(t)
	org := testenv.USCC(3)
	oid := e.f.Subject(org, credit.LegalPerson, "丹东更正有限公司")
	pen := e.f.Penalty(oid, dept, "2026-10-09", credit.General, credit.Fen(50_000_00))
	e.f.Scoped("penalties", pen, credit.ScopePublic, "2027-10-09")
	first := e.runExport(service.ExportRequest{})
	if rows := first.rows(t, credit.RecordKindPenalty); len(rows) != 1 || rows[0]["CF_NR_FK"] != "5" {
		t.Fatalf("first export: got %+v, want the fine of 5 万元", rows)
	}
	o := e.fileObjection(org, "PENALTY", pen, "罚款金额录入错误，应为5000元")
	e.objection("acceptObjection", `mutation($id: ID!) { acceptObjection(id: $id) { id } }`, map[string]any{"id": o.ID})
	e.as(credit.RoleDepartment)
	e.objection("startObjectionVerification", `mutation($id: ID!) { startObjectionVerification(id: $id) { id } }`, map[string]any{"id": o.ID})
	decide := `mutation($id: ID!, $in: ObjectionDecisionInput!) { decideObjection(id: $id, input: $in) {
		status answer corrections { field oldValue newValue } } }`
	correct := func(value string) map[string]any {
		return map[string]any{"id": o.ID, "in": map[string]any{"outcome": "CORRECTED", "answer": "罚款金额更正为5000元",
			"changes": []map[string]any{{"field": "fine", "value": value}}}}
	}
	if code, ge := e.errorCode(decide, correct("50000")); code != "BAD_USER_INPUT" || ge.Extensions["field"] != "input.changes[0].value" {
		t.Errorf("a correction that changes nothing: got %s %+v, want BAD_USER_INPUT on the value", code, ge)
	}
	var decided struct {
		DecideObjection struct {
			Status      string
			Corrections []struct{ Field, OldValue, NewValue string }
		}
	}
	e.query(decide, correct("5000"), &decided)
	if d := decided.DecideObjection; d.Status != "CORRECTED" || len(d.Corrections) != 1 ||
		d.Corrections[0] != (struct{ Field, OldValue, NewValue string }{"fine", "50000.00", "5000.00"}) {
		t.Fatalf("decided: got %+v, want the fine corrected from 50000.00 to 5000.00", d)
	}

	var read struct {
		Subject struct {
			Penalties struct {
				Edges []struct {
					Node struct {
						Fine           string
						UnderObjection bool
						Corrections    []struct {
							Field, OldValue, NewValue, CorrectedBy, CorrectedAt, ObjectionID string
						}
					}
				}
			}
		}
	}
	e.as(credit.RoleBank)
	e.query(`query($c: ID!) { subject(code: $c, purpose: "贷前审查") { penalties { edges { node { fine underObjection
		corrections { field oldValue newValue correctedBy correctedAt objectionId } } } } } }`, map[string]any{"c": org}, &read)
	n := read.Subject.Penalties.Edges[0].Node
	if n.Fine != "5000.00" || n.UnderObjection || len(n.Corrections) != 1 {
		t.Fatalf("the penalty read by a bank: got %+v, want the corrected fine and one correction", n)
	}
	if c := n.Corrections[0]; c.OldValue != "50000.00" || c.NewValue != "5000.00" || c.ObjectionID != o.ID ||
		!strings.HasPrefix(c.CorrectedBy, "key:") || c.CorrectedAt == "" {
		t.Errorf("correction: got %+v", c)
	}
	e.as(credit.RolePublic)
	if code, _ := e.errorCode(`query($c: ID!) { subject(code: $c) { penalties { edges { node { corrections { field } } } } } }`,
		map[string]any{"c": org}); code != "FORBIDDEN" {
		t.Errorf("the public reading corrections: got %s, want FORBIDDEN", code)
	}
	second := e.runExport(service.ExportRequest{})
	if rows := second.rows(t, credit.RecordKindPenalty); len(rows) != 1 || rows[0]["CF_NR_FK"] != "0.5" {
		t.Errorf("export after the correction: got %+v, want the penalty again with CF_NR_FK 0.5 (5000 yuan)", rows)
	}
}

// The objection list: a department sees the objections about its own
// records, overdue ones are found, and the statistics' total is the sum
// of their rows.
func TestObjectionListAndStatisticsShowOverdueOnesAndAddUp(t *testing.T) {
	e := newEnv(t)
	e.f.Department(otherDept, "国家税务总局丹东市税务局")
	org := testenv.USCC(4)
	oid := e.f.Subject(org, credit.LegalPerson, "丹东统计有限公司")
	rep := e.f.Subject(testenv.CitizenID(4), credit.NaturalPerson, "赵六")
	e.f.KeyPerson(oid, rep, credit.LegalRepresentative, "2020-01-01", "")
	e.f.TaxGrade(oid, 2025, credit.GradeC)
	ours := e.fileObjection(org, "PENALTY", e.f.Penalty(oid, dept, "2026-09-01", credit.General, 100), "金额有误")
	theirs := e.fileObjection(org, "LICENCE", e.f.Licence(oid, otherDept, "2026-09-02"), "许可已注销")
	grade := e.fileObjection(org, "TAX_GRADE", 2025, "评分有误")
	if grade.Record.Kind != "TAX_GRADE" || grade.Record.ID != "2025" {
		t.Fatalf("tax grade objection: got %+v", grade)
	}
	e.objection("refuseObjection", `mutation($id: ID!) { refuseObjection(id: $id, reason: "不属于异议范围") { id } }`, map[string]any{"id": theirs.ID})
	// The office has let the penalty's objection wait past its deadline.
	e.intakeExec(`UPDATE objections SET accept_due = '2026-11-20' WHERE id = ` + ours.ID)

	var list struct {
		Objections struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID       string
					Overdue  bool
					DaysLate *int
					Subject  struct{ Code string }
				}
			}
		}
	}
	e.as(credit.RoleDepartment)
	e.query(`{ objections { totalCount edges { node { id overdue daysLate subject { code } } } } }`, nil, &list)
	if list.Objections.TotalCount != 1 || list.Objections.Edges[0].Node.ID != ours.ID || list.Objections.Edges[0].Node.Subject.Code != org {
		t.Fatalf("the department's list: got %+v, want only the objection about its own penalty", list.Objections)
	}
	if code, _ := e.errorCode(`{ objections(filter: {department: "`+otherDept+`"}) { totalCount } }`, nil); code != "FORBIDDEN" {
		t.Errorf("a department listing another's: got %s, want FORBIDDEN", code)
	}
	e.as(credit.RoleCreditOffice)
	e.query(`{ objections(filter: {overdue: true}) { totalCount edges { node { id overdue daysLate subject { code } } } } }`, nil, &list)
	if list.Objections.TotalCount != 1 || !list.Objections.Edges[0].Node.Overdue || list.Objections.Edges[0].Node.DaysLate == nil ||
		*list.Objections.Edges[0].Node.DaysLate != 5 {
		t.Fatalf("overdue: got %+v, want the penalty's, 5 working days late (due Friday 20 November)", list.Objections)
	}

	var stats struct {
		ObjectionStats struct {
			Rows []struct {
				Group                                       struct{ DepartmentCode, RecordKind *string }
				Filed, Refused, Open, Overdue, ClosedInTime int
			}
			Total struct{ Filed, Refused, Open, Overdue, ClosedInTime int }
		}
	}
	e.as(credit.RoleDashboard)
	e.query(`{ objectionStats(from: "2026-11-01", to: "2026-11-30", groupBy: [DEPARTMENT, RECORD_KIND]) {
		rows { group { departmentCode recordKind } filed refused open overdue closedInTime }
		total { filed refused open overdue closedInTime } } }`, nil, &stats)
	s := stats.ObjectionStats
	if len(s.Rows) != 3 || s.Total.Filed != 3 || s.Total.Refused != 1 || s.Total.Open != 2 || s.Total.Overdue != 1 || s.Total.ClosedInTime != 1 {
		t.Fatalf("stats: got %+v, want three groups (the office verifies the tax grade) and 3 filed, 1 refused in time, 2 open, 1 overdue", s)
	}
	var sum struct{ Filed, Refused, Open, Overdue, ClosedInTime int }
	for _, r := range s.Rows {
		sum.Filed, sum.Refused, sum.Open, sum.Overdue, sum.ClosedInTime = sum.Filed+r.Filed, sum.Refused+r.Refused, sum.Open+r.Open,
			sum.Overdue+r.Overdue, sum.ClosedInTime+r.ClosedInTime
	}
	if sum != s.Total {
		t.Errorf("the total %+v is not the sum of the rows %+v", s.Total, sum)
	}
	raw, _ := json.Marshal(s.Rows)
	if !strings.Contains(string(raw), `"RecordKind":"TAX_GRADE"`) {
		t.Errorf("rows: %s, want a TAX_GRADE row", raw)
	}
}

func (e *env) intakeExec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.db.SQL().Exec(q, args...); err != nil {
		e.t.Fatal(err)
	}
}
