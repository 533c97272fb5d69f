package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/credithub/credithub/internal/credit"
)

// The limits that keep one request from taking the hub down, each with a
// clear error naming the limit.

// depthLimit refuses operations nested deeper than Max fields. The
// introspection subtrees (__schema, __type) are not counted: they are deep
// by nature and gated by the introspection rule instead.
type depthLimit struct{ Max int }

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if depth := selectionDepth(oc.Operation.SelectionSet, 0); depth > d.Max {
		return limitError("DEPTH_LIMIT_EXCEEDED", fmt.Sprintf("the operation is nested %d fields deep; at most %d are allowed", depth, d.Max))
	}
	return nil
}

func selectionDepth(set ast.SelectionSet, seen int) int {
	if seen > 64 { // fragments that reach themselves are refused by validation; stay safe anyway
		return seen
	}
	max := 0
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				continue
			}
			d = 1 + selectionDepth(s.SelectionSet, seen+1)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, seen+1)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				d = selectionDepth(s.Definition.SelectionSet, seen+1)
			}
		}
		if d > max {
			max = d
		}
	}
	return max
}

// introspectionByRole allows __schema and __type to ADMIN callers, and to
// everyone in development. `_service { sdl }` stays open to every
// authenticated caller, so a federation router with its own key can compose
// the graph while introspection is off for users.
type introspectionByRole struct{ Everyone bool }

func (introspectionByRole) ExtensionName() string                   { return "IntrospectionByRole" }
func (introspectionByRole) Validate(graphql.ExecutableSchema) error { return nil }
func (i introspectionByRole) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	role := credit.CallerFrom(ctx).Role
	oc.DisableIntrospection = !(i.Everyone || role == credit.RoleAdmin ||
		role != credit.RolePublic && onlyServiceSDL(oc.Operation.SelectionSet))
	return nil
}

func onlyServiceSDL(set ast.SelectionSet) bool {
	for _, sel := range set {
		f, ok := sel.(*ast.Field)
		if !ok || (f.Name != "_service" && f.Name != "__typename") {
			return false
		}
	}
	return len(set) > 0
}

func limitError(reason, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": string(credit.BadUserInput), "reason": reason}}
}

// connectionComplexity makes a connection cost its page size times its
// children, so that `first: 100` nested three deep is priced as what it is.
func connectionComplexity(child int, first *int) int {
	n := 20
	if first != nil && *first > 0 {
		n = *first
	}
	return 1 + n*child
}
