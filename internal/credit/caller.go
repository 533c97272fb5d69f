package credit

import "context"

// Role is what a caller may do. Every request has exactly one.
type Role string

// The roles.
const (
	RolePublic       Role = "PUBLIC"        // no token: what is published, masked
	RoleWindow       Role = "WINDOW"        // approval-window staff
	RoleBank         Role = "BANK"          // banks checking borrowers
	RoleDashboard    Role = "DASHBOARD"     // statistics frontends
	RoleDepartment   Role = "DEPARTMENT"    // a department, bound to its code
	RoleCreditOffice Role = "CREDIT_OFFICE" // 市信用办: everything, unmasked
	RoleAuditor      Role = "AUDITOR"       // audit and query-use logs, read-only
	RoleAdmin        Role = "ADMIN"         // API keys and configuration
	RoleRouter       Role = "ROUTER"        // a federation router acting for the end user it forwards
)

// Roles lists every role, in the order the README's matrix shows them.
var Roles = []Role{RolePublic, RoleWindow, RoleBank, RoleDashboard, RoleDepartment, RoleCreditOffice, RoleAuditor, RoleAdmin, RoleRouter}

// KeyRoles lists the roles a key or token may carry (all but PUBLIC), as
// error messages name them.
const KeyRoles = "WINDOW, BANK, DASHBOARD, DEPARTMENT, CREDIT_OFFICE, AUDITOR, ADMIN, ROUTER"

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Caller is who is asking: the identity behind a request's token.
type Caller struct {
	// ID identifies the key or the identity provider's subject, e.g.
	// "key:7" or "jwt:zhang.san"; it is what logs and audit rows record.
	ID          string
	Role        Role
	Institution string
	// Department is the department code a DEPARTMENT caller is bound to.
	Department string
	// Purpose is why the caller reads, from the X-Credit-Purpose header; a
	// purpose argument on a query takes precedence.
	Purpose string
	// Router is the ROUTER key or token (its ID) that forwarded this end
	// user's request, "" for a request made directly. The caller is the end
	// user: access, masking, the query-use log and rate limits are theirs.
	Router string
}

// Anonymous is the caller of a request without a token.
var Anonymous = Caller{ID: "anonymous", Role: RolePublic}

type callerKey struct{}

// WithCaller returns ctx carrying p.
func WithCaller(ctx context.Context, p Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, p)
}

// CallerFrom returns the caller of ctx, Anonymous if none was set.
func CallerFrom(ctx context.Context) Caller {
	if p, ok := ctx.Value(callerKey{}).(Caller); ok {
		return p
	}
	return Anonymous
}
