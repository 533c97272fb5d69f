package graph

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/credithub/credithub/graph/scalar"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
)

// subjectReadOf turns the selection of a field that returns subjects into
// the credit.SubjectRead that answers it: every relation asked below, at
// any depth, with its arguments. Fragments, aliases and @skip/@include are
// resolved by gqlgen's own CollectFields, the function the executor uses,
// so the read asks exactly for what the resolvers will then look up. A
// relation whose arguments do not parse is left out: its resolver reports
// the error, and nothing is read for it. memo, when set, receives the read
// of every field met on the way (what it returns, and what it asks of its
// subject), so that no resolver below walks its selection again.
func subjectReadOf(ctx context.Context, sel ast.SelectionSet, memo func(readKey, *credit.SubjectRead)) (r *credit.SubjectRead) {
	defer func() {
		// ast.Field.ArgumentMap panics on a value it cannot convert; the
		// resolver then reports it as the client's error.
		if recover() != nil {
			r = &credit.SubjectRead{}
		}
	}()
	w := readWalker{oc: graphql.GetOperationContext(ctx), memo: memo}
	return w.subject(sel, 0)
}

// maxReadDepth stops a read at the operation depth limit's order of size.
const maxReadDepth = 32

var (
	subjectTypes    = []string{"Subject", "_Entity"}
	keyPersonTypes  = []string{"KeyPerson"}
	entryTypes      = []string{"ListEntry"}
	attributedTypes = []string{"AttributedListEntry"}
)

type readWalker struct {
	oc   *graphql.OperationContext
	memo func(readKey, *credit.SubjectRead)
}

func (w readWalker) record(f graphql.CollectedField, self bool, r *credit.SubjectRead) {
	if w.memo != nil {
		w.memo(keyOf(f.Field, f.Selections, self), r)
	}
}

// subject is the read of a selection on Subject.
func (w readWalker) subject(sel ast.SelectionSet, depth int) *credit.SubjectRead {
	r := &credit.SubjectRead{}
	if depth > maxReadDepth {
		return r
	}
	for _, f := range graphql.CollectFields(w.oc, sel, subjectTypes) {
		r.Merge(w.field(f, depth))
	}
	return r
}

// returning is the read of a field that returns subjects: its selection's.
func (w readWalker) returning(f graphql.CollectedField, depth int) *credit.SubjectRead {
	r := w.subject(f.Selections, depth+1)
	w.record(f, false, r)
	return r
}

// field is what field f of a subject asks of that subject.
func (w readWalker) field(f graphql.CollectedField, depth int) *credit.SubjectRead {
	fr := &credit.SubjectRead{}
	switch f.Name {
	case "code", "displayCode", "kind", "name", "status", "registeredOn", "address", "district", "legacyIdentifiers", "identifierWarnings":
		fr.Fields = fr.Fields.With(goField("Subject", f.Name)...)
		return fr
	case "legalRepresentative":
		fr.LegalRep = w.returning(f, depth)
	case "keyPersons":
		fr.KeyPersons = w.links(fr, f.Selections, "person", "organization", depth)
	case "roles":
		fr.Roles = w.links(fr, f.Selections, "organization", "person", depth)
	case "licences":
		page, ok := recordPageArg(f, w.oc.Variables, false)
		if !ok {
			return fr
		}
		pages, count, fields := connectionParts(w.oc, f.Selections, "Licence")
		if pages {
			fr.AddLicencePage(page)
			fr.LicenceFields = fields
		}
		fr.LicenceCount = count
	case "penalties":
		page, ok := recordPageArg(f, w.oc.Variables, true)
		if !ok {
			return fr
		}
		pages, count, fields := connectionParts(w.oc, f.Selections, "Penalty")
		if pages {
			fr.AddPenaltyPage(page)
			fr.PenaltyFields = fields
		}
		if count {
			fr.AddPenaltyCount(page.Since)
		}
	case "listEntries":
		fr.Entries = &credit.EntryRead{}
		for _, g := range graphql.CollectFields(w.oc, f.Selections, entryTypes) {
			switch g.Name {
			case "measures":
				fr.Entries.Measures = true
				fr.Entries.MeasureFields = fr.Entries.MeasureFields.With(fieldsOf(w.oc, g.Selections, "Measure")...)
			case "subject": // the subject's own entries: it is the subject read here
				fr.Merge(w.returning(g, depth))
			default:
				fr.Entries.Fields = fr.Entries.Fields.With(goField("ListEntry", g.Name)...)
			}
		}
	case "attributedListEntries":
		// The organisation is always read: its entry shows, so it is a
		// subject the answer reads.
		fr.Attributed = &credit.AttributedRead{Organization: &credit.SubjectRead{}}
		for _, g := range graphql.CollectFields(w.oc, f.Selections, attributedTypes) {
			switch g.Name {
			case "organization":
				fr.Attributed.Organization.Merge(w.returning(g, depth))
			case "entry":
				for _, h := range graphql.CollectFields(w.oc, g.Selections, entryTypes) {
					switch h.Name {
					case "measures":
						fr.Attributed.Entry.Measures = true
						fr.Attributed.Entry.MeasureFields = fr.Attributed.Entry.MeasureFields.With(fieldsOf(w.oc, h.Selections, "Measure")...)
					case "subject":
						fr.Attributed.Organization.Merge(w.returning(h, depth))
					default:
						fr.Attributed.Entry.Fields = fr.Attributed.Entry.Fields.With(goField("ListEntry", h.Name)...)
					}
				}
			}
		}
	case "taxCreditGrade":
		fr.TaxGrade = true
	default:
		return fr
	}
	w.record(f, true, fr)
	return fr
}

