package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
)

// state is what the GraphQL layer keeps for one request: the subjects read
// so far (already masked for the caller) and the batch loaders of records
// met outside a subject read. The pipeline creates it with the request.
type state struct {
	svc *service.Service

	mu    sync.Mutex
	nodes map[int64]*credit.SubjectNode
	// trees batch subject reads by what they read and their purpose.
	trees map[treeKey]*batchLoader[int64, struct{}]
	// reads remembers the read of each field's selection: list elements
	// share their field, and walking it again for each would cost more than
	// the read.
	reads map[readKey]*credit.SubjectRead

	cases       *batchLoader[int64, *credit.JointCase]
	entries     *batchLoader[int64, *credit.ListEntry]
	measure     *batchLoader[int64, *credit.Measure]
	measures    *batchLoader[int64, []credit.Measure]
	assignments *batchLoader[int64, []credit.Assignment]
	executions  *batchLoader[int64, []credit.Execution]
	feedback    *batchLoader[int64, []credit.Feedback]
	overdue     *batchLoader[int64, []credit.Overdue]
	// rights are the loaders of objections and corrections (rights.go).
	rights lazyRights
}

type treeKey struct{ read, purpose string }

type stateKey struct{}

func newState(svc *service.Service) *state {
	return &state{
		svc:         svc,
		nodes:       map[int64]*credit.SubjectNode{},
		trees:       map[treeKey]*batchLoader[int64, struct{}]{},
		reads:       map[readKey]*credit.SubjectRead{},
		cases:       newBatchLoader(svc.CasesByIDs),
		entries:     newBatchLoader(svc.EntriesByIDs),
		measure:     newBatchLoader(svc.MeasuresByIDs),
		measures:    newBatchLoader(svc.MeasuresByEntries),
		assignments: newBatchLoader(svc.AssignmentsByCases),
		executions:  newBatchLoader(svc.ExecutionsByAssignments),
		feedback:    newBatchLoader(svc.FeedbackByCases),
		overdue:     newBatchLoader(svc.Overdue),
	}
}

func withState(ctx context.Context, st *state) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}

// stateFrom returns the request's state; a resolver reached outside the
// pipeline (a test calling the executor directly) gets a fresh one.
func stateFrom(ctx context.Context) *state {
	if st, ok := ctx.Value(stateKey{}).(*state); ok {
		return st
	}
	panic("graph: no request state in the context (the pipeline creates it)")
}

// node returns what the request has read of subject id, or nil.
func (st *state) node(id int64) *credit.SubjectNode {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.nodes[id]
}

// keep files the nodes of a read, merging them with what was read before.
func (st *state) keep(nodes map[int64]*credit.SubjectNode) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for id, n := range nodes {
		if old, ok := st.nodes[id]; ok {
			st.nodes[id] = old.Merged(n)
		} else {
			st.nodes[id] = n
		}
	}
}

// subject returns subject id with what r asks of it, reading it (with the
// siblings that ask the same at the same moment, in one statement) unless
// the request has it already, and records it as read for purpose.
func (st *state) subject(ctx context.Context, purpose string, id int64, r *credit.SubjectRead) (*credit.SubjectNode, error) {
	if n := st.node(id); n != nil && n.Covers(r) {
		// Read before, maybe for another purpose: this read carries its own.
		return n, st.svc.NoteRead(ctx, purpose, n.Code)
	}
	if _, err := st.tree(purpose, r).Load(ctx, id); err != nil {
		return nil, err
	}
	return st.node(id), nil
}

// tree returns the loader of subject reads asking r for purpose.
func (st *state) tree(purpose string, r *credit.SubjectRead) *batchLoader[int64, struct{}] {
	k := treeKey{read: r.Key(), purpose: purpose}
	st.mu.Lock()
	defer st.mu.Unlock()
	l, ok := st.trees[k]
	if !ok {
		l = newBatchLoader(func(ctx context.Context, ids []int64) (map[int64]struct{}, error) {
			nodes, err := st.svc.ReadSubjects(ctx, purpose, ids, r)
			if err != nil {
				return nil, err
			}
			st.keep(nodes)
			out := make(map[int64]struct{}, len(ids))
			for _, id := range ids {
				if _, ok := nodes[id]; ok {
					out[id] = struct{}{}
				}
			}
			return out, nil
		})
		st.trees[k] = l
	}
	return l
}

