package credit

// The hot checks: applicantCheck (approval window: green channel, 容缺受理,
// measures) and creditCheck (banks: verdict, lists, tax grade, penalty
// counts, measures, key persons). Both are pure functions of the records a
// loader read and the rules in force (RuleBook.CheckRules), so the same records
// and rules always give the same answer, an answer for a past date shows the
// state on that date, and the answer may be cached under the subject, the
// date and CheckRules.Version.
//
// For a natural person both checks work on the person: their own records and
// the organisations' black-list entries attributed to them (落实到人). For an
// organisation (or an individual business) they work on its own records and,
// in the credit check, report its key persons' black-list entries.
//
// Records under objection (异议) are only passed through for now (Disputed).
// DOMAIN "Objections": while a record is disputed, joint measures based on it
// are not executed, so when objections land, measures triggered by a
// disputed entry must be left out of Measures (and named in a reason).

// RecordKind is the kind of record a RecordRef points to.
type RecordKind string

// The record kinds.
const (
	RecordKindPenalty   RecordKind = "PENALTY"
	RecordKindLicence   RecordKind = "LICENCE"
	RecordKindListEntry RecordKind = "LIST_ENTRY"
)

// RecordRef points to the record a reason rests on, with what a clerk needs
// to name it: its decision number and date.
type RecordRef struct {
	Kind       RecordKind
	ID         int64
	DecisionNo string
	DecidedOn  Date
	// SubjectID is the subject the record is about: for an attributed entry,
	// the organisation, not the person.
	SubjectID int64
}

// PenaltyRef returns a reference to penalty p.
func PenaltyRef(p Penalty) RecordRef {
	return RecordRef{Kind: RecordKindPenalty, ID: p.ID, DecisionNo: p.DecisionNo, DecidedOn: p.DecidedOn, SubjectID: p.SubjectID}
}

// EntryRef returns a reference to list entry e.
func EntryRef(e ListEntry) RecordRef {
	return RecordRef{Kind: RecordKindListEntry, ID: e.ID, DecisionNo: e.DecisionNo, DecidedOn: e.DecidedOn, SubjectID: e.SubjectID}
}

// RuleID names a rule of the checks. The ids are stable: clients and logs
// switch on them, so a rule whose parameters change (a 5-year look-back)
// keeps its id and the Reason's text carries the dates.
type RuleID string

// The rules of the checks.
const (
	RuleGreenChannelHonoured                  RuleID = "GREEN_CHANNEL_HONOURED"
	RuleGreenChannelNoBadRecord               RuleID = "GREEN_CHANNEL_NO_BAD_RECORD_3Y"
	RuleGreenChannelRefused                   RuleID = "GREEN_CHANNEL_REFUSED_BAD_RECORD_3Y"
	RuleMissingDocumentsAllowed               RuleID = "MISSING_DOCUMENTS_ALLOWED"
	RuleMissingDocumentsRefusedNoGreenChannel RuleID = "MISSING_DOCUMENTS_REFUSED_NO_GREEN_CHANNEL"
	RuleMissingDocumentsRefusedUnrepaired     RuleID = "MISSING_DOCUMENTS_REFUSED_UNREPAIRED"
	RuleMeasureApplies                        RuleID = "MEASURE_APPLIES"
	RuleCreditRestrictedBlacklisted           RuleID = "CREDIT_RESTRICTED_BLACKLISTED"
	RuleCreditRestrictedMeasure               RuleID = "CREDIT_RESTRICTED_MEASURE"
	RuleCreditRestrictedTaxD                  RuleID = "CREDIT_RESTRICTED_TAX_D"
	RuleCreditCautionSeriousPenalty           RuleID = "CREDIT_CAUTION_SERIOUS_PENALTY"
	RuleCreditCautionGeneralPenalties         RuleID = "CREDIT_CAUTION_GENERAL_PENALTIES"
	RuleCreditCautionTaxC                     RuleID = "CREDIT_CAUTION_TAX_C"
	RuleCreditCautionKeyPerson                RuleID = "CREDIT_CAUTION_KEY_PERSON"
	RuleCreditClear                           RuleID = "CREDIT_CLEAR"
)

