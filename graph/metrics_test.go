package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/web"
)

// sample finds the series of family name whose labels include want; nil
// when there is none.
func sample(t *testing.T, reg *prometheus.Registry, name string, want map[string]string) *dto.Metric {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	series:
		for _, m := range f.GetMetric() {
			got := map[string]string{}
			for _, l := range m.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			for k, v := range want {
				if got[k] != v {
					continue series
				}
			}
			return m
		}
	}
	return nil
}

func count(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	m := sample(t, reg, name, labels)
	switch {
	case m == nil:
		return -1
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	}
	return -1
}

// Every operation, over HTTP and over a WebSocket, is counted by its name
// and outcome, timed, and refused ones by role; the families are there at
// 0 before the first request, and a client's made-up names cannot grow
// the series.
func TestRequestMetricsCountEveryOperationByNameAndOutcome(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewPedanticRegistry()
	e := newEnvWith(t, func(o *graph.HandlerOptions) { o.Metrics = reg })
	pedantic := reg

	for _, tr := range []string{"http", "ws"} {
		if v := count(t, pedantic, "credithub_graphql_requests_total", map[string]string{"transport": tr, "operation": "anonymous", "outcome": "ok"}); v != 0 {
			t.Errorf("requests_total{%s} before any request: %v, want 0", tr, v)
		}
		if v := count(t, pedantic, "credithub_graphql_requests_in_flight", map[string]string{"transport": tr}); v != 0 {
			t.Errorf("in_flight{%s}: %v, want 0", tr, v)
		}
	}
	if v := count(t, pedantic, "credithub_rate_limit_refusals_total", map[string]string{"role": "BANK"}); v != 0 {
		t.Errorf("refusals{BANK} before any: %v, want 0", v)
	}

	e.do(`query Hello { __typename }`, nil, "")
	e.do(`query Hello { __typename }`, nil, "")
	e.do(`query Broken { nope }`, nil, "")
	e.do(`query Q21060019900101 { __typename }`, nil, "")
	for labels, want := range map[[3]string]float64{
		{"http", "Hello", "ok"}:                         2,
		{"http", "Broken", "GRAPHQL_VALIDATION_FAILED"}: 1,
		{"http", "other", "ok"}:                         1,
	} {
		l := map[string]string{"transport": labels[0], "operation": labels[1], "outcome": labels[2]}
		if v := count(t, pedantic, "credithub_graphql_requests_total", l); v != want {
			t.Errorf("requests_total%v: %v, want %v", labels, v, want)
		}
		if v := count(t, pedantic, "credithub_graphql_request_duration_seconds", l); v != want {
			t.Errorf("duration%v count: %v, want %v", labels, v, want)
		}
	}
	if m := sample(t, pedantic, "credithub_graphql_requests_total", map[string]string{"operation": "Q21060019900101"}); m != nil {
		t.Error("a name with a long run of digits became a series")
	}

	srv := httptest.NewServer(e.h)
	defer srv.Close()
	c := dialWS(t, srv.URL, e.key(credit.RoleBank))
	if msgs := c.op("1", `query OverWS { __typename }`); msgs[0].Type != "next" {
		t.Fatalf("ws: %+v", msgs)
	}
	// The operation is counted once its answer is sent: a moment after
	// the client reads it.
	deadline := time.Now().Add(5 * time.Second)
	for count(t, pedantic, "credithub_graphql_requests_total", map[string]string{"transport": "ws", "operation": "OverWS", "outcome": "ok"}) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("ws requests_total{OverWS} did not reach 1")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, tr := range []string{"http", "ws"} {
		if v := count(t, pedantic, "credithub_graphql_requests_in_flight", map[string]string{"transport": tr}); v != 0 {
			t.Errorf("in_flight{%s} after the answers: %v, want 0", tr, v)
		}
	}
}

// The access log's line says which operation ran, for whom and how it
// ended, and never what was asked about.
func TestAccessLogLineNamesOperationRoleAndOutcome(t *testing.T) {
	e := newEnv(t)
	body, _ := json.Marshal(map[string]any{"query": `query Lookup($c: ID!) { subject(code: $c) { name } }`,
		"variables": map[string]any{"c": "91210600MA0Y000001"}})
	r := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+e.key(credit.RoleBank))
	ctx, rec := web.WithAccessRecord(r.Context())
	e.h.ServeHTTP(httptest.NewRecorder(), r.WithContext(ctx))
	got := map[string]string{}
	for _, a := range rec.Attrs() {
		got[a.Key] = a.Value.String()
		if bytes.Contains([]byte(a.Value.String()), []byte("91210600MA0Y000001")) {
			t.Errorf("the access log carries a variable's value: %s=%s", a.Key, a.Value)
		}
	}
	want := map[string]string{"operation": "Lookup", "role": "BANK", "outcome": "BAD_USER_INPUT", "institution": "测试机构 BANK"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("access log %s: got %q, want %q (line %v)", k, got[k], v, got)
		}
	}
}

// A token's subject may be a person's login name: the access log names the
// role and institution of a token's caller, not its subject.
func TestAccessLogNeverNamesATokensSubject(t *testing.T) {
	e := newEnv(t)
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "zhang.san", "role": "CREDIT_OFFICE",
		"institution": "丹东市信用办", "exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte(testJWTSecret))
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader([]byte(`{"query":"query Hello { __typename }"}`)))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+tok)
	ctx, rec := web.WithAccessRecord(r.Context())
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r.WithContext(ctx))
	line := map[string]string{}
	for _, a := range rec.Attrs() {
		line[a.Key] = a.Value.String()
	}
	if w.Code != http.StatusOK || line["role"] != "CREDIT_OFFICE" || line["operation"] != "Hello" {
		t.Fatalf("status %d, line %v; want the token accepted and logged", w.Code, line)
	}
	for k, v := range line {
		if strings.Contains(v, "zhang.san") {
			t.Errorf("the access log carries the token's subject in %s=%s", k, v)
		}
	}
}
