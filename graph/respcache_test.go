package graph_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// The two reads of make bench, as banks and windows send them.
const (
	bankQuery = `query Bank($c: ID!) { creditCheck(code: $c, purpose: "贷前审查") { asOf ruleVersion verdict redListed blacklisted
	taxCreditGrade { year grade } penaltiesLast3Years seriousPenaltiesLast3Years
	activeListEntries { kind domain decisionNumber endsOn } measures { measure { code name legalBasis } viaRole }
	keyPersonFindings { role person { code name } } reasons { rule text records { kind decisionNumber } }
	subject { code name kind legalRepresentative { name code } } } }`
	windowQuery = `query Window($c: ID!, $since: Date!, $today: Date!) { subject(code: $c, purpose: "窗口受理审查") {
	code name kind status legalRepresentative { name code }
	listEntries(activeOn: $today) { kind domain decisionNumber startsOn endsOn measures { name legalBasis } }
	penalties(since: $since) { totalCount }
	licences(first: 5) { edges { node { decisionNumber documentName authorityName decidedOn validUntil } } } } }`
	// The same reads spelt with aliases and fragments.
	fragmentQuery = `query Spelt($c: ID!) { a: subject(code: $c, purpose: "甲") { ...Org }
	b: subject(code: $c, purpose: "乙") { name rep: legalRepresentative { ... on Subject { code name } } } }
fragment Org on Subject { code legalRepresentative { name roles { role organization { name } } } recent: penalties(first: 2) { totalCount edges { node { decisionNumber } } } }`
)

func TestAnySubjectReadIsServedFromTheCacheAndNeverStaleAfterAWrite(t *testing.T) {
	e := cachedEnv(t, testenv.Cache(t))
	t.Parallel()
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕1号", nil), &intakePenaltyOut{}) // registers the organisation and 王五
	office := e.token
	windowVars := map[string]any{"c": intakeOrg, "since": "2023-12-04", "today": "2026-11-27"}
	reads := []struct {
		name  string
		query string
		vars  map[string]any
	}{
		{"window", windowQuery, windowVars},
		{"bank", bankQuery, map[string]any{"c": intakeOrg}},
		{"aliases and fragments", fragmentQuery, map[string]any{"c": intakeOrg}},
	}
	e.as(credit.RoleBank)
	bank := e.token
	// computed, then served: the same answer from the cache.
	answers := map[string][]byte{}
	for _, rd := range reads {
		first := e.do(rd.query, rd.vars, "")
		second := e.do(rd.query, rd.vars, "")
		if len(first.Errors) > 0 || first.cache != "" || second.cache == "" || !bytes.Equal(first.raw, second.raw) {
			t.Fatalf("%s: first %q %s, second %q %s; want computed then the same bytes from the cache",
				rd.name, first.cache, first.raw, second.cache, second.raw)
		}
		answers[rd.name] = first.raw
	}

	// A write to the subject: every read shows it on the next request.
	e.token = office
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕2号", nil), &intakePenaltyOut{})
	e.token = bank
	for _, rd := range reads {
		r := e.do(rd.query, rd.vars, "")
		if r.cache != "" || bytes.Equal(r.raw, answers[rd.name]) {
			t.Errorf("%s after a penalty of the subject: tier %q, unchanged %v; want a fresh answer", rd.name, r.cache, bytes.Equal(r.raw, answers[rd.name]))
		}
		if again := e.do(rd.query, rd.vars, ""); again.cache == "" || !bytes.Equal(again.raw, r.raw) {
			t.Errorf("%s: the fresh answer is not cached in its turn (tier %q)", rd.name, again.cache)
		}
		answers[rd.name] = r.raw
	}

	// A write to the legal representative alone (the person's name).
	e.token = office
	e.query(registerMutation, map[string]any{"in": map[string]any{"code": intakeRep, "kind": "NATURAL_PERSON", "name": "王五六"}}, &struct{}{})
	e.token = bank
	for _, rd := range reads {
		r := e.do(rd.query, rd.vars, "")
		if r.cache != "" || !bytes.Contains(r.raw, []byte("王")) || bytes.Equal(r.raw, answers[rd.name]) {
			t.Errorf("%s after the legal representative's name changed: tier %q, unchanged %v", rd.name, r.cache, bytes.Equal(r.raw, answers[rd.name]))
		}
	}
}

func TestPersistedAndFullTextRequestsAreCachedAlike(t *testing.T) {
	e := cachedEnv(t, testenv.Cache(t))
	t.Parallel()
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕1号", nil), &intakePenaltyOut{})
	sum := sha256.Sum256([]byte(bankQuery))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	e.as(credit.RoleBank)
	send := func() gqlResponse {
		body := map[string]any{"extensions": ext, "variables": map[string]any{"c": intakeOrg}}
		return e.post(body, "")
	}
	if r := send(); len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("an unregistered hash: %s", r.raw)
	}
	if r := e.post(map[string]any{"query": bankQuery, "extensions": ext, "variables": map[string]any{"c": intakeOrg}}, ""); len(r.Errors) > 0 {
		t.Fatalf("registering: %s", r.raw)
	}
	first, second := send(), send()
	if len(first.Errors) > 0 || first.cache != "" || second.cache == "" || !bytes.Equal(first.raw, second.raw) {
		t.Fatalf("persisted: first %q %s, second %q; want computed then cached", first.cache, first.raw, second.cache)
	}
	e.as(credit.RoleCreditOffice)
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕2号", nil), &intakePenaltyOut{})
	e.as(credit.RoleBank)
	if r := send(); r.cache != "" || bytes.Equal(r.raw, first.raw) {
		t.Fatalf("persisted after a write: tier %q, unchanged %v", r.cache, bytes.Equal(r.raw, first.raw))
	}
}

