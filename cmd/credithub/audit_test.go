package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

func TestAuditVerifyReportsIntactAndBrokenChains(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, dbURL := testenv.DBWithURL(t)
	for _, target := range []string{"licence:1", "licence:2", "licence:3"} {
		ev := audit.Event{Actor: credit.Caller{ID: "key:1", Role: credit.RoleDepartment}, Action: "licence.recorded", Target: target}
		if err := audit.Append(ctx, db, ev); err != nil {
			t.Fatal(err)
		}
	}
	// The environment points elsewhere: the flag must win.
	getenv := func(name string) string {
		if name == "DATABASE_URL" {
			return "postgres://nobody@127.0.0.1:1/nothing?sslmode=disable"
		}
		return ""
	}
	verify := func() (string, error) {
		var stdout, stderr bytes.Buffer
		err := run(ctx, []string{"audit", "verify", "--database-url", dbURL}, getenv, &stdout, &stderr)
		return stdout.String(), err
	}

	out, err := verify()
	if err != nil || !strings.HasPrefix(out, "audit chain intact: 3 rows, last hash ") {
		t.Fatalf("got %q, %v; want an intact chain of 3 rows", out, err)
	}

	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SET session_replication_role = replica;
		UPDATE audit_log SET target = 'licence:20' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	_, err = verify()
	if err == nil || !strings.HasPrefix(err.Error(), "audit chain BROKEN at seq 2: ") {
		t.Errorf("got %v, want the chain broken at seq 2", err)
	}
}

func TestAuditHelpSucceeds(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"audit", "--help"}, {"audit", "verify", "--help"}} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr)
		if err != nil || !strings.Contains(stdout.String(), "credithub audit verify [--database-url URL]") || stderr.Len() != 0 {
			t.Errorf("%v: got %v and %q, want the usage on stdout and no error", args, err, stdout.String())
		}
	}
}
