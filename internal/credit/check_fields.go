package credit

// Derived fields the GraphQL schema shows on check answers.

// RuleName returns the reason's rule id as a plain string.
func (r Reason) RuleName() string { return string(r.Rule) }

// ViaRole returns the role through which an organisation's entry was
// recorded against the person, or nil for the subject's own entry.
func (m AppliedMeasure) ViaRole() *KeyPersonRole {
	if m.Via == nil {
		return nil
	}
	role := m.Via.Role
	return &role
}
