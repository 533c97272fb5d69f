package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

// A city changes a publication window from a future date by exporting its
// reference data, editing the file and importing it; penalties decided
// before that date keep the old window and those decided from it get the
// new one, and the checks answer as the rules say. A file that would change
// a rule in force is refused whole.
//
// Not parallel: it sets the commands' clock.
func TestReferenceExportEditImportChangesAWindowFromAFutureDate(t *testing.T) {
	ctx := context.Background()
	db, dbURL := testenv.DBWithURL(t)
	getenv := func(name string) string {
		if name == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	cli := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		err := run(ctx, args, getenv, &stdout, &stderr)
		return stdout.String() + stderr.String(), err
	}
	restore := nowFunc
	defer func() { nowFunc = restore }()
	nowFunc = func() time.Time { return time.Date(2026, 6, 1, 10, 0, 0, 0, credit.Shanghai) }

	dir := t.TempDir()
	file := filepath.Join(dir, "reference.json")
	if out, err := cli("reference", "export", file); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	var ref credit.Reference
	raw, err := os.ReadFile(file)
	if err != nil || json.Unmarshal(raw, &ref) != nil {
		t.Fatalf("the export is not a reference file: %v", err)
	}
	// The edit: the city's market regulator, and GENERAL penalties decided
	// from 2026-09-01 published for 6 months instead of 12.
	const market = "11210600MB0000001X"
	ref.Departments = append(ref.Departments, credit.DepartmentEntry{Code: market, Name: "丹东市市场监督管理局"})
	ref.Rules = append(ref.Rules, credit.RuleRow{Rule: credit.RulePublicationWindow, Scope: "GENERAL",
		EffectiveFrom: credit.MustDate("2026-09-01"), Params: json.RawMessage(`{"minMonths": 3, "maxMonths": 6, "publishedByDefault": true}`),
		LegalBasis: "丹东市信用办关于调整一般失信行为行政处罚信息公示期限的通知（示例）"})
	write := func(r credit.Reference) {
		b, err := encodeReference(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(ref)

	out, err := cli("reference", "import", "--dry-run", file)
	if err != nil || !strings.Contains(out, "+ department "+market) || !strings.Contains(out, "+ rule PUBLICATION_WINDOW/GENERAL@2026-09-01") ||
		!strings.Contains(out, "2 changes; nothing applied") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	if n := count(t, db.SQL(), `SELECT count(*) FROM departments`); n != 0 {
		t.Fatalf("the dry run wrote %d departments", n)
	}
	if out, err = cli("reference", "import", "--no-cache", file); err != nil || !strings.Contains(out, "applied 2 changes") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if out, err = cli("reference", "import", "--no-cache", file); err != nil || !strings.Contains(out, "no changes") {
		t.Fatalf("the same file again: %v\n%s", err, out)
	}
	if n := count(t, db.SQL(), `SELECT count(*) FROM audit_log WHERE action = 'reference.imported'`); n != 1 {
		t.Errorf("%d reference.imported audit rows, want 1", n)
	}

	// A file that changes a rule in force is refused, and nothing of it is
	// applied.
	bad := ref
	bad.Rules = slices.Clone(ref.Rules)
	for i, r := range bad.Rules {
		if r.Key() == "PUBLICATION_WINDOW/GENERAL@2026-04-01" {
			bad.Rules[i].Params = json.RawMessage(`{"minMonths": 3, "maxMonths": 24, "publishedByDefault": true}`)
		}
	}
	bad.Departments = append(slices.Clone(ref.Departments), credit.DepartmentEntry{Code: "11210600MB0000002P", Name: "法院"})
	write(bad)
	if out, err = cli("reference", "import", "--no-cache", file); credit.CodeOf(err) != credit.Conflict || !strings.Contains(err.Error(), "PUBLICATION_WINDOW/GENERAL@2026-04-01") {
		t.Fatalf("changing a rule in force: got %v\n%s, want CONFLICT naming the row", err, out)
	}
	if n := count(t, db.SQL(), `SELECT count(*) FROM departments`); n != 1 {
		t.Errorf("a refused file added departments: %d, want 1", n)
	}

	// Two GENERAL penalties, decided on either side of 2026-09-01, pushed
	// on 2026-10-01.
	clock := time.Date(2026, 10, 1, 10, 0, 0, 0, credit.Shanghai)
	svc := service.New(db, service.WithClock(func() time.Time { return clock }))
	dept := credit.WithCaller(ctx, credit.Caller{ID: "staff:market", Role: credit.RoleDepartment, Department: market})
	push := func(code, decided string) credit.Penalty {
		t.Helper()
		p, _, err := svc.RecordPenalty(dept, credit.PenaltyInput{
			Party:      credit.RecordParty{Name: "丹东" + code[10:] + "有限公司", Category: credit.CategoryOrganization, USCC: code},
			DecisionNo: "丹市监罚〔" + decided + "〕", ViolationType: "虚假宣传", Facts: "经查……", LegalBasis: "《反不正当竞争法》第二十条",
			Category: "罚款", Content: "罚款人民币5万元", Fine: 5_000_000, DecidedOn: credit.MustDate(decided),
			AuthorityName: "丹东市市场监督管理局", AuthorityCode: market, Severity: credit.General})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	before, after := push(testenv.USCC(1), "2026-08-14"), push(testenv.USCC(2), "2026-09-14")
	if before.PublicUntil.String() != "2027-08-14" || after.PublicUntil.String() != "2027-03-14" {
		t.Errorf("publication: until %s and %s, want 2027-08-14 (12 months) and 2027-03-14 (6 months)", before.PublicUntil, after.PublicUntil)
	}
	// On 2027-05-01 the first is still published, the second is not: the
	// window tells 容缺受理 that only the first is still in effect.
	clock = time.Date(2027, 5, 1, 10, 0, 0, 0, credit.Shanghai)
	window := credit.WithCaller(ctx, credit.Caller{ID: "staff:window", Role: credit.RoleWindow})
	reasons := func(code string) []credit.RuleID {
		t.Helper()
		c, _, err := svc.ApplicantCheck(window, code, "", credit.Date{}, "受理审查", nil)
		if err != nil {
			t.Fatal(err)
		}
		var ids []credit.RuleID
		for _, r := range c.Reasons {
			ids = append(ids, r.Rule)
		}
		return ids
	}
	if got := reasons(testenv.USCC(1)); !slices.Contains(got, credit.RuleMissingDocumentsRefusedUnrepaired) {
		t.Errorf("decided before 2026-09-01: reasons %v, want the penalty still in effect (12 months)", got)
	}
	if got := reasons(testenv.USCC(2)); slices.Contains(got, credit.RuleMissingDocumentsRefusedUnrepaired) {
		t.Errorf("decided after 2026-09-01: reasons %v, want its publication over (6 months)", got)
	}
}

func count(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
