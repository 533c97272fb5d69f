package graph_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/ratelimit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

// A ROUTER's request is its end user's: access, masking and rate limits
// follow the token in X-End-User-Authorization (PUBLIC without one), over
// HTTP and WebSocket alike; only a ROUTER may speak for someone else.
func TestARouterActsForTheEndUserItForwards(t *testing.T) {
	c := testenv.Cache(t)
	limits := ratelimit.Limits{Default: 1000, ByRole: map[credit.Role]int{credit.RolePublic: 2}}
	e := newEnvFull(t, func(o *graph.HandlerOptions) { o.Introspection, o.Production = false, true },
		append(redisOpts(c), service.WithRateLimits(c, limits))...)
	w := newAccessWorld(e)
	router, bank := e.key(credit.RoleRouter), e.key(credit.RoleBank)
	person := `query($c: ID!) { subject(code: $c, purpose: "贷前审查") { code displayCode name } }`
	personAs := func(headers map[string]string) gqlResponse {
		e.token, e.headers = router, headers
		defer func() { e.headers = nil }()
		return e.do(person, map[string]any{"c": w.person}, "")
	}

	r := personAs(map[string]string{"X-End-User-Authorization": "Bearer " + bank})
	if !strings.Contains(string(r.raw), `"displayCode":"**************`+w.person[14:]+`"`) || !strings.Contains(string(r.raw), `"code":"MASKED-`) ||
		!strings.Contains(string(r.raw), "张三丰") {
		t.Errorf("for a bank: got %s, want the bank's view (last four, name in full, an opaque key)", r.raw)
	}
	r = personAs(map[string]string{"X-Forwarded-For": "198.51.100.1"})
	if !strings.Contains(string(r.raw), `"displayCode":"2106**********`+w.person[14:]+`"`) || !strings.Contains(string(r.raw), "张**") {
		t.Errorf("for nobody: got %s, want the public's view", r.raw)
	}

	t.Run("the router reads the SDL with introspection off, as itself or for anyone", func(t *testing.T) {
		for _, h := range []map[string]string{nil, {"X-End-User-Authorization": "Bearer " + bank}} {
			e.token, e.headers = router, h
			if r := e.do(`{ _service { sdl } }`, nil, ""); len(r.Errors) > 0 || !strings.Contains(string(r.raw), "@key") {
				t.Errorf("%v: got %.200s", h, r.raw)
			}
			if r := e.do(`{ __schema { queryType { name } } }`, nil, ""); len(r.Errors) == 0 {
				t.Errorf("%v: introspection answered: %.200s", h, r.raw)
			}
		}
		e.headers = nil
	})
	t.Run("anonymous end users are limited by the address the router forwards", func(t *testing.T) {
		for i := 0; i < 2; i++ { // the address above has used one of its two
			if r := personAs(map[string]string{"X-Forwarded-For": "198.51.100.1, 10.0.0.1"}); i == 1 && r.status != 429 {
				t.Errorf("the third request from one address: got %d, want 429", r.status)
			}
		}
		if r := personAs(map[string]string{"X-Forwarded-For": "198.51.100.2"}); r.status != 200 {
			t.Errorf("another address: got %d %s", r.status, r.raw)
		}
	})
	t.Run("nobody else may speak for an end user, and nobody for a router", func(t *testing.T) {
		for name, try := range map[string]struct{ token, endUser string }{
			"a bank with an end user": {bank, "Bearer " + e.key(credit.RoleCreditOffice)},
			"a router for a router":   {router, "Bearer " + router},
			"a router for a bad key":  {router, "Bearer chk_not-a-key"},
			"a router, a bare token":  {router, bank},
		} {
			e.token, e.headers = try.token, map[string]string{"X-End-User-Authorization": try.endUser}
			r := e.do(`{ __typename }`, nil, "")
			if r.status != 401 || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "UNAUTHENTICATED" {
				t.Errorf("%s: got %d %s, want 401 UNAUTHENTICATED", name, r.status, r.raw)
			}
		}
		e.headers = nil
	})
	t.Run("over a WebSocket too", func(t *testing.T) {
		srv := httptest.NewServer(e.h)
		t.Cleanup(srv.Close)
		ws := dialWSInit(t, srv.URL, map[string]any{"Authorization": "Bearer " + router, "X-End-User-Authorization": "Bearer " + bank})
		msgs := ws.op("1", `{ subject(code: "`+w.person+`", purpose: "贷前审查") { code displayCode } }`)
		if len(msgs) == 0 || !strings.Contains(string(msgs[0].Payload), `"displayCode":"**************`) || !strings.Contains(string(msgs[0].Payload), "MASKED-") {
			t.Errorf("got %+v, want the bank's view", msgs)
		}
	})
}
