package credit

import "time"

// SubjectKind is what kind of credit subject (信用主体) a subject is. It comes
// from the record's category or the input field, never from which checksum a
// code passes: some citizen ID numbers also pass the USCC checksum.
type SubjectKind string

// The subject kinds.
const (
	LegalPerson                SubjectKind = "LEGAL_PERSON"
	UnincorporatedOrganization SubjectKind = "UNINCORPORATED_ORGANIZATION"
	IndividualBusiness         SubjectKind = "INDIVIDUAL_BUSINESS"
	NaturalPerson              SubjectKind = "NATURAL_PERSON"
)

// Valid reports whether k is one of the subject kinds.
func (k SubjectKind) Valid() bool {
	switch k {
	case LegalPerson, UnincorporatedOrganization, IndividualBusiness, NaturalPerson:
		return true
	}
	return false
}

// IsPerson reports whether subjects of kind k are keyed by a citizen ID number.
func (k SubjectKind) IsPerson() bool { return k == NaturalPerson }

// SubjectStatus is a subject's registration status.
type SubjectStatus string

// The subject statuses.
const (
	SubjectActive       SubjectStatus = "ACTIVE"
	SubjectSuspended    SubjectStatus = "SUSPENDED"
	SubjectRevoked      SubjectStatus = "REVOKED"
	SubjectDeregistered SubjectStatus = "DEREGISTERED"
	SubjectDeceased     SubjectStatus = "DECEASED"
)

// Subject is a credit subject: a legal person, an unincorporated
// organisation, an individual business or a natural person.
type Subject struct {
	ID           int64         `db:"id"`
	Code         string        `db:"code"`
	Kind         SubjectKind   `db:"kind"`
	Name         string        `db:"name"`
	Status       SubjectStatus `db:"status"`
	RegisteredOn *Date         `db:"registered_on"`
	Address      string        `db:"address"`
	District     string        `db:"district"`
	LegacyIdentifiers
	IdentifierWarningList Strings `db:"identifier_warnings"`
	// MaskedCode is set when the caller may not see a person's ID number:
	// the number as they may see it (2106**********0157), while Code then
	// holds an opaque reference (EntityRefs). Empty for everyone else.
	MaskedCode string `db:"-" json:"-"`
}

// DisplayCode is the code as the caller may see it: the code itself, or
// the masked ID number.
func (s Subject) DisplayCode() string {
	if s.MaskedCode != "" {
		return s.MaskedCode
	}
	return s.Code
}

// LegacyIdentifiers are the registration numbers organisations had before
// the unified social credit code; departments still send them.
type LegacyIdentifiers struct {
	BusinessRegNo       string `db:"business_reg_no"`       // 工商注册号
	OrganizationCode    string `db:"organization_code"`     // 组织机构代码
	TaxRegNo            string `db:"tax_reg_no"`            // 税务登记号
	PublicInstitutionNo string `db:"public_institution_no"` // 事业单位证书号
	SocialOrgNo         string `db:"social_org_no"`         // 社会组织登记证号
}

// KeyPersonRole is a person's role in an organisation.
type KeyPersonRole string

// The key person roles.
const (
	LegalRepresentative KeyPersonRole = "LEGAL_REPRESENTATIVE" // 法定代表人
	Principal           KeyPersonRole = "PRINCIPAL"            // 主要负责人
	ActualController    KeyPersonRole = "ACTUAL_CONTROLLER"    // 实际控制人
	DirectlyResponsible KeyPersonRole = "DIRECTLY_RESPONSIBLE" // 直接责任人员
)

// KeyPerson is a person's role in an organisation over [Since, Until]; Until
// is the last day of the role, nil while it lasts.
type KeyPerson struct {
	ID             int64         `db:"id"`
	OrganizationID int64         `db:"organization_id"`
	PersonID       int64         `db:"person_id"`
	Role           KeyPersonRole `db:"role"`
	Since          Date          `db:"since"`
	Until          *Date         `db:"until"`
	// Source is who made the link: a department's code, CREDIT_OFFICE, or
	// IMPORT for links written in bulk.
	Source string `db:"source"`
}

// KeyPersonRequest is a key-person link a department asked for on an
// organisation it has no record of its own about: it counts for nothing
// until the credit office approves it.
type KeyPersonRequest struct {
	ID             int64         `db:"id"`
	OrganizationID int64         `db:"organization_id"`
	PersonID       int64         `db:"person_id"`
	Role           KeyPersonRole `db:"role"`
	Since          Date          `db:"since"`
	Until          *Date         `db:"until"`
	Department     string        `db:"department_code"`
	RequestedBy    string        `db:"requested_by"`
	RequestedAt    time.Time     `db:"requested_at"`
	Status         RequestStatus `db:"status"`
	DecidedBy      *string       `db:"decided_by"`
	DecidedAt      *time.Time    `db:"decided_at"`
	Reason         string        `db:"reason"`
}

// RequestStatus is where a key-person request is: waiting, or decided.
type RequestStatus string

// The states of a key-person request.
const (
	RequestPending  RequestStatus = "PENDING"
	RequestApproved RequestStatus = "APPROVED"
	RequestRejected RequestStatus = "REJECTED"
)

// HeldOn reports whether the role was held on day d.
func (k KeyPerson) HeldOn(d Date) bool {
	return !d.Before(k.Since) && (k.Until == nil || !d.After(*k.Until))
}

// TaxGrade is a tax credit grade: A (≥ 90 points), B, M (new), C, D (< 40, or
// directly D, e.g. a listed major tax violator).
type TaxGrade string

// The tax credit grades.
const (
	GradeA TaxGrade = "A"
	GradeB TaxGrade = "B"
	GradeM TaxGrade = "M"
	GradeC TaxGrade = "C"
	GradeD TaxGrade = "D"
)

// Valid reports whether g is one of the grades.
func (g TaxGrade) Valid() bool {
	switch g {
	case GradeA, GradeB, GradeM, GradeC, GradeD:
		return true
	}
	return false
}

// TaxCreditGrade is a subject's grade for one assessment year.
type TaxCreditGrade struct {
	SubjectID  int64    `db:"subject_id"`
	Year       int      `db:"year"`
	Grade      TaxGrade `db:"grade"`
	Score      *float64 `db:"score"`
	AssessedOn *Date    `db:"assessed_on"`
}

// IsEntity marks Subject as an Apollo Federation entity: other departments'
// graphs join it by its code.
func (Subject) IsEntity() {}

// IdentifierWarnings says why the code was stored although it failed a check.
func (s Subject) IdentifierWarnings() []string { return s.IdentifierWarningList }

// CurrentHolder returns the person holding role in kps on day d: the one
// whose role started last among those held that day, so that an overlap left
// by a late update resolves to the newer appointment.
func CurrentHolder(kps []KeyPerson, role KeyPersonRole, d Date) (KeyPerson, bool) {
	var best KeyPerson
	found := false
	for _, k := range kps {
		if k.Role != role || !k.HeldOn(d) {
			continue
		}
		if !found || k.Since.After(best.Since) || k.Since == best.Since && k.ID > best.ID {
			best, found = k, true
		}
	}
	return best, found
}
