package store

import (
	"sync"

	"github.com/credithub/credithub/internal/credit"
)

// subjectReadSQL caches the statement of each read shape.
var subjectReadSQL = struct {
	mu sync.Mutex
	m  map[string]string
}{m: map[string]string{}}

// nodeJSON is one subject of a read's result as the statement builds it.
type nodeJSON struct {
	S  credit.Subject         `json:"s"`
	LR *nodeJSON              `json:"lr"`
	KP []linkJSON             `json:"kp"`
	RO []linkJSON             `json:"ro"`
	LP [][]licenceRow         `json:"lp"`
	LC *int                   `json:"lc"`
	PP [][]penaltyRow         `json:"pp"`
	PC []int                  `json:"pc"`
	EN []entryRow             `json:"en"`
	AT []attributedRow        `json:"at"`
	TG *credit.TaxCreditGrade `json:"tg"`
}

type linkJSON struct {
	K credit.KeyPerson `json:"k"`
	O *nodeJSON        `json:"o"`
}

type licenceRow struct {
	credit.Licence
	P credit.RecordParty `json:"P"`
}

type penaltyRow struct {
	credit.Penalty
	P credit.RecordParty `json:"P"`
}

type entryRow struct {
	E credit.ListEntry `json:"e"`
	M []credit.Measure `json:"m"`
}

type attributedRow struct {
	E entryRow         `json:"e"`
	K credit.KeyPerson `json:"k"`
	O *nodeJSON        `json:"o"`
}

// add files n and every subject it leads to into nodes (merging what was
// read of a subject met twice) and returns n's id. r is what was asked of
// n: it says which relations were fetched, so that "none" and "not asked"
// stay apart.
func (n *nodeJSON) add(nodes map[int64]*credit.SubjectNode, r *credit.SubjectRead) int64 {
	if r == nil {
		r = &credit.SubjectRead{}
	}
	out := &credit.SubjectNode{Subject: n.S, Code: n.S.Code, Fields: fieldsOf(r.Fields, subjectAlways)}
	if len(r.LicencePages) > 0 {
		out.LicenceFields = fieldsOf(r.LicenceFields, recordAlways)
	}
	if len(r.PenaltyPages) > 0 {
		out.PenaltyFields = fieldsOf(r.PenaltyFields, recordAlways)
	}
	if r.Entries != nil || r.Attributed != nil {
		er := entryRead(r)
		out.EntryFields = er.Fields
		if er.Measures {
			out.MeasureFields = er.MeasureFields
		}
	}
	if r.LegalRep != nil {
		out.HasLegalRep = true
		if n.LR != nil {
			out.LegalRepID = n.LR.add(nodes, r.LegalRep)
		}
	}
	if r.KeyPersons != nil {
		out.HasKeyPersons, out.KeyPersons = true, links(nodes, n.KP, r.KeyPersons.Person)
	}
	if r.Roles != nil {
		out.HasRoles, out.Roles = true, links(nodes, n.RO, r.Roles.Organization)
	}
	for i, p := range r.LicencePages {
		if out.LicencePages == nil {
			out.LicencePages = make(map[credit.RecordPage][]credit.Licence, len(r.LicencePages))
		}
		rows := make([]credit.Licence, 0, len(n.LP[i]))
		for _, l := range n.LP[i] {
			l.Licence.RecordParty = l.P
			rows = append(rows, l.Licence)
		}
		out.LicencePages[p] = rows
	}
	if r.LicenceCount {
		c := 0
		if n.LC != nil {
			c = *n.LC
		}
		out.LicenceCount = &c
	}
	for i, p := range r.PenaltyPages {
		if out.PenaltyPages == nil {
			out.PenaltyPages = make(map[credit.RecordPage][]credit.Penalty, len(r.PenaltyPages))
		}
		rows := make([]credit.Penalty, 0, len(n.PP[i]))
		for _, x := range n.PP[i] {
			x.Penalty.RecordParty = x.P
			rows = append(rows, x.Penalty)
		}
		out.PenaltyPages[p] = rows
	}
	for i, d := range r.PenaltyCounts {
		if out.PenaltyCounts == nil {
			out.PenaltyCounts = make(map[credit.Date]int, len(r.PenaltyCounts))
		}
		out.PenaltyCounts[d] = n.PC[i]
	}
	measures := entryRead(r).Measures
	if r.Entries != nil {
		out.HasEntries, out.Entries = true, entries(n.EN, measures)
	}
	if r.Attributed != nil {
		out.HasAttributed = true
		out.Attributed = make([]credit.AttributedEntry, 0, len(n.AT))
		for _, a := range n.AT {
			e := entries([]entryRow{a.E}, measures)[0]
			out.Attributed = append(out.Attributed, credit.AttributedEntry{Entry: e, Via: a.K})
			if a.O != nil {
				a.O.add(nodes, r.Attributed.Organization)
			}
		}
	}
	if r.TaxGrade {
		out.HasTaxGrade, out.TaxGrade = true, n.TG
	}
	if old, ok := nodes[out.Subject.ID]; ok {
		nodes[out.Subject.ID] = old.Merged(out)
	} else {
		nodes[out.Subject.ID] = out
	}
	return out.Subject.ID
}

func links(nodes map[int64]*credit.SubjectNode, ls []linkJSON, other *credit.SubjectRead) []credit.KeyPerson {
	out := make([]credit.KeyPerson, 0, len(ls))
	for _, l := range ls {
		out = append(out, l.K)
		if l.O != nil {
			l.O.add(nodes, other)
		}
	}
	return out
}

func entries(es []entryRow, measures bool) []credit.ListEntry {
	out := make([]credit.ListEntry, 0, len(es))
	for _, e := range es {
		if measures {
			e.E.Measures = e.M
			if e.E.Measures == nil {
				e.E.Measures = []credit.Measure{}
			}
		}
		out = append(out, e.E)
	}
	return out
}
