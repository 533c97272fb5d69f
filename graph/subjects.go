package graph

import (
	"context"
	"errors"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
)

// How resolvers reach subjects. A field that returns subjects reads them
// with everything its selection asks below it (subjectReadOf), in one
// statement; the relation fields below then find what they need in the
// request's state and read nothing. Only a relation the read did not cover
// (a subject reached through a list entry of the root list, a mutation's
// payload) reads on its own, batched with its siblings.

// errMissingSubject is a reference to a subject that does not exist, which
// foreign keys make impossible: an internal error if it happens.
var errMissingSubject = errors.New("graph: subject referenced by a record is missing")

// subjectOut resolves a field that returns subject id.
func subjectOut(ctx context.Context, id int64) (*credit.Subject, error) {
	st := stateFrom(ctx)
	n, err := st.subject(ctx, rootPurpose(ctx), id, st.readOf(ctx, false))
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, errMissingSubject
	}
	s := n.Subject
	return &s, nil
}

// nodeFor returns what the request read of obj, with at least what the
// field being resolved asks of it.
func nodeFor(ctx context.Context, obj *credit.Subject) (*credit.SubjectNode, error) {
	st := stateFrom(ctx)
	need := st.readOf(ctx, true)
	if n := st.node(obj.ID); n != nil && n.Covers(need) {
		return n, nil
	}
	n, err := st.subject(ctx, rootPurpose(ctx), obj.ID, need)
	if err == nil && n == nil {
		err = errMissingSubject
	}
	return n, err
}

// prefetchSubjects reads, in one statement, what sel (a selection on
// Subject) asks of each of the subjects ids, so that their fields find it.
func prefetchSubjects(ctx context.Context, ids []int64, sel ast.SelectionSet) error {
	read := subjectReadOf(ctx, sel, nil)
	if len(ids) == 0 || !read.Relations() {
		return nil
	}
	st := stateFrom(ctx)
	nodes, err := st.svc.ReadSubjects(ctx, rootPurpose(ctx), ids, read)
	if err != nil {
		return err
	}
	st.keep(nodes)
	return nil
}

// step is one field of a path below the field being resolved: the type
// that has the field, and its name.
type step struct{ typ, field string }

// childSelection returns the selection at the end of path (e.g. a
// connection's edges, then the edges' node) below the field being
// resolved, merged over aliases and fragments.
func childSelection(ctx context.Context, path ...step) ast.SelectionSet {
	oc := graphql.GetOperationContext(ctx)
	sel := graphql.GetFieldContext(ctx).Field.Selections
	for _, s := range path {
		var next ast.SelectionSet
		for _, f := range graphql.CollectFields(oc, sel, []string{s.typ}) {
			if f.Name == s.field {
				next = append(next, f.Selections...)
			}
		}
		sel = next
	}
	return sel
}

// rootPurpose is the purpose argument of the root field the field being
// resolved belongs to ("" when it has none: the caller's header then
// counts): every read under an aliased root field carries that field's
// purpose.
func rootPurpose(ctx context.Context) string {
	var root *graphql.FieldContext
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if fc.Field.Field != nil { // list elements and the root object have no field
			root = fc
		}
	}
	if root == nil {
		return ""
	}
	switch p := root.Args["purpose"].(type) {
	case string:
		return p
	case *string:
		if p != nil {
			return *p
		}
	}
	return ""
}

// nodeWith returns what the request read of subject id with at least need
// (a connection's total, whose parent is the connection, not the subject).
func nodeWith(ctx context.Context, id int64, need *credit.SubjectRead) (*credit.SubjectNode, error) {
	st := stateFrom(ctx)
	if n := st.node(id); n != nil && n.Covers(need) {
		return n, nil
	}
	n, err := st.subject(ctx, rootPurpose(ctx), id, need)
	if err == nil && n == nil {
		err = errMissingSubject
	}
	return n, err
}

// today is the request's day.
func today(ctx context.Context) credit.Date {
	if r := service.RequestFrom(ctx); r != nil {
		return r.Day
	}
	return credit.DateOf(time.Now())
}

// checkSubject resolves a subject a check shows (its subject, a key
// person): the check read and masked it already, so only a selection that
// asks for its relations reads more.
func checkSubject(ctx context.Context, s credit.Subject) (*credit.Subject, error) {
	if !stateFrom(ctx).readOf(ctx, false).Relations() {
		return &s, nil
	}
	return subjectOut(ctx, s.ID)
}
