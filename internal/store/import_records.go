package store

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/credithub/credithub/internal/credit"
)

// StagedParty is whom an imported licence or penalty is about, as
// credit.Intake derived it from the record: the subject of record (Code,
// Kind, Name, legacy identifiers, identifier warnings), registered when it
// is new, and the legal representative the record names (Code, Name) or nil.
type StagedParty struct {
	Line     int
	Subject  credit.Subject
	LegalRep *credit.Subject
}

// LineNo is the line of the file the row is on.
func (p StagedParty) LineNo() int { return p.Line }

// StagedPenalty is a penalty to import. Its SubjectID is ignored: the
// subject is found (or registered) by StagedParty.Subject.Code.
type StagedPenalty struct {
	StagedParty
	credit.Penalty
}

// StagedLicence is a licence to import; Status is VALID or REVOKED (XK_ZT).
type StagedLicence struct {
	StagedParty
	credit.Licence
}

// recordKind is what differs between importing licences and penalties.
type recordKind struct {
	table, staging, constraint, prefix string
	// columns are the record's columns after the party's, with their
	// types, in the order write encodes them.
	columns []string
	types   map[string]string
	// set overrides "c = EXCLUDED.c" for a column on update; changed adds
	// to the condition under which an existing row is updated.
	set     map[string]string
	changed string
}

// The staged columns every record has: its line and subject, then the party
// columns as pushed.
var (
	stagedRecordColumns = []string{"line", "subject_id"}
	recordPartyColumns  = strings.Fields(`xdr_name xdr_category xdr_uscc xdr_business_reg_no xdr_organization_code
		xdr_tax_reg_no xdr_public_institution_no xdr_social_org_no legal_rep_name legal_rep_id_type legal_rep_id_no
		xdr_id_type xdr_id_no`)
	stagedTypes = map[string]string{"line": "int", "subject_id": "bigint",
		"xdr_category": "subject_category", "fine_fen": "bigint", "confiscated_fen": "bigint", "decided_on": "date",
		"valid_from": "date", "valid_until": "date", "public_until": "date", "repairable_from": "date",
		"publication_deadline": "date", "severity": "severity", "use_scope": "use_scope", "received_at": "timestamptz",
		"warnings": "text[]", "status": "licence_status"}
)

var penaltyImport = recordKind{table: "penalties", staging: "import_penalties", constraint: "penalties_decision_key",
	prefix: "CF_", types: stagedTypes,
	columns: strings.Fields(`decision_no violation_type facts legal_basis penalty_category content fine_fen
		confiscated_fen suspended_licence decided_on valid_until public_until authority_name authority_code source_name
		source_code remarks severity repairable_from use_scope publication_deadline received_at warnings`)}

// A licence's status is the hub's, changed by revocation; a file can revoke
// a licence (XK_ZT 2, 无效) but never bring a revoked one back.
var licenceImport = recordKind{table: "licences", staging: "import_licences", constraint: "licences_decision_key",
	prefix: "XK_", types: stagedTypes,
	columns: strings.Fields(`document_name decision_no licence_category certificate_name licence_no content
		decided_on valid_from valid_until authority_name authority_code status source_name source_code remarks
		use_scope publication_deadline received_at warnings revoked_reason`),
	set: map[string]string{
		"status":         "CASE WHEN EXCLUDED.status = 'REVOKED' THEN 'REVOKED' ELSE r.status END",
		"revoked_reason": "CASE WHEN EXCLUDED.status = 'REVOKED' AND r.status <> 'REVOKED' THEN EXCLUDED.revoked_reason ELSE r.revoked_reason END",
	},
	changed: "EXCLUDED.status = 'REVOKED' AND r.status <> 'REVOKED'"}

// licenceRevokedReason is the revocation reason of a licence a file marks 无效.
const licenceRevokedReason = "双公示 XK_ZT: 2 (无效)"

// ImportPenalties writes a chunk of penalties in the transaction: its
// parties, then its records (see RecordChunk).
func (tx *ImportTx) ImportPenalties(ctx context.Context, rows []StagedPenalty) (ImportResult, error) {
	return tx.importChunk(ctx, PenaltyChunk(rows))
}

// ImportLicences writes a chunk of licences in the transaction: its
// parties, then its records (see RecordChunk).
func (tx *ImportTx) ImportLicences(ctx context.Context, rows []StagedLicence) (ImportResult, error) {
	return tx.importChunk(ctx, LicenceChunk(rows))
}

