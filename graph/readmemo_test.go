package graph_test

import (
	"encoding/json"
	"fmt"
	"testing"
)

// A field's read is remembered across requests of the same query text
// (graph/readmemo.go), keyed by the values of the variables used under it:
// one text sent with other page sizes, dates and @include conditions, in
// any order, must read what each request asks, never what an earlier one
// did. Without a cache, so that every request is read from PostgreSQL.
func TestOneQueryTextWithOtherVariablesReadsWhatEachAsks(t *testing.T) {
	e := newEnv(t)
	for i, day := range []string{"2026-11-18", "2026-11-19", "2026-11-20"} {
		e.query(recordPenaltyMutation, penaltyIn(fmt.Sprintf("丹市监罚〔2026〕%d号", i+1), func(in, _ map[string]any) { in["decidedOn"] = day }),
			&intakePenaltyOut{})
	}
	const query = `query Memo($c: ID!, $n: Int, $rep: Boolean!, $since: Date, $skipPage: Boolean! = false) {
	subject(code: $c, purpose: "测试") { code legalRepresentative @include(if: $rep) { name }
		...Recent } }
fragment Recent on Subject { penalties(first: $n, since: $since) { totalCount
	edges @skip(if: $skipPage) { node { decisionNumber } } } }`
	type answer struct {
		Subject struct {
			LegalRepresentative *struct{ Name string }
			Penalties           struct {
				TotalCount int
				Edges      []json.RawMessage
			}
		}
	}
	cases := []struct {
		vars             map[string]any
		rep              bool
		total, edges     int
		edgesKeyExpected bool
	}{
		{map[string]any{"n": 1, "rep": true}, true, 3, 1, true},
		{map[string]any{"n": 3, "rep": true}, true, 3, 3, true},
		{map[string]any{"n": 1, "rep": false}, false, 3, 1, true},
		{map[string]any{"n": 3, "rep": false, "since": "2026-11-19"}, false, 2, 2, true},
		{map[string]any{"n": 3, "rep": true, "since": "2026-11-20"}, true, 1, 1, true},
		{map[string]any{"n": 2, "rep": true, "skipPage": true}, true, 3, 0, false},
		{map[string]any{"n": 1, "rep": true}, true, 3, 1, true},
		{map[string]any{"n": 2, "rep": false, "since": "2026-11-21"}, false, 0, 0, true},
	}
	for round := 0; round < 2; round++ { // the second round finds every walk remembered
		for i, c := range cases {
			vars := map[string]any{"c": intakeOrg}
			for k, v := range c.vars {
				vars[k] = v
			}
			r := e.do(query, vars, "")
			if len(r.Errors) > 0 {
				t.Fatalf("round %d case %d: %v", round, i, r.Errors)
			}
			var a answer
			var raw struct {
				Subject struct {
					Penalties map[string]json.RawMessage
				}
			}
			if err := json.Unmarshal(r.Data, &a); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(r.Data, &raw); err != nil {
				t.Fatal(err)
			}
			_, hasEdges := raw.Subject.Penalties["edges"]
			got := a.Subject
			if (got.LegalRepresentative != nil) != c.rep || got.Penalties.TotalCount != c.total ||
				len(got.Penalties.Edges) != c.edges || hasEdges != c.edgesKeyExpected {
				t.Errorf("round %d case %d %v: representative %v, total %d, %d edges (key %v); want %v, %d, %d (key %v): %s",
					round, i, c.vars, got.LegalRepresentative != nil, got.Penalties.TotalCount, len(got.Penalties.Edges), hasEdges,
					c.rep, c.total, c.edges, c.edgesKeyExpected, r.Data)
			}
			if c.rep && got.LegalRepresentative.Name == "" {
				t.Errorf("round %d case %d: the legal representative has no name: %s", round, i, r.Data)
			}
		}
	}
	// Directives on a fragment spread and on an inline fragment. A read
	// that asks too little is not wrong (a relation's resolver reads what is
	// missing) but costs a statement more: each answer must come from the
	// one statement of its own read. The request asking least comes first.
	const spread = `query Memo2($c: ID!, $withRecent: Boolean!, $noRep: Boolean!) {
	subject(code: $c, purpose: "测试") { code ...Recent2 @include(if: $withRecent)
		... on Subject @skip(if: $noRep) { legalRepresentative { name } } } }
fragment Recent2 on Subject { penalties(first: 2) { totalCount } }`
	for round := 0; round < 2; round++ {
		for _, c := range []struct{ recent, noRep bool }{{false, true}, {true, false}, {false, false}, {true, true}} {
			before := e.db.Statements()
			r := e.do(spread, map[string]any{"c": intakeOrg, "withRecent": c.recent, "noRep": c.noRep}, "")
			var got struct{ Subject map[string]json.RawMessage }
			if len(r.Errors) > 0 || json.Unmarshal(r.Data, &got) != nil {
				t.Fatalf("round %d %+v: %s", round, c, r.raw)
			}
			_, hasRecent := got.Subject["penalties"]
			_, hasRep := got.Subject["legalRepresentative"]
			if hasRecent != c.recent || hasRep == c.noRep || (c.recent && string(got.Subject["penalties"]) != `{"totalCount":3}`) ||
				(!c.noRep && string(got.Subject["legalRepresentative"]) != `{"name":"王五"}`) {
				t.Errorf("round %d %+v: %s", round, c, r.Data)
			}
			if n := e.db.Statements() - before; round > 0 && n != 1 {
				t.Errorf("round %d %+v: %d statements, want the one of its read", round, c, n)
			}
		}
	}
}
