package graph_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/ratelimit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

func reasonOf(err gqlError) string { r, _ := err.Extensions["reason"].(string); return r }

func TestOperationLimitsAreRefusedWithTheLimitNamed(t *testing.T) {
	e := newEnvWith(t, func(o *graph.HandlerOptions) {
		o.Limits = graph.Limits{MaxDepth: 7, MaxComplexity: 5000, MaxTokens: 300}
	})
	t.Parallel()
	deep := `{ subjects { edges { node { keyPersons { person { roles { organization { name } } } } } } } }`
	code, err := e.errorCode(deep, nil)
	if code != "BAD_USER_INPUT" || reasonOf(err) != "DEPTH_LIMIT_EXCEEDED" || !strings.Contains(err.Message, "at most 7") {
		t.Errorf("depth: got %s %s %q", code, reasonOf(err), err.Message)
	}
	costly := `{ subjects(first: 100) { edges { node { licences(first: 100) { edges { node { id content } } } } } } }`
	code, err = e.errorCode(costly, nil)
	if code != "BAD_USER_INPUT" || reasonOf(err) != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Errorf("complexity: got %s %s %q", code, reasonOf(err), err.Message)
	}
	long := "{ " + strings.Repeat("a: __typename ", 200) + "}"
	r := e.do(long, nil, "")
	if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "token") {
		t.Errorf("token limit: got %s", r.raw)
	}
	var ok struct{ Subjects struct{ TotalCount int } }
	e.query(`{ subjects { totalCount } }`, nil, &ok) // within every limit

	// One text, priced by its variables' values on every request (the
	// price is remembered per operation and values: complexity.go).
	paged := `query P($n: Int, $m: Int, $c: ID!) { subjects(first: $n) { edges { node { code licences(first: $m) { totalCount } } } }
	one: subject(code: $c) { code } }`
	for i, c := range []struct {
		n, m    int
		refused bool
	}{{2, 2, false}, {100, 100, true}, {2, 2, false}, {100, 2, false}, {100, 100, true}, {100, 100, true}} {
		r := e.do(paged, map[string]any{"n": c.n, "m": c.m, "c": fmt.Sprintf("91210602MA%08dX", i)}, "")
		refused := len(r.Errors) > 0 && reasonOf(r.Errors[0]) == "COMPLEXITY_LIMIT_EXCEEDED"
		if refused != c.refused {
			t.Errorf("first %d, licences %d (request %d): refused %v, want %v: %s", c.n, c.m, i, refused, c.refused, r.raw)
		}
	}
}

func TestIntrospectionIsForAdminsInProduction(t *testing.T) {
	e := newEnvWith(t, func(o *graph.HandlerOptions) { o.Introspection = false })
	t.Parallel()
	for _, role := range []credit.Role{credit.RolePublic, credit.RoleBank, credit.RoleCreditOffice} {
		e.as(role)
		if r := e.do(`{ __schema { queryType { name } } }`, nil, ""); len(r.Errors) == 0 {
			t.Errorf("%s: introspection answered: %s", role, r.raw)
		}
	}
	e.as(credit.RoleAdmin)
	var out struct {
		Schema struct{ QueryType struct{ Name string } } `json:"__schema"`
	}
	e.query(`{ __schema { queryType { name } } }`, nil, &out)
	if out.Schema.QueryType.Name != "Query" {
		t.Errorf("ADMIN: got %+v", out)
	}
	// A federation router composes from _service with its own key.
	e.as(credit.RoleDashboard)
	var sdl struct {
		Service struct{ SDL string } `json:"_service"`
	}
	e.query(`{ _service { sdl } }`, nil, &sdl)
	if !strings.Contains(sdl.Service.SDL, "@key(fields: \"code\")") {
		t.Errorf("_service sdl for an authenticated router: got %q", sdl.Service.SDL)
	}
	e.as(credit.RolePublic)
	if r := e.do(`{ _service { sdl } }`, nil, ""); len(r.Errors) == 0 {
		t.Errorf("PUBLIC got the SDL with introspection off: %s", r.raw)
	}
}

func TestRateLimitAnswersRateLimitedPerCaller(t *testing.T) {
	c := testenv.Cache(t)
	limits := ratelimit.Limits{Default: 1000, ByRole: map[credit.Role]int{credit.RoleBank: 3}}
	e := newEnvFull(t, nil, append(redisOpts(c), service.WithRateLimits(c, limits))...)
	t.Parallel()
	e.as(credit.RoleBank)
	for i := 1; i <= 3; i++ {
		r := e.do(`{ __typename }`, nil, "")
		if r.status != 200 {
			t.Fatalf("request %d within the limit: %d %s", i, r.status, r.raw)
		}
		// The budget is told on every answer: 3 a minute, 3-i left.
		if got := [3]string{r.header.Get("RateLimit-Limit"), r.header.Get("RateLimit-Remaining"), r.header.Get("RateLimit-Reset")}; got[0] != "3" || got[1] != strconv.Itoa(3-i) || got[2] == "" || got[2] == "0" {
			t.Errorf("request %d: RateLimit-Limit, -Remaining, -Reset = %q, want 3, %d and a reset", i, got, 3-i)
		}
	}
	r := e.do(`{ __typename }`, nil, "")
	if r.status != 429 || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "RATE_LIMITED" {
		t.Fatalf("over the limit: got %d %s, want 429 RATE_LIMITED", r.status, r.raw)
	}
	if ra, _ := strconv.Atoi(r.header.Get("Retry-After")); ra < 1 || ra > 60 || r.header.Get("RateLimit-Remaining") != "0" {
		t.Errorf("refusal: Retry-After %q, RateLimit-Remaining %q; want 1-60 s and 0", r.header.Get("Retry-After"), r.header.Get("RateLimit-Remaining"))
	}
	e.as(credit.RoleCreditOffice) // another key has its own budget
	if r := e.do(`{ __typename }`, nil, ""); r.status != 200 {
		t.Fatalf("another caller: %d %s", r.status, r.raw)
	}
}

