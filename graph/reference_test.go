package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

// freshEnv is a hub on a database that has seen `credithub migrate up` and
// nothing else: no seed, no fixture department.
func freshEnv(t *testing.T) *env {
	t.Helper()
	t.Parallel()
	db := testenv.DB(t)
	svc := service.New(db, service.WithClock(func() time.Time { return today }))
	authn, err := auth.New(context.Background(), db, auth.JWTConfig{HS256Secret: testJWTSecret}, false)
	if err != nil {
		t.Fatal(err)
	}
	h := graph.NewHandler(svc, graph.HandlerOptions{Auth: authn, Introspection: true})
	return &env{t: t, db: db, svc: svc, f: testenv.NewFixtures(t, db), keys: map[credit.Role]string{}, h: h}
}

// departmentKey returns a DEPARTMENT key bound to code.
func (e *env) departmentKey(code string) string {
	e.t.Helper()
	k, _, err := auth.CreateKey(context.Background(), e.db, auth.KeySpec{Role: credit.RoleDepartment,
		Institution: "部门 " + code, Department: code}, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return k
}

// A city that ran `credithub migrate up` and no seed: the credit office
// registers its departments and names who implements a national measure,
// a department pushes a penalty and proposes a list entry, the office
// approves it with the measures the case applies, the implementing
// department accepts, executes and feeds back, and the entry's exit closes
// the case.
func TestFreshDatabaseTakesAPushAndAFullListAndCaseRoundTrip(t *testing.T) {
	e := freshEnv(t)
	court, finance := "11210600MB0000002P", "11210600MB0000004X"
	for _, c := range []string{court, finance} {
		if _, err := credit.NormalizeUSCC(c); err != nil {
			t.Fatalf("test code %s: %v", c, err)
		}
	}
	office := e.key(credit.RoleCreditOffice)
	e.token = office
	// Nothing works before the city names its departments.
	if code, _ := e.errorCode(recordPenaltyMutation, penaltyIn("（2026）辽06执罚1号", func(in, _ map[string]any) {
		in["authorityCode"] = court
	})); code != "BAD_USER_INPUT" {
		t.Fatalf("a push before any department: got %s, want BAD_USER_INPUT", code)
	}
	e.query(`mutation { a: saveDepartment(input: {code: "`+court+`", name: "辽宁省丹东市中级人民法院"}) { code }
		b: saveDepartment(input: {code: "`+finance+`", name: "丹东市财政局"}) { code } }`, nil, &struct{}{})
	// The national catalogue names the kind of authority; the city adopts
	// a measure by naming its department in the measure's next version.
	var catalogue struct {
		MeasureCatalogue []struct {
			Code, ImplementingAuthority string
			ImplementingDepartment      *string
		}
	}
	e.query(`{ measureCatalogue(domain: "COURT_ENFORCEMENT_DISHONESTY") { code implementingAuthority implementingDepartment } }`, nil, &catalogue)
	if len(catalogue.MeasureCatalogue) != 11 || catalogue.MeasureCatalogue[0].ImplementingDepartment != nil {
		t.Fatalf("the national catalogue of 失信被执行人: got %+v, want its 11 groups of measures without city departments", catalogue.MeasureCatalogue)
	}
	var adopted struct{ AddMeasureVersion struct{ Version int } }
	e.query(`mutation($d: ID!) { addMeasureVersion(input: {code: "COURT_BUSINESS_AND_PROJECT_LIMIT", kind: PUNISHMENT,
		name: "从事特定行业或项目限制", legalBasis: "关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）",
		implementingDepartment: $d, appliesTo: [ORGANIZATION], contexts: [PUBLIC_PROCUREMENT, FISCAL_FUNDS],
		listKind: BLACK, domain: "COURT_ENFORCEMENT_DISHONESTY", effectiveFrom: "2016-01-20"}) { version } }`,
		map[string]any{"d": finance}, &adopted)
	if adopted.AddMeasureVersion.Version != 2 {
		t.Fatalf("adopted measure: version %d, want 2", adopted.AddMeasureVersion.Version)
	}

	// The court pushes a penalty and proposes an entry.
	e.token = e.departmentKey(court)
	var pushed intakePenaltyOut
	e.query(recordPenaltyMutation, penaltyIn("（2026）辽06执罚1号", func(in, _ map[string]any) {
		in["authorityCode"], in["authorityName"] = court, "辽宁省丹东市中级人民法院"
	}), &pushed)
	party := intakeOrg // penaltyIn's party, registered by the push
	var proposed struct{ ProposeListEntry struct{ ID, EndsOn string } }
	e.query(`mutation($in: ListEntryInput!) { proposeListEntry(input: $in) { id endsOn } }`, map[string]any{"in": map[string]any{
		"subjectCode": party, "kind": "BLACK", "domain": "COURT_ENFORCEMENT_DISHONESTY",
		"decisionNumber": "（2026）辽06执恢12号", "decidedOn": "2026-11-20", "facts": "有履行能力而拒不履行生效法律文书确定的义务"}}, &proposed)
	if proposed.ProposeListEntry.EndsOn != "2028-11-20" {
		t.Errorf("proposed: ends %s, want 2028-11-20 (2 years, 法释〔2017〕7号)", proposed.ProposeListEntry.EndsOn)
	}

	// The office approves, applying two of the eleven measures: one the
	// city's finance bureau implements, one no city department does.
	e.token = office
	var approved struct {
		ApproveListEntry struct {
			Status   string
			Measures []struct{ Code, ImplementingDepartment string }
		}
	}
	e.query(`mutation($id: ID!) { approveListEntry(id: $id, measures: [{code: "COURT_BUSINESS_AND_PROJECT_LIMIT"},
		{code: "COURT_HIGH_CONSUMPTION_LIMIT"}]) { status measures { code implementingDepartment } } }`,
		map[string]any{"id": proposed.ProposeListEntry.ID}, &approved)
	if approved.ApproveListEntry.Status != "ACTIVE" || len(approved.ApproveListEntry.Measures) != 2 {
		t.Fatalf("approved: got %+v, want ACTIVE with the two measures named", approved.ApproveListEntry)
	}
	if code, err := e.errorCode(`mutation($id: ID!) { approveListEntry(id: $id, measures: [{code: "TAX_EXIT_BAN"}]) { status } }`,
		map[string]any{"id": proposed.ProposeListEntry.ID}); code != "CONFLICT" {
		t.Errorf("approving twice: got %s %v, want CONFLICT", code, err.Extensions)
	}

	// The finance bureau gets the one push, and works it.
	e.token = e.departmentKey(finance)
	var mine struct {
		MyAssignments []struct {
			ID, Status string
			Measure    struct{ Code string }
			Case       struct{ ID string }
		}
	}
	e.query(`{ myAssignments { id status measure { code } case { id } } }`, nil, &mine)
	if len(mine.MyAssignments) != 1 || mine.MyAssignments[0].Measure.Code != "COURT_BUSINESS_AND_PROJECT_LIMIT" {
		t.Fatalf("the finance bureau's assignments: got %+v, want the adopted measure", mine.MyAssignments)
	}
	a := mine.MyAssignments[0]
	e.query(`mutation($a: ID!) { acceptAssignment(id: $a) { status } }`, map[string]any{"a": a.ID}, &struct{}{})
	e.query(`mutation($a: ID!) { recordExecution(assignment: $a, documentNumber: "丹财采〔2026〕8号", date: "2026-11-26") { id } }`,
		map[string]any{"a": a.ID}, &struct{}{})
	e.query(`mutation($c: ID!) { submitFeedback(case: $c, period: "2026Q4", text: "已限制参加政府采购") { id } }`,
		map[string]any{"c": a.Case.ID}, &struct{}{})

	// The court ends the entry; the case and its assignment close.
	e.token = e.departmentKey(court)
	e.query(`mutation($id: ID!) { exitListEntry(id: $id, input: {decisionNumber: "（2026）辽06执恢12号之一", decidedOn: "2026-11-27",
		reason: OBLIGATIONS_FULFILLED}) { status } }`, map[string]any{"id": proposed.ProposeListEntry.ID}, &struct{}{})
	e.token = office
	var cases struct {
		JointCases struct {
			Edges []struct {
				Node struct {
					ClosedAt    *string
					Assignments []struct{ Status, DepartmentCode string }
				}
			}
		}
	}
	e.query(`{ jointCases(first: 5) { edges { node { closedAt assignments { status departmentCode } } } } }`, nil, &cases)
	if len(cases.JointCases.Edges) != 1 || cases.JointCases.Edges[0].Node.ClosedAt == nil ||
		len(cases.JointCases.Edges[0].Node.Assignments) != 1 || cases.JointCases.Edges[0].Node.Assignments[0].Status != "CLOSED" {
		t.Fatalf("after the exit: got %+v, want one closed case with its one assignment CLOSED", cases.JointCases)
	}
}
