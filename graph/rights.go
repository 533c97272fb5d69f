package graph

import (
	"context"
	"sync"

	"github.com/credithub/credithub/graph/model"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
)

// The subject's rights in GraphQL: conversions of the objection, repair
// and report inputs, and the request-scoped loaders behind a record's
// underObjection, objections and corrections, which work for a record
// however it was reached (a subject read, a check, a list, a payload).

// rightsLoaders batch the record fields of the rights; created on first
// use in a request (state.rights).
type rightsLoaders struct {
	objections  *batchLoader[service.RecordKey, service.RecordObjections]
	corrections *batchLoader[service.RecordKey, []credit.Correction]
	byObjection *batchLoader[int64, []credit.Correction]
}

// lazyRights holds a request's rights loaders.
type lazyRights struct {
	once sync.Once
	l    *rightsLoaders
}

// rightsLoaders returns the request's rights loaders.
func (st *state) rightsLoaders() *rightsLoaders {
	st.rights.once.Do(func() {
		st.rights.l = &rightsLoaders{
			objections:  newBatchLoader(st.svc.ObjectionsOfRecords),
			corrections: newBatchLoader(st.svc.CorrectionsOfRecords),
			byObjection: newBatchLoader(st.svc.CorrectionsOfObjections),
		}
	})
	return st.rights.l
}

func recordObjections(ctx context.Context, kind credit.RecordKind, id int64) (service.RecordObjections, error) {
	return stateFrom(ctx).rightsLoaders().objections.Load(ctx, service.RecordKey{Kind: kind, ID: id})
}

func underObjection(ctx context.Context, kind credit.RecordKind, id int64) (bool, error) {
	ro, err := recordObjections(ctx, kind, id)
	return ro.Open, err
}

func objectionsOf(ctx context.Context, kind credit.RecordKind, id int64) ([]credit.Objection, error) {
	ro, err := recordObjections(ctx, kind, id)
	return ro.Visible, err
}

func correctionsOf(ctx context.Context, kind credit.RecordKind, id int64) ([]credit.Correction, error) {
	return stateFrom(ctx).rightsLoaders().corrections.Load(ctx, service.RecordKey{Kind: kind, ID: id})
}

func correctionsOfObjection(ctx context.Context, id int64) ([]credit.Correction, error) {
	return stateFrom(ctx).rightsLoaders().byObjection.Load(ctx, id)
}

// recordKey reads a RecordKeyInput at field.
func recordKey(field string, in *model.RecordKeyInput) (credit.RecordKey, error) {
	if in == nil {
		return credit.RecordKey{}, credit.FieldErrorf(field, "is required")
	}
	k := credit.RecordKey{Kind: in.Kind, Year: deref(in.Year)}
	if in.ID != nil {
		id, err := recordID(field+".id", *in.ID)
		if err != nil {
			return k, err
		}
		k.ID = id
	}
	return k, nil
}

func objectionInput(in model.ObjectionInput) (credit.ObjectionInput, error) {
	k, err := recordKey("input.record", in.Record)
	return credit.ObjectionInput{SubjectCode: in.SubjectCode, Record: k, Fields: in.Fields, Reason: in.Reason,
		Evidence: in.Evidence}, err
}

func objectionDecision(in model.ObjectionDecisionInput) credit.Decision {
	d := credit.Decision{Outcome: in.Outcome, Answer: in.Answer, DecisionNo: deref(in.DecisionNumber)}
	for _, c := range in.Changes {
		d.Changes = append(d.Changes, credit.FieldChange{Field: c.Field, Value: c.Value})
	}
	return d
}

func repairInput(in model.RepairInput) (credit.RepairInput, error) {
	k, err := recordKey("input.record", in.Record)
	return credit.RepairInput{Record: k, ObligationsPerformed: in.ObligationsPerformed, Evidence: in.Evidence,
		Commitment: in.Commitment, Statement: deref(in.Statement)}, err
}

