package graph

import (
	"strconv"

	"github.com/credithub/credithub/graph/model"
	"github.com/credithub/credithub/internal/credit"
)

// Conversions of the mutations' GraphQL inputs into the domain's inputs.
// They only move fields: every rule is checked by the domain, so that the
// importer and the API agree.

func partyInput(p *model.PartyInput) credit.RecordParty {
	if p == nil {
		return credit.RecordParty{}
	}
	return credit.RecordParty{
		Name:                p.Name,
		Category:            p.Category,
		USCC:                deref(p.UnifiedSocialCreditCode),
		BusinessRegNo:       deref(p.BusinessRegistrationNumber),
		OrganizationCode:    deref(p.OrganizationCode),
		TaxRegNo:            deref(p.TaxRegistrationNumber),
		PublicInstitutionNo: deref(p.PublicInstitutionNumber),
		SocialOrgNo:         deref(p.SocialOrganizationNumber),
		LegalRepName:        deref(p.LegalRepresentativeName),
		LegalRepIDType:      deref(p.LegalRepresentativeIDType),
		LegalRepIDNo:        deref(p.LegalRepresentativeIDNumber),
		IDType:              deref(p.IDType),
		IDNo:                deref(p.IDNumber),
	}
}

func licenceInput(in model.LicenceInput) credit.LicenceInput {
	return credit.LicenceInput{
		Party:           partyInput(in.Party),
		DocumentName:    in.DocumentName,
		DecisionNo:      in.DecisionNumber,
		Category:        in.Category,
		CertificateName: deref(in.CertificateName),
		LicenceNo:       deref(in.LicenceNumber),
		Content:         in.Content,
		DecidedOn:       in.DecidedOn,
		ValidFrom:       in.ValidFrom,
		ValidUntil:      in.ValidUntil,
		AuthorityName:   in.AuthorityName,
		AuthorityCode:   in.AuthorityCode,
		SourceName:      deref(in.SourceName),
		SourceCode:      deref(in.SourceCode),
		Remarks:         deref(in.Remarks),
		UseScope:        deref(in.UseScope),
	}
}

func penaltyInput(in model.PenaltyInput) credit.PenaltyInput {
	return credit.PenaltyInput{
		Party:            partyInput(in.Party),
		DecisionNo:       in.DecisionNumber,
		ViolationType:    in.ViolationType,
		Facts:            in.Facts,
		LegalBasis:       in.LegalBasis,
		Category:         in.Category,
		Content:          in.Content,
		Fine:             deref(in.Fine),
		Confiscated:      deref(in.Confiscated),
		SuspendedLicence: deref(in.SuspendedLicence),
		DecidedOn:        in.DecidedOn,
		ValidUntil:       in.ValidUntil,
		AuthorityName:    in.AuthorityName,
		AuthorityCode:    in.AuthorityCode,
		SourceName:       deref(in.SourceName),
		SourceCode:       deref(in.SourceCode),
		Remarks:          deref(in.Remarks),
		Severity:         deref(in.Severity),
		UseScope:         deref(in.UseScope),
	}
}

func subjectInput(in model.SubjectInput) credit.SubjectInput {
	kps := make([]credit.KeyPersonInput, len(in.KeyPersons))
	for i, k := range in.KeyPersons {
		kps[i] = credit.KeyPersonInput{IDNumber: k.IDNumber, Name: k.Name, Role: k.Role, Since: k.Since, Until: k.Until}
	}
	return credit.SubjectInput{
		Code:         in.Code,
		Kind:         in.Kind,
		Name:         in.Name,
		Status:       in.Status,
		RegisteredOn: in.RegisteredOn,
		Address:      in.Address,
		KeyPersons:   kps,
	}
}

// recordID reads the id of a licence or penalty given in argument field.
func recordID(field, id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 1 {
		return 0, credit.FieldErrorf(field, "%q is not the id of a record: ids are positive integers", id)
	}
	return n, nil
}

func licencePayload(l credit.Licence, updated bool) *model.LicencePayload {
	return &model.LicencePayload{Licence: &l, Updated: updated, Warnings: nonNil(l.Warnings())}
}

func penaltyPayload(p credit.Penalty, updated bool) *model.PenaltyPayload {
	return &model.PenaltyPayload{Penalty: &p, Updated: updated, Warnings: nonNil(p.Warnings())}
}

// nonNil makes a missing list an empty one, as `[String!]!` requires.
func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
