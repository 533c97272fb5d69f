package store

import (
	"strings"

	"github.com/credithub/credithub/internal/credit"
)

// The columns of each record kind a subject read can show, by the Go field
// name of its credit type (the JSON key the statement writes, which
// encoding/json matches to that field). A read writes only the fields it
// was asked for, and always the ones the access rules and cursors need.
// Expressions use the alias "r".

var subjectReadColumns = map[string]string{
	"ID": "r.id", "Code": "r.code", "Kind": "r.kind", "Name": "r.name", "Status": "r.status",
	"RegisteredOn": "r.registered_on", "Address": "r.address", "District": "r.district",
	"LegacyIdentifiers": "", // expands to the five legacy identifiers below
	"BusinessRegNo":     "r.business_reg_no", "OrganizationCode": "r.organization_code", "TaxRegNo": "r.tax_reg_no",
	"PublicInstitutionNo": "r.public_institution_no", "SocialOrgNo": "r.social_org_no",
	"IdentifierWarningList": "r.identifier_warnings",
}

// subjectAlways: masking looks at the kind, the name, the code.
var subjectAlways = credit.Fields{"Code", "ID", "Kind", "Name"}

var legacyColumns = []string{"BusinessRegNo", "OrganizationCode", "TaxRegNo", "PublicInstitutionNo", "SocialOrgNo"}

var partyReadJSON = `json_build_object('Name', r.xdr_name, 'Category', r.xdr_category,
		'USCC', r.xdr_uscc, 'BusinessRegNo', r.xdr_business_reg_no, 'OrganizationCode', r.xdr_organization_code,
		'TaxRegNo', r.xdr_tax_reg_no, 'PublicInstitutionNo', r.xdr_public_institution_no, 'SocialOrgNo', r.xdr_social_org_no,
		'LegalRepName', r.legal_rep_name, 'LegalRepIDType', r.legal_rep_id_type, 'LegalRepIDNo', r.legal_rep_id_no,
		'IDType', r.xdr_id_type, 'IDNo', r.xdr_id_no)`

var licenceReadColumns = map[string]string{
	"ID": "r.id", "SubjectID": "r.subject_id", "RecordParty": partyReadJSON, "DocumentName": "r.document_name",
	"DecisionNo": "r.decision_no", "Category": "r.licence_category", "CertificateName": "r.certificate_name",
	"LicenceNo": "r.licence_no", "Content": "r.content", "DecidedOn": "r.decided_on", "ValidFrom": "r.valid_from",
	"ValidUntil": "r.valid_until", "AuthorityName": "r.authority_name", "AuthorityCode": "r.authority_code",
	"Status": "r.status", "SourceName": "r.source_name", "SourceCode": "r.source_code", "Remarks": "r.remarks",
	"UseScope": "r.use_scope", "PublicationDeadline": "r.publication_deadline", "ReceivedAt": "r.received_at",
	"WarningList": "r.warnings",
}

var penaltyReadColumns = map[string]string{
	"ID": "r.id", "SubjectID": "r.subject_id", "RecordParty": partyReadJSON, "DecisionNo": "r.decision_no",
	"ViolationType": "r.violation_type", "Facts": "r.facts", "LegalBasis": "r.legal_basis",
	"Category": "r.penalty_category", "Content": "r.content", "Fine": "r.fine_fen", "Confiscated": "r.confiscated_fen",
	"SuspendedLicence": "r.suspended_licence", "DecidedOn": "r.decided_on", "ValidUntil": "r.valid_until",
	"PublicUntil": "r.public_until", "AuthorityName": "r.authority_name", "AuthorityCode": "r.authority_code",
	"SourceName": "r.source_name", "SourceCode": "r.source_code", "Remarks": "r.remarks", "Severity": "r.severity",
	"RepairableFrom": "r.repairable_from", "Status": "r.status", "RepairedOn": "r.repaired_on",
	"UseScope": "r.use_scope", "PublicationDeadline": "r.publication_deadline", "ReceivedAt": "r.received_at",
	"WarningList": "r.warnings",
}

// recordAlways: the id, the subject and the decision date (the cursor).
var recordAlways = credit.Fields{"DecidedOn", "ID", "SubjectID"}

var entryReadColumns = map[string]string{
	"ID": "r.id", "SubjectID": "r.subject_id", "Kind": "r.kind", "Domain": "r.domain", "DomainName": "d.name",
	"DepartmentCode": "r.department_code", "DecisionNo": "r.decision_no", "DecidedOn": "r.decided_on",
	"Facts": "r.facts", "DecisionContent": "r.decision_content", "StartsOn": "r.starts_on", "EndsOn": "r.ends_on",
	"Status": "r.status", "UseScope": "r.use_scope", "EndedOn": "r.ended_on", "ExitDecisionNo": "r.exit_decision_no",
	"ExitReason": "r.exit_reason",
}

// entryAlways: what credit.Access.SeesEntry, InForceOn, StatusOn and
// Attributable look at.
var entryAlways = credit.Fields{"DecidedOn", "DepartmentCode", "EndedOn", "EndsOn", "ID", "Kind", "StartsOn", "Status",
	"SubjectID", "UseScope"}

var measureReadColumns = map[string]string{
	"ID": "r.id", "Code": "r.code", "Version": "r.version", "Kind": "r.kind", "Name": "r.name", "Detail": "r.detail",
	"LegalBasis": "r.legal_basis", "ImplementingDepartment": "r.implementing_department",
	"ImplementingAuthority": "r.implementing_authority", "Targets": "r.applies_to",
	"ContextList": "r.contexts", "ListKind": "r.list_kind", "Domain": "r.domain",
}

var measureAlways = credit.Fields{"ID"}

// RecordColumns returns the field names a subject read can ask of a
// record kind ("Subject", "Licence", "Penalty", "ListEntry", "Measure"),
// for tests that hold the GraphQL layer's mapping to them.
func RecordColumns(kind string) []string {
	var m map[string]string
	switch kind {
	case "Subject":
		m = subjectReadColumns
	case "Licence":
		m = licenceReadColumns
	case "Penalty":
		m = penaltyReadColumns
	case "ListEntry":
		m = entryReadColumns
	case "Measure":
		m = measureReadColumns
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// fieldsOf is what a read writes of a record: the fields asked and the
// ones always needed.
func fieldsOf(asked, always credit.Fields) credit.Fields { return always.With(asked...) }

// jsonObject builds the JSON object of record alias x with fields, from
// columns (expressions on "r." and, for entries, the domain "d.").
func jsonObject(x, d string, columns map[string]string, fields credit.Fields) string {
	parts := make([]string, 0, 2*len(fields))
	for _, f := range fields {
		expr, ok := columns[f]
		switch {
		case !ok:
			continue // not a column of this kind: nothing to read
		case f == "LegacyIdentifiers":
			for _, l := range legacyColumns {
				parts = append(parts, `'`+l+`', `+columns[l])
			}
			continue
		case f == "RecordParty":
			f = "P" // see nodeJSON: the party goes apart from the record's own Category
		}
		parts = append(parts, `'`+f+`', `+expr)
	}
	return strings.NewReplacer("r.", x+".", "d.", d+".").Replace(`json_build_object(` + strings.Join(parts, ", ") + `)`)
}
