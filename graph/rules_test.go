package graph_test

import (
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

type ruleOut struct {
	Rule, Scope, Key, EffectiveFrom, Parameters, LegalBasis string
	EffectiveUntil                                          *string
}

func (e *env) rules(vars map[string]any) []ruleOut {
	e.t.Helper()
	var out struct{ Rules []ruleOut }
	e.query(`query($d: Date, $all: Boolean) { rules(asOf: $d, all: $all) { rule scope key effectiveFrom effectiveUntil parameters legalBasis } }`,
		vars, &out)
	return out.Rules
}

func findRule(rs []ruleOut, key string) *ruleOut {
	for i := range rs {
		if rs[i].Key == key {
			return &rs[i]
		}
	}
	return nil
}

func TestRulesInForceAreListedWithTheirValidityAndBasis(t *testing.T) {
	e := newEnv(t)
	e.as(credit.RoleDashboard)
	then := e.rules(map[string]any{"d": "2025-01-01"})
	serious := findRule(then, "PUBLICATION_WINDOW/SERIOUS@2023-05-01")
	if serious == nil || serious.EffectiveUntil == nil || *serious.EffectiveUntil != "2026-03-31" ||
		!strings.Contains(serious.LegalBasis, "国家发展改革委令第58号") || serious.Parameters != `{"maxMonths":36,"minMonths":12,"publishedByDefault":true}` {
		t.Errorf("the serious window in force on 2025-01-01: got %+v", serious)
	}
	if findRule(then, "PUBLICATION_WINDOW/SERIOUS@2026-04-01") != nil {
		t.Error("a row not yet in force on 2025-01-01 is listed")
	}
	now := e.rules(nil)
	if r := findRule(now, "PUBLICATION_WINDOW/SERIOUS@2026-04-01"); r == nil || r.EffectiveUntil != nil {
		t.Errorf("the serious window in force today: got %+v", r)
	}
	if all := e.rules(map[string]any{"all": true}); len(all) <= len(now) || findRule(all, "PUBLICATION_WINDOW/SERIOUS@2019-07-01") == nil {
		t.Errorf("every row: got %d rows (%d in force today), want the past ones too", len(all), len(now))
	}
	e.as(credit.RoleBank)
	if code, _ := e.errorCode(`{ rules { key } }`, nil); code != "FORBIDDEN" {
		t.Errorf("a bank reading the rules: got %s, want FORBIDDEN", code)
	}
	// A check names the rows it used.
	w := newCheckWorld(e)
	var out creditCheckOut
	e.query(creditCheckQuery, map[string]any{"c": w.org}, &out)
	if got := out.CreditCheck.RuleVersion; got != "CHECK_LOOKBACK@2017-01-01 GREEN_CHANNEL@2017-01-01 CREDIT_VERDICT@2017-01-01" {
		t.Errorf("ruleVersion: got %q, want the three rows of the checks", got)
	}
}

func TestRuleRowsInForceNeverChange(t *testing.T) {
	e := newEnv(t)
	const set = `mutation($in: RuleInput!) { setRule(input: $in) { key effectiveFrom effectiveUntil } }`
	in := func(from, params string) map[string]any {
		return map[string]any{"in": map[string]any{"rule": "PUBLICATION_WINDOW", "scope": "GENERAL", "effectiveFrom": from,
			"parameters": params, "legalBasis": "某市文件"}}
	}
	const six = `{"minMonths": 3, "maxMonths": 6, "publishedByDefault": true}`
	for _, tc := range []struct {
		name, from, params, code string
	}{
		{"a row in force", "2026-04-01", six, "CONFLICT"},
		{"a new row from today", "2026-11-27", six, "CONFLICT"},
		{"parameters the rule does not have", "2027-01-01", `{"months": 6}`, "BAD_USER_INPUT"},
		{"parameters that are not JSON", "2027-01-01", `six months`, "BAD_USER_INPUT"},
	} {
		if code, err := e.errorCode(set, in(tc.from, tc.params)); code != tc.code {
			t.Errorf("%s: got %s (%s), want %s", tc.name, code, err.Message, tc.code)
		}
	}
	var added struct {
		SetRule struct{ Key, EffectiveFrom string }
	}
	e.query(set, in("2027-01-01", six), &added)
	if added.SetRule.Key != "PUBLICATION_WINDOW/GENERAL@2027-01-01" {
		t.Fatalf("added: got %+v", added.SetRule)
	}
	if r := findRule(e.rules(map[string]any{"d": "2027-01-01"}), "PUBLICATION_WINDOW/GENERAL@2027-01-01"); r == nil {
		t.Error("the new row is not in force on its first day")
	}
	e.as(credit.RoleDashboard)
	if code, _ := e.errorCode(set, in("2027-02-01", six)); code != "FORBIDDEN" {
		t.Errorf("a dashboard setting a rule: got %s, want FORBIDDEN", code)
	}
	e.as(credit.RoleCreditOffice)
	const remove = `mutation($from: Date!) { removeRule(rule: "PUBLICATION_WINDOW", scope: "GENERAL", effectiveFrom: $from) }`
	if code, _ := e.errorCode(remove, map[string]any{"from": "2026-04-01"}); code != "CONFLICT" {
		t.Errorf("removing a row in force: got %s, want CONFLICT", code)
	}
	var removed struct{ RemoveRule bool }
	e.query(remove, map[string]any{"from": "2027-01-01"}, &removed)
	if !removed.RemoveRule || findRule(e.rules(map[string]any{"all": true}), "PUBLICATION_WINDOW/GENERAL@2027-01-01") != nil {
		t.Errorf("removing a future row: got %v, and it is still listed", removed.RemoveRule)
	}
	var n int
	e.db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action IN ('rule.set', 'rule.removed')`).Scan(&n)
	if n != 2 {
		t.Errorf("%d audit rows of rule changes, want 2", n)
	}
}

// A change of reference data can change any answer, so no answer cached
// before it is served after it.
func TestAReferenceChangeMakesCachedAnswersUnservable(t *testing.T) {
	c := testenv.Cache(t)
	e := newEnvFull(t, nil, redisOpts(c)...)
	t.Parallel()
	org := e.f.Subject(intakeOrg, credit.LegalPerson, "丹东推送有限公司")
	if v := e.intakeVerdict(intakeOrg); v != "CLEAR" {
		t.Fatalf("before: got %s, want CLEAR", v)
	}
	e.f.TaxGrade(org, 2025, credit.GradeD) // behind the service's back: the cached answer stands
	if v := e.intakeVerdict(intakeOrg); v != "CLEAR" {
		t.Fatalf("cached: got %s, want CLEAR still", v)
	}
	e.query(`mutation { saveDepartment(input: {code: "11210600MB0000002P", name: "丹东市中级人民法院"}) { code } }`, nil, &struct{}{})
	if v := e.intakeVerdict(intakeOrg); v != "RESTRICTED" {
		t.Errorf("after a reference change: got %s, want RESTRICTED (tax grade D), computed anew", v)
	}
}

// Where the department states no severity, the rule derives it: a
// 200,000-yuan fine on an organisation is 巨额罚款, SERIOUS.
func TestASeverityNotStatedIsDerivedByTheRule(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ fine, category, want string }{
		{"200000.00", "罚款", "SERIOUS"}, {"199999.99", "罚款", "GENERAL"}, {"0", "警告", "MINOR"},
	} {
		var out intakePenaltyOut
		e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔"+tc.fine+"〕", func(in, _ map[string]any) {
			delete(in, "severity")
			in["fine"], in["category"] = tc.fine, tc.category
		}), &out)
		if got := out.RecordPenalty.Penalty.Severity; got != tc.want {
			t.Errorf("%s yuan, %s: got %s, want %s", tc.fine, tc.category, got, tc.want)
		}
	}
	var stated intakePenaltyOut
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔stated〕", func(in, _ map[string]any) {
		in["fine"], in["severity"] = "500000.00", "GENERAL"
	}), &stated)
	if got := stated.RecordPenalty.Penalty.Severity; got != "GENERAL" {
		t.Errorf("a stated severity: got %s, want the department's GENERAL", got)
	}
}
