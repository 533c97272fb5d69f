package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// The records a check rests on, read in one statement: a check that made a
// query per kind of record could not keep up with the morning rush (every
// round trip costs about a millisecond under load, see NOTES.md). The
// statement builds JSON whose keys are the Go field names of the credit
// types, so decoding needs no mapping code.

// subjectJSON builds a subject from the subjects row aliased a.
func subjectJSON(a string) string {
	return strings.NewReplacer("s.", a+".").Replace(`json_build_object('ID', s.id, 'Code', s.code, 'Kind', s.kind,
	'Name', s.name, 'Status', s.status, 'RegisteredOn', s.registered_on, 'Address', s.address,
	'District', s.district, 'BusinessRegNo', s.business_reg_no, 'OrganizationCode', s.organization_code,
	'TaxRegNo', s.tax_reg_no, 'PublicInstitutionNo', s.public_institution_no, 'SocialOrgNo', s.social_org_no,
	'IdentifierWarningList', s.identifier_warnings)`)
}

const measuresOfEntryJSON = `COALESCE((SELECT json_agg(json_build_object('ID', m.id, 'Code', m.code,
		'Version', m.version, 'Kind', m.kind, 'Name', m.name, 'Detail', m.detail, 'LegalBasis', m.legal_basis,
		'ImplementingDepartment', m.implementing_department, 'Targets', m.applies_to, 'ContextList', m.contexts,
		'ListKind', m.list_kind, 'Domain', m.domain) ORDER BY m.code)
	FROM list_entry_measures lem JOIN measures m ON m.id = lem.measure_id WHERE lem.entry_id = e.id), '[]')`

const entryJSON = `json_build_object('ID', e.id, 'SubjectID', e.subject_id, 'Kind', e.kind, 'Domain', e.domain,
	'DomainName', d.name, 'DepartmentCode', e.department_code, 'DecisionNo', e.decision_no,
	'DecidedOn', e.decided_on, 'Facts', e.facts, 'DecisionContent', e.decision_content, 'StartsOn', e.starts_on,
	'EndsOn', e.ends_on, 'Status', e.status, 'UseScope', e.use_scope, 'EndedOn', e.ended_on,
	'ExitDecisionNo', e.exit_decision_no, 'ExitReason', e.exit_reason, 'Measures', ` + measuresOfEntryJSON + `)`

// attributedJSON lists, for the person with id expression p, the black
// entries of organisations other than the one with id expression not,
// reached through an attributable role (the rules re-check Attributable).
func attributedJSON(p, not string) string {
	return `COALESCE((SELECT json_agg(json_build_object('Entry', ` + entryJSON + `, 'Via', json_build_object(
			'ID', k.id, 'OrganizationID', k.organization_id, 'PersonID', k.person_id, 'Role', k.role,
			'Since', k.since, 'Until', k.until)) ORDER BY e.decided_on DESC, e.id DESC)
		FROM key_persons k
		JOIN list_entries e ON e.subject_id = k.organization_id AND e.kind = 'BLACK'
		JOIN list_domains d ON d.code = e.domain
		WHERE k.person_id = ` + p + ` AND k.organization_id <> ` + not + `
		  AND k.role = ANY(CAST($4 AS key_person_role[]))), '[]')`
}

// checkSQL reads everything a check needs about the subject with code $1 as
// of $2: its own entries, what is attributed to it, its penalties decided
// since $3 or still published, its latest tax grade and, for an
// organisation, the legal representative and principals in office on $2
// with their own and attributed black entries.
var checkSQL = `SELECT ` + subjectJSON("s") + ` AS subject,
	COALESCE((SELECT json_agg(` + entryJSON + ` ORDER BY e.decided_on DESC, e.id DESC)
		FROM list_entries e JOIN list_domains d ON d.code = e.domain WHERE e.subject_id = s.id), '[]') AS entries,
	` + attributedJSON("s.id", "0") + ` AS attributed,
	COALESCE((SELECT json_agg(json_build_object('ID', x.id, 'SubjectID', x.subject_id, 'DecisionNo', x.decision_no,
			'DecidedOn', x.decided_on, 'Severity', x.severity, 'Status', x.status, 'PublicUntil', x.public_until,
			'RepairedOn', x.repaired_on, 'Fine', x.fine_fen, 'UseScope', x.use_scope,
			'AuthorityName', x.authority_name, 'AuthorityCode', x.authority_code) ORDER BY x.decided_on DESC, x.id DESC)
		FROM penalties x WHERE x.subject_id = s.id
		  AND (x.decided_on >= $3 OR ((x.status = 'IN_FORCE' OR x.status = 'REPAIRED' AND x.repaired_on > $2)
		       AND (x.public_until IS NULL OR x.public_until >= $2)))), '[]') AS penalties,
	(SELECT json_build_object('SubjectID', g.subject_id, 'Year', g.year, 'Grade', g.grade, 'Score', g.score,
			'AssessedOn', g.assessed_on)
		FROM tax_credit_grades g WHERE g.subject_id = s.id AND (g.assessed_on IS NULL OR g.assessed_on <= $2)
		ORDER BY g.year DESC LIMIT 1) AS tax_grade,
	COALESCE((SELECT json_agg(json_build_object('LinkID', k.id, 'Role', k.role, 'Person', ` + subjectJSON("p") + `,
			'Entries', COALESCE((SELECT json_agg(` + entryJSON + ` ORDER BY e.decided_on DESC, e.id DESC)
				FROM list_entries e JOIN list_domains d ON d.code = e.domain
				WHERE e.subject_id = p.id AND e.kind = 'BLACK'), '[]'),
			'Attributed', ` + attributedJSON("p.id", "s.id") + `) ORDER BY k.role, k.since DESC)
		FROM key_persons k JOIN subjects p ON p.id = k.person_id
		WHERE k.organization_id = s.id AND k.role IN ('LEGAL_REPRESENTATIVE', 'PRINCIPAL')
		  AND k.since <= $2 AND (k.until IS NULL OR k.until >= $2)), '[]') AS key_persons,
	` + disputedJSON + ` AS disputed
FROM subjects s WHERE s.code = $1`

