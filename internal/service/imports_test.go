package service

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/importer"
	"github.com/credithub/credithub/internal/seed"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// The reference departments the sample files name.
const (
	importMarket = "11210600001213497T"
	importEnv    = "11210600001227151P"
)

type importFixture struct {
	t   *testing.T
	db  *store.DB
	svc *Service
	ctx context.Context
}

func newImportFixture(t *testing.T, opts ...Option) *importFixture {
	t.Helper()
	db := testenv.DB(t)
	if err := seed.Departments(context.Background(), db.SQL()); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, credit.Shanghai)
	return &importFixture{t: t, db: db, svc: New(db, append([]Option{WithClock(func() time.Time { return now })}, opts...)...),
		ctx: credit.WithCaller(context.Background(), credit.Caller{ID: "cli:test", Role: credit.RoleCreditOffice})}
}

// run imports the file at path (relative to testdata/ unless absolute)
// with opts changed by change, and returns the summary and the rejects.
func (f *importFixture) run(kind ImportKind, path string, change func(*ImportOptions)) (ImportSummary, []importer.Reject, error) {
	f.t.Helper()
	if !filepath.IsAbs(path) {
		path = filepath.Join("../../testdata", path)
	}
	file, err := os.Open(path)
	if err != nil {
		f.t.Fatal(err)
	}
	defer file.Close()
	var rejects []importer.Reject
	opts := ImportOptions{Kind: kind, Name: filepath.Base(path), SHA256: "test", Encoding: importer.Auto,
		Rejects: func(rs []importer.Reject) error { rejects = append(rejects, rs...); return nil }}
	if change != nil {
		change(&opts)
	}
	sum, err := f.svc.Import(f.ctx, file, opts)
	return sum, rejects, err
}

func (f *importFixture) must(kind ImportKind, path string, change func(*ImportOptions)) (ImportSummary, []importer.Reject) {
	f.t.Helper()
	sum, rejects, err := f.run(kind, path, change)
	if err != nil {
		f.t.Fatalf("import %s: %v", path, err)
	}
	return sum, rejects
}

