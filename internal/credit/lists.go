package credit

// ListKind is a red list (守信红榜) or a black list (失信黑名单).
type ListKind string

// The list kinds.
const (
	Red   ListKind = "RED"
	Black ListKind = "BLACK"
)

// ListEntryStatus is where a list entry is in its life.
type ListEntryStatus string

// The list entry statuses.
const (
	EntryProposed ListEntryStatus = "PROPOSED"
	EntryActive   ListEntryStatus = "ACTIVE"
	EntryRejected ListEntryStatus = "REJECTED"
	EntryExited   ListEntryStatus = "EXITED"
	EntryExpired  ListEntryStatus = "EXPIRED"
	EntryRepaired ListEntryStatus = "REPAIRED"
	EntryRevoked  ListEntryStatus = "REVOKED"
)

// ListEntry is a decision to put a subject on a red or black list.
type ListEntry struct {
	ID              int64           `db:"id"`
	SubjectID       int64           `db:"subject_id"`
	Kind            ListKind        `db:"kind"`
	Domain          string          `db:"domain"`
	DomainName      string          `db:"domain_name"`
	DepartmentCode  string          `db:"department_code"`
	DecisionNo      string          `db:"decision_no"`
	DecidedOn       Date            `db:"decided_on"`
	Facts           string          `db:"facts"`
	DecisionContent string          `db:"decision_content"`
	StartsOn        Date            `db:"starts_on"`
	EndsOn          *Date           `db:"ends_on"`
	Status          ListEntryStatus `db:"status"`
	UseScope        UseScope        `db:"use_scope"`
	EndedOn         *Date           `db:"ended_on"`
	ExitDecisionNo  *string         `db:"exit_decision_no"`
	ExitReason      *string         `db:"exit_reason"`
	// SubjectCode is the subject's code, where a query reads it (the root
	// list: the reads of the entries' subjects are logged by it).
	SubjectCode string `db:"subject_code" json:"-"`
	// Measures are the joint measures the entry triggered when it was
	// approved, loaded separately (entry_measures), so the checks can say
	// which measure applies because of which entry.
	Measures []Measure `db:"-"`
	// ViewOf is set on a view of the entry as it stood on a past day
	// (AsOf): its status is then the status on that day, whatever day is
	// asked. Exported so that a cached answer keeps it.
	ViewOf Date `db:"-"`
}

// AsOf returns the entry as it stood on day d, for an answer about that
// day: an exit, repair or revocation that took effect after d had not
// happened yet, so the entry is ACTIVE without its exit decision, and its
// status is its status on d (StatusOn). What happened later is the entry's
// history (list_entry_events), not part of the answer. A revocation is the
// exception: it says the decision was wrong from the start, so a REVOKED
// entry stays REVOKED on every day.
func (e ListEntry) AsOf(d Date) ListEntry {
	if e.Status != EntryRevoked && e.EndedOn != nil && e.EndedOn.After(d) {
		e.Status, e.EndedOn, e.ExitDecisionNo, e.ExitReason = EntryActive, nil, nil, nil
	}
	e.Status = e.StatusOn(d)
	e.ViewOf = d
	return e
}

// InForceOn reports whether the entry applied on day d: approved, started,
// not past its end date (the end date is its last day) and not ended by a
// decision that took effect on or before d. An entry that has since exited
// still counts for a day before its exit, so a check "as of" a past date
// shows the state on that date.
func (e ListEntry) InForceOn(d Date) bool {
	switch e.Status {
	case EntryProposed, EntryRejected:
		return false
	}
	if d.Before(e.StartsOn) {
		return false
	}
	if e.EndsOn != nil && d.After(*e.EndsOn) {
		return false
	}
	if e.EndedOn != nil && !d.Before(*e.EndedOn) {
		return false
	}
	return true
}

// MeasureKind is a reward or a punishment.
type MeasureKind string

// The measure kinds.
const (
	Reward     MeasureKind = "REWARD"
	Punishment MeasureKind = "PUNISHMENT"
)

// MeasureContext is where a measure bites.
type MeasureContext string

