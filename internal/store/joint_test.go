package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

func TestTriggeredMeasuresAreTheLatestVersionsInForceOnTheDecisionDate(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	f := testenv.NewFixtures(t, db)
	f.Department("D1", "部门一")
	// A domain of its own: the real ones come with the national catalogue.
	f.Domain("TEST_TAX", credit.Black, "测试黑名单", 36)
	f.Measure("KEEP", credit.Punishment, credit.Black, "TEST_TAX", "D1", credit.BankCredit)
	f.Measure("OTHER_DOMAIN", credit.Punishment, credit.Black, "WAGE_ARREARS", "D1", credit.BankCredit)
	ended := f.Measure("ENDED", credit.Punishment, credit.Black, "TEST_TAX", "D1", credit.BankCredit)
	v1 := f.Measure("REVISED", credit.Punishment, credit.Black, "TEST_TAX", "D1", credit.BankCredit)
	var v2 int64
	if err := db.SQL().QueryRow(`UPDATE measures SET effective_until = '2025-12-31' WHERE id = $1`, ended).Err(); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL().QueryRow(`INSERT INTO measures (code, version, kind, name, legal_basis, implementing_department,
			applies_to, contexts, list_kind, domain, effective_from)
		SELECT code, 2, kind, name, legal_basis, implementing_department, applies_to, contexts, list_kind, domain, '2026-06-01'
		FROM measures WHERE id = $1 RETURNING id`, v1).Scan(&v2); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		on   string
		want map[string]int64
	}{
		{"2025-12-31", map[string]int64{"ENDED": ended, "KEEP": 0, "REVISED": v1}},
		{"2026-03-01", map[string]int64{"KEEP": 0, "REVISED": v1}},
		{"2026-06-01", map[string]int64{"KEEP": 0, "REVISED": v2}},
	} {
		ms, err := db.TriggeredMeasures(context.Background(), credit.Black, "TEST_TAX", credit.MustDate(tc.on))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, m := range ms {
			got[m.Code] = m.ID
		}
		for code, id := range tc.want {
			if g, ok := got[code]; !ok || (id != 0 && g != id) {
				t.Errorf("%s: %s is %d (present %v), want %d", tc.on, code, g, ok, id)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: got %v, want exactly %v", tc.on, got, tc.want)
		}
	}
}

func TestSuspensionRemembersAndRestoresEachStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	f := testenv.NewFixtures(t, db)
	var measures []credit.CaseMeasure
	for _, d := range []string{"D1", "D2", "D3"} {
		f.Department(d, "部门"+d)
		m := credit.Measure{ID: f.Measure("M_"+d, credit.Punishment, credit.Black, "MAJOR_TAX_VIOLATION", d, credit.BankCredit)}
		measures = append(measures, credit.CaseMeasure{Measure: m, Department: d})
	}
	org := f.Subject(testenv.USCC(1), credit.LegalPerson, "公司")
	entry := credit.ListEntry{ID: f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Black, Domain: "MAJOR_TAX_VIOLATION",
		Dept: "D1", DecidedOn: "2026-01-05", EndsOn: "2029-01-04"}), DepartmentCode: "D1"}
	_, as, err := db.OpenJointCase(ctx, entry, measures, time.Now(), "staff:office")
	if err != nil || len(as) != 3 {
		t.Fatalf("open: %v %v", as, err)
	}
	if _, err := db.RespondAssignment(ctx, as[1].ID, credit.AssignmentAccepted, time.Now(), "staff:d2", nil); err != nil {
		t.Fatal(err)
	}
	reason := "不属于本部门"
	if _, err := db.RespondAssignment(ctx, as[2].ID, credit.AssignmentRejected, time.Now(), "staff:d3", &reason); err != nil {
		t.Fatal(err)
	}
	if n, err := db.SuspendAssignments(ctx, entry.ID); err != nil || n != 2 {
		t.Fatalf("suspend: %d %v, want the pushed and the accepted one", n, err)
	}
	if n, err := db.ResumeAssignments(ctx, entry.ID); err != nil || n != 2 {
		t.Fatalf("resume: %d %v", n, err)
	}
	got, err := db.AssignmentsByIDs(ctx, []int64{as[0].ID, as[1].ID, as[2].ID})
	want := []credit.AssignmentStatus{credit.AssignmentPushed, credit.AssignmentAccepted, credit.AssignmentRejected}
	for i, a := range got {
		if err != nil || a.Status != want[i] {
			t.Errorf("assignment %d after resuming: %s %v, want %s", i, a.Status, err, want[i])
		}
	}
}
