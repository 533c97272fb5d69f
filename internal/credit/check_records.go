package credit

import (
	"cmp"
	"slices"
)

// checkSet is a set of records a rule rests on: penalties, the subject's own
// entries and entries attributed to it.
type checkSet struct {
	penalties  []Penalty
	entries    []ListEntry
	attributed []AttributedEntry
}

// empty reports whether the set holds no record.
func (s checkSet) empty() bool { return s.size() == 0 }

// size returns the number of records in the set.
func (s checkSet) size() int { return len(s.penalties) + len(s.entries) + len(s.attributed) }

// refs returns references to the records in the set, newest first.
func (s checkSet) refs() []RecordRef {
	out := make([]RecordRef, 0, s.size())
	for _, p := range s.penalties {
		out = append(out, PenaltyRef(p))
	}
	for _, e := range s.entries {
		out = append(out, EntryRef(e))
	}
	for _, a := range s.attributed {
		out = append(out, EntryRef(a.Entry))
	}
	checkSortRefs(out)
	return out
}

// checkSortRefs orders references newest first, then by kind and id, so that the
// same records always give the same reason.
func checkSortRefs(refs []RecordRef) {
	slices.SortFunc(refs, func(a, b RecordRef) int {
		return cmp.Or(b.DecidedOn.Time().Compare(a.DecidedOn.Time()), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
}

// checkSortEntries orders entries newest decision first, then by id.
func checkSortEntries(es []ListEntry) {
	slices.SortFunc(es, func(a, b ListEntry) int {
		return cmp.Or(b.DecidedOn.Time().Compare(a.DecidedOn.Time()), cmp.Compare(a.ID, b.ID))
	})
}

// checkSortAttributed orders attributed entries like checkSortEntries, then by role.
func checkSortAttributed(as []AttributedEntry) {
	slices.SortFunc(as, func(a, b AttributedEntry) int {
		return cmp.Or(b.Entry.DecidedOn.Time().Compare(a.Entry.DecidedOn.Time()), cmp.Compare(a.Entry.ID, b.Entry.ID),
			cmp.Compare(a.Via.ID, b.Via.ID))
	})
}

// checkSortPenalties orders penalties newest decision first, then by id.
func checkSortPenalties(ps []Penalty) {
	slices.SortFunc(ps, func(a, b Penalty) int {
		return cmp.Or(b.DecidedOn.Time().Compare(a.DecidedOn.Time()), cmp.Compare(a.ID, b.ID))
	})
}

// attributed returns the attributed entries that count for r: none unless
// the subject is a natural person.
func (r CheckRecords) attributed() []AttributedEntry {
	if !r.Subject.Kind.IsPerson() {
		return nil
	}
	return r.Attributed
}

// honours returns the subject's own red-list entries in an honoured domain
// in force on AsOf.
func (r CheckRecords) honours(rules CheckRules) []ListEntry {
	var out []ListEntry
	for _, e := range r.Entries {
		if e.Kind == Red && slices.Contains(rules.HonouredDomains, e.Domain) && checkInForce(e, r.AsOf) {
			out = append(out, e)
		}
	}
	checkSortEntries(out)
	return out
}

// badRecords returns the bad records decided in the look-back window (see
// CheckRules): penalties of a counted severity and black-list entries, own
// and, for a person, attributed.
func (r CheckRecords) badRecords(rules CheckRules) checkSet {
	from, to := rules.Window(r.AsOf)
	s := checkSet{penalties: r.recentPenalties(rules)}
	for _, e := range r.Entries {
		if rules.entryCountsAsBad(e, from, to) {
			s.entries = append(s.entries, e)
		}
	}
	for _, a := range r.attributed() {
		if Attributable(a.Entry, a.Via) && rules.entryCountsAsBad(a.Entry, from, to) {
			s.attributed = append(s.attributed, a)
		}
	}
	checkSortEntries(s.entries)
	checkSortAttributed(s.attributed)
	return s
}

// recentPenalties returns the penalties that count as bad records decided in
// the look-back window.
func (r CheckRecords) recentPenalties(rules CheckRules) []Penalty {
	from, to := rules.Window(r.AsOf)
	var out []Penalty
	for _, p := range r.Penalties {
		if rules.penaltyCountsAsBad(p, from, to) {
			out = append(out, p)
		}
	}
	checkSortPenalties(out)
	return out
}

// checkBySeverity returns the penalties of severity s, in their order.
func checkBySeverity(ps []Penalty, s Severity) []Penalty {
	var out []Penalty
	for _, p := range ps {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// unrepaired returns the bad records still in effect on AsOf whenever they
// were decided: penalties of a counted severity neither revoked nor repaired
// and still published, and black-list entries in force (own and, for a
// person, attributed).
func (r CheckRecords) unrepaired(rules CheckRules) checkSet {
	var s checkSet
	for _, p := range r.Penalties {
		if rules.penaltyUnrepaired(p, r.AsOf) {
			s.penalties = append(s.penalties, p)
		}
	}
	b := r.blacklisting()
	s.entries, s.attributed = b.entries, b.attributed
	checkSortPenalties(s.penalties)
	return s
}

// blacklisting returns the black-list entries in force on AsOf: the
// subject's own and, for a person, those attributed to them.
func (r CheckRecords) blacklisting() checkSet {
	var s checkSet
	for _, e := range r.Entries {
		if checkBlackInForce(e, r.AsOf) {
			s.entries = append(s.entries, e)
		}
	}
	for _, a := range r.attributed() {
		if checkAttributedInForce(a, r.AsOf) {
			s.attributed = append(s.attributed, a)
		}
	}
	checkSortEntries(s.entries)
	checkSortAttributed(s.attributed)
	return s
}

// redListed reports whether an own red-list entry is in force on AsOf.
func (r CheckRecords) redListed() bool {
	return slices.ContainsFunc(r.Entries, func(e ListEntry) bool { return e.Kind == Red && checkInForce(e, r.AsOf) })
}

// activeEntries returns the subject's own entries in force on AsOf, never
// nil, newest first.
func (r CheckRecords) activeEntries() []ListEntry {
	out := []ListEntry{}
	for _, e := range r.Entries {
		if checkInForce(e, r.AsOf) {
			out = append(out, e)
		}
	}
	checkSortEntries(out)
	return out
}

// keyPersonFindings returns, for an organisation, the key persons in
// rules.KeyPersonRoles who have own or attributed black-list entries in
// force on AsOf, in the order of KeyPersonRoles and then by person; never
// nil. A natural person has no key persons.
func (r CheckRecords) keyPersonFindings(rules CheckRules) []KeyPersonFinding {
	out := []KeyPersonFinding{}
	if r.Subject.Kind.IsPerson() {
		return out
	}
	for _, k := range r.KeyPersons {
		if !slices.Contains(rules.KeyPersonRoles, k.Role) {
			continue
		}
		b := CheckRecords{Subject: k.Person, AsOf: r.AsOf, Entries: k.Entries, Attributed: k.Attributed}
		b.Subject.Kind = NaturalPerson // key persons are people, whatever the loader filled in
		if s := b.blacklisting(); !s.empty() {
			out = append(out, KeyPersonFinding{Role: k.Role, Person: k.Person, Entries: s.entries, Attributed: s.attributed})
		}
	}
	slices.SortStableFunc(out, func(a, b KeyPersonFinding) int {
		return cmp.Or(cmp.Compare(slices.Index(rules.KeyPersonRoles, a.Role), slices.Index(rules.KeyPersonRoles, b.Role)),
			cmp.Compare(a.Person.ID, b.Person.ID))
	})
	return out
}

// measuresIn returns the measures in context ctx that apply to the subject
// on AsOf, never nil: from its own entries in force, those aimed at the
// organisation (for a natural person's own entry, all of them, since the
// person is the subject), and for a person from the attributed entries in
// force, those aimed at key persons. Ordered by the entry's decision date,
// newest first, then by measure code.
func (r CheckRecords) measuresIn(ctx MeasureContext) []AppliedMeasure {
	out := []AppliedMeasure{}
	person := r.Subject.Kind.IsPerson()
	for _, e := range r.Entries {
		if !checkInForce(e, r.AsOf) {
			continue
		}
		for _, m := range e.Measures {
			if m.AppliesIn(ctx) && (person || slices.Contains(m.AppliesTo(), TargetOrganization)) {
				out = append(out, AppliedMeasure{Measure: m, Entry: e})
			}
		}
	}
	for _, a := range r.attributed() {
		if !checkAttributedInForce(a, r.AsOf) {
			continue
		}
		for _, m := range a.Entry.Measures {
			if m.AppliesIn(ctx) && slices.Contains(m.AppliesTo(), TargetKeyPersons) {
				via := a.Via
				out = append(out, AppliedMeasure{Measure: m, Entry: a.Entry, Via: &via})
			}
		}
	}
	slices.SortFunc(out, checkCompareApplied)
	return out
}

// checkCompareApplied orders applied measures by entry decision date (newest
// first), measure code, entry, measure version and the role that carried
// the entry (own entries first), so that equal inputs give equal answers.
func checkCompareApplied(a, b AppliedMeasure) int {
	return cmp.Or(
		b.Entry.DecidedOn.Time().Compare(a.Entry.DecidedOn.Time()),
		cmp.Compare(a.Measure.Code, b.Measure.Code),
		cmp.Compare(a.Entry.ID, b.Entry.ID),
		cmp.Compare(a.Measure.Version, b.Measure.Version),
		cmp.Compare(checkViaID(a.Via), checkViaID(b.Via)),
	)
}

// checkViaID returns the id of the role that carried an entry, 0 for an own
// entry.
func checkViaID(k *KeyPerson) int64 {
	if k == nil {
		return 0
	}
	return k.ID
}

// checkPunishments returns the punishment measures among ms, in their order.
func checkPunishments(ms []AppliedMeasure) []AppliedMeasure {
	var out []AppliedMeasure
	for _, m := range ms {
		if m.Measure.Kind == Punishment {
			out = append(out, m)
		}
	}
	return out
}
