package credit

import (
	"fmt"
	"testing"
)

var intakeToday = MustDate("2026-11-27")

const (
	orgCode    = "91210602MA10QX7K9W"
	legacyCode = "91350100M000100Y44" // well formed, wrong check character (Y43 is right)
	personID   = "11010519491231002X"
	repID      = "210604199009090021"
)

func validLicence() LicenceInput {
	until := MustDate("2029-11-26")
	return LicenceInput{
		Party: RecordParty{Name: " 丹东测试有限公司 ", Category: CategoryOrganization, USCC: "91210602ma10qx7k9w",
			LegalRepName: "张三", LegalRepIDType: "身份证", LegalRepIDNo: repID},
		DocumentName: "准予许可决定书", DecisionNo: "丹市监许〔2026〕1号", Category: "普通", Content: "食品经营许可",
		DecidedOn: MustDate("2026-11-20"), ValidFrom: MustDate("2026-11-20"), ValidUntil: &until,
		AuthorityName: "丹东市市场监督管理局", AuthorityCode: "11210600MB0000001X",
	}
}

func validPenalty() PenaltyInput {
	return PenaltyInput{
		Party:      RecordParty{Name: "李四", Category: CategoryNaturalPerson, IDType: "身份证", IDNo: "11010519491231002x"},
		DecisionNo: "丹市监罚〔2026〕7号", ViolationType: "无照经营", Facts: "经查……", LegalBasis: "《无证无照经营查处办法》第十三条",
		Category: "罚款", Content: "罚款人民币2000元", Fine: 200000, DecidedOn: MustDate("2026-11-20"),
		AuthorityName: "丹东市市场监督管理局", AuthorityCode: "11210600MB0000001X", Severity: General,
	}
}

func TestValidLicenceIsNormalisedAndNamesItsSubjectAndRepresentative(t *testing.T) {
	in := validLicence()
	got, err := in.Validate(intakeToday)
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject.Code != orgCode || got.Subject.Kind != LegalPerson || got.Subject.Name != "丹东测试有限公司" {
		t.Errorf("subject: got %+v", got.Subject)
	}
	if in.Party.USCC != orgCode {
		t.Errorf("party code: got %q, want the canonical %q", in.Party.USCC, orgCode)
	}
	if got.LegalRep == nil || got.LegalRep.Code != repID || got.LegalRep.Kind != NaturalPerson || got.LegalRep.Name != "张三" {
		t.Errorf("legal representative: got %+v", got.LegalRep)
	}
	if in.SourceName != in.AuthorityName || in.SourceCode != in.AuthorityCode {
		t.Errorf("source: got %q %q, want the authority", in.SourceName, in.SourceCode)
	}
	if len(got.Warnings) != 0 {
		t.Errorf("warnings: got %q, want none", got.Warnings)
	}
}

func TestValidPenaltyOfAPersonIsKeyedByTheIDNumber(t *testing.T) {
	in := validPenalty()
	got, err := in.Validate(intakeToday)
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject.Code != personID || got.Subject.Kind != NaturalPerson || got.LegalRep != nil {
		t.Errorf("got %+v, want the person %s", got, personID)
	}
}

func TestLegacyCodeFailingOnlyItsChecksumIsKeptWithAWarning(t *testing.T) {
	in := validLicence()
	in.Party.USCC = legacyCode
	got, err := in.Validate(intakeToday)
	if err != nil {
		t.Fatalf("got %v, want a warning only", err)
	}
	if got.Subject.Code != legacyCode || len(got.Warnings) != 1 || len(got.Subject.IdentifierWarningList) != 1 {
		t.Errorf("got %+v, want the code kept with one warning", got)
	}
}

// codeOfBothKinds returns a string that is a valid citizen ID number and a
// valid unified social credit code at once.
func codeOfBothKinds(t *testing.T) string {
	for n := 0; n < 1000; n++ {
		body := fmt.Sprintf("21060219800101%03d", n)
		c, _ := CitizenIDCheckChar(body)
		if ValidUSCC(body + string(c)) {
			return body + string(c)
		}
	}
	t.Fatal("no code of both kinds found")
	return ""
}

