package credit

// ListStatus filters subjects by the lists they are on today.
type ListStatus string

// The list statuses a subject filter can ask for.
const (
	RedListed   ListStatus = "RED_LISTED"
	Blacklisted ListStatus = "BLACKLISTED"
	NotListed   ListStatus = "NOT_LISTED"
)

// SubjectFilter narrows a subject search; zero fields do not filter.
type SubjectFilter struct {
	NameContains string
	Kind         SubjectKind
	District     string
	ListStatus   ListStatus
	// ListedOn is the day the list status is judged on.
	ListedOn Date
	// OrganisationsOnly leaves natural persons out (set from the caller's
	// access, never by the client).
	OrganisationsOnly bool
}

// Page asks for the first First items after the cursor After.
type Page struct {
	First int
	After string
}

// RecordPage asks for a subject's records newest first: at most First
// records decided before the record (AfterDate, AfterID), and only those
// decided on or after Since when it is set.
type RecordPage struct {
	First     int
	AfterDate Date
	AfterID   int64
	Since     Date
}

// RecordView limits which licences and penalties a query returns to what
// one caller may see.
type RecordView struct {
	// Scopes are the visible use scopes.
	Scopes []UseScope
	// Department, when set, also sees every record it decided itself.
	Department string
	// PublishedOn, when set, keeps only records published on that day: public
	// scope and, for penalties, in force and inside the publication window.
	PublishedOn Date
	// AllEntryStates also shows list entries that never took effect or were
	// revoked as errors (see Access.SeesEntry); without it only Department's own.
	AllEntryStates bool
}
