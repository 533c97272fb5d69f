package graph

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/credithub/credithub/internal/credit"
)

// The read a field's selection asks for is a pure function of the parsed
// document and the values of the variables used under the field: gqlgen
// keeps one parsed document per query text (persisted or not), so the same
// field of the same query asks for the same read in every request that
// gives those variables the same values. fieldReads remembers walks across
// requests: the walk was ≈ 9 % of the server's CPU on an uncached window
// read, a lookup is a map access. The reads it hands out are shared and
// must not be changed; nothing after the walk changes a read (they are
// only merged into fresh ones, credit.SubjectRead.Merge).
var fieldReads = readMemo{}

// readMemoSize bounds the memo: a walk costs microseconds, so when this
// many reads are remembered (new query texts, or variables that take many
// values, such as dates) it starts again from empty rather than keeping
// an order of use. Its keys hold their documents (AST pointers): kept
// near gqlgen's own cache of 1,000 parsed documents, it never holds many
// more documents than that cache does.
const readMemoSize = 1024

type readMemo struct {
	mu sync.Mutex
	// walks are the remembered walks; varsOf the variables used under a
	// field, sorted (what its walks depend on besides the document).
	walks  map[memoKey]memoWalk
	varsOf map[memoField][]string
}

// memoField names a walk of a field apart from variables: the field and
// its merged selection (readKey), and what was walked (walkKind).
type memoField struct {
	readKey
	kind string
}

type memoKey struct {
	memoField
	vars string
}

// memoWalk is a walk's result: the read asked for, and the reads of every
// field met on the way (handed to the request's state for the resolvers
// below).
type memoWalk struct {
	read  *credit.SubjectRead
	found map[readKey]*credit.SubjectRead
}

// walk returns the remembered walk of f for the variables of oc, or runs
// fn, remembers and returns what it found. fn must depend on nothing but
// the document and the variables.
func (m *readMemo) walk(oc *graphql.OperationContext, f memoField, field *ast.Field, sel ast.SelectionSet,
	fn func() memoWalk) memoWalk {
	m.mu.Lock()
	names, ok := m.varsOf[f]
	m.mu.Unlock()
	if !ok {
		names = variablesUsed(oc.Doc, field, sel)
	}
	k := memoKey{memoField: f, vars: variableValues(oc.Variables, names)}
	m.mu.Lock()
	w, hit := m.walks[k]
	m.mu.Unlock()
	if hit {
		return w
	}
	w = fn()
	m.mu.Lock()
	if len(m.walks) >= readMemoSize || m.walks == nil {
		m.walks = make(map[memoKey]memoWalk, 64)
	}
	if len(m.varsOf) >= readMemoSize || m.varsOf == nil {
		m.varsOf = make(map[memoField][]string, 64)
	}
	m.walks[k] = w
	m.varsOf[f] = names
	m.mu.Unlock()
	return w
}

// variableValues encodes the values of the named variables, types
// included (a string "5" is not the number 5), in the names' order.
func variableValues(vars map[string]any, names []string) string {
	if len(names) == 0 {
		return ""
	}
	var b strings.Builder
	for _, n := range names {
		v, set := vars[n]
		// %#v keeps strings quoted, so no value's text can pass for the
		// separator; a variable left out differs from one given as null.
		fmt.Fprintf(&b, "%s=%t:%T:%#v;", n, set, v, v)
	}
	return b.String()
}

// variablesUsed lists, sorted, the variables used anywhere under sel,
// through fragments too, and in field's own arguments and directives when
// field is given (a walk of the field itself; a walk of what it returns
// does not depend on them: the subject's code is not part of its read).
func variablesUsed(doc *ast.QueryDocument, field *ast.Field, sel ast.SelectionSet) []string {
	seen := map[string]bool{}
	var fromValue func(v *ast.Value)
	fromValue = func(v *ast.Value) {
		if v == nil {
			return
		}
		if v.Kind == ast.Variable {
			seen[v.Raw] = true
		}
		for _, c := range v.Children {
			fromValue(c.Value)
		}
	}
	fromArgs := func(args ast.ArgumentList) {
		for _, a := range args {
			fromValue(a.Value)
		}
	}
	fromDirectives := func(ds ast.DirectiveList) {
		for _, d := range ds {
			fromArgs(d.Arguments)
		}
	}
	fragments := map[string]bool{}
	var fromSelection func(sel ast.SelectionSet, depth int)
	fromSelection = func(sel ast.SelectionSet, depth int) {
		if depth > maxReadDepth*2 {
			return
		}
		for _, s := range sel {
			switch s := s.(type) {
			case *ast.Field:
				fromArgs(s.Arguments)
				fromDirectives(s.Directives)
				fromSelection(s.SelectionSet, depth+1)
			case *ast.InlineFragment:
				fromDirectives(s.Directives)
				fromSelection(s.SelectionSet, depth+1)
			case *ast.FragmentSpread:
				fromDirectives(s.Directives)
				def := s.Definition
				if def == nil && doc != nil {
					def = doc.Fragments.ForName(s.Name)
				}
				if def == nil || fragments[s.Name] {
					continue // walked already: its variables are in
				}
				fragments[s.Name] = true
				fromDirectives(def.Directives)
				fromSelection(def.SelectionSet, depth+1)
			}
		}
	}
	if field != nil {
		fromArgs(field.Arguments)
		fromDirectives(field.Directives)
	}
	fromSelection(sel, 0)
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
