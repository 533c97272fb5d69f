package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// The rule of single pushes, for a whole chunk: an organisation gets the
// representative a row names, from the row's decision date, when none of
// its legal representatives' roles lasts to that date; of several rows that
// could, the first line's does.
func TestImportLinksLegalRepresentativesByTheRuleOfSinglePushes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	f := testenv.NewFixtures(t, db)
	f.Department("D1", "部门")
	ended := f.Subject(testenv.USCC(1), credit.LegalPerson, "卸任公司")
	open := f.Subject(testenv.USCC(2), credit.LegalPerson, "在任公司")
	f.KeyPerson(ended, f.Subject(testenv.CitizenID(90), credit.NaturalPerson, "老代表"), credit.LegalRepresentative, "2020-01-01", "2023-12-31")
	f.KeyPerson(open, f.Subject(testenv.CitizenID(91), credit.NaturalPerson, "现代表"), credit.LegalRepresentative, "2020-01-01", "")

	row := func(line int, org int, rep int, decided string) store.StagedPenalty {
		p := stagedPenalty(line, testenv.USCC(org), fmt.Sprintf("罚%d号", line), "事实")
		p.DecidedOn = credit.MustDate(decided)
		p.LegalRep = &credit.Subject{Code: testenv.CitizenID(rep), Kind: credit.NaturalPerson, Name: fmt.Sprintf("代表%d", rep)}
		return p
	}
	rows := []store.StagedPenalty{
		row(2, 1, 10, "2023-06-01"), // the ended role lasts to this date: no link
		row(3, 3, 11, "2025-01-01"), // a new organisation: linked, as the first line naming it
		row(4, 1, 12, "2024-05-01"), // after the ended role: linked …
		row(5, 1, 13, "2024-03-01"), // … not this later line, though its date is earlier
		row(6, 2, 14, "2025-02-01"), // an open role: no link
		row(7, 3, 15, "2024-01-01"), // not the second line of the new organisation
	}
	sess, err := db.ImportSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var res store.ImportResult
	if err := sess.InTx(ctx, func(tx *store.ImportTx) error {
		res, err = tx.ImportPenalties(ctx, rows)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if res.New != 6 || res.Linked != 2 {
		t.Fatalf("got %+v, want 6 new and 2 linked", res)
	}
	var got []string
	q, err := db.SQL().Query(`SELECT o.name || ' ' || p.code || ' ' || k.since || ' ' || coalesce(k.until::text, '-')
		FROM key_persons k JOIN subjects o ON o.id = k.organization_id JOIN subjects p ON p.id = k.person_id
		WHERE k.role = 'LEGAL_REPRESENTATIVE' ORDER BY o.code, k.since`)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	for q.Next() {
		var s string
		if err := q.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	want := []string{
		"卸任公司 " + testenv.CitizenID(90) + " 2020-01-01 2023-12-31",
		"卸任公司 " + testenv.CitizenID(12) + " 2024-05-01 -",
		"在任公司 " + testenv.CitizenID(91) + " 2020-01-01 -",
		"公司" + testenv.USCC(3) + " " + testenv.CitizenID(11) + " 2025-01-01 -",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("legal representatives:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
