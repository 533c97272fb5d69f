package graph

import (
	"errors"

	"github.com/vektah/gqlparser/v2"
)

// ValidateDocument reports whether query is a GraphQL document that
// validates against the hub's schema (what the operator installs as a
// persisted operation must run).
func ValidateDocument(query string) error {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	_, errs := gqlparser.LoadQuery(schema, query)
	if len(errs) == 0 {
		return nil
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return errors.Join(out...)
}
