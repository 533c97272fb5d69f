package graph_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// FuzzHandler feeds random GraphQL documents and variables to the handler,
// as PUBLIC and as CREDIT_OFFICE: it must never panic and never answer 5xx.
func FuzzHandler(f *testing.F) {
	seeds := []struct{ query, vars string }{
		{`{ __typename }`, `{}`},
		{`query($c: ID!) { subject(code: $c) { name licences { totalCount } } }`, `{"c": "` + testenv.USCC(1) + `"}`},
		{`query($f: SubjectFilter, $n: Int) { subjects(filter: $f, first: $n) { edges { cursor node { code } } } }`, `{"f": {"nameContains": "丹"}, "n": 5}`},
		{`{ subject(code: "91350100M000100Y43") { penalties(since: "2020-02-30") { totalCount } } }`, `null`},
		{`query { subjects(after: "czo5MTIx") { pageInfo { endCursor } } }`, `{"x": [1, 2]}`},
		{`{ subject(code: "x") { listEntries(activeOn: "2026-01-01") { measures { code } } } }`, `{}`},
		{`fragment F on Subject { name ...F } { subjects { edges { node { ...F } } } }`, `{}`},
		{`{ _entities(representations: [{__typename: "Subject", code: "x"}]) { __typename } }`, `{}`},
	}
	for _, s := range seeds {
		f.Add(s.query, s.vars, true)
	}
	e := newEnvFor(f)
	e.seedOrganisations(2)
	creditOffice := e.key(credit.RoleCreditOffice)
	f.Fuzz(func(t *testing.T, query, vars string, authenticated bool) {
		body := `{"query": ` + jsonString(query) + `, "variables": ` + orNull(vars) + `}`
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewBufferString(body))
		req.Header.Set("Content-Type", "application/json")
		if authenticated {
			req.Header.Set("Authorization", "Bearer "+creditOffice)
		}
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %s\n%s", rec.Code, body, rec.Body.String())
		}
		if bytes.Contains(rec.Body.Bytes(), []byte("pq:")) || bytes.Contains(rec.Body.Bytes(), []byte("goroutine ")) {
			t.Fatalf("response leaks internals: %s", rec.Body.String())
		}
	})
}

func jsonString(s string) string {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&0xf])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// orNull passes vars through as raw JSON when it is valid, else null, so
// that the fuzzer explores variables rather than JSON syntax errors only.
func orNull(vars string) string {
	if json := []byte(vars); len(json) > 0 && validJSON(json) {
		return vars
	}
	return "null"
}
