package store

import (
	"context"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

const partyColumns = `r.xdr_name, r.xdr_category, r.xdr_uscc, r.xdr_business_reg_no, r.xdr_organization_code,
	r.xdr_tax_reg_no, r.xdr_public_institution_no, r.xdr_social_org_no, r.legal_rep_name, r.legal_rep_id_type,
	r.legal_rep_id_no, r.xdr_id_type, r.xdr_id_no`

const licenceColumns = `r.id, r.subject_id, ` + partyColumns + `, r.document_name, r.decision_no,
	r.licence_category, r.certificate_name, r.licence_no, r.content, r.decided_on, r.valid_from, r.valid_until,
	r.authority_name, r.authority_code, r.status, r.source_name, r.source_code, r.remarks, r.use_scope,
	r.publication_deadline, r.received_at, to_json(r.warnings) AS warnings`

const penaltyColumns = `r.id, r.subject_id, ` + partyColumns + `, r.decision_no, r.violation_type, r.facts,
	r.legal_basis, r.penalty_category, r.content, r.fine_fen, r.confiscated_fen, r.suspended_licence,
	r.decided_on, r.valid_until, r.public_until, r.authority_name, r.authority_code, r.source_name,
	r.source_code, r.remarks, r.severity, r.repairable_from, r.status, r.repaired_on, r.use_scope,
	r.publication_deadline, r.received_at, to_json(r.warnings) AS warnings`

// visibleSQL is the condition on a record x that a credit.RecordView
// passed as $v, $v+1, $v+2 (scopes, department, published-on day) allows.
// Penalties are published only while in force and inside their window.
func visibleSQL(table string, v int) string {
	scopes, dept, day := "$"+itoa(v), "$"+itoa(v+1), "CAST($"+itoa(v+2)+" AS date)"
	cond := `(x.use_scope = ANY(CAST(` + scopes + ` AS use_scope[])) OR x.authority_code = ` + dept + `)
			  AND (` + day + ` IS NULL OR (x.use_scope = 'PUBLIC' AND x.decided_on <= ` + day
	if table == "penalties" {
		cond += ` AND x.status = 'IN_FORCE' AND x.public_until >= ` + day
	}
	return cond + `))`
}

func viewArgs(v credit.RecordView) []any {
	return []any{pq.Array(v.Scopes), v.Department, v.PublishedOn}
}

// recordPageQuery selects, for each subject in $1, its newest visible
// records of table (aliased r) that match the page: one index range scan
// per subject through LATERAL, so the statement count stays one whatever
// the batch size.
func recordPageQuery(columns, table string) string {
	return `SELECT ` + columns + ` FROM unnest(CAST($1 AS bigint[])) AS s(id)
		CROSS JOIN LATERAL (
			SELECT * FROM ` + table + ` x
			WHERE x.subject_id = s.id
			  AND (CAST($2 AS date) IS NULL OR (x.decided_on, x.id) < (CAST($2 AS date), $3))
			  AND (CAST($4 AS date) IS NULL OR x.decided_on >= CAST($4 AS date))
			  AND ` + visibleSQL(table, 6) + `
			ORDER BY x.decided_on DESC, x.id DESC
			LIMIT $5) r`
}

var (
	licencePageSQL  = recordPageQuery(licenceColumns, "licences")
	penaltyPageSQL  = recordPageQuery(penaltyColumns, "penalties")
	licenceCountSQL = `SELECT x.subject_id, count(*) AS count FROM licences x
		WHERE x.subject_id = ANY($1) AND ` + visibleSQL("licences", 2) + ` GROUP BY x.subject_id`
	penaltyCountSQL = `SELECT x.subject_id, count(*) AS count FROM penalties x
		WHERE x.subject_id = ANY($1) AND (CAST($5 AS date) IS NULL OR x.decided_on >= CAST($5 AS date))
		  AND ` + visibleSQL("penalties", 2) + ` GROUP BY x.subject_id`
)

// LicencesBySubjects returns, for each subject, up to p.First+1 licences of
// the page (the extra one tells whether there is a next page).
func (db *DB) LicencesBySubjects(ctx context.Context, subjectIDs []int64, p credit.RecordPage, v credit.RecordView) ([]credit.Licence, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	var out []credit.Licence
	args := append([]any{pq.Array(subjectIDs), p.AfterDate, p.AfterID, p.Since, p.First + 1}, viewArgs(v)...)
	err := db.sel(ctx, &out, licencePageSQL, args...)
	return out, err
}

// PenaltiesBySubjects returns, for each subject, up to p.First+1 penalties of the page.
func (db *DB) PenaltiesBySubjects(ctx context.Context, subjectIDs []int64, p credit.RecordPage, v credit.RecordView) ([]credit.Penalty, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	var out []credit.Penalty
	args := append([]any{pq.Array(subjectIDs), p.AfterDate, p.AfterID, p.Since, p.First + 1}, viewArgs(v)...)
	err := db.sel(ctx, &out, penaltyPageSQL, args...)
	return out, err
}

// SubjectCount is a count of records for one subject.
type SubjectCount struct {
	SubjectID int64 `db:"subject_id"`
	Count     int   `db:"count"`
}

// CountLicences counts each subject's visible licences.
func (db *DB) CountLicences(ctx context.Context, subjectIDs []int64, v credit.RecordView) ([]SubjectCount, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	var out []SubjectCount
	err := db.sel(ctx, &out, licenceCountSQL, append([]any{pq.Array(subjectIDs)}, viewArgs(v)...)...)
	return out, err
}

// CountPenalties counts each subject's visible penalties decided on or
// after since (all when zero).
func (db *DB) CountPenalties(ctx context.Context, subjectIDs []int64, since credit.Date, v credit.RecordView) ([]SubjectCount, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	var out []SubjectCount
	err := db.sel(ctx, &out, penaltyCountSQL, append(append([]any{pq.Array(subjectIDs)}, viewArgs(v)...), since)...)
	return out, err
}
