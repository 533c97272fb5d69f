package credit

import "time"

// UseScope says who may see a record: the public (公示), departments (内部共享)
// or only those authorised to query it (授权查询).
type UseScope string

// The use scopes.
const (
	ScopePublic     UseScope = "PUBLIC"
	ScopeShared     UseScope = "SHARED"
	ScopeAuthorized UseScope = "AUTHORIZED"
)

// SubjectCategory is XDR_LB of the 双公示 standard: 法人及非法人组织,
// 自然人 or 个体工商户.
type SubjectCategory string

// The subject categories of the 双公示 standard.
const (
	CategoryOrganization       SubjectCategory = "ORGANIZATION"
	CategoryNaturalPerson      SubjectCategory = "NATURAL_PERSON"
	CategoryIndividualBusiness SubjectCategory = "INDIVIDUAL_BUSINESS"
)

// Severity is how serious a penalty is; it decides publication.
type Severity string

// The severities.
const (
	Minor   Severity = "MINOR"   // 轻微: simplified procedure, warning, circulated criticism
	General Severity = "GENERAL" // 一般
	Serious Severity = "SERIOUS" // 严重: huge fines, revoked licences, bans
)

// RecordParty is the subject part (行政相对人) of a 双公示 record, as pushed.
type RecordParty struct {
	Name                string          `db:"xdr_name"`                  // XDR_MC
	Category            SubjectCategory `db:"xdr_category"`              // XDR_LB
	USCC                string          `db:"xdr_uscc"`                  // XDR_SHXYM
	BusinessRegNo       string          `db:"xdr_business_reg_no"`       // XDR_GSZC
	OrganizationCode    string          `db:"xdr_organization_code"`     // XDR_ZZJG
	TaxRegNo            string          `db:"xdr_tax_reg_no"`            // XDR_SWDJ
	PublicInstitutionNo string          `db:"xdr_public_institution_no"` // XDR_SYDW
	SocialOrgNo         string          `db:"xdr_social_org_no"`         // XDR_SHZZ
	LegalRepName        string          `db:"legal_rep_name"`            // FRDB
	LegalRepIDType      string          `db:"legal_rep_id_type"`         // FR_ZJLX
	LegalRepIDNo        string          `db:"legal_rep_id_no"`           // FR_ZJHM
	IDType              string          `db:"xdr_id_type"`               // XDR_ZJLX
	IDNo                string          `db:"xdr_id_no"`                 // XDR_ZJHM
}

// Licence is an administrative licence (行政许可) in the 双公示 standard.
type Licence struct {
	ID        int64 `db:"id"`
	SubjectID int64 `db:"subject_id"`
	RecordParty
	DocumentName        string    `db:"document_name"`    // XK_XKWS
	DecisionNo          string    `db:"decision_no"`      // XK_WSH
	Category            string    `db:"licence_category"` // XK_XKLB
	CertificateName     string    `db:"certificate_name"` // XK_XKZS
	LicenceNo           string    `db:"licence_no"`       // XK_XKBH
	Content             string    `db:"content"`          // XK_NR
	DecidedOn           Date      `db:"decided_on"`       // XK_JDRQ
	ValidFrom           Date      `db:"valid_from"`       // XK_YXQZ
	ValidUntil          *Date     `db:"valid_until"`      // XK_YXQZI
	AuthorityName       string    `db:"authority_name"`   // XK_XKJG
	AuthorityCode       string    `db:"authority_code"`   // XK_XKJGDM
	Status              string    `db:"status"`           // XK_ZT
	SourceName          string    `db:"source_name"`      // XK_LYDW
	SourceCode          string    `db:"source_code"`      // XK_LYDWDM
	Remarks             string    `db:"remarks"`          // BZ
	UseScope            UseScope  `db:"use_scope"`
	PublicationDeadline *Date     `db:"publication_deadline"`
	ReceivedAt          time.Time `db:"received_at"`
	WarningList         Strings   `db:"warnings"`
}

// Penalty is an administrative penalty (行政处罚) in the 双公示 standard.
type Penalty struct {
	ID        int64 `db:"id"`
	SubjectID int64 `db:"subject_id"`
	RecordParty
	DecisionNo          string    `db:"decision_no"`       // CF_WSH
	ViolationType       string    `db:"violation_type"`    // CF_WFXW
	Facts               string    `db:"facts"`             // CF_SY
	LegalBasis          string    `db:"legal_basis"`       // CF_YJ
	Category            string    `db:"penalty_category"`  // CF_CFLB
	Content             string    `db:"content"`           // CF_NR
	Fine                Fen       `db:"fine_fen"`          // CF_NR_FK (万元 in the standard)
	Confiscated         Fen       `db:"confiscated_fen"`   // CF_NR_WFFF (万元 in the standard)
	SuspendedLicence    string    `db:"suspended_licence"` // CF_NR_ZKDX
	DecidedOn           Date      `db:"decided_on"`        // CF_JDRQ
	ValidUntil          *Date     `db:"valid_until"`       // CF_YXQ
	PublicUntil         *Date     `db:"public_until"`      // CF_GSJZQ
	AuthorityName       string    `db:"authority_name"`    // CF_CFJG
	AuthorityCode       string    `db:"authority_code"`    // CF_CFJGDM
	SourceName          string    `db:"source_name"`       // CF_SJLY
	SourceCode          string    `db:"source_code"`       // CF_SJLYDM
	Remarks             string    `db:"remarks"`           // BZ
	Severity            Severity  `db:"severity"`
	RepairableFrom      *Date     `db:"repairable_from"`
	Status              string    `db:"status"`
	RepairedOn          *Date     `db:"repaired_on"`
	UseScope            UseScope  `db:"use_scope"`
	PublicationDeadline *Date     `db:"publication_deadline"`
	ReceivedAt          time.Time `db:"received_at"`
	WarningList         Strings   `db:"warnings"`
}

// PublicationRule is how long penalties of one severity are published, in
// force from EffectiveFrom (dated rule data, see migrations).
type PublicationRule struct {
	Severity           Severity `db:"severity"`
	EffectiveFrom      Date     `db:"effective_from"`
	MinMonths          int      `db:"min_months"`
	MaxMonths          int      `db:"max_months"`
	PublishedByDefault bool     `db:"published_by_default"`
	LegalBasis         string   `db:"legal_basis"`
}

// onTime reports whether a record received at receivedAt met its deadline
// (the whole deadline day counts, in the city's zone); nil when the deadline
// is unknown because the calendar has no official data for the year.
func onTime(deadline *Date, receivedAt time.Time) *bool {
	if deadline == nil {
		return nil
	}
	ok := !DateOf(receivedAt).After(*deadline)
	return &ok
}

// PublishedOnTime reports whether the licence reached the platform by its deadline.
func (l Licence) PublishedOnTime() *bool { return onTime(l.PublicationDeadline, l.ReceivedAt) }

// PublishedOnTime reports whether the penalty reached the platform by its deadline.
func (p Penalty) PublishedOnTime() *bool { return onTime(p.PublicationDeadline, p.ReceivedAt) }

// Warnings says what was accepted with a warning when the licence was pushed.
func (l Licence) Warnings() []string { return l.WarningList }

// Warnings says what was accepted with a warning when the penalty was pushed.
func (p Penalty) Warnings() []string { return p.WarningList }
