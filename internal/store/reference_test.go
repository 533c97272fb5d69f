package store_test

import (
	"context"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// The national baseline the migrations ship is a reference the hub accepts
// as a whole: every rule parses, every measure version passes the checks a
// city's own would, and what refers to something finds it.
func TestMigratedBaselineIsAValidReference(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	ref, err := db.Reference(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := credit.NewRuleBook(ref.Rules, 0); err != nil {
		t.Fatalf("the baseline rules: %v", err)
	}
	changes, err := credit.DiffReference(credit.Reference{Format: credit.ReferenceFormat}, ref, credit.MustDate("2026-12-04"))
	if err != nil {
		t.Fatalf("the baseline as a new reference: %v", err)
	}
	count := map[string]int{}
	for _, c := range changes {
		count[c.What]++
	}
	if len(ref.Departments) != 0 || count["domain"] != 13 || count["measure"] < 50 || count["rule"] < 30 {
		t.Errorf("got %d departments and changes %v; want no departments, 13 domains, the catalogue and the rules", len(ref.Departments), count)
	}
	same, err := credit.DiffReference(ref, ref, credit.MustDate("2026-12-04"))
	if err != nil || len(same) != 0 {
		t.Errorf("the baseline against itself: %v %v, want no change", same, err)
	}
	tax := 0
	for _, m := range ref.Measures {
		if m.Domain == "MAJOR_TAX_VIOLATION" && m.LegalBasis != "" && m.ImplementingDepartment == "" {
			tax++
		}
	}
	if tax != 17 {
		t.Errorf("got %d measures of 重大税收违法 (发改财金〔2014〕3062号), want its 17", tax)
	}
}
