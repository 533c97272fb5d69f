package graph_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

func TestCachedAnswerForTodayDoesNotSurviveMidnight(t *testing.T) {
	var clock atomic.Value
	clock.Store(time.Date(2026, 11, 27, 23, 59, 58, 0, credit.Shanghai))
	c := testenv.Cache(t)
	e := newEnvOn(t, testenv.DB(t), nil,
		append(redisOpts(c), service.WithClock(func() time.Time { return clock.Load().(time.Time) }))...)
	t.Parallel()
	org := e.f.Subject(testenv.USCC(1), credit.LegalPerson, "丹东到期有限公司")
	e.f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Black, Domain: "WAGE_ARREARS", Dept: dept,
		DecidedOn: "2023-11-28", EndsOn: "2026-11-27"}) // its last day is today
	q := `query($c: ID!) { creditCheck(code: $c, purpose: "午夜测试") { asOf blacklisted } }`
	var out struct {
		CreditCheck struct {
			AsOf        string
			Blacklisted bool
		}
	}
	for i := 0; i < 2; i++ { // computed, then served from the cache
		e.query(q, map[string]any{"c": testenv.USCC(1)}, &out)
		if out.CreditCheck.AsOf != "2026-11-27" || !out.CreditCheck.Blacklisted {
			t.Fatalf("before midnight: got %+v, want blacklisted on 2026-11-27", out.CreditCheck)
		}
	}
	clock.Store(time.Date(2026, 11, 28, 0, 0, 1, 0, credit.Shanghai))
	e.query(q, map[string]any{"c": testenv.USCC(1)}, &out)
	if out.CreditCheck.AsOf != "2026-11-28" || out.CreditCheck.Blacklisted {
		t.Fatalf("after midnight: got %+v, want not blacklisted on 2026-11-28", out.CreditCheck)
	}
}
