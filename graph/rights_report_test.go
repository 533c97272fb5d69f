package graph_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/seal"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

// Reports: anyone submits, the reporter's contact is sealed at rest and
// only the credit office reads it, each read audited.

func keyring(t *testing.T, spec, current string) *seal.Keyring {
	t.Helper()
	k, err := seal.ParseKeys(spec, current)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newKey(t *testing.T) string {
	t.Helper()
	k, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

const submitReportMutation = `mutation($in: ReportInput!) { submitReport(input: $in) { reference receivedAt assignDueOn } }`

func reportIn(contact string) map[string]any {
	in := map[string]any{"subjectCode": testenv.USCC(8), "subjectName": "丹东被举报有限公司", "facts": "长期拖欠工程款并转移资产",
		"evidence": []string{"照片3张"}}
	if contact != "" {
		in["reporterName"], in["reporterContact"] = "李举报", contact
	}
	return map[string]any{"in": in}
}

func TestAReportersContactIsUnreadableInTheDatabaseAndReadOnlyByTheCreditOffice(t *testing.T) {
	k1 := newKey(t)
	e := newEnvFull(t, nil, service.WithReportKeys(keyring(t, "2026a:"+k1, "")))
	t.Parallel()
	const contact = "13800001111"
	e.as(credit.RolePublic)
	var receipt struct {
		SubmitReport struct{ Reference, ReceivedAt, AssignDueOn string }
	}
	e.query(submitReportMutation, reportIn(contact), &receipt)
	if r := receipt.SubmitReport; !strings.HasPrefix(r.Reference, "JB") || len(r.Reference) != 18 || r.AssignDueOn != "2026-12-01" {
		t.Fatalf("receipt: got %+v, want a JB reference and 2 working days to assign", r)
	}

	// In the database: neither the contact nor the name, in any column.
	var row, keyID string
	var nonce, sealed []byte
	if err := e.db.SQL().QueryRow(`SELECT row_to_json(r)::text, contact_key_id, contact_nonce, contact_sealed FROM reports r`).
		Scan(&row, &keyID, &nonce, &sealed); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(row, contact) || strings.Contains(row, "李举报") || bytes.Contains(sealed, []byte(contact)) || keyID != "2026a" {
		t.Fatalf("stored report: %s (key %q), want the reporter sealed with key 2026a", row, keyID)
	}
	var id int64
	if err := e.db.SQL().QueryRow(`SELECT id FROM reports`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	// Without the key it does not open: another key of the same id fails.
	stranger := keyring(t, "2026a:"+newKey(t), "")
	if _, err := stranger.Open(seal.Sealed{KeyID: keyID, Nonce: nonce, Ciphertext: sealed}, []byte("credithub report "+strconv.FormatInt(id, 10))); !errors.Is(err, seal.ErrOpen) {
		t.Fatalf("opened without the key: %v", err)
	}

	// Only the credit office reads it, and each read is audited.
	q := `{ reports { totalCount edges { node { id reference status hasReporter reporter { name contact } } } } }`
	for _, role := range []credit.Role{credit.RolePublic, credit.RoleBank, credit.RoleDashboard} {
		e.as(role)
		if code, _ := e.errorCode(q, nil); code != "FORBIDDEN" {
			t.Errorf("%s reading reports: got %s, want FORBIDDEN", role, code)
		}
	}
	e.as(credit.RoleCreditOffice)
	before := e.intakeRows(`SELECT count(*) FROM audit_log WHERE action = 'report.reporter_read'`)
	var list struct {
		Reports struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID, Reference, Status string
					HasReporter           bool
					Reporter              *struct{ Name, Contact string }
				}
			}
		}
	}
	e.query(q, nil, &list)
	n := list.Reports.Edges[0].Node
	if list.Reports.TotalCount != 1 || n.Reference != receipt.SubmitReport.Reference || n.Reporter == nil || n.Reporter.Contact != contact || n.Reporter.Name != "李举报" {
		t.Fatalf("office's read: got %+v", list.Reports)
	}
	if after := e.intakeRows(`SELECT count(*) FROM audit_log WHERE action = 'report.reporter_read'`); after != before+1 {
		t.Errorf("audit rows of reporter reads: got %d, want %d", after, before+1)
	}

	// The workflow: the office assigns, the department verifies (it sees
	// the report, never the reporter), the office answers.
	rid := map[string]any{"id": n.ID}
	e.query(`mutation($id: ID!) { assignReport(id: $id, department: "`+dept+`") { status } }`, rid, &struct{}{})
	e.as(credit.RoleDepartment)
	if code, _ := e.errorCode(`{ reports { edges { node { reporter { contact } } } } }`, nil); code != "FORBIDDEN" {
		t.Errorf("a department reading the reporter: got %s, want FORBIDDEN", code)
	}
	var seen struct{ Reports struct{ TotalCount int } }
	e.query(`{ reports { totalCount } }`, nil, &seen)
	if seen.Reports.TotalCount != 1 {
		t.Errorf("the assigned department's reports: got %d, want 1", seen.Reports.TotalCount)
	}
	e.as(credit.RoleCreditOffice)
	if code, _ := e.errorCode(`mutation($id: ID!) { answerReport(id: $id, answer: "已处理") { status } }`, rid); code != "CONFLICT" {
		t.Errorf("answering before verification: got %s, want CONFLICT", code)
	}
	e.as(credit.RoleDepartment)
	var verified struct {
		VerifyReport struct{ Status, Outcome, AnswerDueOn string }
	}
	e.query(`mutation($id: ID!) { verifyReport(id: $id, founded: true, findings: "经查属实，已立案") { status outcome answerDueOn } }`, rid, &verified)
	if v := verified.VerifyReport; v.Status != "VERIFIED" || v.Outcome != "VERIFIED" || v.AnswerDueOn != "2026-12-04" {
		t.Errorf("verified: got %+v, want VERIFIED with 5 working days to answer", v)
	}
	e.as(credit.RoleCreditOffice)
	var answered struct {
		AnswerReport struct{ Status, Outcome string }
	}
	e.query(`mutation($id: ID!) { answerReport(id: $id, answer: "您举报的问题经查属实，已依法处理") { status outcome } }`, rid, &answered)
	if answered.AnswerReport.Status != "ANSWERED" || answered.AnswerReport.Outcome != "VERIFIED" {
		t.Errorf("answered: got %+v", answered.AnswerReport)
	}
}

