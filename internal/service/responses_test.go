package service

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/credithub/credithub/internal/testenv"
)

// A request that ends itself (its client went away) while Redis is asked
// saw no failure of Redis: the cache stays in use for everyone else.
func TestARequestThatEndsItselfDoesNotPauseTheCache(t *testing.T) {
	t.Parallel()
	svc := New(nil, WithCache(testenv.Cache(t)))
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	svc.responses.failed(gone, "lookup", gone.Err())
	if !svc.responses.usable(context.Background()) {
		t.Fatal("the cache is paused after a request's own cancellation")
	}
	if n := testutil.ToFloat64(svc.Metrics().Fallbacks.WithLabelValues("lookup")); n != 0 {
		t.Errorf("fallbacks counted: %v, want 0", n)
	}
	svc.responses.failed(context.Background(), "lookup", errors.New("i/o timeout"))
	if svc.responses.usable(context.Background()) {
		t.Fatal("the cache is still used right after Redis failed")
	}
}
