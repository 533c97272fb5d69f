package graph

import (
	"context"
	"errors"

	"github.com/credithub/credithub/graph/model"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
)

// Conversions between the lists and joint-workflow GraphQL types and the
// service's.

func listEntryInput(in model.ListEntryInput) credit.ListEntryInput {
	out := credit.ListEntryInput{SubjectCode: in.SubjectCode, Kind: in.Kind, Domain: in.Domain,
		DecisionNo: in.DecisionNumber, DecidedOn: in.DecidedOn, Facts: in.Facts,
		DecisionContent: deref(in.DecisionContent), StartsOn: in.StartsOn, EndsOn: in.EndsOn}
	if in.UseScope != nil {
		out.UseScope = *in.UseScope
	}
	return out
}

func exitInput(in model.ExitInput) credit.ExitInput {
	return credit.ExitInput{DecisionNo: in.DecisionNumber, DecidedOn: in.DecidedOn, Reason: in.Reason, Note: deref(in.Note)}
}

func listEntryFilter(f *model.ListEntryFilter) credit.ListEntryFilter {
	if f == nil {
		return credit.ListEntryFilter{}
	}
	return credit.ListEntryFilter{Kind: deref(f.Kind), Domain: deref(f.Domain), Status: deref(f.Status),
		Department: deref(f.Department), DecidedFrom: deref(f.DecidedFrom), DecidedTo: deref(f.DecidedTo)}
}

func jointCaseFilter(f *model.JointCaseFilter) credit.JointCaseFilter {
	if f == nil {
		return credit.JointCaseFilter{}
	}
	return credit.JointCaseFilter{Open: f.Open, Department: deref(f.Department), Domain: deref(f.Domain),
		OpenedFrom: deref(f.OpenedFrom), OpenedTo: deref(f.OpenedTo)}
}

func listEntryConnection(p service.ListEntryPage, hadCursor bool) *model.ListEntryConnection {
	c := &model.ListEntryConnection{Filter: p.Filter, Edges: make([]model.ListEntryEdge, len(p.Entries))}
	for i, e := range p.Entries {
		c.Edges[i] = model.ListEntryEdge{Cursor: service.ListEntryCursor(e.ID), Node: e}
	}
	c.PageInfo = pageInfo(len(c.Edges), p.HasNextPage, hadCursor, func(i int) string { return c.Edges[i].Cursor })
	return c
}

func jointCaseConnection(p service.JointCasePage, hadCursor bool) *model.JointCaseConnection {
	c := &model.JointCaseConnection{Filter: p.Filter, Edges: make([]model.JointCaseEdge, len(p.Cases))}
	for i, jc := range p.Cases {
		c.Edges[i] = model.JointCaseEdge{Cursor: service.JointCaseCursor(jc.ID), Node: jc}
	}
	c.PageInfo = pageInfo(len(c.Edges), p.HasNextPage, hadCursor, func(i int) string { return c.Edges[i].Cursor })
	return c
}

// loadOne resolves a reference through a loader whose batch returns nil
// for what the caller may not see: FORBIDDEN rather than a dangling null.
func loadOne[T any](ctx context.Context, l *batchLoader[int64, *T], id int64, what string) (*T, error) {
	v, err := l.Load(ctx, id)
	if errors.Is(err, errNoRow) || err == nil && v == nil {
		return nil, credit.Errorf(credit.Forbidden, "this %s is not visible to the caller", what)
	}
	return v, err
}
