package audit_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

var bank = credit.Caller{ID: "key:12", Role: credit.RoleBank, Institution: "丹东银行", Purpose: "信易贷 pre-loan check"}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestEveryRecordLandsThroughATinyQueue(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 4)
	q := audit.NewQueryLog(db, audit.QueryLogOptions{QueueSize: 64, BatchSize: 100})
	const goroutines, each = 16, 625
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				u := audit.Use{Caller: bank, SubjectCodes: []string{fmt.Sprintf("S%02d", g)}, Operation: fmt.Sprintf("creditReport#%d", i)}
				if err := q.Record(context.Background(), u); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("record: %v", err)
	}
	if err := q.Close(context.Background()); err != nil {
		t.Fatalf("close: %v", err)
	}
	const want = goroutines * each
	if got := count(t, db.SQL(), "query_log"); got != want {
		t.Errorf("got %d rows in query_log, want %d", got, want)
	}
	if q.Queued() != want || q.Written() != want || q.Pending() != 0 {
		t.Errorf("got queued=%d written=%d pending=%d, want %d, %d, 0", q.Queued(), q.Written(), q.Pending(), want, want)
	}
	t.Logf("%d of %d records waited for room", q.BlockedWaits(), want)
}

func TestRecordOnAFullQueueReturnsAnErrorNotADrop(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 4)
	ctx := context.Background()
	// Another transaction holds query_log, so the writer's COPY waits and
	// the queue fills up.
	blocker, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := blocker.Exec(`LOCK TABLE query_log IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	q := audit.NewQueryLog(db, audit.QueryLogOptions{QueueSize: 4, BatchSize: 1, Logger: quiet})
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	var refusal error
	for i := 0; i < 100 && refusal == nil; i++ {
		refusal = q.Record(cancelled, audit.Use{Caller: bank, SubjectCodes: []string{"S"}, Operation: fmt.Sprint(i)})
	}
	if credit.CodeOf(refusal) != credit.Unavailable {
		t.Fatalf("got %v, want an UNAVAILABLE error once the queue is full", refusal)
	}
	if q.Refused() != 1 {
		t.Errorf("got %d refused records, want 1", q.Refused())
	}
	accepted := q.Queued()
	blocker.Rollback()
	if err := q.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	if got := count(t, db.SQL(), "query_log"); got != accepted {
		t.Errorf("got %d rows, want the %d accepted ones", got, accepted)
	}
}

func TestFailedBatchIsKeptAndRetried(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 4)
	ctx := context.Background()
	if _, err := db.SQL().Exec(`ALTER TABLE query_log RENAME TO query_log_away`); err != nil {
		t.Fatal(err)
	}
	q := audit.NewQueryLog(db, audit.QueryLogOptions{BatchSize: 4, Logger: quiet})
	for i := range 10 {
		if err := q.Record(ctx, audit.Use{Caller: bank, SubjectCodes: []string{"S"}, Operation: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	for deadline := time.Now().Add(10 * time.Second); q.WriteErrors() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("got no failed write, want the COPY into a missing table to fail")
		}
	}
	if _, err := db.SQL().Exec(`ALTER TABLE query_log_away RENAME TO query_log`); err != nil {
		t.Fatal(err)
	}
	if err := q.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	if got := count(t, db.SQL(), "query_log"); got != 10 {
		t.Errorf("got %d rows after %d failed writes, want 10", got, q.WriteErrors())
	}
}

func TestQueryLogForSubjectIsNewestFirst(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 2)
	ctx := context.Background()
	q := audit.NewQueryLog(db, audit.QueryLogOptions{})
	defer q.Close(ctx)
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	window := credit.Caller{ID: "key:3", Role: credit.RoleWindow, Institution: "行政审批服务局", Purpose: "容缺受理"}
	uses := []audit.Use{
		{Caller: bank, SubjectCodes: []string{"91210602MA10QX7K9W"}, Operation: "creditReport", At: t0},
		{Caller: window, SubjectCodes: []string{"91210602MA10QX7K9W"}, Operation: "checkEligibility", At: t0.Add(2 * time.Minute)},
		{Caller: bank, SubjectCodes: []string{"91350100M000100Y43"}, Operation: "creditReport", At: t0.Add(3 * time.Minute)},
		{Caller: bank, SubjectCodes: []string{"91210602MA10QX7K9W"}, Operation: "subject", At: t0.Add(time.Minute)},
		// One use that read a company and its legal representative.
		{Caller: bank, SubjectCodes: []string{"91350100M000100Y43", "210681199601266607"}, Operation: "creditCheck", At: t0.Add(4 * time.Minute)},
	}
	for _, u := range uses {
		if err := q.Record(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	// Flush returns once every row recorded before it is written.
	if err := q.Flush(ctx); err != nil {
		t.Fatalf("flush: %v", err)
	}
	got, err := db.QueryLogForSubject(ctx, "91210602MA10QX7K9W", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Operation != "checkEligibility" || got[1].Operation != "subject" {
		t.Fatalf("got %+v, want checkEligibility then subject", got)
	}
	person, err := db.QueryLogForSubject(ctx, "210681199601266607", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(person) != 1 || person[0].Operation != "creditCheck" ||
		!slices.Equal(person[0].SubjectCodes, []string{"91350100M000100Y43", "210681199601266607"}) {
		t.Fatalf("the legal representative's log: got %+v, want the one check that read the company and them", person)
	}
	w := got[0]
	if !w.At.Equal(t0.Add(2*time.Minute)) || w.CallerID != "key:3" || w.Role != "WINDOW" ||
		w.Institution != "行政审批服务局" || w.Purpose != "容缺受理" {
		t.Errorf("got %+v, want the window's read at %v with its purpose", w, t0.Add(2*time.Minute))
	}
}

func TestRecordAfterCloseIsRefused(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 1)
	q := audit.NewQueryLog(db, audit.QueryLogOptions{})
	if err := q.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	err := q.Record(context.Background(), audit.Use{Caller: bank, SubjectCodes: []string{"S"}, Operation: "subject"})
	if credit.CodeOf(err) != credit.Unavailable {
		t.Errorf("got %v, want UNAVAILABLE", err)
	}
}

func TestCloseThatGivesUpSaysHowManyRowsWereNotWritten(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 2)
	if _, err := db.SQL().Exec(`ALTER TABLE query_log RENAME TO query_log_away`); err != nil {
		t.Fatal(err)
	}
	q := audit.NewQueryLog(db, audit.QueryLogOptions{Logger: quiet})
	for i := range 3 {
		if err := q.Record(context.Background(), audit.Use{Caller: bank, SubjectCodes: []string{"S"}, Operation: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := q.Close(ctx); err == nil || q.Pending() != 3 {
		t.Errorf("got %v with %d pending, want an error with 3 rows pending", err, q.Pending())
	}
}

func TestAppRoleMayAppendAndReadButNotChangeQueryUses(t *testing.T) {
	t.Parallel()
	_, dbURL := newDB(t, 1)
	ctx := context.Background()
	app := openAsApp(t, dbURL)
	use := store.QueryUse{At: time.Now(), CallerID: "key:1", Role: credit.RoleBank, SubjectCodes: []string{"91210602MA10QX7K9W"}, Operation: "creditCheck"}
	if err := app.CopyQueryUses(ctx, []store.QueryUse{use}); err != nil {
		t.Fatalf("append as credithub_app: %v", err)
	}
	if got, err := app.QueryLogForSubject(ctx, "91210602MA10QX7K9W", 10); err != nil || len(got) != 1 {
		t.Fatalf("read as credithub_app: %+v %v, want the one use", got, err)
	}
	for _, stmt := range []string{
		`UPDATE query_log SET caller_id = 'someone else'`,
		`DELETE FROM query_log`,
		`TRUNCATE query_log`,
	} {
		_, err := app.SQL().Exec(stmt)
		var pqErr *pq.Error
		if !errors.As(err, &pqErr) || pqErr.Code != "42501" {
			t.Errorf("%s: got %v, want permission denied (42501)", stmt, err)
		}
	}
}

func TestCommitReturnsOnlyOnceTheRowsAreInTheDatabase(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 4)
	ctx := context.Background()
	q := audit.NewQueryLog(db, audit.QueryLogOptions{Logger: quiet})
	defer q.Close(ctx)
	use := audit.Use{Caller: bank, SubjectCodes: []string{"91210602MA10QX7K9W", "11010519491231002X"}, Operation: "creditCheck"}
	if err := q.Commit(ctx, use, use); err != nil {
		t.Fatal(err)
	}
	if got := count(t, db.SQL(), "query_log"); got != 2 {
		t.Fatalf("got %d rows right after Commit, want 2", got)
	}

	// While PostgreSQL cannot take the rows, Commit does not return success.
	blocker, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := blocker.Exec(`LOCK TABLE query_log IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if err := q.Commit(short, use); credit.CodeOf(err) != credit.Unavailable {
		t.Fatalf("Commit while the table is locked: got %v, want UNAVAILABLE", err)
	}
	blocker.Rollback()
	if err := q.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := count(t, db.SQL(), "query_log"); got != 3 {
		t.Errorf("got %d rows, want 3: the refused read's row is still written (the log may name a refused read, never miss a served one)", got)
	}
}

