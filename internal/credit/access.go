package credit

// Who may see what, and who may do what. These two tables (accessByRole for
// reading subjects and their records, actionRoles for everything else) are
// the one place that says it; the service layer enforces them, the schema's
// @allow repeats them as an outer fence (graph tests compare the two), and
// the README's matrix is written from them.

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
	// AllEntryStates: sees list entries that never took effect or were
	// revoked as errors (proposed, rejected, revoked). Others see them only
	// for the department that decided them.
	AllEntryStates bool
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
	// Refs make the references that replace masked persons' codes (the
	// service sets the deployment's; see EntityRefs).
	Refs EntityRefs
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
		Scopes: allScopes, AllEntryStates: true},
	RoleAuditor: {ReadSubjects: true},
	RoleAdmin:   {},
	// A ROUTER's requests are its end users' (auth.AuthenticateRouted); on
	// its own it reads the SDL and nothing else.
	RoleRouter: {},
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

// SeesEntry reports whether a caller with this access from department own
// may see list entry e on day today: in a visible scope; a proposal, a
// rejected proposal or an entry revoked as an error only for the credit
// office and the department that decided it (nobody else may act on an
// entry that never took effect); and, in the published view, only while
// it is in force.
func (a Access) SeesEntry(e ListEntry, own string, today Date) bool {
	if !a.SeesScope(e.UseScope, e.DepartmentCode, own) {
		return false
	}
	decider := a.OwnDepartment && own != "" && e.DepartmentCode == own
	if !a.AllEntryStates && !decider {
		switch e.Status {
		case EntryProposed, EntryRejected, EntryRevoked:
			return false
		}
	}
	return !a.PublishedOnly || e.InForceOn(today)
}

// Action is something a caller does beyond reading a subject's records:
// checks, writes, decisions, workflow steps and reports. The text reads in
// a FORBIDDEN message: "the BANK role may not <action>".
type Action string

// The actions, each allowed to the roles in actionRoles.
const (
	ActCreditCheck       Action = "run a credit check"
	ActApplicantCheck    Action = "run an applicant check"
	ActWriteRecords      Action = "write credit records"
	ActProposeListEntry  Action = "propose list entries"
	ActDecideListEntry   Action = "approve or reject list entries"
	ActExitListEntry     Action = "decide list exits"
	ActReadAssignments   Action = "read its assignments"
	ActSubscribePushes   Action = "subscribe to pushed assignments"
	ActRespondAssignment Action = "respond to assignments"
	ActRecordExecution   Action = "record executions"
	ActSubmitFeedback    Action = "submit feedback"
	ActListJointCases    Action = "list joint cases"
	ActReadJointCases    Action = "read joint cases"
	ActJointStatistics   Action = "read joint statistics"
	ActListEntryHistory  Action = "read the history of list entries"
	ActTimeliness        Action = "read disclosure timeliness"
	ActRecordStatistics  Action = "read statistics of records"
	ActCheckStatistics   Action = "read statistics of checks"
	ActReadQueryLog      Action = "read the query-use log"
	ActManageKeys        Action = "manage API keys"
	ActDecideKeyPersons  Action = "decide key-person links departments asked for"
	ActReadReference     Action = "read the rules and reference data"
	ActManageReference   Action = "change the rules and reference data"
	// The subject's rights (objections, repair, reports).
	ActFileObjection    Action = "file objections"
	ActAcceptObjection  Action = "accept or refuse objections"
	ActVerifyObjection  Action = "verify and decide objections"
	ActReadObjections   Action = "read objections"
	ActReadCorrections  Action = "read the corrections of records"
	ActRequestRepair    Action = "request credit repair"
	ActDecideRepair     Action = "accept and decide credit repair"
	ActReadRepairs      Action = "read credit repair applications"
	ActRightsStatistics Action = "read objection and repair statistics"
	ActSubmitReport     Action = "submit reports"
	ActAssignReport     Action = "assign and answer reports"
	ActVerifyReport     Action = "verify reports"
	ActReadReports      Action = "read reports"
	ActReadReporter     Action = "read a reporter's identity"
)

