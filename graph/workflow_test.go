package graph_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/push"
	"github.com/credithub/credithub/internal/testenv"
)

// The joint workflow through GraphQL: a department proposes, the credit
// office approves (never the proposer), the measure is pushed to the
// implementing department over a real websocket, which accepts, executes
// and feeds back; the statistics count it.

func TestJointWorkflowThroughGraphQLWithAPushOverAWebsocket(t *testing.T) {
	db, url := testenv.DBWithURL(t)
	hub, err := push.Listen(context.Background(), url, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hub.Close() })
	e := newEnvOn(t, db, func(o *graph.HandlerOptions) { o.Push = hub })
	t.Parallel()
	org := e.f.Subject(testenv.USCC(1), credit.LegalPerson, "丹东欠薪有限公司")
	_ = org
	e.f.Measure("WAGE_LOAN_LIMIT", credit.Punishment, credit.Black, "WAGE_ARREARS", dept, credit.BankCredit)

	// The implementing department subscribes over graphql-transport-ws.
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	pushes := subscribe(t, srv.URL, e.key(credit.RoleDepartment), `subscription { assignmentPushed(department: "`+dept+`") { id status measure { code } } }`)

	e.as(credit.RoleDepartment)
	var proposed struct {
		ProposeListEntry struct{ ID, Status, EndsOn string }
	}
	e.query(`mutation($in: ListEntryInput!) { proposeListEntry(input: $in) { id status endsOn } }`, map[string]any{"in": map[string]any{
		"subjectCode": testenv.USCC(1), "kind": "BLACK", "domain": "WAGE_ARREARS", "decisionNumber": "丹人社黑〔2026〕1号",
		"decidedOn": "2026-11-20", "facts": "拖欠农民工工资"}}, &proposed)
	if proposed.ProposeListEntry.Status != "PROPOSED" || proposed.ProposeListEntry.EndsOn != "2029-11-20" {
		t.Fatalf("proposed: got %+v, want PROPOSED ending 2029-11-20 (36 months from the decision)", proposed.ProposeListEntry)
	}
	id := proposed.ProposeListEntry.ID
	// The department cannot approve; an office identity approves.
	if code, _ := e.errorCode(`mutation($id: ID!) { approveListEntry(id: $id) { status } }`, map[string]any{"id": id}); code != "FORBIDDEN" {
		t.Fatalf("department approving: got %s, want FORBIDDEN", code)
	}
	e.as(credit.RoleCreditOffice)
	var approved struct{ ApproveListEntry struct{ Status string } }
	e.query(`mutation($id: ID!) { approveListEntry(id: $id) { status } }`, map[string]any{"id": id}, &approved)
	if approved.ApproveListEntry.Status != "ACTIVE" {
		t.Fatalf("approved: got %+v", approved.ApproveListEntry)
	}

	var got struct {
		AssignmentPushed struct {
			ID, Status string
			Measure    struct{ Code string }
		}
	}
	select {
	case msg := <-pushes:
		if err := json.Unmarshal(msg, &got); err != nil || got.AssignmentPushed.Measure.Code != "WAGE_LOAN_LIMIT" {
			t.Fatalf("push: got %s (%v)", msg, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no push arrived over the websocket")
	}

	e.as(credit.RoleDepartment)
	a := got.AssignmentPushed.ID
	e.query(`mutation($a: ID!) { acceptAssignment(id: $a) { status } }`, map[string]any{"a": a}, &struct{}{})
	e.query(`mutation($a: ID!) { recordExecution(assignment: $a, documentNumber: "丹银执〔2026〕1号", date: "2026-11-25") { id } }`,
		map[string]any{"a": a}, &struct{}{})
	var mine struct {
		MyAssignments []struct {
			Status string
			Case   struct{ ID string }
		}
	}
	e.query(`{ myAssignments { status case { id } } }`, nil, &mine)
	if len(mine.MyAssignments) != 1 || mine.MyAssignments[0].Status != "EXECUTED" {
		t.Fatalf("myAssignments: got %+v", mine.MyAssignments)
	}
	e.query(`mutation($c: ID!) { submitFeedback(case: $c, period: "2026Q4", text: "已限制授信") { id } }`,
		map[string]any{"c": mine.MyAssignments[0].Case.ID}, &struct{}{})

	e.as(credit.RoleDashboard)
	var stats struct {
		JointCaseStats struct {
			CasesOpened int
			Total       struct {
				Pushed, Executed, FedBack int
				ExecutedPercent           *float64
			}
		}
	}
	e.query(`{ jointCaseStats(from: "2026-11-01", to: "2026-11-30") { casesOpened total { pushed executed fedBack executedPercent } } }`, nil, &stats)
	s := stats.JointCaseStats
	if s.CasesOpened != 1 || s.Total.Pushed != 1 || s.Total.Executed != 1 || s.Total.FedBack != 1 || s.Total.ExecutedPercent == nil || *s.Total.ExecutedPercent != 100 {
		t.Fatalf("stats: got %+v", s)
	}

	// Exit closes the open assignments; a further execution is refused.
	e.as(credit.RoleCreditOffice)
	e.query(`mutation($id: ID!) { exitListEntry(id: $id, input: {decisionNumber: "丹人社出〔2026〕1号", decidedOn: "2026-11-27", reason: OBLIGATIONS_FULFILLED}) { status } }`,
		map[string]any{"id": id}, &struct{}{})
	e.as(credit.RoleDepartment)
	if code, _ := e.errorCode(`mutation($a: ID!) { recordExecution(assignment: $a, documentNumber: "丹银执〔2026〕2号", date: "2026-11-27") { id } }`,
		map[string]any{"a": a}); code != "CONFLICT" {
		t.Fatalf("execution after exit: got %s, want CONFLICT", code)
	}
}

// subscribe opens a graphql-transport-ws subscription and returns the
// payloads' data as they arrive.
func subscribe(t *testing.T, url, token, query string) <-chan json.RawMessage {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http")+"/", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close(websocket.StatusNormalClosure, "") })
	send := func(v any) {
		b, _ := json.Marshal(v)
		if err := conn.Write(ctx, websocket.MessageText, b); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + token}})
	var ack struct{ Type string }
	_, b, err := conn.Read(ctx)
	if err != nil || json.Unmarshal(b, &ack) != nil || ack.Type != "connection_ack" {
		t.Fatalf("init: got %s, %v", b, err)
	}
	send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query}})
	out := make(chan json.RawMessage, 8)
	go func() {
		for {
			_, b, err := conn.Read(ctx)
			if err != nil {
				return
			}
			var m struct {
				Type    string
				Payload struct{ Data json.RawMessage }
			}
			if json.Unmarshal(b, &m) == nil && m.Type == "next" {
				out <- m.Payload.Data
			}
		}
	}()
	time.Sleep(200 * time.Millisecond) // let the subscription register with the hub
	return out
}
