package credit

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Intake: licences, penalties and subjects as departments push them. The
// Validate methods check an input against the rules of DOMAIN.md, normalise
// it in place (trimmed text, canonical codes, defaults) and derive who the
// record is about. They stop at the first broken rule and return it as a
// BAD_USER_INPUT *Error whose Field is the GraphQL path of the input
// ("input.party.unifiedSocialCreditCode", "input.decidedOn", …) and whose
// message names the value and the rule. The order is fixed, so the same
// bad input always gets the same answer: the party (category/code
// consistency, identifiers, legal representative), then the text fields in
// schema order (required ones not empty, none with NUL), then amounts,
// dates, severity and use scope. One error rather than a list, because a
// client shows it next to one box and a rejected record writes nothing
// either way.

// LicenceInput is a licence (行政许可) as its deciding authority pushes it,
// field by field in the 双公示 standard. An empty UseScope means PUBLIC;
// empty SourceName and SourceCode mean the authority itself.
type LicenceInput struct {
	Party                                                RecordParty
	DocumentName, DecisionNo, Category                   string // XK_XKWS, XK_WSH, XK_XKLB
	CertificateName, LicenceNo, Content                  string // XK_XKZS, XK_XKBH, XK_NR
	DecidedOn, ValidFrom                                 Date   // XK_JDRQ, XK_YXQZ
	ValidUntil                                           *Date  // XK_YXQZI; nil: no end (长期)
	AuthorityName, AuthorityCode, SourceName, SourceCode string // XK_XKJG, XK_XKJGDM, XK_LYDW, XK_LYDWDM
	Remarks                                              string // BZ
	UseScope                                             UseScope
}

// PenaltyInput is a penalty (行政处罚) as its deciding authority pushes it.
// Amounts are exact fen. An empty UseScope means the default of the
// publication rule in force (PUBLIC, or SHARED for a severity that is in
// principle not published); empty SourceName and SourceCode mean the
// authority itself.
type PenaltyInput struct {
	Party                                                RecordParty
	DecisionNo, ViolationType, Facts, LegalBasis         string // CF_WSH, CF_WFXW, CF_SY, CF_YJ
	Category, Content                                    string // CF_CFLB, CF_NR
	Fine, Confiscated                                    Fen    // CF_NR_FK, CF_NR_WFFF
	SuspendedLicence                                     string // CF_NR_ZKDX
	DecidedOn                                            Date   // CF_JDRQ
	ValidUntil                                           *Date  // CF_YXQ
	AuthorityName, AuthorityCode, SourceName, SourceCode string // CF_CFJG, CF_CFJGDM, CF_SJLY, CF_SJLYDM
	Remarks                                              string // BZ
	Severity                                             Severity
	UseScope                                             UseScope
}

// SubjectInput is a subject as a registering department pushes it, with the
// persons holding roles in it. Nil Status, RegisteredOn and Address keep
// what is stored (ACTIVE, none and "" for a new subject).
type SubjectInput struct {
	Code, Name   string
	Kind         SubjectKind
	Status       *SubjectStatus
	RegisteredOn *Date
	Address      *string
	KeyPersons   []KeyPersonInput
}

// KeyPersonInput is a person's role in an organisation over [Since, Until].
type KeyPersonInput struct {
	IDNumber, Name string
	Role           KeyPersonRole
	Since          Date
	Until          *Date
}

// Intake is who a validated record is about.
type Intake struct {
	// Subject is the subject of record as the record's party describes it:
	// Code, Kind, Name, legacy identifiers and identifier warnings. Its kind
	// comes from the category, never from a checksum: ORGANIZATION gives
	// LEGAL_PERSON because 法人及非法人组织 does not say which; registerSubject
	// corrects it.
	Subject Subject
	// LegalRep is the legal representative the record names, as a natural
	// person (Code and Name), when the party is an organisation or an
	// individual business and names one with a citizen ID number; else nil.
	LegalRep *Subject
	// Warnings are what the record is accepted with, as stored on it.
	Warnings []string
}

