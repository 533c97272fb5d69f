package graph

import (
	"slices"
	"testing"

	"github.com/credithub/credithub/internal/store"
)

// Subject reads write only the columns asked for; a GraphQL field that
// mapped to no column would silently show its zero value. Every field of
// the record types a subject read shows must map to columns the store can
// read (or, for relations, be read as a relation).
func TestEveryFieldOfARecordReadMapsToColumnsTheStoreReads(t *testing.T) {
	relations := map[string][]string{
		"Subject": {"legalRepresentative", "keyPersons", "roles", "licences", "penalties", "listEntries",
			"attributedListEntries", "taxCreditGrade", "queryLog"},
	}
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	for _, typ := range []string{"Subject", "Licence", "Penalty", "ListEntry", "Measure"} {
		columns := store.RecordColumns(typ)
		def := schema.Types[typ]
		if def == nil || len(columns) == 0 {
			t.Fatalf("%s: no type or no columns", typ)
		}
		for _, f := range def.Fields {
			if slices.Contains(relations[typ], f.Name) || len(f.Name) > 1 && f.Name[:2] == "__" {
				continue
			}
			names, mapped := goFieldNames[typ][f.Name]
			if !mapped {
				names = goField(typ, f.Name)
			}
			if names == nil && !mapped {
				t.Errorf("%s.%s maps to nothing", typ, f.Name)
			}
			for _, n := range names {
				if !slices.Contains(columns, n) {
					t.Errorf("%s.%s reads %s, which the store does not read", typ, f.Name, n)
				}
			}
		}
	}
}