func (f *importFixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.db.SQL().QueryRow(q, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// counts is what an import summary says, in the CLI's words.
func importCounts(s ImportSummary) string {
	return strings.Join([]string{strconv.Itoa(s.Rows), "rows", strconv.Itoa(s.Accepted), "accepted", strconv.Itoa(s.New), "new", strconv.Itoa(s.Updated), "updated",
		strconv.Itoa(s.Unchanged), "unchanged", strconv.Itoa(s.Rejected), "rejected", strconv.Itoa(s.Warned), "warned"}, " ")
}

func TestImportOfTheSamplePenaltiesWritesGoodRowsAndRejectsBadOnes(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	sum, rejects := f.must(ImportPenalties, "penalties-sample.csv", nil)
	if got, want := importCounts(sum), "22 rows 13 accepted 13 new 0 updated 0 unchanged 9 rejected 3 warned"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if sum.Registered != 19 || sum.Linked != 7 || sum.Encoding != importer.UTF8 {
		t.Errorf("got registered %d, linked %d, %s; want 19, 7, utf-8", sum.Registered, sum.Linked, sum.Encoding)
	}
	expected, err := os.Open("../../testdata/penalties-sample.expected-rejects.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer expected.Close()
	want, err := csv.NewReader(expected).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, r := range rejects {
		got = append(got, []string{strconv.Itoa(r.Line), r.Column, r.Value, r.Reason})
	}
	if len(got) != len(want)-1 {
		t.Fatalf("got %d rejects, want %d", len(got), len(want)-1)
	}
	for i := range got {
		if !slices.Equal(got[i], want[i+1]) {
			t.Errorf("reject %d: got %q, want %q", i, got[i], want[i+1])
		}
	}
	if n := f.count(`SELECT count(*) FROM penalties`); n != 13 {
		t.Errorf("penalties: got %d, want 13: a rejected row writes nothing", n)
	}
	for _, tc := range []struct{ q, want string }{
		{`SELECT fine_fen::text || ' ' || confiscated_fen || ' ' || severity FROM penalties WHERE decision_no = '丹市监罚〔2024〕101号'`, "200000 12000 GENERAL"},
		{`SELECT array_to_string(warnings, '; ') || ' ' || use_scope FROM penalties WHERE decision_no = '丹市监罚〔2024〕102号'`,
			"CF_NR_FK: empty, taken as 0; CF_NR_WFFF: empty, taken as 0 SHARED"},
		{`SELECT severity || ' ' || public_until || ' ' || publication_deadline FROM penalties WHERE decision_no = '丹环罚〔2024〕8号'`,
			"SERIOUS 2027-04-01 2024-04-11"},
		{`SELECT p.code || ' ' || p.name || ' ' || p.kind || ' ' || k.since FROM key_persons k JOIN subjects o ON o.id = k.organization_id
			JOIN subjects p ON p.id = k.person_id WHERE o.code = '91210602MA0000101W' AND k.role = 'LEGAL_REPRESENTATIVE'`,
			"21060219710211011X 张伟 NATURAL_PERSON 2024-03-05"},
		{`SELECT kind || ' ' || name || ' ' || array_to_string(identifier_warnings, '') FROM subjects WHERE code = '91210602MA00001031'`,
			"LEGAL_PERSON 丹东市老字号酒厂 check character should be 3, got 1; stored as pushed"},
		{`SELECT kind::text FROM subjects WHERE code = '92210603MA0000201X'`, "INDIVIDUAL_BUSINESS"},
		{`SELECT count(*)::text FROM key_persons k JOIN subjects o ON o.id = k.organization_id WHERE o.code = '91210602MA0000108J'`, "0"},
	} {
		var got string
		if err := f.db.SQL().QueryRow(tc.q).Scan(&got); err != nil || got != tc.want {
			t.Errorf("%s\ngot %q, %v; want %q", tc.q, got, err, tc.want)
		}
	}
	// One chunk, written in two steps: its subjects and links, its records.
	rep, err := audit.Verify(f.ctx, f.db, nil)
	if err != nil || !rep.Intact() || rep.Rows != 2 {
		t.Errorf("audit: got %+v, %v; want two intact rows for the one chunk", rep, err)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = 'penalties.imported' AND target = 'file:penalties-sample.csv'
		AND detail->>'part' = 'parties' AND detail->>'registered' = '19' AND detail->>'linked' = '7' AND detail->>'sha256' = 'test'`); n != 1 {
		t.Errorf("audit rows with the chunk's subjects and links: got %d, want 1", n)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = 'penalties.imported' AND target = 'file:penalties-sample.csv'
		AND detail->>'part' = 'records' AND detail->>'accepted' = '13' AND detail->>'rejected' = '9' AND detail->>'sha256' = 'test'`); n != 1 {
		t.Errorf("audit rows with the chunk's counts: got %d, want 1", n)
	}
}

func TestImportOfTheGBKFileAndReRunsChangeNothing(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	f.must(ImportPenalties, "penalties-sample.csv", nil)
	snapshot := func() string {
		var s string
		if err := f.db.SQL().QueryRow(`SELECT string_agg(p::text, E'\n' ORDER BY id) FROM penalties p`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := snapshot()
	for _, file := range []string{"penalties-gbk.csv", "penalties-sample.csv"} {
		sum, rejects := f.must(ImportPenalties, file, nil)
		if got, want := importCounts(sum), "22 rows 13 accepted 0 new 0 updated 13 unchanged 9 rejected 3 warned"; got != want || len(rejects) != 9 {
			t.Errorf("%s: got %s, %d rejects; want %s", file, got, len(rejects), want)
		}
		if sum.Registered != 0 || sum.Linked != 0 {
			t.Errorf("%s: registered %d, linked %d; want none", file, sum.Registered, sum.Linked)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("re-running changed the penalties:\n%s\n---\n%s", before, after)
	}
	if n := f.count(`SELECT count(*) FROM export_outbox`); n != 13 {
		t.Errorf("outbox: got %d rows, want the 13 of the first import only", n)
	}
}

func TestImportUpdatesAChangedRow(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	f.must(ImportPenalties, "penalties-sample.csv", nil)
	b, err := os.ReadFile("../../testdata/penalties-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(b), ",罚款15000元,1.5,", ",罚款16000元,1.6,", 1)
	path := filepath.Join(t.TempDir(), "changed.csv")
	if changed == string(b) || os.WriteFile(path, []byte(changed), 0o644) != nil {
		t.Fatal("could not change the sample")
	}
	sum, _ := f.must(ImportPenalties, path, nil)
	if got, want := importCounts(sum), "22 rows 13 accepted 0 new 1 updated 12 unchanged 9 rejected 3 warned"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if n := f.count(`SELECT fine_fen FROM penalties WHERE decision_no = '丹市监罚〔2024〕115号'`); n != 1_600_000 {
		t.Errorf("fine: got %d fen, want 1600000", n)
	}
}

func TestImportOfOnlyBadRowsWritesNothing(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	b, err := os.ReadFile("../../testdata/penalties-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	// Every row decided by an authority that is not a registered department.
	bad := strings.NewReplacer(importMarket, "112106000099999991", importEnv, "112106000099999992",
		"11210600001194302Y", "112106000099999993").Replace(string(b))
	path := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, rejects := f.must(ImportPenalties, path, nil)
	if sum.Accepted != 0 || sum.Rejected != 22 || len(rejects) != 22 {
		t.Errorf("got %s with %d rejects, want all 22 rejected", importCounts(sum), len(rejects))
	}
	for _, table := range []string{"penalties", "subjects", "key_persons", "audit_log", "export_outbox"} {
		if n := f.count(`SELECT count(*) FROM ` + table); n != 0 {
			t.Errorf("%s: got %d rows, want none", table, n)
		}
	}
}

func TestCancelledImportKeepsWhatIsCommittedAndAReRunFinishes(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	file, err := os.Open("../../testdata/penalties-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	sum, err := f.svc.Import(ctx, file, ImportOptions{Kind: ImportPenalties, Name: "penalties-sample.csv", ChunkSize: 4, Writers: 1,
		Progress: func(int) { cancel() }})
	if !errors.Is(err, context.Canceled) || sum.Chunks != 1 || sum.CommittedThrough != 7 {
		t.Fatalf("got %+v, %v; want context.Canceled after the first chunk (lines 2-7)", sum, err)
	}
	if n := f.count(`SELECT count(*) FROM penalties`); n != sum.Accepted || n != 4 {
		t.Errorf("penalties: got %d, want the first chunk's %d", n, sum.Accepted)
	}
	// The first chunk's two steps are committed; the second chunk's
	// subjects may be too (they are registered while the first chunk's
	// records are written), but none of its records.
	if rep, err := audit.Verify(f.ctx, f.db, nil); err != nil || !rep.Intact() || rep.Rows < 2 || rep.Rows > 3 {
		t.Errorf("audit: got %+v, %v; want two or three intact rows", rep, err)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE detail->>'part' = 'records'`); n != 1 {
		t.Errorf("audit rows of committed records: got %d, want the first chunk's", n)
	}
	again, _ := f.must(ImportPenalties, "penalties-sample.csv", nil)
	if got, want := importCounts(again), "22 rows 13 accepted 9 new 0 updated 4 unchanged 9 rejected 3 warned"; got != want {
		t.Errorf("re-run: got %s, want %s", got, want)
	}
}

func TestParallelWritersAndSmallChunksGiveTheSameResult(t *testing.T) {
	t.Parallel()
	one, two := newImportFixture(t), newImportFixture(t)
	a, ra := one.must(ImportPenalties, "penalties-sample.csv", func(o *ImportOptions) { o.Writers = 1 })
	b, rb := two.must(ImportPenalties, "penalties-sample.csv", func(o *ImportOptions) { o.Writers = 3; o.ChunkSize = 2 })
	if importCounts(a) != importCounts(b) || a.Registered != b.Registered || a.Linked != b.Linked || b.Chunks != 11 {
		t.Errorf("got %s (%d, %d) and %s (%d, %d, %d chunks)", importCounts(a), a.Registered, a.Linked, importCounts(b), b.Registered, b.Linked, b.Chunks)
	}
	if !slices.Equal(ra, rb) {
		t.Errorf("rejects differ:\n%v\n%v", ra, rb)
	}
}

func TestImportRestrictedToADepartment(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	sum, rejects := f.must(ImportPenalties, "penalties-sample.csv", func(o *ImportOptions) { o.Department = importEnv })
	if sum.Accepted != 3 || f.count(`SELECT count(*) FROM penalties WHERE authority_code <> $1`, importEnv) != 0 {
		t.Errorf("got %s, want the 3 rows of %s only", importCounts(sum), importEnv)
	}
	if r := rejects[0]; r.Line != 2 || r.Column != "CF_CFJGDM" || !strings.Contains(r.Reason, "only records decided by "+importEnv) {
		t.Errorf("first reject: got %v", r)
	}
	for _, tc := range []struct {
		caller credit.Caller
		dept   string
		want   credit.ErrorCode
	}{
		{credit.Caller{ID: "key:1", Role: credit.RoleDepartment, Department: importEnv}, importMarket, credit.Forbidden},
		{credit.Caller{ID: "key:2", Role: credit.RoleBank}, "", credit.Forbidden},
		{credit.Caller{ID: "cli", Role: credit.RoleCreditOffice}, "NOPE", credit.BadUserInput},
	} {
		f.ctx = credit.WithCaller(context.Background(), tc.caller)
		if _, _, err := f.run(ImportPenalties, "penalties-sample.csv", func(o *ImportOptions) { o.Department = tc.dept }); credit.CodeOf(err) != tc.want {
			t.Errorf("%s of %q importing for %q: got %v, want %s", tc.caller.Role, tc.caller.Department, tc.dept, err, tc.want)
		}
	}
}

func TestImportRejectsRowsThatContradictTheRegistry(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	f.must(ImportPenalties, "penalties-sample.csv", nil)
	// A citizen ID number registered as an organisation's code (some pass
	// the USCC checksum, and a registry may have taken one for a code).
	if _, err := f.db.SQL().Exec(`INSERT INTO subjects (code, kind, name) VALUES ('210602198103120218', 'LEGAL_PERSON', '某公司')`); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile("../../testdata/penalties-sample.csv")
	lines := strings.Split(string(b), "\r\n")
	// Line 2: a new company whose representative is that organisation;
	// line 3: a registered person (line 3's representative before) as a
	// company.
	swapped := []string{lines[0],
		strings.Replace(strings.Replace(lines[1], "91210602MA0000101W,", "91210602MA0000110T,", 1), "21060219710211011X", "210602198103120218", 1),
		strings.Replace(strings.Replace(lines[5], "91210602MA0000101W", "210602197203120122", 1), "丹市监罚〔2024〕115号", "丹市监罚〔2024〕199号", 1),
	}
	path := filepath.Join(t.TempDir(), "swapped.csv")
	if err := os.WriteFile(path, []byte(strings.Join(swapped, "\r\n")+"\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, rejects := f.must(ImportPenalties, path, nil)
	got := []string{}
	for _, r := range rejects {
		got = append(got, r.String())
	}
	want := []string{
		"line 2, column CF_FR_ZJHM: 210602198103120218 is registered as a LEGAL_PERSON, not a natural person",
		"line 3, column CF_XDR_LB: ORGANIZATION does not fit the subject 210602197203120122, registered as NATURAL_PERSON: " +
			"a natural person and an organisation are never the same subject",
	}
	if sum.Accepted != 0 || !slices.Equal(got, want) {
		t.Errorf("got %s\n%s\nwant\n%s", importCounts(sum), strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := f.count(`SELECT count(*) FROM subjects WHERE code = '91210602MA0000110T'`); n != 0 {
		t.Errorf("the rejected row's new subject: got %d rows, want none", n)
	}
}

func TestImportInvalidatesTheCachedAnswersOfWhatItChanged(t *testing.T) {
	t.Parallel()
	c := testenv.Cache(t)
	f := newImportFixture(t, WithCache(c))
	gen := func(code string) string {
		v, _ := c.Client().Get(context.Background(), c.GenKey(code)).Result()
		return v
	}
	f.must(ImportPenalties, "penalties-sample.csv", nil)
	for _, code := range []string{"91210602MA0000101W", "21060219710211011X", "210602197304100139"} {
		if g := gen(code); g == "" || g == "0" {
			t.Errorf("%s: generation %q after the import, want it bumped", code, g)
		}
	}
	before := gen("91210602MA0000101W")
	f.must(ImportPenalties, "penalties-sample.csv", nil)
	if after := gen("91210602MA0000101W"); after != before {
		t.Errorf("a re-run that changed nothing bumped the generation from %s to %s", before, after)
	}
}

func TestALargeImportMovesTheCacheEpochOnlyWhenItChangesSomething(t *testing.T) {
	t.Parallel()
	c := testenv.Cache(t)
	f := newImportFixture(t, WithCache(c))
	epoch := func() string {
		v, _ := c.Client().Get(context.Background(), c.EpochKey()).Result()
		return v
	}
	// bulkInvalidateRows copies of the sample's first good row, each with a
	// decision number of its own: one chunk large enough to invalidate in
	// bulk.
	b, err := os.ReadFile("../../testdata/penalties-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(b), "\n", 3)
	var file strings.Builder
	file.WriteString(lines[0] + "\n")
	for i := range bulkInvalidateRows {
		file.WriteString(strings.Replace(lines[1], "丹市监罚〔2024〕101号", "丹市监罚〔2024〕B"+strconv.Itoa(i)+"号", 1) + "\n")
	}
	path := filepath.Join(t.TempDir(), "large.csv")
	if err := os.WriteFile(path, []byte(file.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	before := epoch()
	sum, _ := f.must(ImportPenalties, path, nil)
	if sum.New != bulkInvalidateRows {
		t.Fatalf("got %s, want %d new", importCounts(sum), bulkInvalidateRows)
	}
	moved := epoch()
	if moved == before {
		t.Errorf("epoch: got %q after a %d-row import, want it moved", moved, bulkInvalidateRows)
	}
	if g, _ := c.Client().Get(context.Background(), c.GenKey("91210602MA0000101W")).Result(); g != "" {
		t.Errorf("generation of the subject: got %q, want none (the epoch covers it)", g)
	}
	f.must(ImportPenalties, path, nil)
	if e := epoch(); e != moved {
		t.Errorf("a re-run that changed nothing moved the epoch from %s to %s", moved, e)
	}
}

func TestImportOfLicencesSubjectsAndTaxGrades(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	for _, tc := range []struct {
		kind  ImportKind
		file  string
		first string
	}{
		{ImportLicences, "licences-sample.csv", "8 rows 6 accepted 6 new 0 updated 0 unchanged 2 rejected 0 warned"},
		{ImportSubjects, "subjects-sample.csv", "10 rows 7 accepted 6 new 1 updated 0 unchanged 3 rejected 0 warned"},
		{ImportTaxGrades, "tax-grades-sample.csv", "9 rows 5 accepted 5 new 0 updated 0 unchanged 4 rejected 0 warned"},
	} {
		sum, _ := f.must(tc.kind, tc.file, nil)
		if got := importCounts(sum); got != tc.first {
			t.Errorf("%s: got %s, want %s", tc.file, got, tc.first)
		}
		if again, _ := f.must(tc.kind, tc.file, nil); again.New+again.Updated != 0 || again.Unchanged != sum.Accepted {
			t.Errorf("%s again: got %s, want nothing changed", tc.file, importCounts(again))
		}
	}
	for _, tc := range []struct{ q, want string }{
		{`SELECT status || ' ' || revoked_reason FROM licences WHERE decision_no = '丹环许〔2022〕15号'`, "REVOKED 双公示 XK_ZT: 2 (无效)"},
		{`SELECT coalesce(valid_until::text, 'none') FROM licences WHERE decision_no = '丹住建许〔2024〕21号'`, "none"},
		{`SELECT string_agg(p.name || ' ' || k.role || ' ' || k.since || ' ' || coalesce(k.until::text, '-'), ', ' ORDER BY k.since)
			FROM key_persons k JOIN subjects o ON o.id = k.organization_id JOIN subjects p ON p.id = k.person_id
			WHERE o.code = '91210602MA0000110T'`,
			"钱程 LEGAL_REPRESENTATIVE 2019-04-12 -, 何欢 PRINCIPAL 2021-01-01 2023-12-31, 何欢 ACTUAL_CONTROLLER 2024-01-01 -"},
		{`SELECT status || ' ' || kind FROM subjects WHERE code = '91210602MA00001121'`, "SUSPENDED UNINCORPORATED_ORGANIZATION"},
		{`SELECT string_agg(t.year || CAST(t.grade AS text) || coalesce(' ' || t.score, ''), ', ' ORDER BY t.year) FROM tax_credit_grades t
			JOIN subjects s ON s.id = t.subject_id WHERE s.code = '91210602MA0000110T'`, "2022B 85.00, 2023A 95.50"},
	} {
		var got string
		if err := f.db.SQL().QueryRow(tc.q).Scan(&got); err != nil || got != tc.want {
			t.Errorf("%s\ngot %q, %v; want %q", tc.q, got, err, tc.want)
		}
	}
}

func TestImportRefusesAHeaderThatDoesNotFit(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	_, _, err := f.run(ImportLicences, "penalties-sample.csv", nil)
	if credit.CodeOf(err) != credit.BadUserInput || !strings.Contains(err.Error(), `unknown columns "CF_XDR_MC"`) {
		t.Errorf("got %v, want BAD_USER_INPUT naming the unknown columns", err)
	}
}
