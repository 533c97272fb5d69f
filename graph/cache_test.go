package graph_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// cachedEnv is a hub server whose checks and responses are cached in c.
func cachedEnv(t *testing.T, c *cache.Cache) *env {
	t.Helper()
	return newEnvFull(t, nil, redisOpts(c)...)
}

func TestCheckIsAnsweredFromTheCacheTheSecondTime(t *testing.T) {
	e := cachedEnv(t, testenv.Cache(t))
	t.Parallel()
	w := newCheckWorld(e)
	e.as(credit.RoleBank)
	e.do(`{ __typename }`, nil, "")
	// Any selection: the subject's legal representative and their roles
	// are read too, and the whole answer rests on their generations.
	q := `query($c: ID!) { creditCheck(code: $c, purpose: "贷前审查") { verdict subject { code name legalRepresentative { name roles { role } } }
		measures { measure { code } } keyPersonFindings { role person { code displayCode } } reasons { rule text } } }`
	run := func() (int64, string) {
		before := e.db.Statements()
		var out creditCheckOut
		e.query(q, map[string]any{"c": w.org}, &out)
		return e.db.Statements() - before, out.CreditCheck.Verdict
	}
	first, v1 := run()
	second, v2 := run()
	if first == 0 || second != 0 || v1 != v2 {
		t.Fatalf("statements: first %d, second %d (want >0 then 0); verdicts %s, %s", first, second, v1, v2)
	}
	if hits := responseHits(e); hits != 1 {
		t.Errorf("response cache hits = %v, want 1", hits)
	}
}

func TestCheckCacheIsPerRoleSoMaskingNeverLeaks(t *testing.T) {
	e := cachedEnv(t, testenv.Cache(t))
	t.Parallel()
	w := newCheckWorld(e)
	var office, bank creditCheckOut
	e.as(credit.RoleCreditOffice)
	e.query(creditCheckQuery, map[string]any{"c": w.org}, &office)
	e.as(credit.RoleBank)
	e.query(creditCheckQuery, map[string]any{"c": w.org}, &bank)
	if office.CreditCheck.KeyPersonFindings[0].Person.Code != w.rep {
		t.Errorf("credit office: got %s, want the full ID", office.CreditCheck.KeyPersonFindings[0].Person.Code)
	}
	if got := bank.CreditCheck.KeyPersonFindings[0].Person.DisplayCode; got != "**************"+w.rep[14:] {
		t.Errorf("bank after the credit office: got %s, want the masked ID", got)
	}
}

// On one Redis, the server goes away and comes back; on the cluster, the
// master of the deployment's coherence keys hands over to its replica
// (CLUSTER FAILOVER) while requests run.
func TestRedisOutageNeverFailsARequestAndTheCacheRecovers(t *testing.T) {
	for _, kind := range redisKinds {
		t.Run(kind, func(t *testing.T) { redisOutage(t, kind) })
	}
}

func redisOutage(t *testing.T, kind string) {
	var c *cache.Cache
	var outage func()
	if kind == "cluster" {
		c = testenv.ClusterCacheWith(t, "credithub-test:outage:"+time.Now().Format("150405.000000")+":", 50*time.Millisecond)
		outage = func() {
			from, to := testenv.ClusterFailover(t, c.EpochKey())
			t.Logf("failover %s → %s", from, to)
			time.Sleep(time.Second)
		}
	} else {
		redisProc := testenv.StartRedis(t)
		var err error
		if c, err = cache.Open(cache.Options{URL: redisProc.URL(), Timeout: 5 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		outage = func() {
			redisProc.Stop() // Redis goes away mid-run…
			time.Sleep(1500 * time.Millisecond)
			redisProc.Start() // …and comes back.
			time.Sleep(2500 * time.Millisecond)
		}
	}
	e := cachedEnv(t, c)
	w := newCheckWorld(e)
	e.as(credit.RoleBank)
	key := e.token
	var failed, served atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				r := e.doAs(key, creditCheckQuery, map[string]any{"c": w.org})
				if r.status != 200 || len(r.Errors) > 0 {
					failed.Add(1)
				}
				served.Add(1)
			}
		}()
	}
	time.Sleep(500 * time.Millisecond)
	outage()
	close(stop)
	wg.Wait()
	if failed.Load() != 0 {
		t.Fatalf("%d of %d requests failed while Redis was away; want none", failed.Load(), served.Load())
	}
	m := e.svc.Metrics()
	// The cache leaves Redis alone for a second after each failure; within
	// a few seconds of its return answers come from it again.
	hitsBefore := responseHits(e)
	for deadline := time.Now().Add(5 * time.Second); responseHits(e) <= hitsBefore; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no cache hits in the 5 s after Redis came back: the cache did not recover")
		}
		e.doAs(key, creditCheckQuery, map[string]any{"c": w.org})
	}
	fallbacks := 0.0
	for _, op := range []string{"lookup", "current", "store"} {
		fallbacks += testutil.ToFloat64(m.Fallbacks.WithLabelValues(op))
	}
	if fallbacks == 0 && kind == "redis" {
		t.Errorf("no fallbacks counted while Redis was down")
	}
	t.Logf("%d requests, none failed", served.Load())
}

// responseHits counts the responses served from either tier of the cache.
func responseHits(e *env) float64 {
	m := e.svc.Metrics()
	return testutil.ToFloat64(m.ResponseHits.WithLabelValues("memory")) + testutil.ToFloat64(m.ResponseHits.WithLabelValues("redis"))
}
