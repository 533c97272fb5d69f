package store_test

import (
	"context"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

func TestASubjectReadAnswersEveryRelationToAnyDepthInOneStatement(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	f := testenv.NewFixtures(t, db)
	f.Department("D1", "部门一")
	org := f.Subject("91210602MA10QX7K9W", credit.LegalPerson, "丹东甲公司")
	other := f.Subject("91350100M000100Y43", credit.LegalPerson, "丹东乙公司")
	rep := f.Subject("11010519491231002X", credit.NaturalPerson, "张三")
	f.KeyPerson(org, rep, credit.LegalRepresentative, "2020-01-01", "")
	f.KeyPerson(other, rep, credit.LegalRepresentative, "2019-01-01", "")
	for _, d := range []string{"2026-01-05", "2026-02-05", "2026-03-05"} {
		f.Licence(org, "D1", d)
	}
	f.Penalty(org, "D1", "2025-06-01", credit.General, 100000)
	f.Penalty(org, "D1", "2021-06-01", credit.General, 100000)
	entry := f.ListEntry(testenv.Entry{Subject: other, Kind: credit.Black, Domain: "MAJOR_TAX_VIOLATION", Dept: "D1", DecidedOn: "2025-01-10"})
	m := f.Measure("NO_LOANS", credit.Punishment, credit.Black, "MAJOR_TAX_VIOLATION", "D1", credit.BankCredit)
	f.LinkMeasure(entry, m)
	f.TaxGrade(org, 2025, credit.GradeB)

	page := credit.RecordPage{First: 2}
	since := credit.MustDate("2023-12-04")
	read := &credit.SubjectRead{
		LegalRep: &credit.SubjectRead{
			Roles:      &credit.KeyPersonRead{Organization: &credit.SubjectRead{Entries: &credit.EntryRead{Measures: true}}},
			Attributed: &credit.AttributedRead{Entry: credit.EntryRead{Measures: true, MeasureFields: credit.Fields{"Code"}}, Organization: &credit.SubjectRead{}},
		},
		LicencePages:  []credit.RecordPage{page},
		LicenceCount:  true,
		PenaltyCounts: []credit.Date{since, {}},
		Entries:       &credit.EntryRead{},
		TaxGrade:      true,
	}
	view := credit.RecordView{Scopes: []credit.UseScope{credit.ScopePublic, credit.ScopeShared, credit.ScopeAuthorized}}
	before := db.Statements()
	nodes, roots, err := db.SubjectTreeByCode(context.Background(), "91210602MA10QX7K9W", read, view, credit.MustDate("2026-12-04"))
	if err != nil {
		t.Fatal(err)
	}
	if n := db.Statements() - before; n != 1 {
		t.Errorf("statements: got %d, want 1", n)
	}
	if len(roots) != 1 || roots[0] != org {
		t.Fatalf("roots: got %v, want [%d]", roots, org)
	}
	o := nodes[org]
	if !o.HasLegalRep || o.LegalRepID != rep {
		t.Errorf("legal representative: got %v %d, want %d", o.HasLegalRep, o.LegalRepID, rep)
	}
	if got := len(o.LicencePages[page]); got != 3 { // First+1: the extra row says there is a next page
		t.Errorf("licence page rows: got %d, want 3", got)
	}
	if o.LicenceCount == nil || *o.LicenceCount != 3 {
		t.Errorf("licence count: got %v, want 3", o.LicenceCount)
	}
	if o.PenaltyCounts[since] != 1 || o.PenaltyCounts[credit.Date{}] != 2 {
		t.Errorf("penalty counts: got %v, want 1 since %s and 2 in all", o.PenaltyCounts, since)
	}
	if !o.HasEntries || len(o.Entries) != 0 || !o.HasTaxGrade || o.TaxGrade == nil || o.TaxGrade.Grade != credit.GradeB {
		t.Errorf("entries %v %v, tax grade %v %+v", o.HasEntries, o.Entries, o.HasTaxGrade, o.TaxGrade)
	}
	r := nodes[rep]
	if r == nil || r.Subject.Name != "张三" || !r.HasRoles || len(r.Roles) != 2 || !r.HasAttributed || len(r.Attributed) != 1 {
		t.Fatalf("legal representative's node: %+v", r)
	}
	if a := r.Attributed[0]; a.Entry.ID != entry || len(a.Entry.Measures) != 1 || a.Entry.Measures[0].Code != "NO_LOANS" || a.Via.OrganizationID != other {
		t.Errorf("attributed entry: %+v", a)
	}
	ot := nodes[other]
	if ot == nil || !ot.HasEntries || len(ot.Entries) != 1 || len(ot.Entries[0].Measures) != 1 {
		t.Errorf("the other organisation's node (through the roles): %+v", ot)
	}
}
