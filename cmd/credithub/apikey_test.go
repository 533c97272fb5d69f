package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

func TestAPIKeyLifecycleThroughTheCommandLine(t *testing.T) {
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

	key, _, err := cli("apikey", "create", "--role", "BANK", "--institution", "丹东银行", "--expires", "30d")
	key = strings.TrimSpace(key)
	if err != nil || !strings.HasPrefix(key, "chk_") {
		t.Fatalf("create: got %q, %v", key, err)
	}
	db, err := store.Open(ctx, dbURL, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, err := auth.New(ctx, db, auth.JWTConfig{}, true)
	if err != nil {
		t.Fatal(err)
	}
	caller, err := a.Authenticate(ctx, "Bearer "+key)
	if err != nil || caller.Role != credit.RoleBank || caller.Institution != "丹东银行" {
		t.Fatalf("the printed key authenticates as %+v, %v; want BANK 丹东银行", caller, err)
	}
	list, _, err := cli("apikey", "list")
	if err != nil || !strings.Contains(list, "BANK") || !strings.Contains(list, key[:12]) || strings.Contains(list, key) {
		t.Fatalf("list: got %q, %v; want the prefix, never the key", list, err)
	}
	if _, _, err := cli("apikey", "revoke", "1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cli("apikey", "revoke", "1"); credit.CodeOf(err) != credit.Conflict {
		t.Fatalf("revoking twice: got %v, want CONFLICT", err)
	}
	fresh, _ := auth.New(ctx, db, auth.JWTConfig{}, true) // no key cached in memory
	if _, err := fresh.Authenticate(ctx, "Bearer "+key); credit.CodeOf(err) != credit.Unauthenticated {
		t.Fatalf("revoked key: got %v, want UNAUTHENTICATED", err)
	}
	out, _, err := cli("audit", "verify")
	if err != nil || !strings.HasPrefix(out, "audit chain intact: 2 rows") {
		t.Fatalf("audit: got %q, %v; want the creation and the revocation chained", out, err)
	}
	for _, bad := range [][]string{
		{"apikey", "create", "--role", "PUBLIC", "--institution", "x"},
		{"apikey", "create", "--role", "DEPARTMENT", "--institution", "x"},
		{"apikey", "create", "--role", "BANK", "--institution", "x", "--department", "D"},
		{"apikey", "create", "--role", "BANK", "--institution", " "},
		{"apikey", "create", "--role", "BANK", "--institution", "x", "--expires", "soon"},
	} {
		if _, _, err := cli(bad...); credit.CodeOf(err) != credit.BadUserInput {
			t.Errorf("%v: got %v, want BAD_USER_INPUT", bad, err)
		}
	}
}
