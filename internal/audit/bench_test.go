package audit_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/store"
)

// BenchmarkQueryLogRecord measures what logging a read adds to a request:
// Record with the default options while the writer copies into PostgreSQL.
// The loop produces rows faster than any request path would, so it also
// finds the writer's ceiling: ns/op is the mean wait, p50-ns and p99-ns the
// typical and the slow call, blocked/op the share of calls that found the
// queue full, rows/s the rate until the last row was in the database.
func BenchmarkQueryLogRecord(b *testing.B) {
	for _, parallel := range []bool{false, true} {
		name := "serial"
		if parallel {
			name = "parallel"
		}
		b.Run(name, func(b *testing.B) {
			db, _ := newDB(b, 4)
			ctx := context.Background()
			q := audit.NewQueryLog(db, audit.QueryLogOptions{})
			u := audit.Use{Caller: bank, SubjectCodes: []string{"91210602MA10QX7K9W"}, Operation: "creditReport", At: time.Now()}
			waits := make([]time.Duration, 0, b.N)
			var mu sync.Mutex
			// record times each call; the clock reads cost about 50ns.
			record := func(local *[]time.Duration) error {
				t0 := time.Now()
				err := q.Record(ctx, u)
				*local = append(*local, time.Since(t0))
				return err
			}
			start := time.Now()
			b.ResetTimer()
			if parallel {
				b.RunParallel(func(pb *testing.PB) {
					var local []time.Duration
					for pb.Next() {
						if err := record(&local); err != nil {
							b.Error(err)
							return
						}
					}
					mu.Lock()
					waits = append(waits, local...)
					mu.Unlock()
				})
			} else {
				for b.Loop() {
					if err := record(&waits); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.StopTimer()
			if err := q.Close(ctx); err != nil {
				b.Fatal(err)
			}
			slices.Sort(waits)
			b.ReportMetric(float64(waits[len(waits)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(waits[len(waits)*99/100].Nanoseconds()), "p99-ns")
			b.ReportMetric(float64(q.BlockedWaits())/float64(b.N), "blocked/op")
			b.ReportMetric(float64(q.Written())/time.Since(start).Seconds(), "rows/s")
		})
	}
}

// BenchmarkQueryLogCommit measures what a logged read waits for before it
// is answered: Commit returns once the row is durable in query_log. With
// 8 and 32 readers at once (as make bench's clients), many rows share one
// group commit; rows/commit says how many, p50-ns and p99-ns the wait.
func BenchmarkQueryLogCommit(b *testing.B) {
	for _, readers := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("readers=%d", readers), func(b *testing.B) {
			db, _ := newDB(b, 4)
			ctx := context.Background()
			q := audit.NewQueryLog(db, audit.QueryLogOptions{})
			u := audit.Use{Caller: bank, SubjectCodes: []string{"91210602MA10QX7K9W"}, Operation: "creditCheck"}
			var mu sync.Mutex
			var waits []time.Duration
			b.SetParallelism((readers + 1) / 2) // × GOMAXPROCS (2 here) goroutines
			if readers == 1 {
				b.SetParallelism(1)
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				var local []time.Duration
				for pb.Next() {
					t0 := time.Now()
					if err := q.Commit(ctx, u); err != nil {
						b.Error(err)
						return
					}
					local = append(local, time.Since(t0))
				}
				mu.Lock()
				waits = append(waits, local...)
				mu.Unlock()
			})
			b.StopTimer()
			batches, _ := q.Batches()
			if err := q.Close(ctx); err != nil {
				b.Fatal(err)
			}
			slices.Sort(waits)
			b.ReportMetric(float64(waits[len(waits)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(waits[len(waits)*99/100].Nanoseconds()), "p99-ns")
			b.ReportMetric(float64(q.Written())/float64(max(batches, 1)), "rows/commit")
		})
	}
}

// BenchmarkAuditAppend measures what an audited write pays: a one-row write
// committed alone, the same write with an Append in its transaction, and
// both again from several goroutines, where appends queue for the chain
// lock until each commit is on disk.
func BenchmarkAuditAppend(b *testing.B) {
	ev := audit.Event{Actor: officer, Action: "list_entry.approved", Target: "list_entry:42",
		Detail: map[string]any{"decision_no": "丹信〔2026〕1号", "from": "PROPOSED", "to": "APPROVED"}}
	write := []store.QueryUse{{At: time.Now(), CallerID: "key:1", Role: "BANK", SubjectCodes: []string{"S"}, Operation: "w"}}
	for _, bc := range []struct {
		name             string
		append, parallel bool
	}{
		{"write", false, false},
		{"write+append", true, false},
		{"write/parallel", false, true},
		{"write+append/parallel", true, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			db, _ := newDB(b, 8)
			ctx := context.Background()
			op := func() error {
				return db.InTx(ctx, func(tx *store.DB) error {
					if err := tx.CopyQueryUses(ctx, write); err != nil || !bc.append {
						return err
					}
					return audit.Append(ctx, tx, ev)
				})
			}
			b.ResetTimer()
			if !bc.parallel {
				for b.Loop() {
					if err := op(); err != nil {
						b.Fatal(err)
					}
				}
				return
			}
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := op(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkVerify measures how fast a chain of 100,000 rows is checked.
func BenchmarkVerify(b *testing.B) {
	const rows = 100_000
	db, _ := newDB(b, 1)
	buildChain(b, db, rows)
	ctx := context.Background()
	start := time.Now()
	for b.Loop() {
		rep, err := audit.Verify(ctx, db, nil)
		if err != nil || !rep.Intact() || rep.Rows != rows {
			b.Fatalf("got %+v, %v; want %d intact rows", rep.Broken, err, rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/time.Since(start).Seconds(), "rows/s")
}

// buildChain writes a valid chain of n rows straight into audit_log, far
// faster than n appends.
func buildChain(b *testing.B, db *store.DB, n int) {
	b.Helper()
	ctx := context.Background()
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `COPY audit_log (seq, at, actor, role, institution, action, target, detail, prev_hash, hash) FROM STDIN`)
	if err != nil {
		b.Fatal(err)
	}
	prev := audit.Genesis
	at := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		r := store.AuditRow{Seq: int64(i), At: at.Add(time.Duration(i) * time.Millisecond), Actor: officer.ID,
			Role: string(officer.Role), Institution: officer.Institution, Action: "licence.recorded",
			Target: fmt.Sprintf("licence:%d", i), Detail: fmt.Appendf(nil, `{"n":%d}`, i), PrevHash: prev}
		if r.Hash, err = audit.Hash(r); err != nil {
			b.Fatal(err)
		}
		if _, err := stmt.ExecContext(ctx, r.Seq, r.At, r.Actor, r.Role, r.Institution, r.Action, r.Target,
			string(r.Detail), r.PrevHash, r.Hash); err != nil {
			b.Fatal(err)
		}
		prev = r.Hash
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