// links is a keyPersons or roles selection: other is the field naming the
// subject at the link's other end, self the one naming the subject read
// here (merged into fr).
func (w readWalker) links(fr *credit.SubjectRead, sel ast.SelectionSet, other, self string, depth int) *credit.KeyPersonRead {
	k := &credit.KeyPersonRead{}
	for _, g := range graphql.CollectFields(w.oc, sel, keyPersonTypes) {
		switch g.Name {
		case other:
			o := w.returning(g, depth)
			if other == "person" {
				k.Person = k.Person.Merge(o)
			} else {
				k.Organization = k.Organization.Merge(o)
			}
		case self:
			fr.Merge(w.returning(g, depth))
		}
	}
	return k
}

// connectionParts says whether a connection of records of type node needs
// its page (edges or pageInfo), its total, and which fields of the records.
func connectionParts(oc *graphql.OperationContext, sel ast.SelectionSet, node string) (page, count bool, fields credit.Fields) {
	for _, f := range graphql.CollectFields(oc, sel, []string{node + "Connection"}) {
		switch f.Name {
		case "edges":
			page = true
			for _, g := range graphql.CollectFields(oc, f.Selections, []string{node + "Edge"}) {
				if g.Name == "node" {
					fields = fields.With(fieldsOf(oc, g.Selections, node)...)
				}
			}
		case "pageInfo":
			page = true
		case "totalCount":
			count = true
		}
	}
	return page, count, fields
}

// fieldsOf is the Go fields a selection on a record type asks for.
func fieldsOf(oc *graphql.OperationContext, sel ast.SelectionSet, typ string) credit.Fields {
	var out credit.Fields
	for _, f := range graphql.CollectFields(oc, sel, []string{typ}) {
		out = out.With(goField(typ, f.Name)...)
	}
	return out
}

// goFieldNames are the GraphQL fields whose Go fields are not named by
// upper-casing their first letter (gqlgen.yml's bindings, and methods that
// read several fields); nil means the field reads no column.
var goFieldNames = map[string]map[string][]string{
	"Subject": {"displayCode": {"Code"}, "legacyIdentifiers": {"LegacyIdentifiers"}, "identifierWarnings": {"IdentifierWarningList"}},
	"Licence": {"id": {"ID"}, "party": {"RecordParty"}, "decisionNumber": {"DecisionNo"}, "licenceNumber": {"LicenceNo"},
		"publishedOnTime": {"PublicationDeadline", "ReceivedAt"}, "warnings": {"WarningList"},
		"underObjection": nil, "objections": nil, "corrections": nil},
	"Penalty": {"id": {"ID"}, "party": {"RecordParty"}, "decisionNumber": {"DecisionNo"},
		"publishedOnTime": {"PublicationDeadline", "ReceivedAt"}, "warnings": {"WarningList"},
		"underObjection": nil, "objections": nil, "corrections": nil},
	"ListEntry": {"id": {"ID"}, "decisionNumber": {"DecisionNo"}, "exitDecisionNumber": {"ExitDecisionNo"},
		"inForce": nil, "subject": nil, "measures": nil, "underObjection": nil, "objections": nil, "corrections": nil},
	"Measure": {"id": {"ID"}, "appliesTo": {"Targets"}, "contexts": {"ContextList"}},
}

// goField returns the Go fields of typ that its GraphQL field name reads.
func goField(typ, name string) []string {
	if strings.HasPrefix(name, "__") {
		return nil
	}
	if names, ok := goFieldNames[typ][name]; ok {
		return names
	}
	return []string{strings.ToUpper(name[:1]) + name[1:]}
}

// recordPageArg reads a licences or penalties field's arguments as the
// resolver will (service.RecordPage), so that the page read is the page
// the resolver looks up.
func recordPageArg(f graphql.CollectedField, vars map[string]any, withSince bool) (credit.RecordPage, bool) {
	args := f.ArgumentMap(vars)
	first, ok := intArg(args["first"])
	if !ok {
		return credit.RecordPage{}, false
	}
	after, _ := args["after"].(string)
	var since credit.Date
	if withSince && args["since"] != nil {
		d, err := scalar.UnmarshalDate(args["since"])
		if err != nil {
			return credit.RecordPage{}, false
		}
		since = d
	}
	p, err := service.RecordPage(first, after, since)
	return p, err == nil
}

func intArg(v any) (int, bool) {
	switch x := v.(type) {
	case nil:
		return 0, true
	case int:
		return x, true
	case int64:
		return int(x), true
	case float64:
		return int(x), float64(int(x)) == x
	case json.Number:
		n, err := strconv.Atoi(string(x))
		return n, err == nil
	}
	return 0, false
}