// A fragment used in two places, merged with another selection of the same
// field in one of them: each place shows what it asked for.
func TestAFragmentMergedInOnePlaceOnlyShowsWhatEachPlaceAsks(t *testing.T) {
	e := newEnv(t)
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕1号", nil), &intakePenaltyOut{})
	q := `query($c: ID!) {
		a: subject(code: $c) { ...Rep legalRepresentative { kind status } }
		b: subject(code: $c) { ...Rep }
	}
	fragment Rep on Subject { legalRepresentative { name } }`
	var out struct {
		A struct {
			LegalRepresentative struct{ Name, Kind, Status string }
		}
		B struct{ LegalRepresentative map[string]any }
	}
	e.query(q, map[string]any{"c": intakeOrg}, &out)
	if out.A.LegalRepresentative.Name == "" || out.A.LegalRepresentative.Kind != "NATURAL_PERSON" || out.A.LegalRepresentative.Status != "ACTIVE" {
		t.Errorf("a (merged): %+v, want name, kind NATURAL_PERSON and status ACTIVE", out.A.LegalRepresentative)
	}
	if len(out.B.LegalRepresentative) != 1 || out.B.LegalRepresentative["name"] == "" {
		t.Errorf("b (the fragment alone): %+v, want its name only", out.B.LegalRepresentative)
	}
}

// A statistic is cached like a check, under the caller's role and the day,
// and never stale after a write: every write bumps the generation the
// statistics rest on, whichever subject it wrote. checkStats counts the
// query-use log, which every read adds to, and is never stored.
func TestStatisticsAreCachedAndNeverStaleAfterAWrite(t *testing.T) {
	e := cachedEnv(t, testenv.Cache(t))
	t.Parallel()
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕31号", nil), &intakePenaltyOut{})
	period := map[string]any{"f": "2026-01-01", "t": "2026-11-30"}
	stats := []struct{ name, query string }{
		{"recordStats", `query S($f: Date!, $t: Date!) { recordStats(from: $f, to: $t) { total { penalties } rows { group { departmentCode } penalties } } }`},
		{"amountStats and jointCaseStats", `query S($f: Date!, $t: Date!) { a: amountStats(from: $f, to: $t) { total { fines } } j: jointCaseStats(from: $f, to: $t) { total { pushed } } }`},
	}
	answers := map[string][]byte{}
	for _, s := range stats {
		first, second := e.do(s.query, period, ""), e.do(s.query, period, "")
		if len(first.Errors) > 0 || first.cache != "" || second.cache == "" || !bytes.Equal(first.raw, second.raw) {
			t.Fatalf("%s: first %q %s, second %q %s; want computed, then the same bytes from the cache", s.name, first.cache, first.raw, second.cache, second.raw)
		}
		answers[s.name] = first.raw
	}
	// A penalty of another subject: no subject the statistic "read", yet
	// the count moves and the cached answer is not served.
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕32号", func(in, party map[string]any) {
		party["unifiedSocialCreditCode"], party["name"] = "91210600MA0Y0CACH4", "丹东统计缓存有限公司"
	}), &intakePenaltyOut{})
	r := e.do(stats[0].query, period, "")
	if r.cache != "" || bytes.Equal(r.raw, answers[stats[0].name]) {
		t.Errorf("recordStats after a penalty of another subject: tier %q, unchanged %v; want a fresh count", r.cache, bytes.Equal(r.raw, answers[stats[0].name]))
	}
	if r := e.do(stats[1].query, period, ""); r.cache != "" {
		t.Errorf("amountStats after a write: served from %q", r.cache)
	}
	// Another role's answer is another entry.
	e.as(credit.RoleDashboard)
	if d := e.do(stats[0].query, period, ""); len(d.Errors) > 0 || d.cache != "" {
		t.Errorf("DASHBOARD's first recordStats: tier %q (errors %v); want its own computation", d.cache, d.Errors)
	}
	e.as(credit.RoleAuditor)
	q := `query C($f: Date!, $t: Date!) { checkStats(from: $f, to: $t) { total { uses } } }`
	e.do(q, period, "")
	if again := e.do(q, period, ""); again.cache != "" || len(again.Errors) > 0 {
		t.Errorf("checkStats served from the cache (%q) or failed: %s", again.cache, again.raw)
	}
}

// A search page is cached like a statistic: a subject registered anywhere
// joins the next answer, whichever subject it is.
func TestASearchIsCachedAndANewSubjectJoinsTheNextAnswer(t *testing.T) {
	e := cachedEnv(t, testenv.Cache(t))
	t.Parallel()
	q := `query Find($n: String!) { subjects(filter: { nameContains: $n }, first: 5) { totalCount edges { node { code name } } } }`
	vars := map[string]any{"n": "缓存检索"}
	first, second := e.do(q, vars, ""), e.do(q, vars, "")
	if len(first.Errors) > 0 || first.cache != "" || second.cache == "" || !bytes.Equal(first.raw, second.raw) {
		t.Fatalf("first %q %s, second %q %s; want computed, then the same bytes from the cache", first.cache, first.raw, second.cache, second.raw)
	}
	e.query(registerMutation, map[string]any{"in": map[string]any{"code": testenv.USCC(77), "kind": "LEGAL_PERSON", "name": "丹东缓存检索有限公司"}}, &struct{}{})
	r := e.do(q, vars, "")
	if r.cache != "" || !bytes.Contains(r.raw, []byte("丹东缓存检索有限公司")) {
		t.Fatalf("after a new subject: tier %q, %s; want a fresh page with it", r.cache, r.raw)
	}
	if again := e.do(q, vars, ""); again.cache == "" || !bytes.Equal(again.raw, r.raw) {
		t.Errorf("the fresh page is not cached in its turn (tier %q)", again.cache)
	}
}
