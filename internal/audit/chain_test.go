package audit_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/store"
)

func TestConcurrentAppendsMakeOneIntactChain(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 8)
	const rows, workers = 50, 8
	jobs := make(chan int, rows)
	for i := range rows {
		jobs <- i
	}
	close(jobs)
	var wg sync.WaitGroup
	errs := make(chan error, rows)
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				// Each append commits with a write of its own, as a service would.
				errs <- db.InTx(context.Background(), func(tx *store.DB) error {
					return audit.Append(context.Background(), tx, audit.Event{Actor: officer,
						Action: "licence.recorded", Target: fmt.Sprintf("licence:%d", i)})
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("append: %v", err)
		}
	}
	rep := verify(t, db)
	if !rep.Intact() || rep.Rows != rows || rep.LastSeq != rows {
		t.Errorf("got intact=%v rows=%d last seq=%d (%+v), want an intact chain of %d rows ending at seq %d",
			rep.Intact(), rep.Rows, rep.LastSeq, rep.Broken, rows, rows)
	}
}

func TestRolledBackAppendLeavesNoRowAndAnIntactChain(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 2)
	ctx := context.Background()
	appendN(t, db, 1)
	errWriteFailed := errors.New("the write after the append failed")
	err := db.InTx(ctx, func(tx *store.DB) error {
		if err := audit.Append(ctx, tx, audit.Event{Actor: officer, Action: "penalty.recorded", Target: "penalty:9"}); err != nil {
			return err
		}
		return errWriteFailed
	})
	if !errors.Is(err, errWriteFailed) {
		t.Fatalf("got %v, want the write's error", err)
	}
	appendN(t, db, 1)

	var rolledBack int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'penalty.recorded'`).Scan(&rolledBack); err != nil {
		t.Fatal(err)
	}
	if rolledBack != 0 {
		t.Errorf("got %d rows of the rolled-back append, want 0", rolledBack)
	}
	rep := verify(t, db)
	// The rollback used seq 2: rows 1 and 3 are linked across the gap.
	if !rep.Intact() || rep.Rows != 2 || rep.LastSeq != 3 || rep.Gaps != 1 {
		t.Errorf("got intact=%v rows=%d last seq=%d gaps=%d (%+v), want intact, 2 rows, last seq 3, 1 gap",
			rep.Intact(), rep.Rows, rep.LastSeq, rep.Gaps, rep.Broken)
	}
}

func TestEmptyChainIsIntact(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 1)
	rep := verify(t, db)
	if !rep.Intact() || rep.Rows != 0 {
		t.Errorf("got intact=%v rows=%d, want an intact empty chain", rep.Intact(), rep.Rows)
	}
}

// swap exchanges every column but seq of rows a and b: the rows' order
// changes, each keeping its own valid hash. prev_hash is unique, so it goes
// through a placeholder.
func swap(a, b int) []string {
	const cols = `at, actor, role, institution, action, target, detail, prev_hash, hash`
	return []string{
		fmt.Sprintf(`CREATE TEMP TABLE swapped AS SELECT * FROM audit_log WHERE seq IN (%d, %d)`, a, b),
		fmt.Sprintf(`UPDATE audit_log SET prev_hash = sha256('placeholder') WHERE seq = %d`, a),
		fmt.Sprintf(`UPDATE audit_log SET (%s) = (SELECT %s FROM swapped WHERE seq = %d) WHERE seq = %d`, cols, cols, a, b),
		fmt.Sprintf(`UPDATE audit_log SET (%s) = (SELECT %s FROM swapped WHERE seq = %d) WHERE seq = %d`, cols, cols, b, a),
		`DROP TABLE swapped`,
	}
}

func TestTamperingIsCaughtAtTheFirstBadRow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tamper  []string
		seq     int64
		problem audit.Problem
	}{
		{"changed detail is caught at its row",
			[]string{`UPDATE audit_log SET detail = jsonb_set(detail, '{n}', '99') WHERE seq = 5`}, 5, audit.ContentChanged},
		{"changed actor is caught at its row",
			[]string{`UPDATE audit_log SET actor = 'key:8' WHERE seq = 3`}, 3, audit.ContentChanged},
		{"changed time is caught at its row",
			[]string{`UPDATE audit_log SET at = at - interval '1 microsecond' WHERE seq = 7`}, 7, audit.ContentChanged},
		{"removed middle row is reported as its seq missing",
			[]string{`DELETE FROM audit_log WHERE seq = 4`}, 4, audit.RowMissing},
		{"removed first row is reported as seq 1 missing",
			[]string{`DELETE FROM audit_log WHERE seq = 1`}, 1, audit.RowMissing},
		{"removed run of rows is reported at its first seq",
			[]string{`DELETE FROM audit_log WHERE seq BETWEEN 3 AND 5`}, 3, audit.RowMissing},
		{"swapped rows are caught at the earlier one", swap(3, 6), 3, audit.LinkBroken},
		{"swapped neighbours are caught at the earlier one", swap(6, 7), 6, audit.LinkBroken},
		{"swapped contents without hashes are caught at the earlier one",
			[]string{`UPDATE audit_log a SET target = b.target, detail = b.detail FROM audit_log b
				WHERE (a.seq, b.seq) IN ((2, 8), (8, 2))`}, 2, audit.ContentChanged},
		{"replaced first row is caught at seq 1",
			[]string{`UPDATE audit_log SET prev_hash = sha256('forged') WHERE seq = 1`}, 1, audit.LinkBroken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db, _ := newDB(t, 2)
			appendN(t, db, 8)
			if rep := verify(t, db); !rep.Intact() {
				t.Fatalf("before tampering: got %+v, want intact", rep.Broken)
			}
			tamper(t, db, tt.tamper...)
			rep := verify(t, db)
			if rep.Intact() {
				t.Fatalf("got an intact chain of %d rows, want a break at seq %d", rep.Rows, tt.seq)
			}
			if rep.Broken.Seq != tt.seq || rep.Broken.Problem != tt.problem {
				t.Errorf("got a break at seq %d (%s: %s), want seq %d (%s)",
					rep.Broken.Seq, rep.Broken.Problem, rep.Broken.Reason, tt.seq, tt.problem)
			}
		})
	}
}

func TestChangedAndRehashedRowIsCaughtAtTheNextRow(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 2)
	ctx := context.Background()
	appendN(t, db, 6)
	rows, err := db.AuditRows(ctx, 3, 1)
	if err != nil || len(rows) != 1 {
		t.Fatalf("read row 4: %v", err)
	}
	forged := rows[0]
	forged.Target = "list_entry:404"
	h, err := audit.Hash(forged)
	if err != nil {
		t.Fatal(err)
	}
	tamper(t, db, fmt.Sprintf(`UPDATE audit_log SET target = 'list_entry:404', hash = '\x%x' WHERE seq = 4`, h))
	rep := verify(t, db)
	if rep.Intact() || rep.Broken.Seq != 5 || rep.Broken.Problem != audit.LinkBroken {
		t.Errorf("got %+v, want a broken link at seq 5", rep.Broken)
	}
}

func TestTriggerBlocksChangesEvenForTheSuperuser(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 1)
	appendN(t, db, 2)
	for _, stmt := range []string{
		`UPDATE audit_log SET actor = 'someone else' WHERE seq = 1`,
		`DELETE FROM audit_log WHERE seq = 2`,
		`TRUNCATE audit_log`,
	} {
		_, err := db.SQL().Exec(stmt)
		var pqErr *pq.Error
		if !errors.As(err, &pqErr) || pqErr.Code.Name() != "raise_exception" {
			t.Errorf("%s: got %v, want the trigger's raise_exception", stmt, err)
		}
	}
	if rep := verify(t, db); !rep.Intact() || rep.Rows != 2 {
		t.Errorf("got intact=%v rows=%d, want both rows intact", rep.Intact(), rep.Rows)
	}
}

func TestAppRoleMayAppendAndReadButNotChangeAuditRows(t *testing.T) {
	t.Parallel()
	_, dbURL := newDB(t, 1)
	app := openAsApp(t, dbURL)

	// INSERT (and the sequence and advisory lock it needs) and SELECT work.
	appendN(t, app, 3)
	if rep := verify(t, app); !rep.Intact() || rep.Rows != 3 {
		t.Fatalf("got intact=%v rows=%d, want 3 intact rows written and read as credithub_app", rep.Intact(), rep.Rows)
	}
	for _, stmt := range []string{
		`UPDATE audit_log SET actor = 'someone else' WHERE seq = 1`,
		`DELETE FROM audit_log WHERE seq = 2`,
		`TRUNCATE audit_log`,
	} {
		_, err := app.SQL().Exec(stmt)
		var pqErr *pq.Error
		if !errors.As(err, &pqErr) || pqErr.Code != "42501" {
			t.Errorf("%s: got %v, want permission denied (42501)", stmt, err)
		}
	}
	// Other tables stay writable for the application.
	if _, err := app.SQL().Exec(`UPDATE departments SET name = name WHERE false`); err != nil {
		t.Errorf("update departments as credithub_app: got %v, want no error", err)
	}
}
