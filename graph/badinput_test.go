package graph_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// Bad input of every kind answers BAD_USER_INPUT naming the field, never
// INTERNAL or UNAVAILABLE, and never a half-read request.
func TestBadInputIsTheClientsErrorNamingTheField(t *testing.T) {
	e := newEnv(t)
	e.seedOrganisations(1)
	org := testenv.USCC(1)
	long := strings.Repeat("长", 201)
	for _, tc := range []struct {
		name, role, query string
		vars              map[string]any
		field             string
	}{
		{"NUL in a variable", "CREDIT_OFFICE", `query($f: SubjectFilter) { subjects(filter: $f) { totalCount } }`,
			map[string]any{"f": map[string]any{"nameContains": "丹\x00东"}}, "variables.f.nameContains"},
		{"NUL written in the document", "CREDIT_OFFICE", "{ subjects(filter: {nameContains: \"丹\\u0000东\"}) { totalCount } }", nil,
			"subjects.filter.nameContains"},
		{"NUL in a purpose", "BANK", `query($c: ID!, $p: String!) { creditCheck(code: $c, purpose: $p) { verdict } }`,
			map[string]any{"c": org, "p": "贷前\x00审查"}, "variables.p"},
		{"a purpose too long", "BANK", `query($c: ID!, $p: String!) { creditCheck(code: $c, purpose: $p) { verdict } }`,
			map[string]any{"c": org, "p": long}, "purpose"},
		{"a year 0 as of", "BANK", `query($c: ID!) { creditCheck(code: $c, purpose: "贷前审查", asOf: "0000-01-01") { verdict } }`,
			map[string]any{"c": org}, ""},
		{"a matter too long", "WINDOW", `query($c: ID!) { applicantCheck(code: $c, purpose: "受理", matter: "` + long + `") { greenChannel } }`,
			map[string]any{"c": org}, "matter"},
	} {
		e.as(credit.Role(tc.role))
		r := e.do(tc.query, tc.vars, "")
		if len(r.Errors) == 0 {
			t.Errorf("%s: no error: %s", tc.name, r.raw)
			continue
		}
		got := r.Errors[0].Extensions
		if got["code"] != "BAD_USER_INPUT" && got["code"] != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("%s: got %v, want BAD_USER_INPUT: %s", tc.name, got["code"], r.raw)
		}
		if tc.field != "" && got["field"] != tc.field {
			t.Errorf("%s: field %v, want %s", tc.name, got["field"], tc.field)
		}
	}
}

func TestBodiesOverTheLimitAre413EvenWhenChunked(t *testing.T) {
	e := newEnv(t)
	big := `{"query":"{ __typename }","variables":{"x":"` + strings.Repeat("x", 1<<20) + `"}}`
	for _, chunked := range []bool{false, true} {
		var body io.Reader = strings.NewReader(big)
		if chunked {
			body = io.MultiReader(strings.NewReader(big[:10]), bytes.NewReader([]byte(big[10:]))) // no length known
		}
		req := httptest.NewRequest(http.MethodPost, "/graphql", body)
		req.Header.Set("Content-Type", "application/json")
		if chunked {
			req.ContentLength = -1
			req.TransferEncoding = []string{"chunked"}
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "BAD_USER_INPUT") {
			t.Errorf("chunked=%v: got %d %.200s, want 413 with BAD_USER_INPUT", chunked, rec.Code, rec.Body.String())
		}
	}
}

func TestBadJSONIs400WithACode(t *testing.T) {
	e := newEnv(t)
	for _, accept := range []string{"", "application/json", "application/graphql-response+json"} {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query": "{ __typename }"`))
		req.Header.Set("Content-Type", "application/json")
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"code":"BAD_USER_INPUT"`) || strings.Contains(rec.Body.String(), `"data"`) {
			t.Errorf("Accept %q: got %d %s, want 400 with extensions.code and no data", accept, rec.Code, rec.Body.String())
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`query { __typename }`))
	req.Header.Set("Content-Type", "text/plain")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnsupportedMediaType || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/") {
		t.Errorf("text/plain body: got %d %s %s, want 415 answered in JSON", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
}
