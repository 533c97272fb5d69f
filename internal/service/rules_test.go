package service

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// A rule changed through one server reaches another when it next checks the
// reference revision (every ruleRecheck, in the background; here called
// directly).
func TestAnotherServersRuleChangeIsLoadedWhenTheRevisionMoves(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	clk := &testClock{}
	clk.set("2026-12-04")
	one, two := New(db, WithClock(clk.now)), New(db, WithClock(clk.now))
	ctx := context.Background()
	before, err := two.ReloadRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	row := credit.RuleRow{Rule: credit.RuleWorkflowDeadline, Scope: credit.ScopeResponse, EffectiveFrom: credit.MustDate("2027-01-01"),
		Params: json.RawMessage(`{"workingDays": 3}`), LegalBasis: "市信用办通知（示例）"}
	if _, err := one.SetRule(office1, row); err != nil {
		t.Fatal(err)
	}
	if b, _ := two.ruleBook(ctx); b.Revision != before.Revision {
		t.Fatalf("before its check the second server has revision %d, want %d still", b.Revision, before.Revision)
	}
	two.refreshRules()
	b, err := two.ruleBook(ctx)
	if err != nil || b.Revision == before.Revision {
		t.Fatalf("after its check: revision %d (%v), want a newer one than %d", b.Revision, err, before.Revision)
	}
	if dl, ok := b.Deadlines(credit.MustDate("2027-01-04")); !ok || dl.ResponseDays != 3 || dl.FeedbackDays != 10 {
		t.Errorf("deadlines from 2027: got %+v %v, want 3 working days to respond, 10 to feed back", dl, ok)
	}
	if dl, _ := b.Deadlines(credit.MustDate("2026-12-31")); dl.ResponseDays != 5 {
		t.Errorf("deadlines in 2026: got %+v, want 5 working days to respond", dl)
	}
	// The objection and repair deadlines issue 13 reads are rows too.
	for _, k := range []struct {
		rule  credit.RuleKind
		scope string
		want  int
	}{{credit.RuleObjectionDeadline, credit.ScopeAccept, 2}, {credit.RuleObjectionDeadline, credit.ScopeVerify, 10},
		{credit.RuleRepairDeadline, credit.ScopeAccept, 2}, {credit.RuleRepairDeadline, credit.ScopeDecide, 5}} {
		if n, ok := b.Deadline(k.rule, k.scope, credit.MustDate("2026-12-04")); !ok || n != k.want {
			t.Errorf("%s/%s: got %d %v, want %d working days", k.rule, k.scope, n, ok, k.want)
		}
	}
}
