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
