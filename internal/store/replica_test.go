package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// The read router against a real streaming replica (scripts/pg-primary.sh
// and scripts/pg-replica.sh). These tests pause the shared replica's replay
// for a moment, so they do not run in parallel with each other.

type replicated struct {
	primaryURL, replicaURL string
	server                 *sql.DB // the replica's server, for pausing replay
	board                  store.WriteBoard
}

func newReplicated(t testing.TB) replicated {
	t.Helper()
	p, r := testenv.ReplicatedDatabase(t)
	server, err := sql.Open("postgres", testenv.PGReplica(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	return replicated{primaryURL: p, replicaURL: r, server: server, board: testenv.Cache(t)}
}

// open is one hub server's DB: the primary, reads routed to replicaURL.
func (r replicated) open(t testing.TB, replicaURL string, maxLag time.Duration) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), r.primaryURL, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.UseReplica(context.Background(), replicaURL, store.ReplicaOptions{
		MaxLag: maxLag, PollInterval: 20 * time.Millisecond, Board: r.board,
	}); err != nil {
		t.Fatal(err)
	}
	return db
}

// pause stops the replica's replay until the test ends (or resume).
func (r replicated) pause(t *testing.T) {
	t.Helper()
	if _, err := r.server.Exec(`SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatalf("pause replay: %v", err)
	}
	t.Cleanup(func() { r.resume(t) })
}

func (r replicated) resume(t *testing.T) {
	t.Helper()
	if _, err := r.server.Exec(`SELECT pg_wal_replay_resume()`); err != nil {
		t.Errorf("resume replay: %v", err)
	}
}

// onReplica reports whether the replica itself has the subject code.
func (r replicated) onReplica(t *testing.T, code string) bool {
	t.Helper()
	db, err := sql.Open("postgres", r.replicaURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM subjects WHERE code = $1`, code).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func register(t testing.TB, db *store.DB, n int, name string) credit.Subject {
	t.Helper()
	var s credit.Subject
	err := db.InTx(context.Background(), func(tx *store.DB) error {
		var err error
		s, _, err = tx.RegisterSubject(context.Background(), credit.SubjectInput{Code: testenv.USCC(n), Name: name, Kind: credit.LegalPerson})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// eventually polls cond for up to 20 s: the router re-reads the replica's
// position every 20 ms, so a condition about where reads go holds soon.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 20 s: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// servedByReplica waits until a read of code goes to the replica and
// finds what want says.
func servedByReplica(t *testing.T, db *store.DB, code, wantName string) {
	t.Helper()
	ctx := context.Background()
	eventually(t, "a read of "+code+" answered by the replica", func() bool {
		before := db.ReplicaStats().ReplicaReads
		s, err := db.SubjectByCode(ctx, code)
		return err == nil && s.Name == wantName && db.ReplicaStats().ReplicaReads > before
	})
}

// A write through the hub is read back at once, by the writer and by
// another server sharing the board, while the replica has not replayed it
// (replay paused): the reads go to the primary. Once the replica replays
// it, reads go back to the replica.
func TestReplicaReadsYourWritesWhileReplayIsPaused(t *testing.T) {
	r := newReplicated(t)
	writer := r.open(t, r.replicaURL, time.Minute)
	other := r.open(t, r.replicaURL, time.Minute)
	ctx := context.Background()
	a := register(t, writer, 1, "Dandong Before Ltd")
	servedByReplica(t, writer, a.Code, "Dandong Before Ltd")
	servedByReplica(t, other, a.Code, "Dandong Before Ltd")

	r.pause(t)
	b := register(t, writer, 2, "Dandong Written Ltd")
	// Outside a transaction too: INSERT … RETURNING through get.
	if _, _, err := writer.RegisterSubject(ctx, credit.SubjectInput{Code: a.Code, Name: "Dandong Renamed Ltd", Kind: credit.LegalPerson}); err != nil {
		t.Fatal(err)
	}
	if r.onReplica(t, b.Code) {
		t.Fatal("the replica has the new subject although its replay is paused")
	}
	for _, db := range []*store.DB{writer, other} {
		before := db.ReplicaStats()
		if s, err := db.SubjectByCode(ctx, b.Code); err != nil || s.Name != "Dandong Written Ltd" {
			t.Errorf("subject just written: got %q, %v", s.Name, err)
		}
		if s, err := db.SubjectByCode(ctx, a.Code); err != nil || s.Name != "Dandong Renamed Ltd" {
			t.Errorf("subject just renamed: got %q, %v; want the new name", s.Name, err)
		}
		found, err := db.Subjects(ctx, credit.SubjectFilter{NameContains: "Written"}, "", 10)
		if err != nil || len(found) != 1 || found[0].Code != b.Code {
			t.Errorf("search after the write: got %v, %v; want %s", found, err, b.Code)
		}
		check, _, err := db.CheckRecords(ctx, b.Code, credit.NewDate(2026, 12, 4), credit.NewDate(2023, 12, 4), nil, credit.RecordView{}, credit.NewDate(2026, 12, 4))
		if err != nil || check.Subject.Code != b.Code {
			t.Errorf("check after the write: got %q, %v", check.Subject.Code, err)
		}
		after := db.ReplicaStats()
		if after.ReplicaReads != before.ReplicaReads || after.PrimaryReads-before.PrimaryReads != 4 {
			t.Errorf("reads after the write: got %d to the replica and %d to the primary; want 0 and 4",
				after.ReplicaReads-before.ReplicaReads, after.PrimaryReads-before.PrimaryReads)
		}
	}

	r.resume(t)
	servedByReplica(t, writer, b.Code, "Dandong Written Ltd")
	servedByReplica(t, other, a.Code, "Dandong Renamed Ltd")
}

// A write the hub does not see (psql, a seed) is covered by the lag bound:
// with replay paused, the replica stops answering once the primary's state
// it has not replayed is older than MaxLag, and the row written behind the
// hub's back is read from the primary.
func TestReplicaLaggingPastTheBoundNeverAnswers(t *testing.T) {
	r := newReplicated(t)
	const maxLag = 300 * time.Millisecond
	db := r.open(t, r.replicaURL, maxLag)
	ctx := context.Background()
	a := register(t, db, 1, "Dandong Before Ltd")
	servedByReplica(t, db, a.Code, "Dandong Before Ltd")

	r.pause(t)
	raw, err := sql.Open("postgres", r.primaryURL)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	behind := testenv.USCC(3)
	if _, err := raw.Exec(`INSERT INTO subjects (code, kind, name) VALUES ($1, 'LEGAL_PERSON', 'Dandong Behind Ltd')`, behind); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the replica's lag past the bound", func() bool { return db.ReplicaStats().Lag > maxLag })
	for range 10 {
		before := db.ReplicaStats()
		s, err := db.SubjectByCode(ctx, behind)
		if err != nil || s.Name != "Dandong Behind Ltd" {
			t.Fatalf("subject written behind the hub's back, %v after: got %q, %v", maxLag, s.Name, err)
		}
		if _, _, err := db.CheckRecords(ctx, behind, credit.NewDate(2026, 12, 4), credit.NewDate(2023, 12, 4), nil, credit.RecordView{}, credit.NewDate(2026, 12, 4)); err != nil {
			t.Fatalf("check: %v", err)
		}
		if got := db.ReplicaStats().ReplicaReads - before.ReplicaReads; got != 0 {
			t.Fatalf("%d reads went to a replica lagging past the bound", got)
		}
	}
	if r.onReplica(t, behind) {
		t.Fatal("the replica has the row although its replay is paused")
	}
	r.resume(t)
	servedByReplica(t, db, behind, "Dandong Behind Ltd")
}

// A replica that goes away (every connection dropped, new ones refused)
// costs no read: they go to the primary, and back to the replica once it
// answers again.
func TestReplicaDownSendsReadsToThePrimary(t *testing.T) {
	r := newReplicated(t)
	proxy := testenv.StartPGProxyTo(t, r.replicaURL)
	db := r.open(t, proxy.URL(r.replicaURL), time.Minute)
	ctx := context.Background()
	a := register(t, db, 1, "Dandong Steady Ltd")
	servedByReplica(t, db, a.Code, "Dandong Steady Ltd")

	proxy.Cut()
	for i := range 50 {
		s, err := db.SubjectByCode(ctx, a.Code)
		if err != nil || s.Code != a.Code {
			t.Fatalf("read %d with the replica down: got %q, %v", i, s.Code, err)
		}
		if _, err := db.SubjectsByIDs(ctx, []int64{a.ID}); err != nil {
			t.Fatalf("batch read %d with the replica down: %v", i, err)
		}
		if _, _, err := db.CheckRecords(ctx, a.Code, credit.NewDate(2026, 12, 4), credit.NewDate(2023, 12, 4), nil, credit.RecordView{}, credit.NewDate(2026, 12, 4)); err != nil {
			t.Fatalf("check %d with the replica down: %v", i, err)
		}
	}
	eventually(t, "the replica reported down", func() bool { return !db.ReplicaStats().Up })
	b := register(t, db, 2, "Dandong Meanwhile Ltd")
	if s, err := db.SubjectByCode(ctx, b.Code); err != nil || s.Code != b.Code {
		t.Fatalf("write and read with the replica down: got %q, %v", s.Code, err)
	}

	proxy.Restore()
	servedByReplica(t, db, b.Code, "Dandong Meanwhile Ltd")
	if s := db.ReplicaStats(); !s.Up {
		t.Errorf("after it came back: got %+v, want up", s)
	}
}

// BenchmarkSubjectByCodeRouted compares a subject read on the primary with
// the same read routed to a fresh replica (the board read from Redis
// included), one client at a time.
func BenchmarkSubjectByCodeRouted(b *testing.B) {
	r := newReplicated(b)
	ctx := context.Background()
	primary, err := store.Open(ctx, r.primaryURL, 4)
	if err != nil {
		b.Fatal(err)
	}
	defer primary.Close()
	routed := r.open(b, r.replicaURL, time.Minute)
	s := register(b, routed, 1, "Dandong Bench Ltd")
	deadline := time.Now().Add(20 * time.Second)
	for routed.ReplicaStats().ReplicaReads == 0 {
		if time.Now().After(deadline) {
			b.Fatal("no read went to the replica")
		}
		routed.SubjectByCode(ctx, s.Code)
		time.Sleep(10 * time.Millisecond)
	}
	for _, c := range []struct {
		name string
		db   *store.DB
	}{{"primary", primary}, {"replica", routed}} {
		b.Run(c.name, func(b *testing.B) {
			before := c.db.ReplicaStats().ReplicaReads
			for b.Loop() {
				if _, err := c.db.SubjectByCode(ctx, s.Code); err != nil {
					b.Fatal(err)
				}
			}
			if c.name == "replica" {
				b.ReportMetric(float64(c.db.ReplicaStats().ReplicaReads-before)/float64(b.N), "replica-share")
			}
		})
	}
}
