package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

func TestOperationsAreInstalledListedAndRemovedThroughTheCommandLine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := testenv.NewDatabase(t)
	getenv := func(name string) string {
		if name == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	cli := func(args ...string) (string, string, error) {
		var stdout, stderr bytes.Buffer
		err := run(ctx, args, getenv, &stdout, &stderr)
		return stdout.String(), stderr.String(), err
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "bank-check.graphql")
	const text = `query Bank($c: ID!) { creditCheck(code: $c, purpose: "贷前审查") { verdict } }`
	os.WriteFile(good, []byte(text), 0o600)
	bad := filepath.Join(dir, "bad.graphql")
	os.WriteFile(bad, []byte(`{ creditCheck(code: "x") { nosuchfield } }`), 0o600)

	if _, _, err := cli("operations", "add", bad); err == nil || !strings.Contains(err.Error(), "does not validate") {
		t.Fatalf("an invalid document: got %v, want it refused", err)
	}
	out, _, err := cli("operations", "add", good)
	hash := strings.TrimSpace(out)
	if err != nil || hash != service.HashOperation(text) {
		t.Fatalf("add: got %q, %v; want the document's SHA-256", out, err)
	}
	list, _, err := cli("operations", "list")
	if err != nil || !strings.Contains(list, hash) || !strings.Contains(list, "bank-check") {
		t.Fatalf("list: got %q, %v", list, err)
	}
	if _, _, err := cli("operations", "remove", hash); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cli("operations", "remove", hash); err == nil {
		t.Fatal("removing twice: no error")
	}
	db, err := store.Open(ctx, dbURL, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var audited int
	db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action IN ('operation.installed', 'operation.removed')`).Scan(&audited)
	if audited != 2 {
		t.Errorf("audit rows: %d, want 2 (installed, removed)", audited)
	}
	if out, _, err := cli("operations", "--help"); err != nil || !strings.Contains(out, "operations add") {
		t.Errorf("--help: %q %v", out, err)
	}
}
