package audit_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"testing"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// officer is the caller most test events are recorded for.
var officer = credit.Caller{ID: "key:7", Role: credit.RoleCreditOffice, Institution: "丹东市信用办"}

// newDB returns a fresh migrated database as the superuser, with conns
// connections, and its URL.
func newDB(t testing.TB, conns int) (*store.DB, string) {
	t.Helper()
	u := testenv.NewDatabase(t)
	db, err := store.Open(context.Background(), u, conns)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, u
}

// openAsApp connects to dbURL as the application role, the one the server
// runs as, closed when the test ends.
func openAsApp(t testing.TB, dbURL string) *store.DB {
	t.Helper()
	app, err := store.Open(context.Background(), asApp(t, dbURL), 2)
	if err != nil {
		t.Fatalf("connect as credithub_app: %v", err)
	}
	t.Cleanup(func() { app.Close() })
	return app
}

// asApp returns dbURL with the application role as its user.
func asApp(t testing.TB, dbURL string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User("credithub_app")
	return u.String()
}

// appendN appends n events numbered from 1 outside any caller transaction.
func appendN(t testing.TB, db *store.DB, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		ev := audit.Event{Actor: officer, Action: "list_entry.approved", Target: fmt.Sprintf("list_entry:%d", i),
			Detail: map[string]any{"decision_no": fmt.Sprintf("丹信〔2026〕%d号", i), "n": i}}
		if err := audit.Append(context.Background(), db, ev); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
}

// tamper runs statements as the superuser with triggers off, as someone
// with full access to the server would.
func tamper(t testing.TB, db *store.DB, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SET session_replication_role = replica`); err != nil {
		t.Fatalf("bypass the trigger: %v", err)
	}
	// The connection goes back to the pool: leave it as it was found.
	defer conn.ExecContext(ctx, `RESET session_replication_role`)
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("tamper %q: %v", s, err)
		}
	}
}

// count returns the rows of a table.
func count(t testing.TB, db *sql.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func verify(t testing.TB, db *store.DB) audit.Report {
	t.Helper()
	rep, err := audit.Verify(context.Background(), db, nil)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return rep
}
