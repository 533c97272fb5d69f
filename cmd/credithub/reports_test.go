package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/seal"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

// The rotation the README describes, with the commands: a new key from
// newkey, both keys configured with the new one current, rekey, and keys
// showing nothing left under the old key.
func TestReportKeyRotationWithTheCommands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, dbURL := testenv.DBWithURL(t)
	runCmd := func(env map[string]string, args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		err := run(ctx, args, func(name string) string {
			if name == "DATABASE_URL" {
				return dbURL
			}
			return env[name]
		}, &stdout, &stderr)
		return stdout.String(), err
	}
	newKey := func(id string) string {
		out, err := runCmd(nil, "reports", "newkey", id)
		if err != nil || !strings.HasPrefix(out, id+":") {
			t.Fatalf("newkey: got %q, %v", out, err)
		}
		return strings.TrimSpace(out)
	}
	old, fresh := newKey("old"), newKey("new")
	if _, err := seal.ParseKeys(old, ""); err != nil {
		t.Fatalf("newkey printed a key REPORT_KEYS refuses: %v", err)
	}

	// Two reports sealed with the old key.
	oldRing, _ := seal.ParseKeys(old, "")
	svc := service.New(db, service.WithReportKeys(oldRing))
	public := credit.WithCaller(ctx, credit.Anonymous)
	for _, contact := range []string{"a@example.cn", "b@example.cn"} {
		if _, err := svc.SubmitReport(public, credit.ReportInput{SubjectCode: testenv.USCC(1), Facts: "拖欠工资",
			Reporter: &credit.Reporter{Contact: contact}}); err != nil {
			t.Fatal(err)
		}
	}
	both := map[string]string{"REPORT_KEYS": old + "," + fresh, "REPORT_KEY_ID": "new"}
	out, err := runCmd(both, "reports", "keys")
	if err != nil || !strings.Contains(out, "* new  0 reports") || !strings.Contains(out, "  old  2 reports") {
		t.Fatalf("keys before rekey: got %q, %v", out, err)
	}
	if _, err := runCmd(map[string]string{"REPORT_KEYS": fresh}, "reports", "keys"); err == nil || !strings.Contains(err.Error(), "old (2 reports)") {
		t.Errorf("keys without the old key: got %v, want it to say 2 reports need it", err)
	}
	out, err = runCmd(both, "reports", "rekey", "--batch", "1")
	if err != nil || !strings.Contains(out, "resealed 2 reporters with key new") {
		t.Fatalf("rekey: got %q, %v", out, err)
	}
	out, err = runCmd(map[string]string{"REPORT_KEYS": fresh}, "reports", "keys")
	if err != nil || !strings.Contains(out, "* new  2 reports") {
		t.Errorf("keys after rekey with the new key only: got %q, %v", out, err)
	}
	var audited int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'report.rekeyed'`).Scan(&audited); err != nil || audited != 2 {
		t.Errorf("rekey audit rows: got %d (%v), want one per batch of 1", audited, err)
	}
}
