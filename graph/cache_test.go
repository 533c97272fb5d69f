package graph_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

// cachedEnv is a hub server whose checks and responses are cached in c.
func cachedEnv(t *testing.T, c *cache.Cache) *env {
	t.Helper()
	return newEnvFull(t, func(o *graph.HandlerOptions) { o.Cache = c }, service.WithCache(c))
}

func TestCheckIsAnsweredFromTheCacheTheSecondTime(t *testing.T) {
	e := cachedEnv(t, testenv.Cache(t))
	t.Parallel()
	w := newCheckWorld(e)
	e.as(credit.RoleBank)
	e.do(`{ __typename }`, nil, "")
	// Only fields the check answer itself holds: a field that loads more
	// (such as a key person's organisation) makes the response uncachable.
	q := `query($c: ID!) { creditCheck(code: $c, purpose: "贷前审查") { verdict subject { code name }
		measures { measure { code } } keyPersonFindings { role person { code } } reasons { rule text } } }`
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
	m := e.svc.Metrics()
	if testutil.ToFloat64(m.ResponseHits) != 1 {
		t.Errorf("response cache hits = %v, want 1", testutil.ToFloat64(m.ResponseHits))
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
	if got := bank.CreditCheck.KeyPersonFindings[0].Person.Code; got != "**************"+w.rep[14:] {
		t.Errorf("bank after the credit office: got %s, want the masked ID", got)
	}
}

func TestRedisOutageNeverFailsARequestAndTheCacheRecovers(t *testing.T) {
	redisProc := testenv.StartRedis(t)
	c, err := cache.Open(cache.Options{URL: redisProc.URL(), Timeout: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
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
	redisProc.Stop() // Redis goes away mid-run…
	time.Sleep(1500 * time.Millisecond)
	redisProc.Start() // …and comes back.
	time.Sleep(2500 * time.Millisecond)
	close(stop)
	wg.Wait()
	if failed.Load() != 0 {
		t.Fatalf("%d of %d requests failed while Redis was away; want none", failed.Load(), served.Load())
	}
	m := e.svc.Metrics()
	hitsBefore := testutil.ToFloat64(m.Hits) + testutil.ToFloat64(m.ResponseHits)
	for i := 0; i < 3; i++ {
		e.doAs(key, creditCheckQuery, map[string]any{"c": w.org})
	}
	if testutil.ToFloat64(m.Hits)+testutil.ToFloat64(m.ResponseHits) <= hitsBefore {
		t.Fatalf("no cache hits after Redis came back: the cache did not recover")
	}
	// Whichever cache met the outage first counts it: the response cache
	// ("response") or the check cache ("get").
	if testutil.ToFloat64(m.Fallbacks.WithLabelValues("get"))+testutil.ToFloat64(m.Fallbacks.WithLabelValues("response")) == 0 {
		t.Errorf("no fallbacks counted while Redis was down")
	}
	t.Logf("%d requests, none failed", served.Load())
}