// PenaltyChunk is a chunk of penalties to import.
func PenaltyChunk(rows []StagedPenalty) *RecordChunk {
	return newRecordChunk(penaltyImport, len(rows), func(i int) *StagedParty { return &rows[i].StagedParty },
		func(i int) (string, string, credit.Date) {
			return rows[i].AuthorityCode, rows[i].DecisionNo, rows[i].Penalty.DecidedOn
		},
		func(i int, l *copyLine) {
			p := &rows[i].Penalty
			writeRecordParty(l, &p.RecordParty)
			l.str(p.DecisionNo)
			l.str(p.ViolationType)
			l.str(p.Facts)
			l.str(p.LegalBasis)
			l.str(p.Category)
			l.str(p.Content)
			l.int(int64(p.Fine))
			l.int(int64(p.Confiscated))
			l.str(p.SuspendedLicence)
			l.date(p.DecidedOn)
			l.optDate(p.ValidUntil)
			l.optDate(p.PublicUntil)
			l.str(p.AuthorityName)
			l.str(p.AuthorityCode)
			l.str(p.SourceName)
			l.str(p.SourceCode)
			l.str(p.Remarks)
			l.str(string(p.Severity))
			l.optDate(p.RepairableFrom)
			l.str(string(p.UseScope))
			l.optDate(p.PublicationDeadline)
			l.time(p.ReceivedAt)
			l.textArray(p.WarningList)
		})
}

// LicenceChunk is a chunk of licences to import.
func LicenceChunk(rows []StagedLicence) *RecordChunk {
	return newRecordChunk(licenceImport, len(rows), func(i int) *StagedParty { return &rows[i].StagedParty },
		func(i int) (string, string, credit.Date) {
			return rows[i].AuthorityCode, rows[i].DecisionNo, rows[i].Licence.DecidedOn
		},
		func(i int, l *copyLine) {
			r := &rows[i].Licence
			writeRecordParty(l, &r.RecordParty)
			l.str(r.DocumentName)
			l.str(r.DecisionNo)
			l.str(r.Category)
			l.str(r.CertificateName)
			l.str(r.LicenceNo)
			l.str(r.Content)
			l.date(r.DecidedOn)
			l.date(r.ValidFrom)
			l.optDate(r.ValidUntil)
			l.str(r.AuthorityName)
			l.str(r.AuthorityCode)
			l.str(r.Status)
			l.str(r.SourceName)
			l.str(r.SourceCode)
			l.str(r.Remarks)
			l.str(string(r.UseScope))
			l.optDate(r.PublicationDeadline)
			l.time(r.ReceivedAt)
			l.textArray(r.WarningList)
			if r.Status == "REVOKED" {
				l.str(licenceRevokedReason)
			} else {
				l.str("")
			}
		})
}

// encodedRecords are a chunk's rows sorted by their unique key (order),
// and each row's record columns in COPY text, text[start[i]:end[i]].
type encodedRecords struct {
	order      []int
	text       []byte
	start, end []int
}

// encodeRecords sorts n rows by the unique key, authority and decision
// number, so that the index is filled in order and two imports writing
// the same decisions lock them in the same order, and encodes their
// record columns with write, in that order.
func encodeRecords(n int, key func(int) (string, string, credit.Date), write func(int, *copyLine)) encodedRecords {
	e := encodedRecords{order: make([]int, n), start: make([]int, n), end: make([]int, n)}
	// The keys are read once, not twice per comparison (a sixth of the
	// writers' Go time when the sort called key).
	type sortKey struct {
		authority, decision string
		i                   int
	}
	keys := make([]sortKey, n)
	for i := range n {
		keys[i].authority, keys[i].decision, _ = key(i)
		keys[i].i = i
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		return cmp.Or(strings.Compare(a.authority, b.authority), strings.Compare(a.decision, b.decision))
	})
	for j, k := range keys {
		e.order[j] = k.i
	}
	l := &copyLine{b: make([]byte, 0, n*768)}
	for _, i := range e.order {
		e.start[i] = len(l.b)
		write(i, l)
		e.end[i] = len(l.b)
		l.inRow = false
	}
	e.text = l.b
	return e
}

// writeRecordParty writes the party columns of a record, as pushed, in the
// order of recordPartyColumns.
func writeRecordParty(l *copyLine, p *credit.RecordParty) {
	for _, v := range [...]string{p.Name, string(p.Category), p.USCC, p.BusinessRegNo, p.OrganizationCode, p.TaxRegNo,
		p.PublicInstitutionNo, p.SocialOrgNo, p.LegalRepName, p.LegalRepIDType, p.LegalRepIDNo, p.IDType, p.IDNo} {
		l.str(v)
	}
}

// createStaging creates the session's staging table unless it exists. Its
// rows go at every commit, and the table itself with a rolled-back chunk
// that created it.
func (tx *ImportTx) createStaging(ctx context.Context, name string, cols []string, types map[string]string) error {
	defs := make([]string, len(cols))
	for i, c := range cols {
		t := types[c]
		if t == "" {
			t = "text"
		}
		defs[i] = c + " " + t
	}
	_, err := tx.exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS `+name+` (`+strings.Join(defs, ", ")+`) ON COMMIT DELETE ROWS`)
	return err
}
