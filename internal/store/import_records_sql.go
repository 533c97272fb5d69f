package store

import (
	"context"
	"strings"

	"github.com/lib/pq"
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

// linkCandidates are the rows of a chunk that name a legal representative,
// as parallel arrays for unnest.
type linkCandidates struct {
	org, person []int64
	since       []string
	line        []int64
}

func (c *linkCandidates) add(org, person int64, since interface{ String() string }, line int) {
	c.org = append(c.org, org)
	c.person = append(c.person, person)
	c.since = append(c.since, since.String())
	c.line = append(c.line, int64(line))
}

// linkLegalReps links legal representatives by the rule of
// LinkLegalRepresentative, for the whole chunk at once. It holds
// key_persons in SHARE ROW EXCLUSIVE mode until the chunk commits: that
// mode conflicts with every other writer of key persons, so the
// statements after it see every link committed before, and none is made
// meanwhile. (The per-organisation advisory locks of single pushes would
// take one lock slot each, and tens of thousands would exhaust
// PostgreSQL's lock table.) Organisations whose legal representative's
// role has no end are left out first, as no record links over them; most
// organisations of a file appear in many chunks, and the session
// remembers them.
func (tx *ImportTx) linkLegalReps(ctx context.Context, c linkCandidates, res *ImportResult) error {
	c = c.without(tx.sess.openRep)
	if len(c.org) == 0 {
		return nil
	}
	if _, err := tx.exec(ctx, `LOCK TABLE key_persons IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return err
	}
	var open []int64
	if err := tx.sel(ctx, &open, `SELECT DISTINCT organization_id FROM key_persons
		WHERE organization_id = ANY($1) AND role = 'LEGAL_REPRESENTATIVE' AND until IS NULL`, pq.Array(c.org)); err != nil {
		return err
	}
	openSet := make(map[int64]bool, len(open))
	for _, o := range open {
		openSet[o] = true
	}
	tx.learnedRep = append(tx.learnedRep, open...)
	if c = c.without(openSet); len(c.org) == 0 {
		return nil
	}
	var linked []struct {
		Org    int64 `db:"organization_id"`
		Person int64 `db:"person_id"`
	}
	err := tx.sel(ctx, &linked, `INSERT INTO key_persons (organization_id, person_id, role, since)
		SELECT DISTINCT ON (c.org) c.org, c.person, 'LEGAL_REPRESENTATIVE', c.since
		FROM unnest(CAST($1 AS bigint[]), CAST($2 AS bigint[]), CAST($3 AS date[]), CAST($4 AS bigint[]))
			AS c(org, person, since, line)
		WHERE NOT EXISTS (SELECT 1 FROM key_persons k WHERE k.organization_id = c.org
			AND k.role = 'LEGAL_REPRESENTATIVE' AND (k.until IS NULL OR k.until >= c.since))
		ORDER BY c.org, c.line
		ON CONFLICT ON CONSTRAINT key_persons_unique_key DO NOTHING
		RETURNING organization_id, person_id`,
		pq.Array(c.org), pq.Array(c.person), pq.Array(c.since), pq.Array(c.line))
	res.Linked = len(linked)
	for _, l := range linked {
		res.changed = append(res.changed, l.Org, l.Person)
		tx.learnedRep = append(tx.learnedRep, l.Org)
	}
	return err
}

// without returns the candidates whose organisation is not in skip.
func (c linkCandidates) without(skip map[int64]bool) linkCandidates {
	var out linkCandidates
	for i, o := range c.org {
		if !skip[o] {
			out.org = append(out.org, o)
			out.person = append(out.person, c.person[i])
			out.since = append(out.since, c.since[i])
			out.line = append(out.line, c.line[i])
		}
	}
	return out
}

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