// The measure contexts.
const (
	ApprovalWindow    MeasureContext = "APPROVAL_WINDOW"
	BankCredit        MeasureContext = "BANK_CREDIT"
	PublicProcurement MeasureContext = "PUBLIC_PROCUREMENT"
	FiscalFunds       MeasureContext = "FISCAL_FUNDS"
	TravelConsumption MeasureContext = "TRAVEL_CONSUMPTION"
	Honours           MeasureContext = "HONOURS"
	MarketAccess      MeasureContext = "MARKET_ACCESS"
	Appointments      MeasureContext = "APPOINTMENTS" // 任职、招录（聘）
	Supervision       MeasureContext = "SUPERVISION"  // 监管、检查
	Publicity         MeasureContext = "PUBLICITY"    // 向社会公示、公布
)

// MeasureContexts are every context, in the order of the schema.
var MeasureContexts = []MeasureContext{ApprovalWindow, BankCredit, PublicProcurement, FiscalFunds, TravelConsumption,
	Honours, MarketAccess, Appointments, Supervision, Publicity}

// Measure is one joint reward or punishment measure of the catalogue.
type Measure struct {
	ID         int64       `db:"id"`
	Code       string      `db:"code"`
	Version    int         `db:"version"`
	Kind       MeasureKind `db:"kind"`
	Name       string      `db:"name"`
	Detail     string      `db:"detail"`
	LegalBasis string      `db:"legal_basis"`
	// ImplementingDepartment is the city's department that implements the
	// measure, "" while the city has named none (a national measure as
	// shipped names only the kind of authority, ImplementingAuthority).
	ImplementingDepartment string   `db:"implementing_department"`
	ImplementingAuthority  string   `db:"implementing_authority"`
	Targets                Strings  `db:"applies_to"`
	ContextList            Strings  `db:"contexts"`
	ListKind               ListKind `db:"list_kind"`
	// Domain is the list domain whose entries trigger the measure; "" for
	// a measure of the national basic list, which no entry triggers.
	Domain         string `db:"domain"`
	EffectiveFrom  Date   `db:"effective_from"`
	EffectiveUntil *Date  `db:"effective_until"`
}

// Department is an authority that decides or pushes records: its code is
// the authority's unified social credit code, and it may belong to a parent
// department.
type Department struct {
	Code   string  `db:"code"`
	Name   string  `db:"name"`
	Parent *string `db:"parent"`
}

// MeasureTarget is whom a measure applies to.
type MeasureTarget string

// The measure targets.
const (
	TargetOrganization MeasureTarget = "ORGANIZATION"
	TargetKeyPersons   MeasureTarget = "KEY_PERSONS"
)

// AppliesTo returns whom the measure applies to.
func (m Measure) AppliesTo() []MeasureTarget {
	out := make([]MeasureTarget, len(m.Targets))
	for i, t := range m.Targets {
		out[i] = MeasureTarget(t)
	}
	return out
}

// Contexts returns where the measure bites.
func (m Measure) Contexts() []MeasureContext {
	out := make([]MeasureContext, len(m.ContextList))
	for i, c := range m.ContextList {
		out[i] = MeasureContext(c)
	}
	return out
}

// AppliesIn reports whether the measure bites in context c.
func (m Measure) AppliesIn(c MeasureContext) bool {
	for _, x := range m.ContextList {
		if MeasureContext(x) == c {
			return true
		}
	}
	return false
}

// Role returns the role that carried the entry to the person.
func (a AttributedEntry) Role() KeyPersonRole { return a.Via.Role }

// StatusOn returns the entry's status as of day d: an ACTIVE entry whose end
// date has passed is EXPIRED even before a job records it, so an expired
// entry is never shown as active, and an entry recorded as EXPIRED was
// ACTIVE on the days of its term. A view made by AsOf answers for its own
// day, whatever d is.
func (e ListEntry) StatusOn(d Date) ListEntryStatus {
	if !e.ViewOf.IsZero() {
		d = e.ViewOf
	}
	switch {
	case e.Status == EntryActive && e.EndsOn != nil && d.After(*e.EndsOn):
		return EntryExpired
	case e.Status == EntryExpired && e.EndsOn != nil && !d.After(*e.EndsOn) && !d.Before(e.StartsOn):
		return EntryActive
	}
	return e.Status
}