// readKey names the read of a field: of its selection (what it returns), or
// of the field itself on its parent subject (self). A field met in several
// places (a fragment used twice) may have its selection merged with other
// occurrences in one place and not in another, so the key names the
// selection too: its length and first and last elements, which are the
// document's own nodes.
type readKey struct {
	field       *ast.Field
	self        bool
	n           int
	first, last ast.Selection
}

func keyOf(f *ast.Field, sel ast.SelectionSet, self bool) readKey {
	k := readKey{field: f, self: self, n: len(sel)}
	if len(sel) > 0 {
		k.first, k.last = sel[0], sel[len(sel)-1]
	}
	return k
}

// readOf returns the read of the field being resolved: what its selection
// asks (self false: the field returns subjects) or what the field asks of
// the subject it belongs to (self true).
func (st *state) readOf(ctx context.Context, self bool) *credit.SubjectRead {
	fc := graphql.GetFieldContext(ctx)
	k := keyOf(fc.Field.Field, fc.Field.Selections, self)
	st.mu.Lock()
	r, ok := st.reads[k]
	st.mu.Unlock()
	if ok {
		return r
	}
	// Walk the selection once, remembering the read of every field below
	// (their resolvers find it), and of this one; or take the walk another
	// request of the same query made (readmemo.go).
	var own *ast.Field // the field's own arguments count only when it is read itself
	if self {
		own = fc.Field.Field
	}
	w := fieldReads.walk(graphql.GetOperationContext(ctx), memoField{readKey: k, kind: "read"}, own, fc.Field.Selections,
		func() memoWalk {
			sel := fc.Field.Selections
			if self {
				// The field itself, with its selection merged over its occurrences.
				f := *fc.Field.Field
				f.SelectionSet = fc.Field.Selections
				sel = ast.SelectionSet{&f}
			}
			found := map[readKey]*credit.SubjectRead{}
			r := subjectReadOf(ctx, sel, func(k readKey, r *credit.SubjectRead) { found[k] = r })
			if self {
				for fk, fr := range found {
					if fk.self && fk.n == k.n && fk.first == k.first && fk.last == k.last {
						r = fr
					}
				}
			}
			return memoWalk{read: r, found: found}
		})
	r = w.read
	st.mu.Lock()
	for k, fr := range w.found {
		if _, ok := st.reads[k]; !ok {
			st.reads[k] = fr
		}
	}
	st.reads[k] = r
	st.mu.Unlock()
	return r
}

// readOfChildren returns the read that the fields named name of type typ
// directly below the field being resolved ask (a check's subject), merged
// over aliases, and remembers each such field's read for its resolver.
func (st *state) readOfChildren(ctx context.Context, typ, name string) *credit.SubjectRead {
	oc := graphql.GetOperationContext(ctx)
	fc := graphql.GetFieldContext(ctx)
	k := memoField{readKey: keyOf(fc.Field.Field, fc.Field.Selections, false), kind: "children " + typ + "." + name}
	w := fieldReads.walk(oc, k, nil, fc.Field.Selections, func() (w memoWalk) {
		w.found = map[readKey]*credit.SubjectRead{}
		defer func() {
			if recover() != nil { // see subjectReadOf: the resolver reports bad arguments
				w.read = nil
			}
		}()
		rw := readWalker{oc: oc, memo: func(k readKey, r *credit.SubjectRead) { w.found[k] = r }}
		for _, f := range graphql.CollectFields(oc, fc.Field.Selections, []string{typ}) {
			if f.Name == name {
				w.read = w.read.Merge(rw.returning(f, 0))
			}
		}
		return w
	})
	st.mu.Lock()
	for k, fr := range w.found {
		if _, ok := st.reads[k]; !ok {
			st.reads[k] = fr
		}
	}
	st.mu.Unlock()
	return w.read
}
