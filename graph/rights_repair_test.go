package graph_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/push"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

// Credit repair end to end: the first allowed day by the rule of each
// severity and list domain, and what a granted repair changes.

// clock is a settable "now" for a service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(day string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := credit.MustDate(day).Time()
	c.t = time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, credit.Shanghai)
}

const requestRepairMutation = `mutation($in: RepairInput!) { requestRepair(input: $in) {
	id status firstAllowed ruleKey acceptDueOn record { kind id } } }`

func repairIn(kind string, id any) map[string]any {
	return map[string]any{"in": map[string]any{"record": map[string]any{"kind": kind, "id": id}, "obligationsPerformed": true,
		"evidence": []string{"罚款缴纳凭证 2026-0001"}, "commitment": "信用承诺书 丹信承〔2026〕1号"}}
}

func TestRepairIsRefusedTheDayBeforeTheFirstAllowedDayAndAcceptedOnIt(t *testing.T) {
	var c clock
	c.set("2026-11-27")
	e := newEnvFull(t, nil, service.WithClock(c.now))
	t.Parallel()
	oid := e.f.Subject(testenv.USCC(5), credit.LegalPerson, "丹东修复有限公司")
	cases := []struct {
		severity         credit.Severity
		dayBefore, first string
		rule             string
	}{
		// The examples: 一般 decided 2026-05-12 from 2026-08-12, 严重 from 2027-05-12 (Civil Code periods);
		// 轻微 has no minimum and is repairable from its decision day.
		{credit.General, "2026-08-11", "2026-08-12", "PUBLICATION_WINDOW/GENERAL@2026-04-01"},
		{credit.Serious, "2027-05-11", "2027-05-12", "PUBLICATION_WINDOW/SERIOUS@2026-04-01"},
		{credit.Minor, "2026-05-11", "2026-05-12", "PUBLICATION_WINDOW/MINOR@2026-04-01"},
	}
	for _, tc := range cases {
		pen := e.f.Penalty(oid, dept, "2026-05-12", tc.severity, 100000)
		c.set(tc.dayBefore)
		code, ge := e.errorCode(requestRepairMutation, repairIn("PENALTY", pen))
		if code != "BAD_USER_INPUT" || ge.Extensions["field"] != "input.record" || !strings.Contains(ge.Message, "from "+tc.first) ||
			!strings.Contains(ge.Message, tc.rule) {
			t.Errorf("%s on %s: got %s %q, want BAD_USER_INPUT naming %s and the rule %s", tc.severity, tc.dayBefore, code, ge.Message, tc.first, tc.rule)
		}
		c.set(tc.first)
		var out struct {
			RequestRepair struct {
				ID, Status, FirstAllowed, RuleKey string
				AcceptDueOn                       *string
			}
		}
		e.query(requestRepairMutation, repairIn("PENALTY", pen), &out)
		if r := out.RequestRepair; r.Status != "REQUESTED" || r.FirstAllowed != tc.first || r.RuleKey != tc.rule || r.AcceptDueOn == nil {
			t.Errorf("%s on %s: got %+v, want REQUESTED from %s under %s", tc.severity, tc.first, r, tc.first, tc.rule)
		}
	}

	// A list entry: MARKET_SERIOUS_VIOLATION may be repaired 12 months after its start; court enforcement not at all.
	c.set("2026-11-27")
	early := e.f.ListEntry(testenv.Entry{Subject: oid, Kind: credit.Black, Domain: "MARKET_SERIOUS_VIOLATION", Dept: dept, DecidedOn: "2025-11-28", EndsOn: "2028-11-28"})
	due := e.f.ListEntry(testenv.Entry{Subject: oid, Kind: credit.Black, Domain: "MARKET_SERIOUS_VIOLATION", Dept: dept, DecidedOn: "2025-11-27", EndsOn: "2028-11-27"})
	court := e.f.ListEntry(testenv.Entry{Subject: oid, Kind: credit.Black, Domain: "COURT_ENFORCEMENT_DISHONESTY", Dept: dept, DecidedOn: "2024-01-01", EndsOn: "2027-01-01"})
	if code, ge := e.errorCode(requestRepairMutation, repairIn("LIST_ENTRY", early)); code != "BAD_USER_INPUT" || !strings.Contains(ge.Message, "from 2026-11-28") {
		t.Errorf("entry started 2025-11-28: got %s %q, want refused until 2026-11-28", code, ge.Message)
	}
	var out struct {
		RequestRepair struct{ Status, RuleKey string }
	}
	e.query(requestRepairMutation, repairIn("LIST_ENTRY", due), &out)
	if out.RequestRepair.Status != "REQUESTED" || out.RequestRepair.RuleKey != "LIST_TERM/MARKET_SERIOUS_VIOLATION@2021-09-01" {
		t.Errorf("entry started 2025-11-27: got %+v", out.RequestRepair)
	}
	if code, ge := e.errorCode(requestRepairMutation, repairIn("LIST_ENTRY", court)); code != "BAD_USER_INPUT" || !strings.Contains(ge.Message, "provides no credit repair") {
		t.Errorf("court enforcement entry: got %s %q, want BAD_USER_INPUT: its rule gives no repair", code, ge.Message)
	}
	if code, _ := e.errorCode(requestRepairMutation, repairIn("LIST_ENTRY", due)); code != "CONFLICT" {
		t.Errorf("a second application for the same entry: got %s, want CONFLICT", code)
	}
	in := repairIn("LIST_ENTRY", due)
	in["in"].(map[string]any)["obligationsPerformed"] = false
	if code, ge := e.errorCode(requestRepairMutation, in); code != "BAD_USER_INPUT" || ge.Extensions["field"] != "input.obligationsPerformed" {
		t.Errorf("obligations not performed: got %s %+v", code, ge.Extensions)
	}
}