// citizenIDTypes are the XDR_ZJLX / FR_ZJLX values that mean a PRC citizen
// ID number, the only document that can key a natural person.
var citizenIDTypes = map[string]bool{"身份证": true, "居民身份证": true, "中华人民共和国居民身份证": true}

// IsCitizenIDType reports whether an identity document type names the
// citizen ID card.
func IsCitizenIDType(t string) bool { return citizenIDTypes[strings.TrimSpace(t)] }

// Validate checks and normalises a licence pushed on day today and returns
// whom it is about; the comment at the top of this file describes the error.
func (in *LicenceInput) Validate(today Date) (Intake, error) {
	intake, err := in.Party.validate(today)
	if err != nil {
		return Intake{}, err
	}
	if err := clean(
		text{"input.documentName", &in.DocumentName, true}, text{"input.decisionNumber", &in.DecisionNo, true},
		text{"input.category", &in.Category, true}, text{"input.certificateName", &in.CertificateName, false},
		text{"input.licenceNumber", &in.LicenceNo, false}, text{"input.content", &in.Content, true},
		text{"input.authorityName", &in.AuthorityName, true}, text{"input.authorityCode", &in.AuthorityCode, true},
		text{"input.sourceName", &in.SourceName, false}, text{"input.sourceCode", &in.SourceCode, false},
		text{"input.remarks", &in.Remarks, false}); err != nil {
		return Intake{}, err
	}
	defaultSource(&in.SourceName, &in.SourceCode, in.AuthorityName, in.AuthorityCode)
	switch {
	case in.DecidedOn.IsZero() || in.DecidedOn.After(today):
		return Intake{}, decidedError(in.DecidedOn, today)
	case in.ValidFrom.IsZero():
		return Intake{}, FieldErrorf("input.validFrom", "is required")
	case in.ValidUntil != nil && in.ValidUntil.Before(in.ValidFrom):
		return Intake{}, FieldErrorf("input.validUntil", "%s is before validFrom %s: a licence cannot end before it starts", in.ValidUntil, in.ValidFrom)
	case !scopeOK(in.UseScope):
		return Intake{}, FieldErrorf("input.useScope", "%q is not one of PUBLIC, SHARED, AUTHORIZED", in.UseScope)
	}
	return intake, nil
}

// Validate checks and normalises a penalty pushed on day today and returns
// whom it is about; the comment at the top of this file describes the error.
func (in *PenaltyInput) Validate(today Date) (Intake, error) {
	intake, err := in.Party.validate(today)
	if err != nil {
		return Intake{}, err
	}
	if err := clean(
		text{"input.decisionNumber", &in.DecisionNo, true}, text{"input.violationType", &in.ViolationType, true},
		text{"input.facts", &in.Facts, true}, text{"input.legalBasis", &in.LegalBasis, true},
		text{"input.category", &in.Category, true}, text{"input.content", &in.Content, true},
		text{"input.suspendedLicence", &in.SuspendedLicence, false},
		text{"input.authorityName", &in.AuthorityName, true}, text{"input.authorityCode", &in.AuthorityCode, true},
		text{"input.sourceName", &in.SourceName, false}, text{"input.sourceCode", &in.SourceCode, false},
		text{"input.remarks", &in.Remarks, false}); err != nil {
		return Intake{}, err
	}
	defaultSource(&in.SourceName, &in.SourceCode, in.AuthorityName, in.AuthorityCode)
	switch {
	case in.Fine < 0:
		return Intake{}, FieldErrorf("input.fine", "%s yuan is negative: an amount must not be negative", in.Fine)
	case in.Confiscated < 0:
		return Intake{}, FieldErrorf("input.confiscated", "%s yuan is negative: an amount must not be negative", in.Confiscated)
	case in.DecidedOn.IsZero() || in.DecidedOn.After(today):
		return Intake{}, decidedError(in.DecidedOn, today)
	case in.ValidUntil != nil && in.ValidUntil.Before(in.DecidedOn):
		return Intake{}, FieldErrorf("input.validUntil", "%s is before decidedOn %s: a penalty cannot end before it is decided", in.ValidUntil, in.DecidedOn)
	case in.Severity != Minor && in.Severity != General && in.Severity != Serious:
		return Intake{}, FieldErrorf("input.severity", "%q is not one of MINOR, GENERAL, SERIOUS", in.Severity)
	case !scopeOK(in.UseScope):
		return Intake{}, FieldErrorf("input.useScope", "%q is not one of PUBLIC, SHARED, AUTHORIZED", in.UseScope)
	}
	return intake, nil
}

