package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

func TestImportCopiesTextExactly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	testenv.NewFixtures(t, db).Department("D1", "部门")
	nasty := "tab\there, back\\slash, \\N, new\nline, cr\r, \"quoted\", 逗号，'apostrophe'"
	warnings := []string{`a "quoted", {braced} warning`, `back\slash`, ""}
	org := testenv.USCC(1)
	p := store.StagedPenalty{
		StagedParty: store.StagedParty{Line: 2, Subject: credit.Subject{Code: org, Kind: credit.LegalPerson, Name: nasty,
			IdentifierWarningList: credit.Strings{"check character should be W, got X; stored as pushed"}}},
		Penalty: credit.Penalty{RecordParty: credit.RecordParty{Name: nasty, Category: credit.CategoryOrganization, USCC: org},
			DecisionNo: "罚\t1号", ViolationType: nasty, Facts: nasty, LegalBasis: "依据", Category: "罚款", Content: "罚款",
			Fine: 200000, DecidedOn: credit.MustDate("2024-03-05"), AuthorityName: "部门", AuthorityCode: "D1",
			SourceName: "部门", SourceCode: "D1", Severity: credit.General, UseScope: credit.ScopePublic,
			ReceivedAt: time.Date(2026, 11, 27, 2, 3, 4, 567891000, time.UTC), WarningList: warnings},
	}
	sess, err := db.ImportSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var res store.ImportResult
	if err := sess.InTx(ctx, func(tx *store.ImportTx) error {
		res, err = tx.ImportPenalties(ctx, []store.StagedPenalty{p})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if res.New != 1 || res.Registered != 1 {
		t.Fatalf("got %+v, want one new penalty and one registered subject", res)
	}
	subj, err := db.SubjectByCode(ctx, org)
	if err != nil || subj.Name != nasty || !slices.Equal(subj.IdentifierWarningList, p.Subject.IdentifierWarningList) {
		t.Errorf("subject: got %q %q, %v", subj.Name, subj.IdentifierWarningList, err)
	}
	var got struct {
		Name, Facts, DecisionNo string
		Warnings                credit.Strings
		ReceivedAt              time.Time
	}
	if err := db.SQL().QueryRow(`SELECT xdr_name, facts, decision_no, to_json(warnings), received_at FROM penalties`).Scan(
		&got.Name, &got.Facts, &got.DecisionNo, &got.Warnings, &got.ReceivedAt); err != nil {
		t.Fatal(err)
	}
	if got.Name != nasty || got.Facts != nasty || got.DecisionNo != "罚\t1号" || !slices.Equal(got.Warnings, warnings) ||
		!got.ReceivedAt.Equal(p.ReceivedAt.Truncate(time.Microsecond)) {
		t.Errorf("got %+v", got)
	}
}