func TestKindComesFromTheCategoryNeverFromTheChecksum(t *testing.T) {
	code := codeOfBothKinds(t)
	p := validPenalty()
	p.Party.IDNo = code
	got, err := p.Validate(intakeToday)
	if err != nil || got.Subject.Kind != NaturalPerson {
		t.Errorf("as a person: got %v %v, want NATURAL_PERSON", got.Subject.Kind, err)
	}
	l := validLicence()
	l.Party.USCC = code
	got, err = l.Validate(intakeToday)
	if err != nil || got.Subject.Kind != LegalPerson {
		t.Errorf("as an organisation: got %v %v, want LEGAL_PERSON", got.Subject.Kind, err)
	}
	l = validLicence()
	l.Party.Category = CategoryIndividualBusiness
	if got, _ := l.Validate(intakeToday); got.Subject.Kind != IndividualBusiness {
		t.Errorf("individual business: got %v", got.Subject.Kind)
	}
}

func TestLicenceRulesNameTheirField(t *testing.T) {
	day := func(s string) *Date { d := MustDate(s); return &d }
	for _, tc := range []struct {
		name, field string
		change      func(*LicenceInput)
	}{
		{"organisation without a code", "input.party.unifiedSocialCreditCode", func(in *LicenceInput) { in.Party.USCC = "" }},
		{"code with a letter the alphabet lacks", "input.party.unifiedSocialCreditCode", func(in *LicenceInput) { in.Party.USCC = "91350100M000100Y4Z" }},
		{"code of the wrong length", "input.party.unifiedSocialCreditCode", func(in *LicenceInput) { in.Party.USCC = "91210602MA10QX7K9" }},
		{"empty party name", "input.party.name", func(in *LicenceInput) { in.Party.Name = "  " }},
		{"unknown category", "input.party.category", func(in *LicenceInput) { in.Party.Category = "COMPANY" }},
		{"representative's ID fails its check digit", "input.party.legalRepresentativeIdNumber", func(in *LicenceInput) { in.Party.LegalRepIDNo = "110101199003071234" }},
		{"representative's ID without a name", "input.party.legalRepresentativeName", func(in *LicenceInput) { in.Party.LegalRepName = "" }},
		{"empty decision number", "input.decisionNumber", func(in *LicenceInput) { in.DecisionNo = "" }},
		{"NUL in the content", "input.content", func(in *LicenceInput) { in.Content = "a\x00b" }},
		{"empty authority code", "input.authorityCode", func(in *LicenceInput) { in.AuthorityCode = " " }},
		{"decided in the future", "input.decidedOn", func(in *LicenceInput) { in.DecidedOn = MustDate("2026-11-28") }},
		{"valid until before valid from", "input.validUntil", func(in *LicenceInput) { in.ValidUntil = day("2026-11-19") }},
		{"unknown scope", "input.useScope", func(in *LicenceInput) { in.UseScope = "SECRET" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := validLicence()
			tc.change(&in)
			_, err := in.Validate(intakeToday)
			assertField(t, err, tc.field)
		})
	}
}

func TestPenaltyRulesNameTheirField(t *testing.T) {
	for _, tc := range []struct {
		name, field string
		change      func(*PenaltyInput)
	}{
		{"person without an ID number", "input.party.idNumber", func(in *PenaltyInput) { in.Party.IDNo = "" }},
		{"person's ID fails its check digit", "input.party.idNumber", func(in *PenaltyInput) { in.Party.IDNo = "110101199003071234" }},
		{"person's ID with a birth date in the future", "input.party.idNumber", func(in *PenaltyInput) { in.Party.IDNo = "110105202912310021" }},
		{"person with a USCC", "input.party.unifiedSocialCreditCode", func(in *PenaltyInput) { in.Party.USCC = orgCode }},
		{"person with a passport", "input.party.idType", func(in *PenaltyInput) { in.Party.IDType = "护照" }},
		{"empty facts", "input.facts", func(in *PenaltyInput) { in.Facts = "" }},
		{"negative fine", "input.fine", func(in *PenaltyInput) { in.Fine = -1 }},
		{"negative confiscation", "input.confiscated", func(in *PenaltyInput) { in.Confiscated = -100 }},
		{"decided in the future", "input.decidedOn", func(in *PenaltyInput) { in.DecidedOn = MustDate("2027-01-01") }},
		{"in effect until before the decision", "input.validUntil", func(in *PenaltyInput) { d := MustDate("2026-11-19"); in.ValidUntil = &d }},
		{"unknown severity", "input.severity", func(in *PenaltyInput) { in.Severity = "HUGE" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := validPenalty()
			tc.change(&in)
			_, err := in.Validate(intakeToday)
			assertField(t, err, tc.field)
		})
	}
}

