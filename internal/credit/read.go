package credit

import (
	"sort"
	"strconv"
	"strings"
)

// A subject read: which of a subject's relations one request shows, to any
// depth, and what it got. The graph layer builds a SubjectRead from the
// GraphQL selection (fields, aliases, fragments and directives resolved),
// the store answers it with one SQL statement for any number of subjects,
// and the service masks what the caller may not see. A request whose
// fields reach subjects through several levels therefore costs one round
// trip per subject-returning field, not one per relation and level.

// Fields names the fields of a record a read asks for, by the Go field
// names of its credit type (DecisionNo, RecordParty, ...), sorted. Fields
// the rules need (a record's id, dates, scope and status; a subject's code,
// kind and name) are always read; the rest only when asked, so that a read
// costs what the request shows.
type Fields []string

// With returns f with names added (sorted, once each).
func (f Fields) With(names ...string) Fields {
	out := append(Fields(nil), f...)
	for _, n := range names {
		i := sort.SearchStrings(out, n)
		if i < len(out) && out[i] == n {
			continue
		}
		out = append(out, "")
		copy(out[i+1:], out[i:])
		out[i] = n
	}
	return out
}

// And returns the names f and o both hold.
func (f Fields) And(o Fields) Fields {
	var out Fields
	for _, n := range f {
		if o.Covers(Fields{n}) {
			out = append(out, n)
		}
	}
	return out
}

// Covers reports whether f holds every name of o.
func (f Fields) Covers(o Fields) bool {
	for _, n := range o {
		i := sort.SearchStrings(f, n)
		if i >= len(f) || f[i] != n {
			return false
		}
	}
	return true
}

// SubjectRead says which relations of a subject are read. A nil pointer
// or an empty slice means "not asked"; the zero value asks for the
// subject's own identity fields only.
type SubjectRead struct {
	// Fields are the subject's own fields asked.
	Fields Fields
	// LicenceFields and PenaltyFields are the fields asked of the records
	// on every page of them.
	LicenceFields Fields
	PenaltyFields Fields
	// LegalRep asks for the legal representative in office today, and what
	// to read of them.
	LegalRep *SubjectRead
	// KeyPersons asks for the organisation's key persons (all roles and
	// periods); Roles for the roles a person holds or held.
	KeyPersons *KeyPersonRead
	Roles      *KeyPersonRead
	// LicencePages and PenaltyPages are the distinct pages asked (aliases
	// may ask for several); LicenceCount and PenaltyCounts the totals (a
	// penalty count per `since`, the zero Date meaning all).
	LicencePages  []RecordPage
	LicenceCount  bool
	PenaltyPages  []RecordPage
	PenaltyCounts []Date
	// Entries asks for the subject's own list entries; Attributed for the
	// organisations' entries attributed to a person.
	Entries    *EntryRead
	Attributed *AttributedRead
	// TaxGrade asks for the grade of the latest assessed year.
	TaxGrade bool
}

// KeyPersonRead says what to read of each key-person link's two subjects.
type KeyPersonRead struct {
	Person       *SubjectRead
	Organization *SubjectRead
}

// EntryRead says what to read with each list entry. An entry's subject is
// the subject the entries are read for: what is read of it belongs to that
// subject's own read.
type EntryRead struct {
	Fields   Fields
	Measures bool
	// MeasureFields are the fields asked of the measures.
	MeasureFields Fields
}

// AttributedRead says what to read with each attributed entry; the
// entry's subject is the organisation.
type AttributedRead struct {
	Entry        EntryRead
	Organization *SubjectRead
}

// Relations reports whether r asks for anything beyond the subject's own
// fields.
func (r *SubjectRead) Relations() bool {
	return r != nil && (r.LegalRep != nil || r.KeyPersons != nil || r.Roles != nil ||
		len(r.LicencePages) > 0 || r.LicenceCount || len(r.PenaltyPages) > 0 || len(r.PenaltyCounts) > 0 ||
		r.Entries != nil || r.Attributed != nil || r.TaxGrade)
}

