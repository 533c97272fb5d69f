package graph_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/ratelimit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// Two hub servers whose hot reads go to a real streaming replica
// (DATABASE_REPLICA_URL), one with the response cache and one without:
// under concurrent writes through GraphQL, no answer begun after a write
// was acknowledged shows the state before it — from the replica, from the
// primary, or from a cache filled from either — and the replica does
// answer part of the reads.
func TestReplicaServesReadsWithoutAStaleAnswer(t *testing.T) {
	primaryURL, replicaURL := testenv.ReplicatedDatabase(t)
	c := testenv.Cache(t)
	server := func(svcOpts ...service.Option) (*env, *store.DB) {
		db, err := store.Open(context.Background(), primaryURL, 4)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.UseReplica(context.Background(), replicaURL, store.ReplicaOptions{
			MaxLag: time.Second, PollInterval: 20 * time.Millisecond, Board: c,
		}); err != nil {
			t.Fatal(err)
		}
		unlimited := ratelimit.Limits{Default: 1 << 30}
		return newEnvOn(t, db, nil, append(svcOpts, service.WithRateLimits(c, unlimited))...), db
	}
	a, dbA := server(redisOpts(c)...) // cached
	b, dbB := server()                // every read reaches a database
	a.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕0号", nil), &intakePenaltyOut{})
	writeKey, readKeyA, readKeyB := a.key(credit.RoleCreditOffice), a.key(credit.RoleCreditOffice), b.key(credit.RoleCreditOffice)

	var acked atomic.Int64
	acked.Store(1)
	var reads, stale, failed atomic.Int64
	deadline := time.Now().Add(4 * time.Second)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; time.Now().Before(deadline); i++ {
			no := fmt.Sprintf("丹市监罚〔2026〕%d号", 1000+i)
			if r := a.doAs(writeKey, recordPenaltyMutation, penaltyIn(no, nil)); r.status != 200 || len(r.Errors) > 0 {
				failed.Add(1)
				continue
			}
			acked.Add(1)
			// Room between writes for the replica to catch up and answer.
			time.Sleep(40 * time.Millisecond)
		}
	}()
	for r := 0; r < 4; r++ {
		server, key := a, readKeyA
		if r%2 == 1 {
			server, key = b, readKeyB
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				read := staleReads[i%len(staleReads)]
				floor := acked.Load()
				resp := server.doAs(key, read.query, read.vars)
				n, err := read.count(resp.Data)
				if resp.status != 200 || len(resp.Errors) > 0 || err != nil {
					failed.Add(1)
					continue
				}
				reads.Add(1)
				if int64(n) < floor {
					stale.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	sa, sb := dbA.ReplicaStats(), dbB.ReplicaStats()
	t.Logf("%d writes, %d reads, %d stale, %d failed; routed reads: A %d replica / %d primary, B %d replica / %d primary",
		acked.Load(), reads.Load(), stale.Load(), failed.Load(), sa.ReplicaReads, sa.PrimaryReads, sb.ReplicaReads, sb.PrimaryReads)
	if stale.Load() != 0 || failed.Load() != 0 || reads.Load() < 50 || acked.Load() < 20 {
		t.Fatalf("%d stale answers and %d failed requests in %d reads and %d writes; want 0 and 0 (and enough traffic)",
			stale.Load(), failed.Load(), reads.Load(), acked.Load())
	}
	if sa.ReplicaReads+sb.ReplicaReads == 0 {
		t.Errorf("no read went to the replica: the test would not see a stale replica")
	}
}