// Reason is why a check answered as it did: the rule, a sentence a clerk can
// read to the applicant (with the dates and counts), and the records it
// rests on, newest first. The sentence names no natural person and no ID
// number, since it is not masked the way Subject fields are.
type Reason struct {
	Rule    RuleID
	Text    string
	Records []RecordRef
}

// AppliedMeasure is a joint measure that applies to the subject because of a
// list entry in force. Via is nil for the subject's own entry; for an
// organisation's entry attributed to a person it is the role that carries
// it.
type AppliedMeasure struct {
	Measure Measure
	Entry   ListEntry
	Via     *KeyPerson
}

// KeyPersonFinding is a key person of an organisation with the black-list
// entries in force against them: their own and those attributed to them.
type KeyPersonFinding struct {
	Role       KeyPersonRole
	Person     Subject
	Entries    []ListEntry
	Attributed []AttributedEntry
}

// CreditVerdict is the credit check's conclusion for a bank.
type CreditVerdict string

// The credit verdicts; CheckRules documents the rules that choose them.
const (
	VerdictClear      CreditVerdict = "CLEAR"
	VerdictCaution    CreditVerdict = "CAUTION"
	VerdictRestricted CreditVerdict = "RESTRICTED"
)

// CheckRecords are the records a check rests on, as of AsOf.
type CheckRecords struct {
	Subject Subject
	AsOf    Date
	// Entries are the subject's own list entries of every status, with the
	// measures each triggered.
	Entries []ListEntry
	// Attributed are, for a natural person, organisations' black-list
	// entries recorded against them, with their measures. They are ignored
	// for other subjects, and each is checked with Attributable.
	Attributed []AttributedEntry
	// Penalties are the subject's penalties; the loader passes those decided
	// in CheckRules.Window or still published on AsOf.
	Penalties []Penalty
	// TaxGrade is the subject's latest-year tax credit grade, nil if none.
	TaxGrade *TaxCreditGrade
	// KeyPersons are, for an organisation, its legal representative and
	// principals holding the role on AsOf, with their records.
	KeyPersons []KeyPersonRecords
	// Disputed are the subject's records under objection.
	Disputed []RecordRef
}

// KeyPersonRecords is one key person of an organisation with their own list
// entries and the entries attributed to them.
type KeyPersonRecords struct {
	Role       KeyPersonRole
	Person     Subject
	Entries    []ListEntry
	Attributed []AttributedEntry
}

// ApplicantCheck is what approval-window staff see before accepting an
// application.
type ApplicantCheck struct {
	Subject     Subject
	AsOf        Date
	RuleVersion string
	// GreenChannel (绿色通道): the subject is on an honoured red list in
	// force, or has no bad record decided in the look-back window.
	GreenChannel bool
	// AcceptWithMissingDocuments (容缺受理): on the green channel's basis,
	// and no bad record still in effect, whenever it was decided.
	AcceptWithMissingDocuments bool
	// Measures are the measures in the APPROVAL_WINDOW context.
	Measures []AppliedMeasure
	Disputed []RecordRef
	Reasons  []Reason
}

// CreditCheck is what a bank sees before a credit-linked loan.
type CreditCheck struct {
	Subject     Subject
	AsOf        Date
	RuleVersion string
	Verdict     CreditVerdict
	// RedListed: an own red-list entry in force.
	RedListed bool
	// Blacklisted: an own black-list entry in force or, for a natural
	// person, one attributed to them.
	Blacklisted    bool
	TaxCreditGrade *TaxCreditGrade
	// PenaltiesLast3Years and SeriousPenaltiesLast3Years count penalties
	// decided in the look-back window (see CheckRules for which count).
	PenaltiesLast3Years        int
	SeriousPenaltiesLast3Years int
	// ActiveListEntries are the subject's own entries in force on AsOf;
	// attributed entries show in Measures and Reasons with their cause.
	ActiveListEntries []ListEntry
	// Measures are the measures in the BANK_CREDIT context.
	Measures          []AppliedMeasure
	KeyPersonFindings []KeyPersonFinding
	Reasons           []Reason
}

