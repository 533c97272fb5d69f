package store_test

import (
	"context"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// A subject registered by someone else between a chunk's look-up and its
// registration makes the COPY fail on the code; the chunk then registers
// the others one by one and skips that one, as the insert always did.
func TestRegisteringSubjectsSkipsOneRegisteredMeanwhile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	taken := testenv.NewFixtures(t, db).Subject(testenv.USCC(2), credit.LegalPerson, "已登记")
	sess, err := db.ImportSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	subjects := []credit.Subject{
		{Code: testenv.USCC(3), Kind: credit.LegalPerson, Name: "三", IdentifierWarningList: credit.Strings{"警告"}},
		{Code: testenv.USCC(2), Kind: credit.LegalPerson, Name: "二"},
		{Code: testenv.USCC(1), Kind: credit.IndividualBusiness, Name: "一"},
	}
	var created []store.Registered
	if err := sess.InTx(ctx, func(tx *store.ImportTx) error {
		created, err = tx.RegisterSubjects(ctx, subjects)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(created) != 2 || created[0].Code != testenv.USCC(1) || created[1].Code != testenv.USCC(3) || created[0].ID == taken {
		t.Fatalf("got %+v, want the two new codes in code order", created)
	}
	var n int
	var warnings credit.Strings
	if err := db.SQL().QueryRow(`SELECT (SELECT count(*) FROM subjects), (SELECT to_json(identifier_warnings) FROM subjects WHERE code = $1)`,
		testenv.USCC(3)).Scan(&n, &warnings); err != nil || n != 3 || len(warnings) != 1 || warnings[0] != "警告" {
		t.Errorf("got %d subjects, warnings %q, %v; want 3 and the warning kept", n, warnings, err)
	}
	// All new: copied, with the ids the rows got.
	more := []credit.Subject{{Code: testenv.USCC(5), Kind: credit.NaturalPerson, Name: "五"}, {Code: testenv.USCC(4), Kind: credit.LegalPerson, Name: "四"}}
	if err := sess.InTx(ctx, func(tx *store.ImportTx) error {
		created, err = tx.RegisterSubjects(ctx, more)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range created {
		var id int64
		if err := db.SQL().QueryRow(`SELECT id FROM subjects WHERE code = $1 AND kind = $2`, c.Code, c.Kind).Scan(&id); err != nil || id != c.ID {
			t.Errorf("%s: stored with id %d, %v; reported %d", c.Code, id, err, c.ID)
		}
	}
}
