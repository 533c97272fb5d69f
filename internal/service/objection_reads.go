package service

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// Reads of objections and corrections: the office's and departments'
// searches, and the batches behind a record's underObjection, objections
// and corrections. A record's fields change only by writes that invalidate
// its subject's cached answers, so they may be cached with the subject
// read that showed the record; the searches are never cached.

// RecordKey names a record for the loaders behind its fields.
type RecordKey = store.RecordRefKey

// RecordObjections is what the loader of a record's objection fields gets.
type RecordObjections struct {
	// Open: an objection against the record is being handled.
	Open bool
	// Visible are the record's objections the caller may read: all for
	// the credit office, the ones it verifies for a department, none for
	// the others.
	Visible []credit.Objection
}

// ObjectionsOfRecords returns, for each key, whether the record is under
// objection and its objections the caller may read; every key gets an
// entry. The caller has been shown the records already.
func (s *Service) ObjectionsOfRecords(ctx context.Context, keys []RecordKey) (map[RecordKey]RecordObjections, error) {
	rows, err := s.db.ObjectionsOfRecords(ctx, keys)
	if err != nil {
		return nil, err
	}
	c := credit.CallerFrom(ctx)
	today := s.today(ctx)
	out := make(map[RecordKey]RecordObjections, len(keys))
	for _, k := range keys {
		out[k] = RecordObjections{Visible: []credit.Objection{}}
	}
	for _, o := range rows {
		k := RecordKey{Kind: o.RecordKind, ID: o.RecordID}
		if o.RecordKind == credit.RecordKindTaxGrade {
			k.SubjectID = o.SubjectID
		}
		ro := out[k]
		ro.Open = ro.Open || o.Open()
		if c.Role.May(credit.ActReadObjections) && (c.Role != credit.RoleDepartment || deref(o.DepartmentCode) == c.Department) {
			o.Lateness = s.lateness(o.StageDue(), today)
			ro.Visible = append(ro.Visible, o)
		}
		out[k] = ro
	}
	return out, nil
}

// CorrectionsOfRecords returns each record's corrections, oldest first;
// every key gets an entry. FORBIDDEN for roles that do not read them.
func (s *Service) CorrectionsOfRecords(ctx context.Context, keys []RecordKey) (map[RecordKey][]credit.Correction, error) {
	if _, err := s.authorize(ctx, credit.ActReadCorrections); err != nil {
		return nil, err
	}
	rows, err := s.db.CorrectionsOfRecords(ctx, keys)
	if err != nil {
		return nil, err
	}
	out := make(map[RecordKey][]credit.Correction, len(keys))
	for _, k := range keys {
		out[k] = []credit.Correction{}
	}
	for _, c := range rows {
		k := RecordKey{Kind: c.RecordKind, ID: c.RecordID}
		if c.RecordKind == credit.RecordKindTaxGrade {
			k.SubjectID = c.SubjectID
		}
		out[k] = append(out[k], c)
	}
	return out, nil
}

// CorrectionsOfObjections returns the corrections made under each
// objection; every id gets an entry. FORBIDDEN for roles that do not read
// corrections.
func (s *Service) CorrectionsOfObjections(ctx context.Context, ids []int64) (map[int64][]credit.Correction, error) {
	if _, err := s.authorize(ctx, credit.ActReadCorrections); err != nil {
		return nil, err
	}
	rows, err := s.db.CorrectionsOfObjections(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]credit.Correction, len(ids))
	for _, id := range ids {
		out[id] = []credit.Correction{}
	}
	for _, c := range rows {
		out[c.ObjectionID] = append(out[c.ObjectionID], c)
	}
	return out, nil
}

// ObjectionPage is one page of a search of objections.
type ObjectionPage struct {
	Objections  []credit.Objection
	HasNextPage bool
	TotalCount  int
}

// Objections searches objections, newest first: the credit office all of
// them, a department those it verifies. first is at most 100; after is a
// cursor from an earlier page. Errors: FORBIDDEN for other roles, and on
// filter.department for a department asking for another's; BAD_USER_INPUT
// for a bad page or subject code.
func (s *Service) Objections(ctx context.Context, f credit.ObjectionFilter, first int, after string) (ObjectionPage, error) {
	uncacheable(ctx, "objections")
	dept, err := s.objectionView(ctx, credit.ActReadObjections, "filter.department", f.Department)
	if err != nil {
		return ObjectionPage{}, err
	}
	afterID, err := pageArgs(first, after)
	if err != nil {
		return ObjectionPage{}, err
	}
	if f.SubjectCode != "" {
		lc, err := credit.ParseLookupCode("filter.subjectCode", f.SubjectCode)
		if err != nil {
			return ObjectionPage{}, err
		}
		f.SubjectCode = lc.Code
	}
	today := s.today(ctx)
	rows, n, err := s.db.Objections(ctx, store.ObjectionQuery{Filter: f, Department: dept, Today: today, AfterID: afterID, Limit: first + 1})
	if err != nil {
		return ObjectionPage{}, err
	}
	p := ObjectionPage{TotalCount: n}
	if len(rows) > first {
		rows, p.HasNextPage = rows[:first], true
	}
	for i := range rows {
		rows[i].Lateness = s.lateness(rows[i].StageDue(), today)
	}
	p.Objections = rows
	return p, nil
}

// RightsCursor is the cursor of an objection, repair or report in a page.
func RightsCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("r:" + strconv.FormatInt(id, 10)))
}

// pageArgs checks a page size and decodes an after cursor (0: none).
func pageArgs(first int, after string) (int64, error) {
	if err := checkFirst("first", first); err != nil {
		return 0, err
	}
	if after == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(after)
	id, perr := strconv.ParseInt(strings.TrimPrefix(string(raw), "r:"), 10, 64)
	if err != nil || perr != nil || !strings.HasPrefix(string(raw), "r:") || id < 1 {
		return 0, credit.FieldErrorf("after", "is not a cursor of this list")
	}
	return id, nil
}