// Key rotation: reports sealed with the old key stay readable once a new
// key is current, new ones are sealed with it, and re-encryption moves the
// old ones so that the old key can go.
func TestReportKeysRotateWithoutLosingAReporter(t *testing.T) {
	oldKey, newKeyB64 := newKey(t), newKey(t)
	db := testenv.DB(t)
	t.Parallel()
	before := newEnvOn(t, db, nil, service.WithReportKeys(keyring(t, "old:"+oldKey, "")))
	before.as(credit.RolePublic)
	before.query(submitReportMutation, reportIn("old@example.cn"), &struct{}{})

	rotated := newEnvOn(t, db, nil, service.WithReportKeys(keyring(t, "old:"+oldKey+",new:"+newKeyB64, "new")))
	rotated.as(credit.RolePublic)
	rotated.query(submitReportMutation, reportIn("new@example.cn"), &struct{}{})
	if got := reporterKeys(t, rotated); got != "new,old" {
		t.Fatalf("keys of the stored reporters: got %s, want one each", got)
	}
	contacts := func(e *env) string {
		t.Helper()
		e.as(credit.RoleCreditOffice)
		var out struct {
			Reports struct {
				Edges []struct {
					Node struct{ Reporter struct{ Contact string } }
				}
			}
		}
		e.query(`{ reports { edges { node { reporter { contact } } } } }`, nil, &out)
		var cs []string
		for _, ed := range out.Reports.Edges {
			cs = append(cs, ed.Node.Reporter.Contact)
		}
		return strings.Join(cs, " ")
	}
	if got := contacts(rotated); got != "new@example.cn old@example.cn" {
		t.Fatalf("read with both keys: got %q", got)
	}
	n, err := rotated.svc.RekeyReporters(context.Background(), credit.Caller{ID: "cli:test", Role: credit.RoleCreditOffice}, 1)
	if err != nil || n != 1 {
		t.Fatalf("rekey: got %d, %v, want the one old report resealed", n, err)
	}
	if got := reporterKeys(t, rotated); got != "new,new" {
		t.Fatalf("keys after rekey: got %s", got)
	}
	onlyNew := newEnvOn(t, db, nil, service.WithReportKeys(keyring(t, "new:"+newKeyB64, "")))
	if got := contacts(onlyNew); got != "new@example.cn old@example.cn" {
		t.Errorf("read with the new key only: got %q", got)
	}
	onlyOld := newEnvOn(t, db, nil, service.WithReportKeys(keyring(t, "old:"+oldKey, "")))
	onlyOld.as(credit.RoleCreditOffice)
	if code, _ := onlyOld.errorCode(`{ reports { edges { node { reporter { contact } } } } }`, nil); code != "UNAVAILABLE" {
		t.Errorf("read without the current key: got %s, want UNAVAILABLE", code)
	}

	// A server without keys takes anonymous reports only.
	none := newEnvOn(t, db, nil)
	none.as(credit.RolePublic)
	if code, _ := none.errorCode(submitReportMutation, reportIn("x@example.cn")); code != "UNAVAILABLE" {
		t.Errorf("a reporter's contact without keys: got %s, want UNAVAILABLE", code)
	}
	none.query(submitReportMutation, reportIn(""), &struct{}{})
}

func reporterKeys(t *testing.T, e *env) string {
	t.Helper()
	rows, err := e.db.SQL().Query(`SELECT contact_key_id FROM reports WHERE contact_key_id IS NOT NULL ORDER BY contact_key_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ks []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		ks = append(ks, k)
	}
	return strings.Join(ks, ",")
}