// While PostgreSQL cannot take the log, reads are still logged durably:
// their rows go to the spool on disk before the read is answered, and into
// query_log once it can take them, even after the process that spooled
// them has gone.
func TestTheSpoolKeepsReadsLoggedWhilePostgreSQLIsAway(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 4)
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := db.SQL().Exec(`ALTER TABLE query_log RENAME TO query_log_away`); err != nil {
		t.Fatal(err)
	}
	first := audit.NewQueryLog(db, audit.QueryLogOptions{Logger: quiet, SpoolDir: dir})
	use := audit.Use{Caller: bank, SubjectCodes: []string{"91210602MA10QX7K9W"}, Operation: "creditCheck"}
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for range 3 {
		if err := first.Commit(short, use); err != nil {
			t.Fatalf("a read while query_log is away: %v, want it logged to the spool", err)
		}
	}
	if spooled, _ := first.Spooled(); spooled != 3 {
		t.Fatalf("spooled %d rows, want 3", spooled)
	}
	// The process goes away with PostgreSQL still unable to take the rows.
	closing, stop := context.WithTimeout(ctx, time.Second)
	first.Close(closing)
	stop()
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if len(files) == 0 {
		t.Fatal("nothing left in the spool for the next start")
	}
	if _, err := db.SQL().Exec(`ALTER TABLE query_log_away RENAME TO query_log`); err != nil {
		t.Fatal(err)
	}
	next := audit.NewQueryLog(db, audit.QueryLogOptions{Logger: quiet, SpoolDir: dir})
	defer next.Close(ctx)
	for deadline := time.Now().Add(10 * time.Second); count(t, db.SQL(), "query_log") != 3; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the next start moved %d of 3 spooled rows into query_log", count(t, db.SQL(), "query_log"))
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl")); len(files) != 0 {
		t.Errorf("spool files left after moving them: %v", files)
	}
}
