package graph_test

import (
	"bytes"
	"testing"

	"github.com/credithub/credithub/internal/credit"
)

// Fields resolved side by side fail in whatever order they finish; the
// answer lists their errors in the order of the fields in the document,
// list elements by index, so that one request gets the same bytes every time.
func TestErrorsComeInDocumentOrderEveryTime(t *testing.T) {
	e := newEnv(t)
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕1号", nil), &intakePenaltyOut{})
	e.as(credit.RoleAuditor) // may read a subject, none of its records
	const query = `query($c: ID!) { subject(code: $c, purpose: "审计") { code
	licences(first: 2) { totalCount } legalRepresentative { name } penalties(first: 2) { totalCount }
	listEntries { kind } keyPersons { role } } }`
	want := []string{"licences", "legalRepresentative", "penalties", "listEntries", "keyPersons"}
	var first []byte
	for i := 0; i < 30; i++ {
		r := e.do(query, map[string]any{"c": intakeOrg}, "")
		if len(r.Errors) != len(want) {
			t.Fatalf("want %d errors, got %s", len(want), r.raw)
		}
		for j, err := range r.Errors {
			if len(err.Path) != 2 || err.Path[1] != want[j] {
				t.Fatalf("request %d: error %d is about %v, want %s: %s", i, j, err.Path, want[j], r.raw)
			}
		}
		if i == 0 {
			first = r.raw
		} else if !bytes.Equal(first, r.raw) {
			t.Fatalf("request %d answered other bytes:\n%s\n%s", i, first, r.raw)
		}
	}
}
