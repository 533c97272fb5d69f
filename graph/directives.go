package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"

	"github.com/credithub/credithub/internal/credit"
)

// allow implements @allow(roles): a field refused to the caller's role is a
// FORBIDDEN error on that field. The service applies the same rules (and
// record scopes and masking) again, so a resolver reached another way is
// no hole.
func allow(ctx context.Context, _ any, next graphql.Resolver, roles []credit.Role) (any, error) {
	c := credit.CallerFrom(ctx)
	if !slices.Contains(roles, c.Role) {
		return nil, credit.Errorf(credit.Forbidden, "the %s role may not read %s", c.Role, graphql.GetFieldContext(ctx).Field.Name)
	}
	return next(ctx)
}