func TestRateLimitLetsRequestsThroughWhenRedisIsDown(t *testing.T) {
	dead, err := cache.Open(cache.Options{URL: "redis://127.0.0.1:1/0"})
	if err != nil {
		t.Fatal(err)
	}
	limits := ratelimit.Limits{Default: 1}
	e := newEnvFull(t, nil, append(redisOpts(dead), service.WithRateLimits(dead, limits))...)
	t.Parallel()
	for i := 0; i < 3; i++ {
		if r := e.do(`{ __typename }`, nil, ""); r.status != 200 || len(r.Errors) > 0 {
			t.Fatalf("request %d with Redis down: %d %s", i, r.status, r.raw)
		}
	}
}

func TestPersistedOnlyRolesRunTheOperatorsAllowListOnly(t *testing.T) {
	c := testenv.Cache(t)
	e := newEnvFull(t, func(o *graph.HandlerOptions) { o.PersistedOnly = []credit.Role{credit.RoleBank} }, redisOpts(c)...)
	t.Parallel()
	const q = `query Typename { __typename }`
	sum := sha256.Sum256([]byte(q))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}

	e.as(credit.RoleBank)
	if code, err := e.errorCodeExt("", ext); code != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown hash: got %s %q, want PERSISTED_QUERY_NOT_FOUND", code, err.Message)
	}
	if code, err := e.errorCodeExt(q, nil); code != "BAD_USER_INPUT" || reasonOf(err) != "PERSISTED_QUERY_REQUIRED" {
		t.Fatalf("BANK sending query text: got %s %s", code, reasonOf(err))
	}
	e.as(credit.RoleCreditOffice) // registers an Automatic Persisted Query: a shorthand, not an allow-list entry
	if r := e.doExt(q, ext); len(r.Errors) > 0 {
		t.Fatalf("registering: %s", r.raw)
	}
	e.as(credit.RoleBank)
	if code, err := e.errorCodeExt("", ext); code != "BAD_USER_INPUT" || reasonOf(err) != "PERSISTED_QUERY_REQUIRED" {
		t.Fatalf("BANK by the hash another caller registered: got %s %s, want PERSISTED_QUERY_REQUIRED", code, reasonOf(err))
	}
	operator := credit.Caller{ID: "cli:operator", Role: credit.RoleAdmin, Institution: "credithub command line"}
	if _, err := e.svc.InstallOperation(context.Background(), operator, "Typename", q); err != nil {
		t.Fatal(err)
	}
	if r := e.doExt("", ext); len(r.Errors) > 0 || !strings.Contains(string(r.Data), "Query") {
		t.Fatalf("BANK by hash once the operator installed it: %s", r.raw)
	}
	if r := e.doExt(q, nil); len(r.Errors) > 0 {
		t.Fatalf("BANK sending the installed operation's text: %s", r.raw)
	}
}

func TestAnonymousCallersCannotRegisterPersistedQueries(t *testing.T) {
	c := testenv.Cache(t)
	e := newEnvFull(t, nil, redisOpts(c)...)
	t.Parallel()
	const q = `query Anon { __typename }`
	sum := sha256.Sum256([]byte(q))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	e.as(credit.RolePublic)
	if r := e.doExt(q, ext); len(r.Errors) > 0 {
		t.Fatalf("an anonymous query sent with its hash still runs: %s", r.raw)
	}
	if code, _ := e.errorCodeExt("", ext); code != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("the hash an anonymous caller sent: got %s, want PERSISTED_QUERY_NOT_FOUND (not registered)", code)
	}
	e.as(credit.RoleBank)
	if r := e.doExt(q, ext); len(r.Errors) > 0 {
		t.Fatal(r.raw)
	}
	if r := e.doExt("", ext); len(r.Errors) > 0 {
		t.Fatalf("a hash a BANK key registered: %s", r.raw)
	}
	ttl, err := c.Client().TTL(context.Background(), c.Key("apq", hex.EncodeToString(sum[:]))).Result()
	if err != nil || ttl <= 0 {
		t.Fatalf("a registered persisted query has TTL %v (%v), want one that expires", ttl, err)
	}
}

// Error messages say what the caller may do, not what it may not know: who
// decided another department's record, or (in production) the schema's
// field names through suggestions.
func TestMessagesRevealNeitherOtherDepartmentsNorFieldNamesInProduction(t *testing.T) {
	e := newEnvWith(t, func(o *graph.HandlerOptions) { o.Production, o.Introspection = true, false })
	t.Parallel()
	e.f.Department("11210600MB0000002Y", "丹东市税务局")
	org := e.f.Subject(testenv.USCC(9), credit.LegalPerson, "丹东其他公司")
	other := e.f.Penalty(org, "11210600MB0000002Y", "2026-03-01", credit.General, 100)
	e.as(credit.RoleDepartment)
	code, err := e.errorCode(`mutation($id: ID!) { revokePenalty(id: $id, reason: "撤销") { updated } }`,
		map[string]any{"id": fmt.Sprint(other)})
	if code != "FORBIDDEN" || strings.Contains(err.Message, "11210600MB0000002Y") {
		t.Fatalf("revoking another department's penalty: %s %q; want FORBIDDEN without the other department", code, err.Message)
	}
	_, err = e.errorCode(`{ subjects { totalCont } }`, nil)
	if strings.Contains(err.Message, "Did you mean") || strings.Contains(err.Message, "totalCount") {
		t.Fatalf("a misspelt field in production: %q; want no suggestion", err.Message)
	}
}
