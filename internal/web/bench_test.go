package web_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/credithub/credithub/internal/web"
)

// BenchmarkMiddleware is what the middleware adds to a request that the
// access log writes (JSON, discarded) with tracing off.
func BenchmarkMiddleware(b *testing.B) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{}")) })
	h := web.New(web.Options{Log: slog.New(slog.NewJSONHandler(discard{}, nil)), GraphQL: ok})
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }
