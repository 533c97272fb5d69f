package seed

import (
	"context"
	"database/sql"
	"slices"
	"testing"
)

// schemaObjects lists the indexes and constraints of the public schema with
// their definitions and whether they are valid, sorted.
func schemaObjects(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`
		SELECT format('index %s: %s valid=%s', indexrelid::regclass, pg_get_indexdef(indexrelid), indisvalid)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
		UNION ALL
		SELECT format('constraint %s.%s: %s validated=%s', conrelid::regclass, conname, pg_get_constraintdef(c.oid), convalidated)
		FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// Not parallel: it lowers deferIndexesFrom, which parallel tests read.
func TestALargeSeedBuildsTheSameIndexesAndKeysAfterItsRows(t *testing.T) {
	db := newDB(t)
	before := schemaObjects(t, db)
	defer func(n int) { deferIndexesFrom = n }(deferIndexesFrom)
	deferIndexesFrom = 100
	sum, err := Run(context.Background(), db, Options{Subjects: 300, Seed: 7, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	after := schemaObjects(t, db)
	if !slices.Equal(before, after) {
		t.Errorf("indexes and constraints differ after the seed:\nbefore %q\nafter  %q", before, after)
	}
	// The rows are all there, and the export outbox saw every record.
	var licences, penalties, outbox int64
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM licences), (SELECT count(*) FROM penalties),
		(SELECT count(*) FROM export_outbox)`).Scan(&licences, &penalties, &outbox); err != nil {
		t.Fatal(err)
	}
	if licences != sum.Licences || penalties != sum.Penalties || outbox != licences+penalties || licences == 0 {
		t.Errorf("got %d licences, %d penalties, %d outbox rows; the seed says %d and %d", licences, penalties, outbox,
			sum.Licences, sum.Penalties)
	}
	// The keys hold: a duplicate code and a dangling subject are refused.
	if _, err := db.Exec(`INSERT INTO subjects (code, kind, name) SELECT code, kind, name FROM subjects LIMIT 1`); err == nil {
		t.Error("a second subject with an existing code was accepted")
	}
	if _, err := db.Exec(`UPDATE penalties SET subject_id = -1 WHERE id = (SELECT min(id) FROM penalties)`); err == nil {
		t.Error("a penalty of a subject that does not exist was accepted")
	}
}