func reportInput(in model.ReportInput) credit.ReportInput {
	out := credit.ReportInput{SubjectCode: in.SubjectCode, SubjectName: deref(in.SubjectName), Facts: in.Facts, Evidence: in.Evidence}
	if in.ReporterName != nil || in.ReporterContact != nil {
		out.Reporter = &credit.Reporter{Name: deref(in.ReporterName), Contact: deref(in.ReporterContact)}
	}
	return out
}

func objectionFilter(f *model.ObjectionFilter) credit.ObjectionFilter {
	if f == nil {
		return credit.ObjectionFilter{}
	}
	return credit.ObjectionFilter{Status: deref(f.Status), Open: f.Open, Overdue: f.Overdue, RecordKind: deref(f.RecordKind),
		Department: deref(f.Department), SubjectCode: deref(f.SubjectCode), FiledFrom: deref(f.FiledFrom), FiledTo: deref(f.FiledTo)}
}

func repairFilter(f *model.RepairFilter) credit.RepairFilter {
	if f == nil {
		return credit.RepairFilter{}
	}
	return credit.RepairFilter{Status: deref(f.Status), Open: f.Open, Overdue: f.Overdue, RecordKind: deref(f.RecordKind),
		Department: deref(f.Department), SubjectCode: deref(f.SubjectCode), From: deref(f.RequestedFrom), To: deref(f.RequestedTo)}
}

func reportFilter(f *model.ReportFilter) credit.ReportFilter {
	if f == nil {
		return credit.ReportFilter{}
	}
	return credit.ReportFilter{Status: deref(f.Status), Overdue: f.Overdue, Department: deref(f.Department),
		From: deref(f.ReceivedFrom), To: deref(f.ReceivedTo)}
}

func rightsStatsQuery(from, to credit.Date, groupBy []credit.RightsDimension, f *model.RightsStatsFilter) credit.RightsStatsQuery {
	q := credit.RightsStatsQuery{From: from, To: to, GroupBy: groupBy}
	if f != nil {
		q.Filter = credit.RightsStatsFilter{Department: deref(f.Department), RecordKind: deref(f.RecordKind)}
	}
	return q
}

// rightsPage is a page of objections, repairs or reports as a connection's
// parts.
func rightsPage[T any](rows []T, id func(T) int64, hasNext bool, after *string) ([]string, *model.PageInfo) {
	cursors := make([]string, len(rows))
	for i, r := range rows {
		cursors[i] = service.RightsCursor(id(r))
	}
	pi := pageInfo(len(rows), hasNext, deref(after) != "", func(i int) string { return cursors[i] })
	return cursors, &pi
}

func objectionConnection(p service.ObjectionPage, after *string) *model.ObjectionConnection {
	cursors, pi := rightsPage(p.Objections, func(o credit.Objection) int64 { return o.ID }, p.HasNextPage, after)
	c := &model.ObjectionConnection{PageInfo: pi, TotalCount: p.TotalCount, Edges: make([]model.ObjectionEdge, len(cursors))}
	for i := range p.Objections {
		c.Edges[i] = model.ObjectionEdge{Cursor: cursors[i], Node: &p.Objections[i]}
	}
	return c
}

func repairConnection(p service.RepairPage, after *string) *model.RepairConnection {
	cursors, pi := rightsPage(p.Repairs, func(r credit.Repair) int64 { return r.ID }, p.HasNextPage, after)
	c := &model.RepairConnection{PageInfo: pi, TotalCount: p.TotalCount, Edges: make([]model.RepairEdge, len(cursors))}
	for i := range p.Repairs {
		c.Edges[i] = model.RepairEdge{Cursor: cursors[i], Node: &p.Repairs[i]}
	}
	return c
}

func reportConnection(p service.ReportPage, after *string) *model.ReportConnection {
	cursors, pi := rightsPage(p.Reports, func(r credit.Report) int64 { return r.ID }, p.HasNextPage, after)
	c := &model.ReportConnection{PageInfo: pi, TotalCount: p.TotalCount, Edges: make([]model.ReportEdge, len(cursors))}
	for i := range p.Reports {
		c.Edges[i] = model.ReportEdge{Cursor: cursors[i], Node: &p.Reports[i]}
	}
	return c
}

// ptr returns a pointer to a copy of v, for payloads.
func ptr[T any](v T, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	return &v, nil
}
