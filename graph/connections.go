package graph

import (
	"github.com/credithub/credithub/graph/model"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
)

// The functions here turn service results into Relay connections.

func subjectConnection(p service.SubjectPage, hadCursor bool) *model.SubjectConnection {
	c := &model.SubjectConnection{Filter: p.Filter, Edges: make([]model.SubjectEdge, len(p.Subjects))}
	for i, s := range p.Subjects {
		c.Edges[i] = model.SubjectEdge{Cursor: service.SubjectCursor(s.Code), Node: s}
	}
	c.PageInfo = pageInfo(len(c.Edges), p.HasNextPage, hadCursor, func(i int) string { return c.Edges[i].Cursor })
	return c
}

func licenceConnection(subjectID int64, rows []credit.Licence, p credit.RecordPage) *model.LicenceConnection {
	more := len(rows) > p.First
	if more {
		rows = rows[:p.First]
	}
	c := &model.LicenceConnection{SubjectID: subjectID, Edges: make([]model.LicenceEdge, len(rows))}
	for i, l := range rows {
		c.Edges[i] = model.LicenceEdge{Cursor: service.RecordCursor(l.DecidedOn, l.ID), Node: l}
	}
	c.PageInfo = pageInfo(len(rows), more, p.AfterID != 0, func(i int) string { return c.Edges[i].Cursor })
	return c
}

func penaltyConnection(subjectID int64, rows []credit.Penalty, p credit.RecordPage) *model.PenaltyConnection {
	more := len(rows) > p.First
	if more {
		rows = rows[:p.First]
	}
	c := &model.PenaltyConnection{SubjectID: subjectID, Since: p.Since, Edges: make([]model.PenaltyEdge, len(rows))}
	for i, l := range rows {
		c.Edges[i] = model.PenaltyEdge{Cursor: service.RecordCursor(l.DecidedOn, l.ID), Node: l}
	}
	c.PageInfo = pageInfo(len(rows), more, p.AfterID != 0, func(i int) string { return c.Edges[i].Cursor })
	return c
}

func pageInfo(n int, hasNext, hadCursor bool, cursor func(int) string) model.PageInfo {
	pi := model.PageInfo{HasNextPage: hasNext, HasPreviousPage: hadCursor}
	if n > 0 {
		start, end := cursor(0), cursor(n-1)
		pi.StartCursor, pi.EndCursor = &start, &end
	}
	return pi
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func subjectFilter(f *model.SubjectFilter) credit.SubjectFilter {
	if f == nil {
		return credit.SubjectFilter{}
	}
	return credit.SubjectFilter{
		NameContains: deref(f.NameContains),
		Kind:         deref(f.Kind),
		District:     deref(f.District),
		ListStatus:   deref(f.ListStatus),
	}
}
