package graph_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/ratelimit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

// Two hub servers on one database and one Redis: what one writes, the
// other answers at once, and no answer begun after a write was
// acknowledged ever shows the state before it.

const penaltyCount = `query($c: ID!) { creditCheck(code: $c, purpose: "一致性测试") { penaltiesLast3Years verdict } }`

type countOut struct {
	CreditCheck struct {
		PenaltiesLast3Years int
		Verdict             string
	}
}

// staleReads are the ways the stale test reads the organisation's penalty
// count: a check, a subject read that also shows the legal representative,
// and one that reaches the organisation only through its legal
// representative's roles (the organisation is then not the root of the
// read: its generation is learnt after its data was read). Each returns
// the count it saw.
var staleReads = []struct {
	name  string
	query string
	vars  map[string]any
	count func(data []byte) (int, error)
}{
	{"creditCheck", penaltyCount, map[string]any{"c": intakeOrg}, func(data []byte) (int, error) {
		var out countOut
		err := unmarshal(data, &out)
		return out.CreditCheck.PenaltiesLast3Years, err
	}},
	{"subject", `query($c: ID!) { subject(code: $c) { code legalRepresentative { name code } penalties(since: "2023-12-04") { totalCount } } }`,
		map[string]any{"c": intakeOrg}, func(data []byte) (int, error) {
			var out struct {
				Subject struct{ Penalties struct{ TotalCount int } }
			}
			err := unmarshal(data, &out)
			return out.Subject.Penalties.TotalCount, err
		}},
	{"through the legal representative", `query($r: ID!) { person: subject(code: $r) { name roles { role organization { code penalties(first: 1) { totalCount edges { node { decisionNumber } } } } } } }`,
		map[string]any{"r": intakeRep}, func(data []byte) (int, error) {
			var out struct {
				Person struct {
					Roles []struct {
						Organization struct{ Penalties struct{ TotalCount int } }
					}
				}
			}
			if err := unmarshal(data, &out); err != nil || len(out.Person.Roles) == 0 {
				return 0, fmt.Errorf("no roles in %s (%v)", data, err)
			}
			return out.Person.Roles[0].Organization.Penalties.TotalCount, nil
		}},
}

// redisKinds are the Redis setups the coherence tests run on: one server
// (the shared test Redis) and the project's Redis Cluster (three masters,
// three replicas; skipped only where redis-server is not installed).
var redisKinds = []string{"redis", "cluster"}

// deployment returns a function opening one more cache of a deployment on
// kind: every server gets its own client, all with one key prefix.
func deployment(t testing.TB, kind string) func() *cache.Cache {
	t.Helper()
	prefix := fmt.Sprintf("credithub-test:%s:%d:", t.Name(), time.Now().UnixNano())
	if kind == "cluster" {
		testenv.RedisCluster(t) // skip before anything is built
		return func() *cache.Cache { return testenv.ClusterCacheWith(t, prefix, time.Second) }
	}
	return func() *cache.Cache { return testenv.CacheWithPrefix(t, prefix) }
}

// servers returns n hub servers on one database and one Redis deployment
// of kind, without rate limits.
func servers(t testing.TB, kind string, n int) []*env {
	t.Helper()
	db := testenv.DB(t)
	open := deployment(t, kind)
	unlimited := ratelimit.Limits{Default: 1 << 30}
	out := make([]*env, n)
	for i := range out {
		c := open()
		out[i] = newEnvOn(t, db, nil, append(redisOpts(c), service.WithRateLimits(c, unlimited))...)
		out[i].redis = c
	}
	return out
}

func TestTwoServersShareOneRedisCoherently(t *testing.T) {
	t.Parallel()
	for _, kind := range redisKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			s := servers(t, kind, 2)
			a, b := s[0], s[1]
			a.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕100号", nil), &intakePenaltyOut{})
			var before countOut
			b.query(penaltyCount, map[string]any{"c": intakeOrg}, &before) // cached on B
			b.query(penaltyCount, map[string]any{"c": intakeOrg}, &before) // served from the cache
			a.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕101号", nil), &intakePenaltyOut{})
			var after countOut
			b.query(penaltyCount, map[string]any{"c": intakeOrg}, &after)
			if before.CreditCheck.PenaltiesLast3Years != 1 || after.CreditCheck.PenaltiesLast3Years != 2 {
				t.Fatalf("server B saw %d then %d penalties, want 1 then 2 right after server A's write",
					before.CreditCheck.PenaltiesLast3Years, after.CreditCheck.PenaltiesLast3Years)
			}
		})
	}
}

// On the cluster, the master holding the deployment's coherence keys
// hands over to its replica (CLUSTER FAILOVER) in the middle of the run.
func TestNoStaleAnswerUnderConcurrentWritesAndReads(t *testing.T) {
	for _, kind := range redisKinds {
		t.Run(kind, func(t *testing.T) {
			s := servers(t, kind, 2)
			// The writing server reads too.
			noStaleAnswers(t, kind, s[0], s)
		})
	}
}

