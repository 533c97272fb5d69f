package credit

import (
	"slices"
)

// CheckRules are the parameters of the hot checks (applicantCheck for the
// approval window, creditCheck for banks), as dated rule data with a legal
// basis: the rows in force on the day a check is made "as of" apply
// (RuleBook.CheckRules, from the CHECK_LOOKBACK, GREEN_CHANNEL and
// CREDIT_VERDICT rules).
//
// # The look-back window
//
// "Decided in the N years before asOf" follows the PRC Civil Code arts.
// 201–202: a period counted in months or years starts on the day after the
// decision, and its last day is the corresponding day N years later, or the
// last day of that month when it has no corresponding day. A record decided
// on day D therefore counts on asOf when D ≤ asOf ≤ D + LookbackMonths
// (PeriodEnd, which clamps 29 February). With 36 months:
//
//	asOf 2026-11-27: decided 2023-11-27 counts (asOf is the period's last day),
//	                 decided 2023-11-26 does not;
//	asOf 2027-02-28: decided 2024-02-29 counts (no 2027-02-29: the period ends 2027-02-28);
//	asOf 2028-02-29: decided 2025-02-28 does not (its period ended 2028-02-28).
//
// A record decided after asOf does not exist yet as of asOf and never
// counts. Window returns the same set as a range of decision dates.
//
// # What counts as a bad record
//
// A bad record (不良记录) is a penalty whose severity is in BadSeverities, or
// a black-list entry of any domain (court-enforcement dishonesty is one of
// them), decided in the window. A REVOKED penalty or entry never counts,
// whatever the date: revocation says the decision was wrong from the start.
// An entry that was never approved (PROPOSED, REJECTED) never counts. An
// entry that exited or expired still counts when it was decided in the
// window: it was a bad record, and leaving the list is not credit repair.
//
// A record is repaired as of asOf when credit repair took effect on or
// before asOf (Penalty.RepairedOn; for an entry, EndedOn of a REPAIRED
// entry); a record repaired after asOf was not yet repaired then and counts
// like any other. Whether a record repaired as of asOf still counts is
// RepairedCounts. The default is false: credit repair ends publication and
// sharing and lifts measures (DOMAIN "Credit repair"), so a repaired record
// stops counting from its repair date, for the green channel and in the
// penalty counts the bank sees alike. A repair without a date is taken as
// done: the store records the date with the status, and the alternative would
// keep punishing a subject whose repair is on file.
//
// # The applicant check
//
//	green channel (绿色通道)  an own red-list entry of a HonouredDomains domain in force on asOf  GREEN_CHANNEL_HONOURED
//	                          or no bad record decided in the window                             GREEN_CHANNEL_NO_BAD_RECORD_3Y
//	                          else refused                                                        GREEN_CHANNEL_REFUSED_BAD_RECORD_3Y
//	容缺受理                  refused without the green channel ("same basis")                    MISSING_DOCUMENTS_REFUSED_NO_GREEN_CHANNEL
//	                          refused while a bad record is unrepaired on asOf                    MISSING_DOCUMENTS_REFUSED_UNREPAIRED
//	                          else allowed                                                        MISSING_DOCUMENTS_ALLOWED
//
// A bad record is unrepaired on asOf whenever it was decided: a penalty of a
// severity in BadSeverities, decided on or before asOf, neither revoked nor
// repaired as of asOf, whose PublicUntil is nil or not before asOf; or a
// black-list entry (own or, for a person, attributed) in force on asOf. So
// an honoured subject with a black entry in force keeps the green channel
// but not 容缺受理, and a black entry decided before the window but still in
// force refuses 容缺受理 only.
//
// # The credit verdict
//
// The first row whose condition holds decides the verdict; every condition
// that holds adds its own Reason, so a RESTRICTED subject also shows why it
// would have been CAUTION.
//
//	RESTRICTED  an own black-list entry in force on asOf (for a natural person, also one attributed to them)  CREDIT_RESTRICTED_BLACKLISTED
//	            a PUNISHMENT measure in the BANK_CREDIT context applies                                      CREDIT_RESTRICTED_MEASURE
//	            the latest tax credit grade is in RestrictedTaxGrades (D)                                     CREDIT_RESTRICTED_TAX_D
//	CAUTION     ≥ CautionSeriousPenalties (1) SERIOUS penalties decided in the window                         CREDIT_CAUTION_SERIOUS_PENALTY
//	            ≥ CautionGeneralPenalties (3) GENERAL penalties decided in the window                         CREDIT_CAUTION_GENERAL_PENALTIES
//	            the latest tax credit grade is in CautionTaxGrades (C)                                        CREDIT_CAUTION_TAX_C
//	            a key person in KeyPersonRoles has an own or attributed black entry in force on asOf         CREDIT_CAUTION_KEY_PERSON
//	CLEAR       none of the above                                                                            CREDIT_CLEAR
//
// The penalty counts leave out revoked penalties, severities outside
// BadSeverities (a minor penalty is in principle not published) and, unless
// RepairedCounts, penalties repaired as of asOf.
type CheckRules struct {
	// Version names the rule rows the parameters come from
	// (CHECK_LOOKBACK@2017-01-01 …); it goes into cache keys. A row in
	// force never changes (ValidateRuleChange), so the names identify the
	// parameters.
	Version string
	// EffectiveFrom is the first day on which the rules apply.
	EffectiveFrom Date
	// LegalBasis names the documents the parameters come from.
	LegalBasis string
	// LookbackMonths is the length of the window in which a decided bad
	// record refuses the green channel and penalties are counted.
	LookbackMonths int
	// BadSeverities are the penalty severities that make a bad record and
	// that the penalty counts include.
	BadSeverities []Severity
	// RepairedCounts says whether a record repaired on or before asOf still
	// counts as a bad record and in the penalty counts.
	RepairedCounts bool
	// HonouredDomains are the red-list domains whose entry in force gives
	// the green channel whatever the record: 诚信典型 under the city plan and
	// A-grade taxpayers under the A-grade memorandum (发改财金〔2016〕1467号),
	// which lists the green channel among its rewards.
	HonouredDomains []string
	// CautionSeriousPenalties is how many serious penalties in the window
	// make a CAUTION.
	CautionSeriousPenalties int
	// CautionGeneralPenalties is how many general penalties in the window
	// make a CAUTION.
	CautionGeneralPenalties int
	// RestrictedTaxGrades are the tax credit grades that make a RESTRICTED.
	RestrictedTaxGrades []TaxGrade
	// CautionTaxGrades are the tax credit grades that make a CAUTION.
	CautionTaxGrades []TaxGrade
	// KeyPersonRoles are the roles whose holders' black entries the credit
	// check reports for an organisation (keyPersonFindings).
	KeyPersonRoles []KeyPersonRole
}