// A repaired black-list entry stops counting in both checks, for the
// company and for its legal representative, from the repair day; an
// answer about the day before still shows it. Its assignments close and
// the department hears of it on its subscription.
func TestARepairedBlackListEntryStopsCountingForTheCompanyAndItsRepresentative(t *testing.T) {
	db, url := testenv.DBWithURL(t)
	hub, err := push.Listen(context.Background(), url, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Close() })
	var c clock
	c.set("2026-11-27")
	e := newEnvOn(t, db, func(o *graph.HandlerOptions) { o.Push = hub }, append(redisOpts(testenv.Cache(t)), service.WithClock(c.now))...)
	t.Parallel()
	org, rep := testenv.USCC(6), testenv.CitizenID(6)
	oid := e.f.Subject(org, credit.LegalPerson, "丹东修复名单有限公司")
	pid := e.f.Subject(rep, credit.NaturalPerson, "孙七")
	e.f.KeyPerson(oid, pid, credit.LegalRepresentative, "2020-01-01", "")
	e.f.Measure("WAGE_LOAN_AND_REVIEW", credit.Punishment, credit.Black, "WAGE_ARREARS", dept, credit.BankCredit, credit.ApprovalWindow)
	c.set("2025-11-20")
	entry, assignment := e.listedWithAssignment(org, "丹人社黑〔2025〕9号", "2025-11-20")
	c.set("2026-11-27")

	srv := httptestServer(t, e)
	pushes := subscribe(t, srv, e.key(credit.RoleDepartment), `subscription { assignmentPushed(department: "`+dept+`") { id status } }`)

	bank := func(code, asOf string) creditCheckOut {
		t.Helper()
		saved := e.token
		defer func() { e.token = saved }()
		e.as(credit.RoleBank)
		var out creditCheckOut
		vars := map[string]any{"c": code}
		if asOf != "" {
			vars["asOf"] = asOf
		}
		e.query(creditCheckQuery, vars, &out)
		return out
	}
	for _, code := range []string{org, rep} {
		if b := bank(code, ""); !b.CreditCheck.Blacklisted || b.CreditCheck.Verdict != "RESTRICTED" {
			t.Fatalf("%s before the repair: got %+v, want blacklisted", code, b.CreditCheck)
		}
		if w := e.windowCheck(code, ""); w.ApplicantCheck.GreenChannel {
			t.Fatalf("%s before the repair: the window check grants the green channel", code)
		}
	}

	// Requested through a window for the subject, accepted and granted by the listing department.
	e.as(credit.RoleWindow)
	var req struct {
		RequestRepair struct{ ID, FirstAllowed string }
	}
	e.query(requestRepairMutation, repairIn("LIST_ENTRY", entry), &req)
	if req.RequestRepair.FirstAllowed != "2026-11-20" {
		t.Fatalf("requested: got %+v, want repairable from 2026-11-20 (12 months after the start)", req.RequestRepair)
	}
	e.as(credit.RoleDepartment)
	id := map[string]any{"id": req.RequestRepair.ID}
	if code, _ := e.errorCode(`mutation($id: ID!) { grantRepair(id: $id, decisionNumber: "丹人社修〔2026〕1号") { id } }`, id); code != "CONFLICT" {
		t.Errorf("granting before acceptance: got %s, want CONFLICT", code)
	}
	e.query(`mutation($id: ID!) { acceptRepair(id: $id) { id } }`, id, &struct{}{})
	var granted struct {
		GrantRepair struct {
			Status, DecidedOn, DecisionNumber string
			Open                              bool
		}
	}
	e.query(`mutation($id: ID!) { grantRepair(id: $id, decisionNumber: "丹人社修〔2026〕1号") { status decidedOn decisionNumber open } }`, id, &granted)
	if g := granted.GrantRepair; g.Status != "GRANTED" || g.DecidedOn != "2026-11-27" || g.Open {
		t.Fatalf("granted: got %+v", g)
	}

	for _, code := range []string{org, rep} {
		if b := bank(code, ""); b.CreditCheck.Blacklisted || b.CreditCheck.Verdict != "CLEAR" || len(b.CreditCheck.Measures) != 0 {
			t.Errorf("%s after the repair: got %+v, want CLEAR with no measure", code, b.CreditCheck)
		}
		if w := e.windowCheck(code, ""); !w.ApplicantCheck.GreenChannel || len(w.ApplicantCheck.Measures) != 0 {
			t.Errorf("%s after the repair: window check %+v, want the green channel and no measure", code, w.ApplicantCheck)
		}
		if b := bank(code, "2026-11-26"); !b.CreditCheck.Blacklisted {
			t.Errorf("%s as of the day before the repair: got %+v, want it still blacklisted", code, b.CreditCheck)
		}
		if w := e.windowCheck(code, "2026-11-26"); w.ApplicantCheck.GreenChannel {
			t.Errorf("%s as of the day before the repair: the window check grants the green channel", code)
		}
	}
	var entries struct {
		Subject struct {
			ListEntries []struct{ Status, ExitDecisionNumber, EndedOn string }
		}
	}
	e.as(credit.RoleCreditOffice)
	e.query(`query($c: ID!) { subject(code: $c) { listEntries { status exitDecisionNumber endedOn } } }`, map[string]any{"c": org}, &entries)
	if es := entries.Subject.ListEntries; len(es) != 1 || es[0].Status != "REPAIRED" || es[0].EndedOn != "2026-11-27" {
		t.Errorf("the entry after the repair: got %+v, want it kept as REPAIRED from today", es)
	}
	if st := e.assignmentStatus(assignment); st != "CLOSED" {
		t.Errorf("the assignment after the repair: got %s, want CLOSED", st)
	}
	if n := e.intakeRows(`SELECT count(*) FROM push_outbox WHERE assignment_id = ` + assignment); n != 2 {
		t.Errorf("push rows of the assignment: got %d, want 2 (pushed, closed)", n)
	}
	// The approval's own push may still be on its way when the
	// subscription starts: wait for the one that says CLOSED.
	deadline := time.After(5 * time.Second)
	for closed := false; !closed; {
		select {
		case msg := <-pushes:
			var got struct{ AssignmentPushed struct{ ID, Status string } }
			if err := json.Unmarshal(msg, &got); err != nil || got.AssignmentPushed.ID != assignment {
				t.Fatalf("push to the implementing department: got %s (%v), want its assignment", msg, err)
			}
			closed = got.AssignmentPushed.Status == "CLOSED"
		case <-deadline:
			t.Fatal("the implementing department was not told of the closed assignment")
		}
	}
}