// Merge adds what o asks to r (either may be nil) and returns the result.
// r is changed; o never is, nor shared: what r takes of o is copied.
func (r *SubjectRead) Merge(o *SubjectRead) *SubjectRead {
	switch {
	case o == nil:
		return r
	case r == nil:
		return o.Clone()
	}
	r.Fields = r.Fields.With(o.Fields...)
	r.LicenceFields = r.LicenceFields.With(o.LicenceFields...)
	r.PenaltyFields = r.PenaltyFields.With(o.PenaltyFields...)
	r.LegalRep = r.LegalRep.Merge(o.LegalRep)
	r.KeyPersons = r.KeyPersons.merge(o.KeyPersons)
	r.Roles = r.Roles.merge(o.Roles)
	r.LicencePages = addPages(r.LicencePages, o.LicencePages)
	r.LicenceCount = r.LicenceCount || o.LicenceCount
	r.PenaltyPages = addPages(r.PenaltyPages, o.PenaltyPages)
	for _, d := range o.PenaltyCounts {
		r.AddPenaltyCount(d)
	}
	r.Entries = r.Entries.merge(o.Entries)
	if o.Attributed != nil {
		if r.Attributed == nil {
			r.Attributed = &AttributedRead{}
		}
		r.Attributed.Entry = *r.Attributed.Entry.merge(&o.Attributed.Entry)
		r.Attributed.Organization = r.Attributed.Organization.Merge(o.Attributed.Organization)
	}
	r.TaxGrade = r.TaxGrade || o.TaxGrade
	return r
}

// Clone returns a deep copy of r.
func (r *SubjectRead) Clone() *SubjectRead {
	if r == nil {
		return nil
	}
	c := &SubjectRead{
		Fields: append(Fields(nil), r.Fields...), LicenceFields: append(Fields(nil), r.LicenceFields...),
		PenaltyFields: append(Fields(nil), r.PenaltyFields...), LegalRep: r.LegalRep.Clone(),
		LicencePages: append([]RecordPage(nil), r.LicencePages...), LicenceCount: r.LicenceCount,
		PenaltyPages: append([]RecordPage(nil), r.PenaltyPages...), PenaltyCounts: append([]Date(nil), r.PenaltyCounts...),
		TaxGrade: r.TaxGrade,
	}
	c.KeyPersons = (*KeyPersonRead)(nil).merge(r.KeyPersons)
	c.Roles = (*KeyPersonRead)(nil).merge(r.Roles)
	c.Entries = (*EntryRead)(nil).merge(r.Entries)
	if r.Attributed != nil {
		c.Attributed = &AttributedRead{Entry: *(*EntryRead)(nil).merge(&r.Attributed.Entry), Organization: r.Attributed.Organization.Clone()}
	}
	return c
}

// AddLicencePage asks for page p of licences (once).
func (r *SubjectRead) AddLicencePage(p RecordPage) {
	r.LicencePages = addPages(r.LicencePages, []RecordPage{p})
}

// AddPenaltyPage asks for page p of penalties (once).
func (r *SubjectRead) AddPenaltyPage(p RecordPage) {
	r.PenaltyPages = addPages(r.PenaltyPages, []RecordPage{p})
}

// AddPenaltyCount asks for the count of penalties decided since d (once).
func (r *SubjectRead) AddPenaltyCount(d Date) {
	for _, x := range r.PenaltyCounts {
		if x == d {
			return
		}
	}
	r.PenaltyCounts = append(r.PenaltyCounts, d)
}

func addPages(to, from []RecordPage) []RecordPage {
next:
	for _, p := range from {
		for _, x := range to {
			if x == p {
				continue next
			}
		}
		to = append(to, p)
	}
	return to
}

func (k *KeyPersonRead) merge(o *KeyPersonRead) *KeyPersonRead {
	switch {
	case o == nil:
		return k
	case k == nil:
		return &KeyPersonRead{Person: o.Person.Clone(), Organization: o.Organization.Clone()}
	}
	k.Person = k.Person.Merge(o.Person)
	k.Organization = k.Organization.Merge(o.Organization)
	return k
}

func (e *EntryRead) merge(o *EntryRead) *EntryRead {
	switch {
	case o == nil:
		return e
	case e == nil:
		return &EntryRead{Fields: append(Fields(nil), o.Fields...), Measures: o.Measures,
			MeasureFields: append(Fields(nil), o.MeasureFields...)}
	}
	e.Fields = e.Fields.With(o.Fields...)
	e.Measures = e.Measures || o.Measures
	e.MeasureFields = e.MeasureFields.With(o.MeasureFields...)
	return e
}

// Key is a canonical text of r: two reads with the same key ask for the
// same things (the store caches one statement per key, and batches reads
// with one key into one statement).
func (r *SubjectRead) Key() string {
	var b strings.Builder
	r.write(&b)
	return b.String()
}

