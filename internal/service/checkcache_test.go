package service

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// A computed answer is handed to its reader as it is, and a cached one is
// decoded from Redis: both must say exactly the same.
func TestCachedCheckEqualsTheComputedOne(t *testing.T) {
	t.Parallel()
	e := newJointEnv(t, []string{"D1", "D2"}, WithCache(testenv.Cache(t)))
	e.approved("2026-02-27") // measures, an entry and its attribution to the legal representative
	bank := as("bank", credit.RoleBank, "")
	window := as("window", credit.RoleWindow, "")
	for _, code := range []string{e.orgCode, e.repCode} {
		var rendered [2]string
		for i := range rendered {
			c, err := e.svc.CreditCheck(bank, code, credit.Date{}, "贷前审查")
			if err != nil {
				t.Fatal(err)
			}
			a, err := e.svc.ApplicantCheck(window, code, "", credit.Date{}, "受理审查")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal([]any{c, a})
			rendered[i] = string(b)
		}
		if rendered[0] != rendered[1] {
			t.Errorf("%s: computed\n%s\ncached\n%s", code, rendered[0], rendered[1])
		}
		if !json.Valid([]byte(rendered[0])) || len(rendered[0]) < 100 {
			t.Errorf("%s: a suspiciously empty answer: %s", code, rendered[0])
		}
	}
	if hits := testutil.ToFloat64(e.svc.Metrics().Hits); hits != 4 {
		t.Fatalf("cache hits %v, want 4 (the second round of both checks of both subjects)", hits)
	}
}

// A request that ends itself (its client went away) while Redis is asked
// saw no failure of Redis: the cache stays in use for everyone else.
func TestARequestThatEndsItselfDoesNotPauseTheCache(t *testing.T) {
	t.Parallel()
	svc := New(nil, WithCache(testenv.Cache(t)))
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	svc.CacheFailed(gone, "response", gone.Err())
	if !svc.CacheUsable(context.Background()) {
		t.Fatal("the cache is paused after a request's own cancellation")
	}
	if n := testutil.ToFloat64(svc.Metrics().Fallbacks.WithLabelValues("response")); n != 0 {
		t.Errorf("fallbacks counted: %v, want 0", n)
	}
	svc.CacheFailed(context.Background(), "response", errors.New("i/o timeout"))
	if svc.CacheUsable(context.Background()) {
		t.Fatal("the cache is still used right after Redis failed")
	}
}
