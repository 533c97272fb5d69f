package credit

// Who may see what. This table is the one place that says it; the service
// layer enforces it and the README's matrix is written from it.

// IDMask says how much of a citizen ID number a role sees.
type IDMask int

// The ID masks.
const (
	// ShowFullID shows the whole number.
	ShowFullID IDMask = iota
	// ShowLastFour shows only the last four characters: **************0013.
	ShowLastFour
	// ShowRegionAndLastFour shows the first four and last four: 2106**********0013.
	ShowRegionAndLastFour
)

// Access is what one role may do with credit records.
type Access struct {
	// ReadSubjects: may look subjects up (identity fields only).
	ReadSubjects bool
	// ListSubjects: may search and page through subjects.
	ListSubjects bool
	// ListNaturalPersons: searches include natural persons.
	ListNaturalPersons bool
	// ReadRecords: may read a subject's records (licences, penalties, lists,
	// key persons, tax grade).
	ReadRecords bool
	// Scopes are the use scopes of the records the role sees.
	Scopes []UseScope
	// OwnDepartment: a department also sees every record it decided itself.
	OwnDepartment bool
	// PublishedOnly: only what is published today: public scope, inside the
	// publication window, in force.
	PublishedOnly bool
	// MaskNames masks natural persons' names (张*).
	MaskNames bool
	// IDMask masks citizen ID numbers.
	IDMask IDMask
	// NeedsPurpose: every read must state its purpose.
	NeedsPurpose bool
	// LogsUse: every read of a subject is written to the query-use log.
	LogsUse bool
	// ReadQueryLog: may read a subject's query-use history.
	ReadQueryLog bool
	// ManageKeys: may manage API keys and configuration.
	ManageKeys bool
}

var allScopes = []UseScope{ScopePublic, ScopeShared, ScopeAuthorized}

var published = Access{
	ReadSubjects: true, ListSubjects: true, ReadRecords: true,
	Scopes: []UseScope{ScopePublic}, PublishedOnly: true,
	MaskNames: true, IDMask: ShowRegionAndLastFour,
}

var accessByRole = map[Role]Access{
	RolePublic:    published,
	RoleDashboard: published,
	RoleWindow: {ReadSubjects: true, ReadRecords: true, Scopes: allScopes,
		IDMask: ShowLastFour, NeedsPurpose: true, LogsUse: true},
	RoleBank: {ReadSubjects: true, ReadRecords: true, Scopes: allScopes,
		IDMask: ShowLastFour, NeedsPurpose: true, LogsUse: true},
	RoleDepartment: {ReadSubjects: true, ListSubjects: true, ListNaturalPersons: true, ReadRecords: true,
		Scopes: []UseScope{ScopePublic, ScopeShared}, OwnDepartment: true, LogsUse: true},
	RoleCreditOffice: {ReadSubjects: true, ListSubjects: true, ListNaturalPersons: true, ReadRecords: true,
		Scopes: allScopes, ReadQueryLog: true},
	RoleAuditor: {ReadSubjects: true, ReadQueryLog: true},
	RoleAdmin:   {ManageKeys: true},
}

// AccessOf returns what role r may do; an unknown role may do nothing.
func AccessOf(r Role) Access { return accessByRole[r] }

// SeesScope reports whether records of scope s decided by department dept
// are visible to a caller with this access from department own.
func (a Access) SeesScope(s UseScope, dept, own string) bool {
	if a.OwnDepartment && own != "" && dept == own {
		return true
	}
	for _, x := range a.Scopes {
		if x == s {
			return true
		}
	}
	return false
}