func TestSubjectRulesNameTheirField(t *testing.T) {
	valid := func() SubjectInput {
		return SubjectInput{Code: orgCode, Kind: LegalPerson, Name: "丹东测试有限公司", KeyPersons: []KeyPersonInput{
			{IDNumber: repID, Name: "张三", Role: LegalRepresentative, Since: MustDate("2020-01-01")}}}
	}
	in := valid()
	if err := in.Validate(intakeToday); err != nil {
		t.Fatalf("valid subject: %v", err)
	}
	for _, tc := range []struct {
		name, field string
		change      func(*SubjectInput)
	}{
		{"legacy code is checked strictly here", "input.code", func(in *SubjectInput) { in.Code = legacyCode }},
		{"person with an invalid ID", "input.code", func(in *SubjectInput) { in.Kind, in.Code, in.KeyPersons = NaturalPerson, "110101199003071234", nil }},
		{"person with key persons", "input.keyPersons", func(in *SubjectInput) { in.Kind, in.Code = NaturalPerson, personID }},
		{"unknown kind", "input.kind", func(in *SubjectInput) { in.Kind = "COMPANY" }},
		{"empty name", "input.name", func(in *SubjectInput) { in.Name = "" }},
		{"registered in the future", "input.registeredOn", func(in *SubjectInput) { d := MustDate("2027-01-01"); in.RegisteredOn = &d }},
		{"key person with an invalid ID", "input.keyPersons[0].idNumber", func(in *SubjectInput) { in.KeyPersons[0].IDNumber = "110101199003071234" }},
		{"role ending before it starts", "input.keyPersons[0].until", func(in *SubjectInput) { d := MustDate("2019-12-31"); in.KeyPersons[0].Until = &d }},
		{"unknown role", "input.keyPersons[0].role", func(in *SubjectInput) { in.KeyPersons[0].Role = "OWNER" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.change(&in)
			assertField(t, in.Validate(intakeToday), tc.field)
		})
	}
}

func TestPublicationRuleWindowAndDefaultScope(t *testing.T) {
	serious := PublicationRule{Severity: Serious, MinMonths: 12, MaxMonths: 36, PublishedByDefault: true}
	until, repairable := serious.Window(MustDate("2024-02-29"), ScopePublic)
	if until == nil || *until != MustDate("2027-02-28") || repairable != MustDate("2025-02-28") {
		t.Errorf("window: got %v %s, want 2027-02-28 2025-02-28", until, repairable)
	}
	minor := PublicationRule{Severity: Minor, MaxMonths: 3}
	if until, _ := minor.Window(MustDate("2026-06-01"), ScopeShared); until != nil {
		t.Errorf("minor, not published: publicUntil %s, want none", until)
	}
	if until, _ := minor.Window(MustDate("2026-06-01"), ScopePublic); until == nil || *until != MustDate("2026-09-01") {
		t.Errorf("minor made public: publicUntil %v, want 2026-09-01", until)
	}
	if got := serious.DefaultScope(); got != ScopePublic {
		t.Errorf("serious scope: got %s, want PUBLIC", got)
	}
	if got := (PublicationRule{Severity: Minor, MaxMonths: 3}).DefaultScope(); got != ScopeShared {
		t.Errorf("minor scope: got %s, want SHARED", got)
	}
}

func assertField(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := err.(*Error)
	if !ok || e.Code != BadUserInput || e.Field != field {
		t.Fatalf("got %v, want BAD_USER_INPUT on %s", err, field)
	}
}