// validate checks the party (category/code consistency, identifiers) and
// derives the subject of record. The party's own identifier is checked as
// pushed data: a unified social credit code that fails only its checksum is
// kept with a warning (legally issued pre-2016 codes do), while a citizen ID
// number is checked strictly, since persons' numbers have no such excuse.
func (p *RecordParty) validate(today Date) (Intake, error) {
	const f = "input.party."
	if err := clean(text{f + "name", &p.Name, true}, text{f + "unifiedSocialCreditCode", &p.USCC, false},
		text{f + "businessRegistrationNumber", &p.BusinessRegNo, false},
		text{f + "organizationCode", &p.OrganizationCode, false},
		text{f + "taxRegistrationNumber", &p.TaxRegNo, false},
		text{f + "publicInstitutionNumber", &p.PublicInstitutionNo, false},
		text{f + "socialOrganizationNumber", &p.SocialOrgNo, false},
		text{f + "legalRepresentativeName", &p.LegalRepName, false},
		text{f + "legalRepresentativeIdType", &p.LegalRepIDType, false},
		text{f + "legalRepresentativeIdNumber", &p.LegalRepIDNo, false},
		text{f + "idType", &p.IDType, false}, text{f + "idNumber", &p.IDNo, false}); err != nil {
		return Intake{}, err
	}
	in := Intake{Subject: Subject{Name: p.Name, LegacyIdentifiers: LegacyIdentifiers{
		BusinessRegNo: p.BusinessRegNo, OrganizationCode: p.OrganizationCode, TaxRegNo: p.TaxRegNo,
		PublicInstitutionNo: p.PublicInstitutionNo, SocialOrgNo: p.SocialOrgNo}}}
	switch p.Category {
	case CategoryNaturalPerson:
		if p.USCC != "" {
			return Intake{}, FieldErrorf("input.party.unifiedSocialCreditCode",
				"%q given for a party of category NATURAL_PERSON: a natural person is identified by idNumber, not by a unified social credit code", p.USCC)
		}
		if p.IDType != "" && !IsCitizenIDType(p.IDType) {
			return Intake{}, FieldErrorf("input.party.idType",
				"%q is not a citizen ID card (身份证): a natural person is keyed by a citizen ID number", p.IDType)
		}
		if p.IDNo == "" {
			return Intake{}, FieldErrorf("input.party.idNumber", "is required for a party of category NATURAL_PERSON")
		}
		id, err := NormalizeCitizenIDAt(p.IDNo, today.Time())
		if err != nil {
			return Intake{}, FieldErrorf("input.party.idNumber", "%q is not a valid citizen ID number: %s", p.IDNo, message(err))
		}
		p.IDNo = id
		in.Subject.Code, in.Subject.Kind = id, NaturalPerson
		in.Subject.LegacyIdentifiers = LegacyIdentifiers{}
	case CategoryOrganization, CategoryIndividualBusiness:
		if p.USCC == "" {
			return Intake{}, FieldErrorf("input.party.unifiedSocialCreditCode",
				"is required for a party of category %s: the hub keys organisations by their unified social credit code", p.Category)
		}
		code, warning, err := CheckUSCCLenient(p.USCC)
		if err != nil {
			return Intake{}, FieldErrorf("input.party.unifiedSocialCreditCode", "%q is not a valid unified social credit code: %s", p.USCC, message(err))
		}
		p.USCC = code
		in.Subject.Code, in.Subject.Kind = code, LegalPerson
		if p.Category == CategoryIndividualBusiness {
			in.Subject.Kind = IndividualBusiness
		}
		if warning != "" {
			in.Subject.IdentifierWarningList = Strings{warning}
			in.Warnings = append(in.Warnings, "XDR_SHXYM: "+warning)
		}
	default:
		return Intake{}, FieldErrorf("input.party.category", "%q is not one of ORGANIZATION, NATURAL_PERSON, INDIVIDUAL_BUSINESS", p.Category)
	}
	rep, err := p.legalRep(today)
	if err != nil {
		return Intake{}, err
	}
	if rep != nil && rep.Code == in.Subject.Code {
		return Intake{}, FieldErrorf("input.party.legalRepresentativeIdNumber", "%q is the party's own code: an organisation cannot represent itself", p.LegalRepIDNo)
	}
	if p.Category != CategoryNaturalPerson {
		in.LegalRep = rep
	}
	return in, nil
}

