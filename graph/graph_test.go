package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// today is the fixed "now" of these tests: 2026-11-27 10:00 in Shanghai.
var today = time.Date(2026, 11, 27, 10, 0, 0, 0, credit.Shanghai)

const dept = "11210600MB0000001X"

type env struct {
	t  *testing.T
	db *store.DB
	f  *testenv.Fixtures
	h  http.Handler
}

func newEnv(t *testing.T) *env {
	t.Helper()
	t.Parallel()
	db := testenv.DB(t)
	svc := service.New(db, service.WithClock(func() time.Time { return today }))
	e := &env{t: t, db: db, f: testenv.NewFixtures(t, db), h: graph.NewHandler(svc, graph.HandlerOptions{
		Introspection: true,
		// A wide batching window takes scheduler noise out of statement counts.
		LoaderWait: 20 * time.Millisecond,
	})}
	e.f.Department(dept, "丹东市市场监督管理局")
	return e
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	status int
	raw    []byte
}

// do posts a GraphQL request and decodes the response.
func (e *env) do(query string, vars map[string]any, accept string) gqlResponse {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	var r gqlResponse
	r.status, r.raw = rec.Code, rec.Body.Bytes()
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		e.t.Fatalf("response is not JSON: %v\n%s", err, rec.Body.String())
	}
	return r
}

// query runs a query that must succeed and decodes its data into out.
func (e *env) query(query string, vars map[string]any, out any) {
	e.t.Helper()
	r := e.do(query, vars, "")
	if len(r.Errors) > 0 {
		e.t.Fatalf("unexpected errors: %s", r.raw)
	}
	if err := json.Unmarshal(r.Data, out); err != nil {
		e.t.Fatalf("decode data: %v\n%s", err, r.Data)
	}
}

// errorCode runs a query that must fail and returns its first error's code.
func (e *env) errorCode(query string, vars map[string]any) (string, gqlError) {
	e.t.Helper()
	r := e.do(query, vars, "")
	if len(r.Errors) == 0 {
		e.t.Fatalf("want an error, got %s", r.raw)
	}
	code, _ := r.Errors[0].Extensions["code"].(string)
	return code, r.Errors[0]
}