func (r *SubjectRead) write(b *strings.Builder) {
	if r == nil {
		b.WriteString("-")
		return
	}
	b.WriteByte('{')
	writeFields(b, "f", r.Fields)
	writeFields(b, "lf", r.LicenceFields)
	writeFields(b, "pf", r.PenaltyFields)
	if r.LegalRep != nil {
		b.WriteString("lr")
		r.LegalRep.write(b)
	}
	for _, kp := range []struct {
		name string
		k    *KeyPersonRead
	}{{"kp", r.KeyPersons}, {"ro", r.Roles}} {
		if kp.k != nil {
			b.WriteString(kp.name + "(")
			kp.k.Person.write(b)
			kp.k.Organization.write(b)
			b.WriteByte(')')
		}
	}
	writePages(b, "li", r.LicencePages)
	if r.LicenceCount {
		b.WriteString("lc")
	}
	writePages(b, "pe", r.PenaltyPages)
	if len(r.PenaltyCounts) > 0 {
		ds := make([]string, len(r.PenaltyCounts))
		for i, d := range r.PenaltyCounts {
			ds[i] = d.String()
		}
		sort.Strings(ds)
		b.WriteString("pc[" + strings.Join(ds, ",") + "]")
	}
	if r.Entries != nil {
		b.WriteString("en")
		r.Entries.write(b)
	}
	if r.Attributed != nil {
		b.WriteString("at(")
		r.Attributed.Entry.write(b)
		r.Attributed.Organization.write(b)
		b.WriteByte(')')
	}
	if r.TaxGrade {
		b.WriteString("tg")
	}
	b.WriteByte('}')
}

func (e *EntryRead) write(b *strings.Builder) {
	b.WriteByte('(')
	writeFields(b, "f", e.Fields)
	if e.Measures {
		b.WriteByte('m')
		writeFields(b, "", e.MeasureFields)
	}
	b.WriteByte(')')
}

func writeFields(b *strings.Builder, name string, f Fields) {
	if len(f) > 0 {
		b.WriteString(name + "<" + strings.Join(f, ",") + ">")
	}
}

func writePages(b *strings.Builder, name string, pages []RecordPage) {
	if len(pages) == 0 {
		return
	}
	ps := make([]string, len(pages))
	for i, p := range pages {
		ps[i] = strconv.Itoa(p.First) + "/" + p.AfterDate.String() + "/" + strconv.FormatInt(p.AfterID, 10) + "/" + p.Since.String()
	}
	sort.Strings(ps)
	b.WriteString(name + "[" + strings.Join(ps, ";") + "]")
}

// SubjectNode is what a subject read got for one subject: the subject and
// the relations asked, each marked as fetched so that "nothing" is never
// mistaken for "not asked". Related subjects are referred to by id; their
// own nodes come in the same result.
type SubjectNode struct {
	// Subject is the subject as the caller may see it (masked); Code is its
	// code as stored, which the query-use log and the cache key on.
	Subject Subject
	Code    string
	// Fields are the subject's fields read; LicenceFields, PenaltyFields,
	// EntryFields and MeasureFields those of its records (of every page and
	// entry read, attributed entries included).
	Fields, LicenceFields, PenaltyFields, EntryFields, MeasureFields Fields

	HasLegalRep bool
	LegalRepID  int64 // 0: none in office today

	HasKeyPersons bool
	KeyPersons    []KeyPerson
	HasRoles      bool
	Roles         []KeyPerson

	LicencePages map[RecordPage][]Licence // First+1 rows at most: the extra one says a next page exists
	LicenceCount *int
	PenaltyPages map[RecordPage][]Penalty
	// PenaltyCounts by since (the zero Date: all).
	PenaltyCounts map[Date]int

	HasEntries bool
	Entries    []ListEntry // with Measures when they were asked (non-nil)

	HasAttributed bool
	Attributed    []AttributedEntry

	HasTaxGrade bool
	TaxGrade    *TaxCreditGrade
}