// Three hub servers: one writes, the other two only read.
func TestThreeServersWriterOnOneReadersOnTheOthers(t *testing.T) {
	for _, kind := range redisKinds {
		t.Run(kind, func(t *testing.T) {
			s := servers(t, kind, 3)
			noStaleAnswers(t, kind, s[0], s[1:])
		})
	}
}

// noStaleAnswers runs two writers on writer and eight readers spread over
// readers for 4 s, and fails on any answer that misses a write
// acknowledged before it was asked, and on any failed request. On the
// cluster, the master of the coherence keys fails over at 1.5 s, and the
// run goes on for at least a second after the new master took over.
func noStaleAnswers(t *testing.T, kind string, writer *env, readers []*env) {
	t.Helper()
	writer.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕0号", nil), &intakePenaltyOut{})
	writeKey := writer.key(credit.RoleCreditOffice)
	readKeys := make([]string, len(readers))
	for i, r := range readers {
		readKeys[i] = r.key(credit.RoleCreditOffice)
	}

	var acked atomic.Int64 // writes acknowledged so far
	acked.Store(1)
	var reads, stale, failed atomic.Int64
	var staleBy [3]atomic.Int64
	start := time.Now()
	var stopped atomic.Bool // set after 4 s, and at least 1 s after a failover
	running := func() bool { return !stopped.Load() }
	var wg sync.WaitGroup
	var seq atomic.Int64
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for running() {
				no := fmt.Sprintf("丹市监罚〔2026〕%d号", 1000+seq.Add(1))
				if r := writer.doAs(writeKey, recordPenaltyMutation, penaltyIn(no, nil)); r.status != 200 || len(r.Errors) > 0 {
					failed.Add(1)
					continue
				}
				acked.Add(1)
			}
		}()
	}
	for r := 0; r < 8; r++ {
		server, key := readers[r%len(readers)], readKeys[r%len(readers)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; running(); i++ {
				read := staleReads[i%len(staleReads)]
				floor := acked.Load() // every write acknowledged before the read began must show
				resp := server.doAs(key, read.query, read.vars)
				n, err := read.count(resp.Data)
				if resp.status != 200 || len(resp.Errors) > 0 || err != nil {
					failed.Add(1)
					continue
				}
				reads.Add(1)
				if int64(n) < floor {
					stale.Add(1)
					staleBy[i%len(staleReads)].Add(1)
				}
			}
		}()
	}
	failover := ""
	if kind == "cluster" {
		time.Sleep(time.Until(start.Add(1500 * time.Millisecond)))
		from, to := testenv.ClusterFailover(t, writer.redis.EpochKey())
		failover = fmt.Sprintf("; failover %s → %s done at %v", from, to, time.Since(start).Round(time.Millisecond))
		time.Sleep(time.Second)
	}
	time.Sleep(time.Until(start.Add(4 * time.Second)))
	stopped.Store(true)
	wg.Wait()
	hits := 0.0
	for _, e := range readers {
		hits += responseHits(e)
	}
	t.Logf("%d writes, %d reads (%v from the cache), %d stale, %d failed%s", acked.Load(), reads.Load(), hits, stale.Load(), failed.Load(), failover)
	for i, r := range staleReads {
		if n := staleBy[i].Load(); n > 0 {
			t.Errorf("%d stale answers read %s", n, r.name)
		}
	}
	if hits < float64(reads.Load())/4 {
		t.Errorf("only %v of %d reads came from the cache: the test would not see a stale cache", hits, reads.Load())
	}
	if stale.Load() != 0 || failed.Load() != 0 || reads.Load() < 50 || acked.Load() < 20 {
		t.Fatalf("%d stale answers and %d failed requests in %d reads and %d writes; want 0 and 0 (and enough traffic)",
			stale.Load(), failed.Load(), reads.Load(), acked.Load())
	}
}

