package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"github.com/credithub/credithub/internal/credit"
)

// entityRepresentations checks the representations a federation router
// sends to _entities before gqlgen's generated code resolves them: a
// malformed one (not an object, no __typename, a type the hub does not
// own, a key that is missing or not a code) is the router's mistake and
// answers BAD_USER_INPUT naming its index, where the generated code would
// report an internal error. An opaque reference (credit.MaskedRefPrefix)
// is well formed: it names nobody, so it resolves to null.
type entityRepresentations struct{}

func (entityRepresentations) ExtensionName() string                   { return "EntityRepresentations" }
func (entityRepresentations) Validate(graphql.ExecutableSchema) error { return nil }

func (entityRepresentations) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Name != "_entities" || fc.Object != "Query" {
		return next(ctx)
	}
	reps, _ := fc.Args["representations"].([]map[string]any)
	for i, rep := range reps {
		if err := checkRepresentation(fmt.Sprintf("representations[%d]", i), rep); err != nil {
			return nil, err
		}
	}
	return next(ctx)
}

// checkRepresentation checks one representation; field names it.
func checkRepresentation(field string, rep map[string]any) error {
	typ, ok := rep["__typename"].(string)
	switch {
	case !ok:
		return credit.FieldErrorf(field, "a representation needs __typename (a string), got %v", rep["__typename"])
	case typ != "Subject":
		return credit.FieldErrorf(field, "the hub resolves entities of type Subject only, got %q", typ)
	}
	code, ok := rep["code"].(string)
	if !ok {
		return credit.FieldErrorf(field+".code", "a Subject representation needs its key code (a string), got %v", rep["code"])
	}
	if credit.IsMaskedRef(code) {
		return nil
	}
	_, err := credit.ParseLookupCode(field+".code", code)
	return err
}
