package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// today is the fixed "now" of these tests: 2026-11-27 10:00 in Shanghai.
var today = time.Date(2026, 11, 27, 10, 0, 0, 0, credit.Shanghai)

const dept = "11210600MB0000001X"

type env struct {
	t     testing.TB
	db    *store.DB
	svc   *service.Service
	f     *testenv.Fixtures
	h     http.Handler
	token string // the bearer token requests carry; "" is PUBLIC
	keys  map[credit.Role]string
	// headers are added to every request.
	headers map[string]string
	// redis is the server's cache, when the test gave it one (servers).
	redis *cache.Cache
}

func newEnv(t *testing.T) *env {
	t.Helper()
	t.Parallel()
	return newEnvWith(t, nil)
}

// newEnvSerial is newEnv for a test that does not run in parallel with
// others.
func newEnvSerial(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, nil)
}

// redisOpts are the service options of a hub with Redis c: the response
// cache and persisted queries.
func redisOpts(c *cache.Cache) []service.Option {
	return []service.Option{service.WithCache(c), service.WithPersistedQueries(c)}
}

// newEnvFor is newEnv for a fuzz target.
func newEnvFor(f *testing.F) *env {
	return newEnvWith(f, nil)
}

func validJSON(b []byte) bool { return json.Valid(b) }

func unmarshal(b []byte, out any) error { return json.Unmarshal(b, out) }

// newEnvWith is newEnv with handler options changed by configure.
func newEnvWith(t testing.TB, configure func(*graph.HandlerOptions)) *env {
	t.Helper()
	return newEnvFull(t, configure)
}

// newEnvFull is newEnvWith with service options added.
func newEnvFull(t testing.TB, configure func(*graph.HandlerOptions), svcOpts ...service.Option) *env {
	t.Helper()
	db := testenv.DB(t)
	return newEnvOn(t, db, configure, svcOpts...)
}

// newEnvOn builds an env (one hub server) on an existing database.
func newEnvOn(t testing.TB, db *store.DB, configure func(*graph.HandlerOptions), svcOpts ...service.Option) *env {
	t.Helper()
	svc := service.New(db, append([]service.Option{service.WithClock(func() time.Time { return today })}, svcOpts...)...)
	authn, err := auth.New(context.Background(), db, auth.JWTConfig{HS256Secret: testJWTSecret}, false)
	if err != nil {
		t.Fatal(err)
	}
	opts := graph.HandlerOptions{
		Auth:          authn,
		Introspection: true,
	}
	if configure != nil {
		configure(&opts)
	}
	e := &env{t: t, db: db, svc: svc, f: testenv.NewFixtures(t, db), keys: map[credit.Role]string{}, h: graph.NewHandler(svc, opts)}
	e.f.Department(dept, "丹东市市场监督管理局")
	e.token = e.key(credit.RoleCreditOffice)
	return e
}

const testJWTSecret = "development-only-secret"

// key returns an API key of role (DEPARTMENT keys are bound to dept),
// created once per test.
func (e *env) key(role credit.Role) string {
	e.t.Helper()
	if k, ok := e.keys[role]; ok {
		return k
	}
	spec := auth.KeySpec{Role: role, Institution: "测试机构 " + string(role)}
	if role == credit.RoleDepartment {
		spec.Department = dept
	}
	k, _, err := auth.CreateKey(context.Background(), e.db, spec, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	e.keys[role] = k
	return k
}

// as makes the following requests with role's key ("" role: no token).
func (e *env) as(role credit.Role) *env {
	if role == credit.RolePublic {
		e.token = ""
	} else {
		e.token = e.key(role)
	}
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
	// cache is the tier that answered (X-Cache), "" when computed.
	cache  string
	header http.Header
}

// do posts a GraphQL request and decodes the response.
func (e *env) do(query string, vars map[string]any, accept string) gqlResponse {
	e.t.Helper()
	return e.post(map[string]any{"query": query, "variables": vars}, accept)
}

// doExt posts a request with extensions (persisted queries).
func (e *env) doExt(query string, ext map[string]any) gqlResponse {
	e.t.Helper()
	body := map[string]any{"extensions": ext}
	if query != "" {
		body["query"] = query
	}
	return e.post(body, "")
}

// errorCodeExt is errorCode for a request with extensions.
func (e *env) errorCodeExt(query string, ext map[string]any) (string, gqlError) {
	e.t.Helper()
	r := e.doExt(query, ext)
	if len(r.Errors) == 0 {
		e.t.Fatalf("want an error, got %s", r.raw)
	}
	code, _ := r.Errors[0].Extensions["code"].(string)
	return code, r.Errors[0]
}

func (e *env) post(payload map[string]any, accept string) gqlResponse {
	e.t.Helper()
	body, _ := json.Marshal(payload)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if e.token != "" {
		req.Header.Set("Authorization", "Bearer "+e.token)
	}
	for k, v := range e.headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	var r gqlResponse
	r.status, r.raw, r.cache, r.header = rec.Code, rec.Body.Bytes(), rec.Header().Get("X-Cache"), rec.Header()
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		e.t.Fatalf("response is not JSON: %v\n%s", err, rec.Body.String())
	}
	return r
}

// doAs posts a request with the given bearer token, safe for concurrent use.
func (e *env) doAs(token, query string, vars map[string]any) gqlResponse {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	var r gqlResponse
	r.status, r.raw = rec.Code, rec.Body.Bytes()
	_ = json.Unmarshal(rec.Body.Bytes(), &r)
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