// A write whose invalidation never reached Redis (here Redis refuses writes
// for a moment, so the write's INCR times out) is committed all the same;
// the answer from before it must not be served afterwards from any tier of
// the cache, on this server or on another that knows nothing of the failure.
func TestALostInvalidationIsNeverFollowedByTheOldAnswer(t *testing.T) {
	redisProc := testenv.StartRedis(t)
	open := func() *cache.Cache {
		c, err := cache.Open(cache.Options{URL: redisProc.URL(), Timeout: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	db := testenv.DB(t)
	unlimited := ratelimit.Limits{Default: 1 << 30}
	server := func() *env {
		c := open()
		return newEnvOn(t, db, nil, append(redisOpts(c), service.WithRateLimits(c, unlimited))...)
	}
	a, b := server(), server()
	a.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕300号", nil), &intakePenaltyOut{})
	count := func(e *env) int {
		var out countOut
		e.query(penaltyCount, map[string]any{"c": intakeOrg}, &out)
		return out.CreditCheck.PenaltiesLast3Years
	}
	for range 3 { // computed, then served from Redis and from memory, on both servers
		if n, m := count(a), count(b); n != 1 || m != 1 {
			t.Fatalf("before the write: %d and %d penalties, want 1", n, m)
		}
	}
	ctlOpts, err := redis.ParseURL(redisProc.URL())
	if err != nil {
		t.Fatal(err)
	}
	ctl := redis.NewClient(ctlOpts)
	defer ctl.Close()
	if err := ctl.Do(context.Background(), "CLIENT", "PAUSE", "400", "WRITE").Err(); err != nil {
		t.Fatal(err)
	}
	a.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕301号", nil), &intakePenaltyOut{})
	// The other server is not asked until the writing one has moved the
	// epoch by itself, in the background, once Redis takes writes again.
	time.Sleep(400 * time.Millisecond)
	deadline := time.Now().Add(2 * time.Second)
	for count(b) != 2 {
		if time.Now().After(deadline) {
			t.Fatal("the other server still serves the old answer 2 s after Redis took writes again")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := count(a); n != 2 {
		t.Errorf("the writing server after its lost invalidation: %d penalties, want 2", n)
	}
}

// Redis stops answering (the process is frozen: its sockets accept and
// queue, nothing is processed) while a write is made; when it resumes,
// commands queued by every server run in no particular order. No server may
// then serve an answer from before a write that was acknowledged.
func TestAFrozenRedisNeverServesAnAnswerFromBeforeAnAcknowledgedWrite(t *testing.T) {
	redisProc := testenv.StartRedis(t)
	db := testenv.DB(t)
	unlimited := ratelimit.Limits{Default: 1 << 30}
	server := func() *env {
		c, err := cache.Open(cache.Options{URL: redisProc.URL(), Timeout: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return newEnvOn(t, db, nil, append(redisOpts(c), service.WithRateLimits(c, unlimited))...)
	}
	a, b := server(), server()
	a.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕400号", nil), &intakePenaltyOut{})
	readKey := b.key(credit.RoleCreditOffice)
	count := func() (int, bool) {
		r := b.doAs(readKey, penaltyCount, map[string]any{"c": intakeOrg})
		var out countOut
		if r.status != 200 || len(r.Errors) > 0 || unmarshal(r.Data, &out) != nil {
			return 0, false
		}
		return out.CreditCheck.PenaltiesLast3Years, true
	}
	for range 3 { // cached on B, in Redis and in its memory
		if n, ok := count(); !ok || n != 1 {
			t.Fatalf("before: %d %v", n, ok)
		}
	}
	var acked atomic.Int64
	acked.Store(1)
	var stale, failed, reads atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				floor := acked.Load()
				n, ok := count()
				switch {
				case !ok:
					failed.Add(1)
				case int64(n) < floor:
					stale.Add(1)
				}
				reads.Add(1)
			}
		}()
	}
	redisProc.Freeze()
	// The writing server is busy too: its reads time out, and the
	// connections they used are dropped, as on a loaded server.
	aKey := a.key(credit.RoleCreditOffice)
	for range 20 {
		a.doAs(aKey, penaltyCount, map[string]any{"c": intakeOrg})
	}
	time.Sleep(500 * time.Millisecond)
	go func() {
		a.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕401号", nil), &intakePenaltyOut{})
		acked.Store(2)
	}()
	time.Sleep(3500 * time.Millisecond)
	redisProc.Thaw()
	time.Sleep(4000 * time.Millisecond)
	close(stop)
	wg.Wait()
	t.Logf("%d reads, %d stale, %d failed; the write was acknowledged: %v", reads.Load(), stale.Load(), failed.Load(), acked.Load() == 2)
	if acked.Load() != 2 {
		t.Fatal("the write was not acknowledged 4 s after Redis resumed")
	}
	if stale.Load() != 0 || failed.Load() != 0 {
		t.Fatalf("%d stale answers and %d failed reads around a frozen Redis; want none", stale.Load(), failed.Load())
	}
}

// Two deployments (two databases) on one Redis: each derives its own key
// prefix from its database, so neither ever answers with the other's data.
func TestTwoDeploymentsOnOneRedisNeverShareAnswers(t *testing.T) {
	ctx := context.Background()
	hub := func() *env {
		db := testenv.DB(t)
		id, err := db.Identity(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return newEnvOn(t, db, nil, redisOpts(testenv.CacheWithPrefix(t, cache.PrefixFor(id)))...)
	}
	a, b := hub(), hub()
	t.Parallel()
	a.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕1号", nil), &intakePenaltyOut{})
	for _, e := range []*env{a, b} {
		e.as(credit.RoleBank)
	}
	for range 2 { // cached in A's deployment
		if r := a.do(penaltyCount, map[string]any{"c": intakeOrg}, ""); len(r.Errors) > 0 {
			t.Fatal(r.raw)
		}
	}
	r := b.do(penaltyCount, map[string]any{"c": intakeOrg}, "")
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "NOT_FOUND" || r.cache != "" {
		t.Fatalf("the other deployment, whose database has no such subject: tier %q %s; want NOT_FOUND computed from its own data", r.cache, r.raw)
	}
}
