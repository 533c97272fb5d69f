package graph

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/credithub/credithub/internal/credit"
)

// PresentError is the one place where errors become GraphQL errors. A
// credit.Error keeps its message and gets its code in extensions.code (and
// the input field in extensions.field); gqlgen's own parse and validation
// errors pass through; anything else is logged with its path and shown as
// "internal error", so SQL, hosts and stack traces never reach a client.
func PresentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var ce *credit.Error
		if errors.As(err, &ce) {
			if ce.Code == credit.Unavailable {
				log.WarnContext(ctx, "unavailable", "path", pathOf(ctx, err).String(), "err", err)
			}
			gerr := gqlerror.WrapPath(pathOf(ctx, err), err)
			locate(ctx, gerr)
			gerr.Message = ce.Error()
			gerr.Extensions = map[string]any{"code": string(ce.Code)}
			if ce.Field != "" {
				gerr.Extensions["field"] = ce.Field
			}
			return gerr
		}
		var gerr *gqlerror.Error
		if errors.As(err, &gerr) && gerr.Err == nil {
			// Produced by gqlgen itself (parse, validation, limits): safe to
			// show. Parse and validation errors keep the codes every GraphQL
			// client knows; the complexity limit is bad input like the others.
			if gerr.Extensions["code"] == "COMPLEXITY_LIMIT_EXCEEDED" {
				gerr.Extensions["code"], gerr.Extensions["reason"] = string(credit.BadUserInput), "COMPLEXITY_LIMIT_EXCEEDED"
			}
			return gerr
		}
		path := pathOf(ctx, err)
		if strings.HasSuffix(err.Error(), "introspection disabled") {
			// gqlgen refuses __schema, __type and _service with a plain error.
			return locate(ctx, &gqlerror.Error{
				Message:    "introspection is available to the ADMIN role only (and _service to authenticated callers)",
				Path:       path,
				Extensions: map[string]any{"code": string(credit.Forbidden)},
			})
		}
		log.ErrorContext(ctx, "internal error", "path", path.String(), "err", err)
		return locate(ctx, &gqlerror.Error{
			Message:    "internal error",
			Path:       path,
			Extensions: map[string]any{"code": string(credit.Internal)},
		})
	}
}

// locate gives an error about the field being resolved that field's place
// in the document ("locations", as the GraphQL specification asks of field
// errors); the answer lists errors in that order (sortErrors).
func locate(ctx context.Context, gerr *gqlerror.Error) *gqlerror.Error {
	if len(gerr.Locations) > 0 {
		return gerr
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Position == nil || !samePath(gerr.Path, fc.Path()) {
		return gerr
	}
	gerr.Locations = []gqlerror.Location{{Line: fc.Field.Position.Line, Column: fc.Field.Position.Column}}
	return gerr
}

func samePath(a, b ast.Path) bool {
	return len(a) == len(b) && comparePaths(a, b) == 0
}

// pathOf returns the field path of err, or of the field being resolved.
func pathOf(ctx context.Context, err error) ast.Path {
	var gerr *gqlerror.Error
	if errors.As(err, &gerr) && gerr.Path != nil {
		return gerr.Path
	}
	return graphql.GetPath(ctx)
}

// Recover turns a panic in a resolver into an internal error, logged with
// its value; the server keeps serving.
func Recover(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "panic in resolver", "path", graphql.GetPath(ctx).String(), "panic", fmt.Sprint(v))
		return errors.New("panic")
	}
}

// sortErrors puts errors in the order of the fields they are about in the
// document (their location), list elements by index, then by message:
// gqlgen collects them from fields resolved side by side, in whatever order
// those finished, and the same request should get the same bytes every time
// (clients compare answers; the first error names the request's outcome in
// the metrics). Errors without a location come first.
func sortErrors(errs gqlerror.List) {
	slices.SortStableFunc(errs, func(a, b *gqlerror.Error) int {
		if c := compareLocations(a.Locations, b.Locations); c != 0 {
			return c
		}
		if c := comparePaths(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
}

func compareLocations(a, b []gqlerror.Location) int {
	switch {
	case len(a) == 0 || len(b) == 0:
		return cmp.Compare(len(a), len(b))
	case a[0].Line != b[0].Line:
		return cmp.Compare(a[0].Line, b[0].Line)
	}
	return cmp.Compare(a[0].Column, b[0].Column)
}

func comparePaths(a, b ast.Path) int {
	for i := range min(len(a), len(b)) {
		if c := comparePathElements(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

// comparePathElements puts list indexes in number order and before names.
func comparePathElements(a, b ast.PathElement) int {
	ai, aIndex := a.(ast.PathIndex)
	bi, bIndex := b.(ast.PathIndex)
	switch {
	case aIndex && bIndex:
		return cmp.Compare(ai, bi)
	case aIndex:
		return -1
	case bIndex:
		return 1
	}
	an, _ := a.(ast.PathName)
	bn, _ := b.(ast.PathName)
	return strings.Compare(string(an), string(bn))
}