// Merged returns a new node with what n and o (both about the same
// subject) fetched, o's where both did. n is not changed: a node may be
// read by other goroutines while a later read of its subject completes.
func (n *SubjectNode) Merged(o *SubjectNode) *SubjectNode {
	m := *n
	if !n.Fields.Covers(o.Fields) {
		m.Subject, m.Fields = o.Subject, o.Fields.With(n.Fields...)
		m.Subject = mergeSubject(n.Subject, o.Subject, n.Fields)
	}
	if o.HasLegalRep {
		m.HasLegalRep, m.LegalRepID = true, o.LegalRepID
	}
	if o.HasKeyPersons {
		m.HasKeyPersons, m.KeyPersons = true, o.KeyPersons
	}
	if o.HasRoles {
		m.HasRoles, m.Roles = true, o.Roles
	}
	if len(o.LicencePages) > 0 {
		m.LicencePages, m.LicenceFields = mergeMaps(n.LicencePages, o.LicencePages), o.LicenceFields
	}
	if o.LicenceCount != nil {
		m.LicenceCount = o.LicenceCount
	}
	if len(o.PenaltyPages) > 0 {
		m.PenaltyPages, m.PenaltyFields = mergeMaps(n.PenaltyPages, o.PenaltyPages), o.PenaltyFields
	}
	if len(o.PenaltyCounts) > 0 {
		m.PenaltyCounts = mergeMaps(n.PenaltyCounts, o.PenaltyCounts)
	}
	switch {
	case o.HasEntries && o.HasAttributed, !n.HasEntries && !n.HasAttributed:
		m.EntryFields, m.MeasureFields = o.EntryFields, o.MeasureFields
	case o.HasEntries || o.HasAttributed:
		// One of the two replaced, the other kept: what both hold.
		m.EntryFields, m.MeasureFields = n.EntryFields.And(o.EntryFields), n.MeasureFields.And(o.MeasureFields)
	}
	if o.HasEntries {
		m.HasEntries, m.Entries = true, o.Entries
	}
	if o.HasAttributed {
		m.HasAttributed, m.Attributed = true, o.Attributed
	}
	if o.HasTaxGrade {
		m.HasTaxGrade, m.TaxGrade = true, o.TaxGrade
	}
	return &m
}

func mergeMaps[K comparable, V any](a, b map[K]V) map[K]V {
	out := make(map[K]V, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// mergeSubject keeps from a the fields of have, the rest from b: two reads
// of one subject with different fields.
func mergeSubject(a, b Subject, have Fields) Subject {
	out := b
	for _, f := range have {
		switch f {
		case "Status":
			out.Status = a.Status
		case "RegisteredOn":
			out.RegisteredOn = a.RegisteredOn
		case "Address":
			out.Address = a.Address
		case "District":
			out.District = a.District
		case "LegacyIdentifiers":
			out.LegacyIdentifiers = a.LegacyIdentifiers
		case "IdentifierWarningList":
			out.IdentifierWarningList = a.IdentifierWarningList
		}
	}
	return out
}

func entriesHaveMeasures(es []ListEntry) bool {
	return len(es) == 0 || es[0].Measures != nil
}

func attributedEntry(r *SubjectRead) *EntryRead {
	if r.Attributed == nil {
		return nil
	}
	return &r.Attributed.Entry
}

// Covers reports whether n already holds everything r asks of this subject
// itself (not of the subjects it leads to).
func (n *SubjectNode) Covers(r *SubjectRead) bool {
	if r == nil {
		return true
	}
	if !n.Fields.Covers(r.Fields) {
		return false
	}
	if len(r.LicencePages) > 0 && !n.LicenceFields.Covers(r.LicenceFields) ||
		len(r.PenaltyPages) > 0 && !n.PenaltyFields.Covers(r.PenaltyFields) {
		return false
	}
	for _, e := range []*EntryRead{r.Entries, attributedEntry(r)} {
		if e != nil && (!n.EntryFields.Covers(e.Fields) || e.Measures && !n.MeasureFields.Covers(e.MeasureFields)) {
			return false
		}
	}
	if r.LegalRep != nil && !n.HasLegalRep || r.KeyPersons != nil && !n.HasKeyPersons || r.Roles != nil && !n.HasRoles {
		return false
	}
	if r.LicenceCount && n.LicenceCount == nil || r.TaxGrade && !n.HasTaxGrade || r.Attributed != nil && !n.HasAttributed {
		return false
	}
	if r.Entries != nil && (!n.HasEntries || r.Entries.Measures && !entriesHaveMeasures(n.Entries)) {
		return false
	}
	if r.Attributed != nil && r.Attributed.Entry.Measures {
		for _, a := range n.Attributed {
			if a.Entry.Measures == nil {
				return false
			}
		}
	}
	for _, p := range r.LicencePages {
		if _, ok := n.LicencePages[p]; !ok {
			return false
		}
	}
	for _, p := range r.PenaltyPages {
		if _, ok := n.PenaltyPages[p]; !ok {
			return false
		}
	}
	for _, d := range r.PenaltyCounts {
		if _, ok := n.PenaltyCounts[d]; !ok {
			return false
		}
	}
	return true
}
