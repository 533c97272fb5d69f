package credit

// Attribution (落实到人): an organisation's serious dishonesty is also recorded
// against the persons who answered for it when it was decided: its legal
// representative, principal and directly responsible persons. Restrictions on
// high consumption and travel then apply to them.

// attributedRoles are the roles through which an organisation's black-list
// entries reach a person. The actual controller is not among them: the plan
// names the legal representative, principal and directly responsible persons.
var attributedRoles = map[KeyPersonRole]bool{
	LegalRepresentative: true,
	Principal:           true,
	DirectlyResponsible: true,
}

// AttributedEntry is an organisation's list entry as it reaches a person,
// with the role that carries it (its cause).
type AttributedEntry struct {
	Entry ListEntry
	Via   KeyPerson
}

// Attributable reports whether entry e of an organisation is recorded against
// the person holding role k: a black-list entry decided while the person held
// an attributed role in that organisation.
func Attributable(e ListEntry, k KeyPerson) bool {
	return e.Kind == Black && e.SubjectID == k.OrganizationID && attributedRoles[k.Role] && k.HeldOn(e.DecidedOn)
}

// AttributedRoles returns the roles through which entries are attributed.
func AttributedRoles() []KeyPersonRole {
	return []KeyPersonRole{LegalRepresentative, Principal, DirectlyResponsible}
}