// asOfView returns r with every list entry as it stood on AsOf
// (ListEntry.AsOf), so that an answer for a past day shows each entry's
// status on that day and no exit decided later. Whether an entry counts
// does not change: the view keeps what was in force on AsOf in force.
func (r CheckRecords) asOfView() CheckRecords {
	view := func(es []ListEntry) []ListEntry {
		out := make([]ListEntry, len(es))
		for i, e := range es {
			out[i] = e.AsOf(r.AsOf)
		}
		return out
	}
	viewAttributed := func(as []AttributedEntry) []AttributedEntry {
		out := make([]AttributedEntry, len(as))
		for i, a := range as {
			out[i] = a
			out[i].Entry = a.Entry.AsOf(r.AsOf)
		}
		return out
	}
	r.Entries, r.Attributed = view(r.Entries), viewAttributed(r.Attributed)
	kps := make([]KeyPersonRecords, len(r.KeyPersons))
	for i, k := range r.KeyPersons {
		kps[i] = k
		kps[i].Entries, kps[i].Attributed = view(k.Entries), viewAttributed(k.Attributed)
	}
	r.KeyPersons = kps
	return r
}

// EvaluateApplicant answers the approval window's check of r under rules.
func EvaluateApplicant(r CheckRecords, rules CheckRules) ApplicantCheck {
	r = r.asOfView()
	honours := r.honours(rules)
	bad := r.badRecords(rules)
	open := r.unrepaired(rules)
	c := ApplicantCheck{
		Subject:      r.Subject,
		AsOf:         r.AsOf,
		RuleVersion:  rules.Version,
		GreenChannel: len(honours) > 0 || bad.empty(),
		Measures:     r.measuresIn(ApprovalWindow),
		Disputed:     append([]RecordRef{}, r.Disputed...),
	}
	// "Same basis": 容缺受理 is never granted where the green channel is
	// refused, and is refused while a bad record is still in effect even
	// where the green channel is granted on an honour.
	c.AcceptWithMissingDocuments = c.GreenChannel && open.empty()
	from, to := rules.Window(r.AsOf)
	c.Reasons = checkGreenChannelReasons(honours, bad, from, to, rules)
	c.Reasons = append(c.Reasons, checkMissingDocumentsReasons(c.GreenChannel, bad, open, r.AsOf)...)
	c.Reasons = append(c.Reasons, checkMeasureReasons(c.Measures)...)
	return c
}

// EvaluateCredit answers a bank's check of r under rules.
func EvaluateCredit(r CheckRecords, rules CheckRules) CreditCheck {
	r = r.asOfView()
	from, _ := rules.Window(r.AsOf)
	f := checkCreditFacts{asOf: r.AsOf, from: from, person: r.Subject.Kind.IsPerson(), black: r.blacklisting(), grade: r.taxGradeOn()}
	recent := r.recentPenalties(rules)
	f.serious, f.general = checkBySeverity(recent, Serious), checkBySeverity(recent, General)
	c := CreditCheck{
		Subject:                    r.Subject,
		AsOf:                       r.AsOf,
		RuleVersion:                rules.Version,
		RedListed:                  r.redListed(),
		Blacklisted:                !f.black.empty(),
		TaxCreditGrade:             f.grade,
		PenaltiesLast3Years:        len(recent),
		SeriousPenaltiesLast3Years: len(f.serious),
		ActiveListEntries:          r.activeEntries(),
		Measures:                   r.measuresIn(BankCredit),
		KeyPersonFindings:          r.keyPersonFindings(rules),
	}
	f.punishments = checkPunishments(c.Measures)
	f.findings = c.KeyPersonFindings
	c.Verdict, c.Reasons = f.verdict(rules)
	return c
}

// checkCreditFacts are what the credit verdict is decided on.
type checkCreditFacts struct {
	asOf, from       Date
	person           bool
	black            checkSet
	punishments      []AppliedMeasure
	grade            *TaxCreditGrade
	serious, general []Penalty
	findings         []KeyPersonFinding
}

// verdict applies the verdict table of CheckRules: every condition that
// holds gives a reason, and the most severe one decides.
func (f checkCreditFacts) verdict(rules CheckRules) (CreditVerdict, []Reason) {
	restricted := f.restrictedReasons(rules)
	caution := f.cautionReasons(rules)
	reasons := append(restricted, caution...)
	switch {
	case len(restricted) > 0:
		return VerdictRestricted, reasons
	case len(caution) > 0:
		return VerdictCaution, reasons
	}
	return VerdictClear, []Reason{f.clearReason(rules)}
}