// A granted penalty repair ends its publication and goes to the export
// as repaired (CF_ZT 3).
func TestARepairedPenaltyIsNoLongerPublishedAndIsExportedAsRepaired(t *testing.T) {
	e := newEnv(t)
	org := testenv.USCC(7)
	oid := e.f.Subject(org, credit.LegalPerson, "丹东公示修复有限公司")
	pen := e.f.Penalty(oid, dept, "2026-07-01", credit.General, 100000)
	e.f.Scoped("penalties", pen, credit.ScopePublic, "2027-07-01")
	e.runExport(service.ExportRequest{})
	published := func() int {
		t.Helper()
		saved := e.token
		defer func() { e.token = saved }()
		e.as(credit.RolePublic)
		var out struct {
			Subject struct{ Penalties struct{ TotalCount int } }
		}
		e.query(`query($c: ID!) { subject(code: $c) { penalties { totalCount } } }`, map[string]any{"c": org}, &out)
		return out.Subject.Penalties.TotalCount
	}
	if n := published(); n != 1 {
		t.Fatalf("published before: got %d, want 1", n)
	}
	e.as(credit.RoleDepartment)
	var req struct{ RequestRepair struct{ ID string } }
	e.query(requestRepairMutation, repairIn("PENALTY", pen), &req)
	id := map[string]any{"id": req.RequestRepair.ID}
	e.query(`mutation($id: ID!) { acceptRepair(id: $id) { id } }`, id, &struct{}{})
	e.query(`mutation($id: ID!) { grantRepair(id: $id, decisionNumber: "丹市监修〔2026〕3号") { id } }`, id, &struct{}{})
	if n := published(); n != 0 {
		t.Errorf("published after the repair: got %d, want 0", n)
	}
	x := e.runExport(service.ExportRequest{})
	if rows := x.rows(t, credit.RecordKindPenalty); len(rows) != 1 || rows[0]["CF_ZT"] != "3" {
		t.Errorf("export after the repair: got %+v, want the penalty with CF_ZT 3", rows)
	}
	var list struct {
		Repairs struct {
			TotalCount int
			Edges      []struct {
				Node struct{ Status, DecisionNumber string }
			}
		}
	}
	e.as(credit.RoleDashboard)
	e.query(`{ repairs(filter: {status: GRANTED}) { totalCount edges { node { status decisionNumber } } } }`, nil, &list)
	if list.Repairs.TotalCount != 1 || list.Repairs.Edges[0].Node.DecisionNumber != "丹市监修〔2026〕3号" {
		t.Errorf("repairs: got %+v", list.Repairs)
	}
	var stats struct {
		RepairStats struct {
			Rows  []struct{ Requested, Granted int }
			Total struct{ Requested, Accepted, Granted, DecidedInTime int }
		}
	}
	e.query(`{ repairStats(from: "2026-11-01", to: "2026-11-30") { rows { requested granted } total { requested accepted granted decidedInTime } } }`, nil, &stats)
	if s := stats.RepairStats; len(s.Rows) != 1 || s.Total.Requested != 1 || s.Total.Granted != 1 || s.Total.DecidedInTime != 1 ||
		s.Rows[0].Granted != s.Total.Granted {
		t.Errorf("repair stats: got %+v", s)
	}
}

// httptestServer serves e's handler on a real listener for the test.
func httptestServer(t *testing.T, e *env) string {
	t.Helper()
	srv := httptest.NewServer(e.h)
	t.Cleanup(srv.Close)
	return srv.URL
}