// legalRep validates the legal representative's ID number when its type is
// the citizen ID card, and returns the person to register (nil when the
// record names none, or names them by another document).
func (p *RecordParty) legalRep(today Date) (*Subject, error) {
	if p.LegalRepIDNo == "" || !IsCitizenIDType(p.LegalRepIDType) {
		return nil, nil
	}
	id, err := NormalizeCitizenIDAt(p.LegalRepIDNo, today.Time())
	if err != nil {
		return nil, FieldErrorf("input.party.legalRepresentativeIdNumber", "%q is not a valid citizen ID number: %s", p.LegalRepIDNo, message(err))
	}
	p.LegalRepIDNo = id
	if p.LegalRepName == "" {
		return nil, FieldErrorf("input.party.legalRepresentativeName", "is required with legalRepresentativeIdNumber: the representative is registered under that name")
	}
	return &Subject{Code: id, Kind: NaturalPerson, Name: p.LegalRepName}, nil
}

// Validate checks and normalises a subject registered on day today. Codes
// are checked strictly (the schema promises it): a USCC for an
// organisation kind, a citizen ID number for a natural person, who has no
// key persons.
func (in *SubjectInput) Validate(today Date) error {
	if err := clean(text{"input.code", &in.Code, false}, text{"input.name", &in.Name, true}); err != nil {
		return err
	}
	switch {
	case in.Kind == NaturalPerson:
		id, err := NormalizeCitizenIDAt(in.Code, today.Time())
		if err != nil {
			return FieldErrorf("input.code", "%q is not a valid citizen ID number: %s", in.Code, message(err))
		}
		in.Code = id
	case in.Kind.Valid():
		code, err := NormalizeUSCC(in.Code)
		if err != nil {
			return FieldErrorf("input.code", "%q is not a valid unified social credit code: %s", in.Code, message(err))
		}
		in.Code = code
	default:
		return FieldErrorf("input.kind", "%q is not a subject kind", in.Kind)
	}
	if in.Status != nil {
		switch *in.Status {
		case SubjectActive, SubjectSuspended, SubjectRevoked, SubjectDeregistered, SubjectDeceased:
		default:
			return FieldErrorf("input.status", "%q is not a subject status", *in.Status)
		}
	}
	if in.RegisteredOn != nil && in.RegisteredOn.After(today) {
		return FieldErrorf("input.registeredOn", "%s is after today (%s): a registration date cannot be in the future", in.RegisteredOn, today)
	}
	if in.Address != nil {
		a := *in.Address
		if err := clean(text{"input.address", &a, false}); err != nil {
			return err
		}
		in.Address = &a
	}
	if len(in.KeyPersons) > 0 && in.Kind == NaturalPerson {
		return FieldErrorf("input.keyPersons", "given for a NATURAL_PERSON: only organisations have key persons")
	}
	for i := range in.KeyPersons {
		if err := in.KeyPersons[i].validate(fmt.Sprintf("input.keyPersons[%d]", i), in.Code, today); err != nil {
			return err
		}
	}
	return nil
}