// actionRoles says which roles may do each action. DepartmentBound below
// narrows a DEPARTMENT caller further to its own department's records.
var actionRoles = map[Action][]Role{
	ActCreditCheck:       {RoleBank, RoleCreditOffice},
	ActApplicantCheck:    {RoleWindow, RoleCreditOffice},
	ActWriteRecords:      {RoleDepartment, RoleCreditOffice},
	ActProposeListEntry:  {RoleDepartment},
	ActDecideListEntry:   {RoleCreditOffice},
	ActExitListEntry:     {RoleDepartment, RoleCreditOffice},
	ActReadAssignments:   {RoleDepartment},
	ActSubscribePushes:   {RoleDepartment, RoleCreditOffice},
	ActRespondAssignment: {RoleDepartment},
	ActRecordExecution:   {RoleDepartment},
	ActSubmitFeedback:    {RoleDepartment},
	ActListJointCases:    {RoleCreditOffice, RoleDashboard},
	ActReadJointCases:    {RoleCreditOffice, RoleDashboard, RoleDepartment},
	ActJointStatistics:   {RoleCreditOffice, RoleDashboard, RoleDepartment},
	ActListEntryHistory:  {RoleCreditOffice, RoleDepartment},
	ActTimeliness:        {RoleCreditOffice, RoleDashboard, RoleDepartment},
	ActRecordStatistics:  {RoleCreditOffice, RoleDashboard, RoleDepartment, RolePublic},
	ActCheckStatistics:   {RoleCreditOffice, RoleAuditor},
	ActReadQueryLog:      {RoleCreditOffice, RoleAuditor},
	ActManageKeys:        {RoleAdmin},
	ActDecideKeyPersons:  {RoleCreditOffice},
	ActReadReference:     {RoleCreditOffice, RoleDashboard},
	ActManageReference:   {RoleCreditOffice},
	// The subject objects through the credit office or a window that
	// registers the objection for it; the office accepts or refuses; the
	// record's deciding department (or the office) verifies and decides.
	ActFileObjection:    {RoleWindow, RoleCreditOffice},
	ActAcceptObjection:  {RoleCreditOffice},
	ActVerifyObjection:  {RoleDepartment, RoleCreditOffice},
	ActReadObjections:   {RoleDepartment, RoleCreditOffice},
	ActReadCorrections:  {RoleWindow, RoleBank, RoleDepartment, RoleCreditOffice},
	ActRequestRepair:    {RoleWindow, RoleDepartment, RoleCreditOffice},
	ActDecideRepair:     {RoleDepartment, RoleCreditOffice},
	ActReadRepairs:      {RoleDashboard, RoleDepartment, RoleCreditOffice},
	ActRightsStatistics: {RoleDashboard, RoleDepartment, RoleCreditOffice},
	// Anyone may report; no role but the office learns who reported.
	ActSubmitReport: {RolePublic, RoleWindow, RoleBank, RoleDashboard, RoleDepartment, RoleCreditOffice},
	ActAssignReport: {RoleCreditOffice},
	ActVerifyReport: {RoleDepartment, RoleCreditOffice},
	ActReadReports:  {RoleDepartment, RoleCreditOffice},
	ActReadReporter: {RoleCreditOffice},
}

// May reports whether role r may do act.
func (r Role) May(act Action) bool {
	for _, x := range actionRoles[act] {
		if x == r {
			return true
		}
	}
	return false
}

// RolesFor returns the roles that may do act, for documentation and tests.
func RolesFor(act Action) []Role { return append([]Role(nil), actionRoles[act]...) }

// Actions lists every action of the table.
func Actions() []Action {
	out := make([]Action, 0, len(actionRoles))
	for a := range actionRoles {
		out = append(out, a)
	}
	return out
}