// Window returns the decision dates [from, to] of the records that count as
// "decided in the LookbackMonths before asOf": to is asOf, and from is the
// earliest day D whose period D+1 … PeriodEnd(D, LookbackMonths) still
// reaches asOf (see the type's documentation). The loader reads penalties
// decided from from onwards.
func (rules CheckRules) Window(asOf Date) (from, to Date) {
	return PeriodStartReaching(asOf, rules.LookbackMonths), asOf
}

// between reports whether d is in [from, to].
func checkInWindow(d, from, to Date) bool { return !d.Before(from) && !d.After(to) }

// Penalty statuses (penalty_status in the migrations).
const (
	checkPenaltyRevoked  = "REVOKED"
	checkPenaltyRepaired = "REPAIRED"
)

// checkPenaltyRepairedBy reports whether p's credit repair had taken effect on d.
func checkPenaltyRepairedBy(p Penalty, d Date) bool {
	return p.Status == checkPenaltyRepaired && (p.RepairedOn == nil || !p.RepairedOn.After(d))
}

// checkEntryRepairedBy reports whether e's credit repair had taken effect on d.
func checkEntryRepairedBy(e ListEntry, d Date) bool {
	return e.Status == EntryRepaired && (e.EndedOn == nil || !e.EndedOn.After(d))
}

// penaltyCountsAsBad reports whether penalty p is a bad record decided in [from,
// asOf].
func (rules CheckRules) penaltyCountsAsBad(p Penalty, from, asOf Date) bool {
	if p.Status == checkPenaltyRevoked || !slices.Contains(rules.BadSeverities, p.Severity) {
		return false
	}
	return checkInWindow(p.DecidedOn, from, asOf) && (rules.RepairedCounts || !checkPenaltyRepairedBy(p, asOf))
}

// entryCountsAsBad reports whether entry e is a black-list bad record decided
// in [from, asOf].
func (rules CheckRules) entryCountsAsBad(e ListEntry, from, asOf Date) bool {
	switch e.Status {
	case EntryProposed, EntryRejected, EntryRevoked:
		return false
	}
	if e.Kind != Black {
		return false
	}
	return checkInWindow(e.DecidedOn, from, asOf) && (rules.RepairedCounts || !checkEntryRepairedBy(e, asOf))
}

// penaltyUnrepaired reports whether p is a bad record still in effect on d
// whatever its decision date: of a severity that counts, neither revoked nor
// repaired by d, and still published (PublicUntil is its last day).
func (rules CheckRules) penaltyUnrepaired(p Penalty, d Date) bool {
	if p.Status == checkPenaltyRevoked || !slices.Contains(rules.BadSeverities, p.Severity) {
		return false
	}
	if p.DecidedOn.After(d) || checkPenaltyRepairedBy(p, d) {
		return false
	}
	return p.PublicUntil == nil || !p.PublicUntil.Before(d)
}

// checkInForce reports whether entry e applied on d for a check. It is
// ListEntry.InForceOn, except that a REVOKED entry never applies (as for
// penalties, revocation says the decision was wrong) and an entry decided
// after d did not exist yet.
func checkInForce(e ListEntry, d Date) bool {
	return e.Status != EntryRevoked && !e.DecidedOn.After(d) && e.InForceOn(d)
}

// checkBlackInForce reports whether e is a black-list entry in force on d.
func checkBlackInForce(e ListEntry, d Date) bool { return e.Kind == Black && checkInForce(e, d) }

// checkAttributedInForce reports whether a is attributable and in force on d.
// Attributability is checked here, not trusted from the loader, so that the
// rule (role held on the decision date, attributed roles only) lives in one
// place.
func checkAttributedInForce(a AttributedEntry, d Date) bool {
	return Attributable(a.Entry, a.Via) && checkBlackInForce(a.Entry, d)
}

// taxGradeOn returns the grade in r as known on r.AsOf: nil when there is
// none or when it was assessed after AsOf (it did not exist yet then).
func (r CheckRecords) taxGradeOn() *TaxCreditGrade {
	g := r.TaxGrade
	if g == nil || g.AssessedOn != nil && g.AssessedOn.After(r.AsOf) {
		return nil
	}
	c := *g
	return &c
}