// disputedJSON lists the records under objection on $2 (filed by then, not
// closed by then) of subject s, of the organisations it holds a role in
// (their entries are attributed to it) and of its key persons (their
// findings are reported): the rules set aside those the answer rests on.
// The subjects are gathered into an array first so that the objections are
// found through their subject index (an OR of the three conditions would
// scan the whole table).
const disputedJSON = `COALESCE((SELECT json_agg(json_build_object('Kind', o.record_kind, 'ID', o.record_id,
			'DecisionNo', o.record_label, 'DecidedOn', o.record_date, 'SubjectID', o.subject_id) ORDER BY o.id)
		FROM objections o WHERE o.subject_id = ANY (ARRAY(SELECT s.id
		    UNION ALL SELECT k.organization_id FROM key_persons k WHERE k.person_id = s.id
		    UNION ALL SELECT k.person_id FROM key_persons k WHERE k.organization_id = s.id))
		  AND o.filed_on <= $2 AND (o.closed_on IS NULL OR o.closed_on > $2)), '[]')`

// checkRow is the check statement's row: its JSON columns, raw.
type checkRow struct {
	Subject    []byte `db:"subject"`
	Entries    []byte `db:"entries"`
	Attributed []byte `db:"attributed"`
	Penalties  []byte `db:"penalties"`
	TaxGrade   []byte `db:"tax_grade"`
	KeyPersons []byte `db:"key_persons"`
	Tree       []byte `db:"tree"`
	Disputed   []byte `db:"disputed"`
}

// CheckRecords reads the records a check of the subject with code needs as
// of asOf, with penalties decided since since; NOT_FOUND if no subject has
// that code. One statement, whatever the number of records. When read asks
// for relations of the subject itself (a check's `subject { legalRepresentative
// { … } }`), the same statement answers that subject read too, as
// SubjectTrees would, for the record view v on today: the nodes come back
// with the records.
func (db *DB) CheckRecords(ctx context.Context, code string, asOf, since credit.Date, read *credit.SubjectRead, v credit.RecordView, today credit.Date) (credit.CheckRecords, map[int64]*credit.SubjectNode, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	var row checkRow
	args := []any{code, asOf, since, pq.Array(credit.AttributedRoles())}
	query := checkSQL
	if read.Relations() {
		query = checkWithSubjectRead(read)
		args = append(args, pq.Array(v.Scopes), v.Department, v.PublishedOn, today)
	}
	if err := db.getPrepared(ctx, &row, query, args...); err != nil {
		return credit.CheckRecords{}, nil, err
	}
	r := credit.CheckRecords{AsOf: asOf}
	for _, part := range []struct {
		raw []byte
		dst any
	}{
		{row.Subject, &r.Subject}, {row.Entries, &r.Entries}, {row.Attributed, &r.Attributed},
		{row.Penalties, &r.Penalties}, {row.KeyPersons, &r.KeyPersons}, {row.Disputed, &r.Disputed},
	} {
		if err := decodeRowJSON(part.raw, part.dst); err != nil {
			return r, nil, fmt.Errorf("store: decode check records: %w", err)
		}
	}
	if len(row.TaxGrade) > 0 {
		r.TaxGrade = new(credit.TaxCreditGrade)
		if err := decodeRowJSON(row.TaxGrade, r.TaxGrade); err != nil {
			return r, nil, fmt.Errorf("store: decode tax grade: %w", err)
		}
	}
	if len(row.Tree) == 0 {
		return r, nil, nil
	}
	var n nodeJSON
	if err := decodeRowJSON(row.Tree, &n); err != nil {
		return r, nil, fmt.Errorf("store: decode the check's subject read: %w", err)
	}
	nodes := map[int64]*credit.SubjectNode{}
	n.add(nodes, read)
	return r, nodes, nil
}

// checkWithSubjectRead is checkSQL with the subject read as one more
// column; the read's parameters ($5..$8, and the check's $4) are read into the row p, as in
// compileSubjectRead.
func checkWithSubjectRead(r *credit.SubjectRead) string {
	key := "check|" + r.Key()
	subjectReadSQL.mu.Lock()
	defer subjectReadSQL.mu.Unlock()
	if q, ok := subjectReadSQL.m[key]; ok {
		return q
	}
	c := &treeCompiler{}
	tail := "\nFROM subjects s WHERE s.code = $1"
	q := strings.Replace(checkSQL, tail, `,
	`+c.node("s", r)+` AS tree
FROM (SELECT CAST($5 AS use_scope[]) AS scopes, CAST($6 AS text) AS dept, CAST($7 AS date) AS pub,
	CAST($8 AS date) AS today, CAST($4 AS key_person_role[]) AS roles) p,
	subjects s WHERE s.code = $1`, 1)
	if len(subjectReadSQL.m) >= maxCachedStatements {
		clear(subjectReadSQL.m)
	}
	subjectReadSQL.m[key] = q
	return q
}
