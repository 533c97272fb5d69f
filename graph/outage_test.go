package graph_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// PostgreSQL goes away (its connections drop, new ones are refused): the
// checks banks had cached keep being answered, with their reads logged to
// the spool and moved into query_log when PostgreSQL is back; what needs
// PostgreSQL answers UNAVAILABLE, and 503 when nothing could be answered.
func TestWhilePostgreSQLIsDownCachedChecksAreServedAndLoggedAndTheRestIsUnavailable(t *testing.T) {
	ctx := context.Background()
	proxy := testenv.StartPGProxy(t)
	dbURL := testenv.NewDatabase(t)
	db, err := store.Open(ctx, proxy.URL(dbURL), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	direct, err := store.Open(ctx, dbURL, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { direct.Close() })
	uses := audit.NewQueryLog(db, audit.QueryLogOptions{SpoolDir: t.TempDir()})
	t.Cleanup(func() { uses.Close(ctx) })
	e := newEnvOn(t, db, nil, append(redisOpts(testenv.Cache(t)), service.WithQueryLog(uses))...)
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕1号", nil), &intakePenaltyOut{})
	office := e.token
	e.as(credit.RoleBank)
	check := `query($c: ID!) { creditCheck(code: $c, purpose: "贷前审查") { verdict subject { legalRepresentative { name } } } }`
	for range 2 {
		if r := e.do(check, map[string]any{"c": intakeOrg}, ""); len(r.Errors) > 0 {
			t.Fatal(r.raw)
		}
	}
	logged := func() int {
		rows, err := direct.QueryLogForSubject(ctx, intakeOrg, 100)
		if err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}
	before := logged()

	proxy.Cut()
	// Past the 5 s a key is trusted from memory: the key must be read again
	// and cannot be; one verified before is trusted for a while.
	deadline := time.Now().Add(6 * time.Second)
	served := 0
	for time.Now().Before(deadline) {
		r := e.do(check, map[string]any{"c": intakeOrg}, "")
		if r.status != http.StatusOK || len(r.Errors) > 0 || r.cache == "" {
			t.Fatalf("a cached check while PostgreSQL is down: %d %q %s", r.status, r.cache, r.raw)
		}
		served++
		time.Sleep(250 * time.Millisecond)
	}
	r := e.do(check, map[string]any{"c": testenv.USCC(999)}, "")
	if r.status != http.StatusServiceUnavailable || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "UNAVAILABLE" {
		t.Fatalf("a check that needs PostgreSQL: %d %s, want 503 UNAVAILABLE", r.status, r.raw)
	}
	e.token = office
	w := e.do(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕2号", nil), "")
	if w.status != http.StatusServiceUnavailable || len(w.Errors) == 0 || w.Errors[0].Extensions["code"] != "UNAVAILABLE" {
		t.Fatalf("a write while PostgreSQL is down: %d %s, want 503 UNAVAILABLE", w.status, w.raw)
	}

	proxy.Restore()
	for deadline := time.Now().Add(10 * time.Second); logged() < before+served; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("query_log has %d reads of the organisation, want the %d before and the %d served during the outage",
				logged(), before, served)
		}
	}
}
