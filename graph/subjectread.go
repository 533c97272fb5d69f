package graph

import (
	"context"
	"encoding/json"
	"strconv"

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
// the error, and nothing is read for it.
func subjectReadOf(ctx context.Context, sel ast.SelectionSet) (r *credit.SubjectRead) {
	r = &credit.SubjectRead{}
	defer func() {
		// ast.Field.ArgumentMap panics on a value it cannot convert; the
		// resolver then reports it as the client's error.
		if recover() != nil {
			r = &credit.SubjectRead{}
		}
	}()
	oc := graphql.GetOperationContext(ctx)
	addSubjectRead(oc, r, sel, 0)
	return r
}

// maxReadDepth stops a read at the operation depth limit's order of size.
const maxReadDepth = 32

var (
	subjectTypes    = []string{"Subject", "_Entity"}
	keyPersonTypes  = []string{"KeyPerson"}
	entryTypes      = []string{"ListEntry"}
	attributedTypes = []string{"AttributedListEntry"}
)

func addSubjectRead(oc *graphql.OperationContext, r *credit.SubjectRead, sel ast.SelectionSet, depth int) {
	if depth > maxReadDepth {
		return
	}
	for _, f := range graphql.CollectFields(oc, sel, subjectTypes) {
		switch f.Name {
		case "legalRepresentative":
			if r.LegalRep == nil {
				r.LegalRep = &credit.SubjectRead{}
			}
			addSubjectRead(oc, r.LegalRep, f.Selections, depth+1)
		case "keyPersons":
			r.KeyPersons = addLinks(oc, r, r.KeyPersons, f.Selections, "person", "organization", depth)
		case "roles":
			r.Roles = addLinks(oc, r, r.Roles, f.Selections, "organization", "person", depth)
		case "licences":
			page, ok := recordPageArg(f, oc.Variables, false)
			if !ok {
				continue
			}
			pages, count := connectionParts(oc, f.Selections, "LicenceConnection")
			if pages {
				r.AddLicencePage(page)
			}
			r.LicenceCount = r.LicenceCount || count
		case "penalties":
			page, ok := recordPageArg(f, oc.Variables, true)
			if !ok {
				continue
			}
			pages, count := connectionParts(oc, f.Selections, "PenaltyConnection")
			if pages {
				r.AddPenaltyPage(page)
			}
			if count {
				r.AddPenaltyCount(page.Since)
			}
		case "listEntries":
			if r.Entries == nil {
				r.Entries = &credit.EntryRead{}
			}
			for _, g := range graphql.CollectFields(oc, f.Selections, entryTypes) {
				switch g.Name {
				case "measures":
					r.Entries.Measures = true
				case "subject": // the subject's own entries: it is the subject read here
					addSubjectRead(oc, r, g.Selections, depth+1)
				}
			}
		case "attributedListEntries":
			if r.Attributed == nil {
				// The organisation is always read: its entry shows, so it
				// is a subject the answer reads.
				r.Attributed = &credit.AttributedRead{Organization: &credit.SubjectRead{}}
			}
			for _, g := range graphql.CollectFields(oc, f.Selections, attributedTypes) {
				switch g.Name {
				case "organization":
					addSubjectRead(oc, r.Attributed.Organization, g.Selections, depth+1)
				case "entry":
					for _, h := range graphql.CollectFields(oc, g.Selections, entryTypes) {
						switch h.Name {
						case "measures":
							r.Attributed.Entry.Measures = true
						case "subject":
							addSubjectRead(oc, r.Attributed.Organization, h.Selections, depth+1)
						}
					}
				}
			}
		case "taxCreditGrade":
			r.TaxGrade = true
		}
	}
}

// addLinks adds a keyPersons or roles selection: other is the field naming
// the subject at the link's other end, self the one naming the subject
// read here (merged into r).
func addLinks(oc *graphql.OperationContext, r *credit.SubjectRead, k *credit.KeyPersonRead, sel ast.SelectionSet, other, self string, depth int) *credit.KeyPersonRead {
	if k == nil {
		k = &credit.KeyPersonRead{}
	}
	for _, g := range graphql.CollectFields(oc, sel, keyPersonTypes) {
		switch g.Name {
		case other:
			var o *credit.SubjectRead
			if other == "person" {
				if k.Person == nil {
					k.Person = &credit.SubjectRead{}
				}
				o = k.Person
			} else {
				if k.Organization == nil {
					k.Organization = &credit.SubjectRead{}
				}
				o = k.Organization
			}
			addSubjectRead(oc, o, g.Selections, depth+1)
		case self:
			addSubjectRead(oc, r, g.Selections, depth+1)
		}
	}
	return k
}

// connectionParts says whether a connection's selection needs its page
// (edges or pageInfo) and its total.
func connectionParts(oc *graphql.OperationContext, sel ast.SelectionSet, typ string) (page, count bool) {
	for _, f := range graphql.CollectFields(oc, sel, []string{typ}) {
		switch f.Name {
		case "edges", "pageInfo":
			page = true
		case "totalCount":
			count = true
		}
	}
	return page, count
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
