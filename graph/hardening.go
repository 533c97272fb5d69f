package graph

import (
	"context"
	"fmt"
	"strings"

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
// authenticated caller and to every request a ROUTER forwards (whoever its
// end user), so a federation router can compose the graph while
// introspection is off for users.
type introspectionByRole struct{ Everyone bool }

func (introspectionByRole) ExtensionName() string                   { return "IntrospectionByRole" }
func (introspectionByRole) Validate(graphql.ExecutableSchema) error { return nil }
func (i introspectionByRole) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	c := credit.CallerFrom(ctx)
	oc.DisableIntrospection = !(i.Everyone || c.Role == credit.RoleAdmin ||
		(c.Role != credit.RolePublic || c.Router != "") && onlyServiceSDL(oc.Operation.SelectionSet))
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

// textInput refuses a NUL character in any string the operation carries, in
// its variables or written in the document, naming where it is: PostgreSQL
// text cannot hold one, and a string that reached a statement would fail
// it with an internal error instead of the client's.
type textInput struct{}

func (textInput) ExtensionName() string                   { return "TextInput" }
func (textInput) Validate(graphql.ExecutableSchema) error { return nil }
func (textInput) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	for name, v := range oc.Variables {
		if path, ok := nulIn(v, "variables."+name); ok {
			return nulError(path)
		}
	}
	if path, ok := nulInSelection(oc.Operation.SelectionSet, 0); ok {
		return nulError(path)
	}
	return nil
}

func nulError(path string) *gqlerror.Error {
	return &gqlerror.Error{Message: path + ": contains a NUL character (U+0000), which text may not hold",
		Extensions: map[string]any{"code": string(credit.BadUserInput), "field": path}}
}

// nulIn finds a NUL in a variable's value (decoded JSON: strings, lists, objects).
func nulIn(v any, path string) (string, bool) {
	switch x := v.(type) {
	case string:
		return path, strings.ContainsRune(x, 0)
	case []any:
		for i, e := range x {
			if p, ok := nulIn(e, fmt.Sprintf("%s[%d]", path, i)); ok {
				return p, true
			}
		}
	case map[string]any:
		for k, e := range x {
			if p, ok := nulIn(e, path+"."+k); ok {
				return p, true
			}
		}
	}
	return "", false
}

// nulInSelection finds a NUL in the string arguments written in the document.
func nulInSelection(set ast.SelectionSet, seen int) (string, bool) {
	if seen > 64 {
		return "", false
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			for _, a := range s.Arguments {
				if p, ok := nulInValue(a.Value, s.Name+"."+a.Name); ok {
					return p, true
				}
			}
			if p, ok := nulInSelection(s.SelectionSet, seen+1); ok {
				return p, true
			}
		case *ast.InlineFragment:
			if p, ok := nulInSelection(s.SelectionSet, seen+1); ok {
				return p, true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil {
				if p, ok := nulInSelection(s.Definition.SelectionSet, seen+1); ok {
					return p, true
				}
			}
		}
	}
	return "", false
}

func nulInValue(v *ast.Value, path string) (string, bool) {
	if v == nil {
		return "", false
	}
	if (v.Kind == ast.StringValue || v.Kind == ast.BlockValue) && strings.ContainsRune(v.Raw, 0) {
		return path, true
	}
	for _, c := range v.Children {
		p := path
		if c.Name != "" {
			p += "." + c.Name
		}
		if q, ok := nulInValue(c.Value, p); ok {
			return q, true
		}
	}
	return "", false
}
