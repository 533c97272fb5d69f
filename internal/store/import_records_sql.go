package store

import (
	"context"
	"strings"
)

// upsertRecordsSQL inserts the staged records, or updates the stored
// record with the same authority and decision number where a written
// column differs (received_at is written on insert only, as by single
// pushes). It reads the staging table in the order it was copied (sorted
// by the unique key) and returns how many records were inserted and
// updated, and, when $1 is true, the subjects of those records. Insert or
// update is told by xmax, as upsertSQL explains.
func upsertRecordsSQL(k recordKind) string {
	cols := recordColumns(k)
	var sets []string
	for _, c := range cols {
		if c == "decision_no" || c == "authority_code" || c == "received_at" {
			continue
		}
		if e, ok := k.set[c]; ok {
			sets = append(sets, c+" = "+e)
			continue
		}
		sets = append(sets, c+" = EXCLUDED."+c)
	}
	return `WITH up AS (
			INSERT INTO ` + k.table + ` AS r (` + strings.Join(cols, ", ") + `)
			SELECT ` + strings.Join(cols, ", ") + ` FROM ` + k.staging + `
			ON CONFLICT ON CONSTRAINT ` + k.constraint + ` DO UPDATE SET ` + strings.Join(sets, ", ") + `, updated_at = now()
			WHERE ` + changedSQL(k, "EXCLUDED") + `
			RETURNING r.subject_id, (r.xmax = 0) AS inserted)
		SELECT count(*) FILTER (WHERE inserted) AS new, count(*) FILTER (WHERE NOT inserted) AS updated,
			COALESCE(array_agg(DISTINCT subject_id) FILTER (WHERE CAST($1 AS boolean)), '{}') AS ids
		FROM up`
}

// recordColumns are the columns an import writes into k.table.
func recordColumns(k recordKind) []string {
	return append(append([]string{"subject_id"}, recordPartyColumns...), k.columns...)
}

// changedSQL is the condition under which a staged record, by the name
// staged, changes the stored record r with its key: a written column
// differs (received_at is written on insert only), or what k.changed says.
func changedSQL(k recordKind, staged string) string {
	var was, now []string
	for _, c := range recordColumns(k) {
		if c == "decision_no" || c == "authority_code" || c == "received_at" {
			continue
		}
		if _, ok := k.set[c]; ok {
			continue
		}
		was, now = append(was, "r."+c), append(now, staged+"."+c)
	}
	changed := "(" + strings.Join(was, ", ") + ") IS DISTINCT FROM (" + strings.Join(now, ", ") + ")"
	if k.changed != "" {
		changed += " OR " + strings.ReplaceAll(k.changed, "EXCLUDED.", staged+".")
	}
	return changed
}

// unchangedRecordsSQL deletes from the staging table the records that are
// stored already exactly as staged. The upsert would skip them too, but
// only after locking each stored row (INSERT … ON CONFLICT DO UPDATE locks
// the conflicting row before it evaluates WHERE), which dirties every heap
// page a re-run touches: 700 MB of WAL for a re-run of 1,000,000 rows that
// changes nothing. Read without locks, a row changed meanwhile by someone
// else is left as they wrote it, as if the import had come first. The
// LIMIT keeps each probe an index lookup (see movedSQL).
func unchangedRecordsSQL(k recordKind) string {
	return `DELETE FROM ` + k.staging + ` s WHERE EXISTS (SELECT 1 FROM (
			SELECT ` + strings.Join(recordColumns(k), ", ") + ` FROM ` + k.table + ` r
			WHERE r.authority_code = s.authority_code AND r.decision_no = s.decision_no LIMIT 1) r
		WHERE NOT (` + changedSQL(k, "s") + `))`
}

// movedSQL returns the subjects that staged records will move away from:
// the stored record with the same decision is about another subject. The
// LIMIT keeps the subquery from being flattened into a hash join over the
// whole target table: it is one index probe per staged row however large
// the table grows.
const movedSQL = `SELECT DISTINCT r.subject_id FROM {staging} s
	CROSS JOIN LATERAL (SELECT subject_id FROM {table} r
		WHERE r.authority_code = s.authority_code AND r.decision_no = s.decision_no LIMIT 1) r
	WHERE r.subject_id <> s.subject_id`

// affectedCodes fills res.Codes, when the session works them out, with
// the codes whose cached answers the chunk changed: those of the subjects
// in ids and moved, and of those it registered or linked, followed along
// key-person links (AffectedCodes).
func (tx *ImportTx) affectedCodes(ctx context.Context, res *ImportResult, ids, moved []int64) error {
	if !tx.sess.Affected {
		return nil
	}
	all := append(append(append([]int64{}, res.changed...), ids...), moved...)
	if len(all) == 0 {
		return nil
	}
	var err error
	res.Codes, err = tx.AffectedCodes(ctx, all)
	return err
}