func (k *KeyPersonInput) validate(path, orgCode string, today Date) error {
	if err := clean(text{path + ".idNumber", &k.IDNumber, false}, text{path + ".name", &k.Name, true}); err != nil {
		return err
	}
	id, err := NormalizeCitizenIDAt(k.IDNumber, today.Time())
	if err != nil {
		return FieldErrorf(path+".idNumber", "%q is not a valid citizen ID number: %s", k.IDNumber, message(err))
	}
	if id == orgCode {
		return FieldErrorf(path+".idNumber", "%q is the organisation's own code: it cannot hold a role in itself", k.IDNumber)
	}
	k.IDNumber = id
	switch k.Role {
	case LegalRepresentative, Principal, ActualController, DirectlyResponsible:
	default:
		return FieldErrorf(path+".role", "%q is not a key person role", k.Role)
	}
	if k.Since.IsZero() {
		return FieldErrorf(path+".since", "is required")
	}
	if k.Until != nil && k.Until.Before(k.Since) {
		return FieldErrorf(path+".until", "%s is before since %s: a role cannot end before it starts", k.Until, k.Since)
	}
	return nil
}

// Window returns the publication window the rule gives a penalty decided on
// decided with use scope scope, both periods counted from the decision
// (PeriodEnd): publication ends after publicUntil, the last day of
// MaxMonths, and repair may be requested from repairableFrom, the last day
// of MinMonths. A penalty of a severity that is in principle not published
// (MINOR) has no publicUntil unless its department made it PUBLIC.
func (r PublicationRule) Window(decided Date, scope UseScope) (publicUntil *Date, repairableFrom Date) {
	if r.PublishedByDefault || scope == ScopePublic {
		end := PeriodEnd(decided, r.MaxMonths)
		publicUntil = &end
	}
	return publicUntil, PeriodEnd(decided, r.MinMonths)
}

// DefaultScope is the use scope of a penalty under the rule when its
// department gives none: a severity that is in principle not published
// (minor) is shared between departments only.
func (r PublicationRule) DefaultScope() UseScope {
	if r.PublishedByDefault {
		return ScopePublic
	}
	return ScopeShared
}

// FitsCategory reports whether a subject of kind k can be the party of a
// record of category c: persons and organisations are never mixed up, while
// the organisation kinds are left to the registry (a department's
// 法人及非法人组织 does not say which one).
func (k SubjectKind) FitsCategory(c SubjectCategory) bool {
	return k.IsPerson() == (c == CategoryNaturalPerson)
}

// decidedError is the error for a decision date that is missing or after today.
func decidedError(decided, today Date) error {
	if decided.IsZero() {
		return FieldErrorf("input.decidedOn", "is required")
	}
	return FieldErrorf("input.decidedOn", "%s is after today (%s): a decision date cannot be in the future", decided, today)
}

// scopeOK reports whether s is a use scope or empty (the default).
func scopeOK(s UseScope) bool {
	return s == "" || s == ScopePublic || s == ScopeShared || s == ScopeAuthorized
}

// defaultSource makes the deciding authority the unit the data came from
// when the push names none, as departments mostly push their own records.
func defaultSource(sourceName, sourceCode *string, name, code string) {
	if *sourceName == "" {
		*sourceName = name
	}
	if *sourceCode == "" {
		*sourceCode = code
	}
}

func required(field, v string) error {
	if v == "" {
		return FieldErrorf(field, "must not be empty")
	}
	return nil
}

// text is an input text field: its path, where it is, whether it is required.
// MaxTextLength bounds a record's text field (the facts, the content, the
// legal basis are the long ones): a department's system that sends a
// megabyte in one field is sending something wrong.
const MaxTextLength = 5000

type text struct {
	field    string
	p        *string
	required bool
}

// clean trims the fields' surrounding white space (copying from spreadsheets
// adds it), rejects NUL (PostgreSQL cannot store it in text, nor the audit
// log in jsonb) and requires the required ones, in order.
func clean(ts ...text) error {
	for _, t := range ts {
		*t.p = strings.TrimSpace(*t.p)
		if strings.ContainsRune(*t.p, 0) {
			return FieldErrorf(t.field, "contains a NUL character, which is not allowed in text")
		}
		if n := utf8.RuneCountInString(*t.p); n > MaxTextLength {
			return FieldErrorf(t.field, "must be at most %d characters, got %d", MaxTextLength, n)
		}
		if t.required {
			if err := required(t.field, *t.p); err != nil {
				return err
			}
		}
	}
	return nil
}
