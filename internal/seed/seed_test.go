package seed

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// testToday is the fixed "now" of the seeded data.
var testToday = credit.NewDate(2026, 5, 20)

// adminURL is the PostgreSQL server the tests create throwaway databases on.
func adminURL() string {
	if u := os.Getenv("SEED_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// newDB creates a migrated throwaway database and drops it when the test
// ends.
func newDB(t testing.TB) *sql.DB {
	t.Helper()
	db, _ := createDB(t, true)
	return db
}

// createDB creates a migrated database named seedtest_<random> and returns
// it with its name; drop says whether to drop it when the test ends.
func createDB(t testing.TB, drop bool) (*sql.DB, string) {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("postgres", adminURL())
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		t.Skipf("PostgreSQL not reachable at %s (set SEED_TEST_DATABASE_URL): %v", adminURL(), err)
	}
	var suffix [6]byte
	_, _ = rand.Read(suffix[:])
	name := "seedtest_" + hex.EncodeToString(suffix[:])
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if drop {
			if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
				t.Errorf("drop %s: %v", name, err)
			}
		}
		admin.Close()
	})
	u, err := url.Parse(adminURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	db, err := store.Open(ctx, u.String(), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	return db.SQL(), name
}

// seeded returns a database seeded with n subjects and the summary.
func seeded(t testing.TB, n int, seed int64) (*sql.DB, Summary) {
	t.Helper()
	db := newDB(t)
	sum, err := Run(context.Background(), db, Options{Subjects: n, Seed: seed, Today: testToday})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return db, sum
}

// queryInt runs a query returning one integer.
func queryInt(t *testing.T, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// zero asserts that a counting query returns 0; the message says what the
// counted rows mean.
func zero(t *testing.T, db *sql.DB, what, q string, args ...any) {
	t.Helper()
	if n := queryInt(t, db, q, args...); n != 0 {
		t.Errorf("%d %s", n, what)
	}
}

func TestSeedFillsEveryTableConsistently(t *testing.T) {
	t.Parallel()
	db, sum := seeded(t, 500, 1)
	counts := map[string]int64{
		"departments": sum.Departments, "measures": sum.Measures, "subjects": sum.Subjects,
		"key_persons": sum.KeyPersons, "licences": sum.Licences, "penalties": sum.Penalties,
		"tax_credit_grades": sum.TaxCreditGrades, "list_entries": sum.ListEntries,
		"list_entry_measures": sum.ListEntryMeasures, "list_entry_events": sum.ListEntryEvents,
	}
	for _, tbl := range []string{"departments", "measures", "subjects", "key_persons", "licences", "penalties",
		"tax_credit_grades", "list_entries", "list_entry_measures", "list_entry_events"} {
		n := queryInt(t, db, "SELECT count(*) FROM "+tbl)
		if n == 0 || n != counts[tbl] {
			t.Errorf("%s has %d rows, summary says %d; want the same, > 0", tbl, n, counts[tbl])
		}
	}
	if sum.Subjects != 500 || sum.Organizations+sum.IndividualBusinesses+sum.NaturalPersons != 500 {
		t.Errorf("summary %+v: want 500 subjects", sum)
	}
	if sum.Organizations < 300 || sum.IndividualBusinesses < 50 || sum.NaturalPersons < 50 {
		t.Errorf("mix %d/%d/%d: want about 70%%/15%%/15%%", sum.Organizations, sum.IndividualBusinesses, sum.NaturalPersons)
	}

	zero(t, db, "organisations without exactly one legal representative on today", `
		SELECT count(*) FROM subjects s WHERE s.kind <> 'NATURAL_PERSON' AND (
		  SELECT count(*) FROM key_persons k WHERE k.organization_id = s.id AND k.role = 'LEGAL_REPRESENTATIVE'
		    AND k.since <= $1 AND (k.until IS NULL OR k.until >= $1)) <> 1`, testToday)
	zero(t, db, "key persons who are not natural persons, or organisations that are", `
		SELECT count(*) FROM key_persons k JOIN subjects p ON p.id = k.person_id JOIN subjects o ON o.id = k.organization_id
		WHERE p.kind <> 'NATURAL_PERSON' OR o.kind = 'NATURAL_PERSON'`)
	zero(t, db, "roles taken before the person was 18", `
		SELECT count(*) FROM key_persons k JOIN subjects p ON p.id = k.person_id
		WHERE k.since < to_date(substr(p.code, 7, 8), 'YYYYMMDD') + interval '18 years'`)
	if n := queryInt(t, db, `SELECT count(*) FROM key_persons WHERE until IS NOT NULL AND role = 'LEGAL_REPRESENTATIVE'`); n == 0 {
		t.Error("no past legal representatives")
	}
	zero(t, db, "subjects outside Dandong", `SELECT count(*) FROM subjects WHERE district NOT IN ('210602','210603','210604','210624','210681','210682')`)
	zero(t, db, "duplicate licence decision numbers", `SELECT count(*) FROM (SELECT decision_no FROM licences GROUP BY 1 HAVING count(*) > 1) d`)
	zero(t, db, "duplicate penalty decision numbers", `SELECT count(*) FROM (SELECT decision_no FROM penalties GROUP BY 1 HAVING count(*) > 1) d`)
	zero(t, db, "duplicate list decision numbers", `SELECT count(*) FROM (SELECT decision_no FROM list_entries GROUP BY 1 HAVING count(*) > 1) d`)
	zero(t, db, "records outside the five years before today", `
		SELECT (SELECT count(*) FROM licences WHERE decided_on < $1 OR decided_on >= $2)
		     + (SELECT count(*) FROM penalties WHERE decided_on < $1 OR decided_on >= $2)`, testToday.AddMonths(-60), testToday)
	zero(t, db, "records without a publication deadline or received in the future", `
		SELECT (SELECT count(*) FROM licences WHERE publication_deadline IS NULL OR received_at::date > $1)
		     + (SELECT count(*) FROM penalties WHERE publication_deadline IS NULL OR received_at::date > $1)`, testToday)
	late := queryInt(t, db, `SELECT count(*) * 1000 / (SELECT count(*) FROM licences) FROM licences WHERE (received_at AT TIME ZONE 'Asia/Shanghai')::date > publication_deadline`)
	if late < 40 || late > 160 {
		t.Errorf("%d‰ of licences late; want about 10%%", late)
	}
	zero(t, db, "penalties whose publication dates break the rule in force", `
		SELECT count(*) FROM penalties p JOIN LATERAL (
		  SELECT * FROM rules r WHERE r.rule = 'PUBLICATION_WINDOW' AND r.scope = CAST(p.severity AS text)
		    AND r.effective_from <= p.decided_on
		  ORDER BY r.effective_from DESC LIMIT 1) r ON true
		WHERE p.public_until IS DISTINCT FROM CASE
		        WHEN CAST(r.params->>'publishedByDefault' AS boolean) OR p.use_scope = 'PUBLIC'
		        THEN (p.decided_on + make_interval(months => CAST(r.params->>'maxMonths' AS int)))::date END
		   OR p.repairable_from IS DISTINCT FROM (p.decided_on + make_interval(months => CAST(r.params->>'minMonths' AS int)))::date`)
	zero(t, db, "repaired penalties without a repair date in the repair window", `
		SELECT count(*) FROM penalties WHERE (status = 'REPAIRED') <> (repaired_on IS NOT NULL)
		   OR repaired_on < repairable_from OR repaired_on >= public_until`)
	zero(t, db, "fines out of their severity's range", `
		SELECT count(*) FROM penalties WHERE severity = 'MINOR' AND fine_fen > 200000
		   OR severity = 'GENERAL' AND fine_fen NOT BETWEEN 200000 AND 20000000
		   OR severity = 'SERIOUS' AND fine_fen NOT BETWEEN 20000000 AND 500000000`)
	zero(t, db, "minor penalties restricted to authorised queries", `SELECT count(*) FROM penalties WHERE severity = 'MINOR' AND use_scope = 'AUTHORIZED'`)

	zero(t, db, "entries approved by their proposer", `SELECT count(*) FROM list_entries WHERE approved_by = proposed_by`)
	zero(t, db, "entries whose approval state and measures disagree", `
		SELECT count(*) FROM list_entries e WHERE (e.status = 'PROPOSED') <> (e.approved_by IS NULL)
		   OR (e.status = 'PROPOSED') = EXISTS (SELECT 1 FROM list_entry_measures m WHERE m.entry_id = e.id)`)
	zero(t, db, "measures that do not match their entry's kind and domain", `
		SELECT count(*) FROM list_entry_measures lm JOIN list_entries e ON e.id = lm.entry_id
		JOIN measures m ON m.id = lm.measure_id WHERE m.list_kind <> e.kind OR m.domain <> e.domain`)
	zero(t, db, "entries whose events do not end in their status", `
		SELECT count(*) FROM list_entries e WHERE e.status <> (
		  SELECT to_status FROM list_entry_events v WHERE v.entry_id = e.id ORDER BY v.id DESC LIMIT 1)`)
	zero(t, db, "entries whose end date breaks the domain period", `
		SELECT count(*) FROM list_entries e JOIN LATERAL (
		  SELECT * FROM rules p WHERE p.rule = 'LIST_TERM' AND p.scope = e.domain AND p.effective_from <= e.decided_on
		  ORDER BY p.effective_from DESC LIMIT 1) p ON true
		WHERE e.ends_on IS DISTINCT FROM (e.starts_on + make_interval(months => CAST(p.params->>'months' AS int)))::date
		   OR e.status = 'EXPIRED' AND e.ends_on >= $1
		   OR e.status IN ('EXITED', 'REPAIRED', 'REVOKED') <> (e.ended_on IS NOT NULL AND e.exit_decision_no IS NOT NULL)`, testToday)
	zero(t, db, "tax grades whose score contradicts the grade", `
		SELECT count(*) FROM tax_credit_grades WHERE grade = 'A' AND score < 90 OR grade = 'D' AND score >= 40
		   OR grade = 'M' AND score IS NOT NULL OR grade <> 'M' AND score IS NULL`)
	zero(t, db, "A-grade taxpayers without grade A, or major tax violators without grade D", `
		SELECT count(*) FROM list_entries e WHERE e.domain = 'A_GRADE_TAXPAYER' AND EXISTS (
		    SELECT 1 FROM tax_credit_grades g WHERE g.subject_id = e.subject_id AND g.grade <> 'A')
		 OR e.domain = 'MAJOR_TAX_VIOLATION' AND NOT EXISTS (
		    SELECT 1 FROM tax_credit_grades g WHERE g.subject_id = e.subject_id AND g.grade = 'D')
		    AND EXTRACT(year FROM e.decided_on) <= (SELECT max(year) FROM tax_credit_grades) + 1`)

	// Sequences must continue after the seeded ids.
	for _, tbl := range []string{"subjects", "key_persons", "licences", "penalties", "list_entries", "list_entry_events"} {
		var next, maxID int64
		if err := db.QueryRow(`SELECT nextval(pg_get_serial_sequence($1, 'id')), (SELECT max(id) FROM `+tbl+`)`, tbl).Scan(&next, &maxID); err != nil {
			t.Fatal(err)
		}
		if next != maxID+1 {
			t.Errorf("%s: next id %d, want %d", tbl, next, maxID+1)
		}
	}
}

func TestSeedCodesPassTheirChecks(t *testing.T) {
	t.Parallel()
	db, _ := seeded(t, 2000, 7)
	rows, err := db.Query(`SELECT code, kind, identifier_warnings FROM subjects ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	now := testToday.Time()
	legacy := 0
	for rows.Next() {
		var code, kind, warnings string
		if err := rows.Scan(&code, &kind, &warnings); err != nil {
			t.Fatal(err)
		}
		if kind == string(credit.NaturalPerson) {
			if _, err := credit.NormalizeCitizenIDAt(code, now); err != nil || warnings != "{}" {
				t.Errorf("person %s: %v, warnings %s", code, err, warnings)
			}
			if y := code[6:10]; y < "1950" || y > "2000" {
				t.Errorf("person %s born in %s, want 1950-2000", code, y)
			}
			continue
		}
		_, warning, err := credit.CheckUSCCLenient(code)
		switch {
		case err != nil:
			t.Errorf("%s %s: %v", kind, code, err)
		case warnings == "{}" && warning != "":
			t.Errorf("%s %s is flagged valid but: %s", kind, code, warning)
		case warnings != "{}" && warnings != `{"`+warning+`"}`:
			t.Errorf("%s %s has warnings %s, want %q", kind, code, warnings, warning)
		case warnings != "{}":
			legacy++
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if legacy == 0 || legacy > 30 {
		t.Errorf("%d legacy codes failing the checksum among 2000 subjects; want about 0.5%% of organisations", legacy)
	}
	for _, code := range DepartmentCodes() {
		if !credit.ValidUSCC(code) || !strings.HasPrefix(code, "11210600") {
			t.Errorf("department code %s: want a valid 11210600… USCC", code)
		}
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	a, _ := seeded(t, 500, 42)
	b, _ := seeded(t, 500, 42)
	c, _ := seeded(t, 500, 43)
	checksums := []string{
		`SELECT md5(string_agg(code || name || kind || coalesce(registered_on::text, '') || address, ',' ORDER BY code)) FROM subjects`,
		`SELECT md5(string_agg(decision_no || fine_fen || severity || status || received_at::text, ',' ORDER BY id)) FROM penalties`,
		`SELECT md5(string_agg(decision_no || xdr_name || content || decided_on, ',' ORDER BY id)) FROM licences`,
		`SELECT md5(string_agg(organization_id || '/' || person_id || role || since, ',' ORDER BY id)) FROM key_persons`,
		`SELECT md5(string_agg(decision_no || status || domain || proposed_by, ',' ORDER BY id)) FROM list_entries`,
	}
	for _, q := range checksums {
		var x, y, z string
		for db, dst := range map[*sql.DB]*string{a: &x, b: &y, c: &z} {
			if err := db.QueryRow(q).Scan(dst); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if x != y {
			t.Errorf("same seed, different data: %s", q)
		}
		if x == z {
			t.Errorf("different seeds, same data: %s", q)
		}
	}
}

func TestSeedRefusesANonEmptyDatabase(t *testing.T) {
	t.Parallel()
	db, _ := seeded(t, 20, 1)
	before := queryInt(t, db, `SELECT count(*) FROM licences`)
	_, err := Run(context.Background(), db, Options{Subjects: 20, Seed: 2, Today: testToday})
	if !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("second Run: %v, want ErrNotEmpty", err)
	}
	if after := queryInt(t, db, `SELECT count(*) FROM licences`); after != before {
		t.Errorf("refused Run changed licences from %d to %d", before, after)
	}
}

func TestDepartmentsIsIdempotentAndTheCatalogueComesWithTheMigrations(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	measures := queryInt(t, db, `SELECT count(*) FROM measures`)
	for range 2 {
		if err := Departments(context.Background(), db); err != nil {
			t.Fatal(err)
		}
	}
	if n := queryInt(t, db, `SELECT count(*) FROM departments`); n != int64(len(departments)) {
		t.Errorf("%d departments, want %d", n, len(departments))
	}
	if n := queryInt(t, db, `SELECT count(*) FROM measures`); n != measures || n < 50 {
		t.Errorf("%d measures after the seed's departments, %d before, want the migrations' baseline unchanged", n, measures)
	}
	zero(t, db, "black or red domains without measures", `
		SELECT count(*) FROM list_domains d WHERE NOT EXISTS (SELECT 1 FROM measures m WHERE m.domain = d.code AND m.list_kind = d.kind)`)
	if n := queryInt(t, db, `SELECT count(*) FROM subjects`); n != 0 {
		t.Errorf("Departments created %d subjects", n)
	}
	// Subjects: 0 is the departments alone, and may follow Departments.
	if _, err := Run(context.Background(), db, Options{Subjects: 0, Today: testToday}); err != nil {
		t.Fatal(err)
	}
}

func TestRunRejectsBadOptions(t *testing.T) {
	for _, o := range []Options{{Subjects: -1, Today: testToday}, {Subjects: 1, Today: credit.NewDate(2010, 1, 1)}} {
		if _, err := Run(context.Background(), nil, o); err == nil {
			t.Errorf("Run(%+v) succeeded", o)
		}
	}
}
