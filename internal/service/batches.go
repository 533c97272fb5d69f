package service

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
)

// The methods in this file answer one batch of a request-scoped loader
// each: one statement for the whole batch, whatever its size. Every key of
// the batch gets an entry (empty when there is nothing), so that "nothing"
// is never mistaken for "not found".

// SubjectsByIDs returns the subjects with the given ids (reached through
// another record), masked for the caller.
func (s *Service) SubjectsByIDs(ctx context.Context, ids []int64) (map[int64]credit.Subject, error) {
	markUncachable(ctx) // loaded data has no generation: never cached whole
	c, a := s.access(ctx)
	if !a.ReadSubjects {
		return nil, forbidden(c.Role, "read subjects")
	}
	rows, err := s.db.SubjectsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	if err := s.noteReads(ctx, rows...); err != nil {
		return nil, err
	}
	out := make(map[int64]credit.Subject, len(rows))
	for _, r := range rows {
		out[r.ID] = a.Masked(r)
	}
	return out, nil
}

// KeyPersonsByOrganizations returns each organisation's key persons; the
// published view shows legal representatives only.
func (s *Service) KeyPersonsByOrganizations(ctx context.Context, orgIDs []int64) (map[int64][]credit.KeyPerson, error) {
	markUncachable(ctx) // loaded data has no generation: never cached whole
	a, err := s.requireRecords(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.KeyPersonsByOrganizations(ctx, orgIDs)
	return group(orgIDs, keepRoles(rows, a), err, func(k credit.KeyPerson) int64 { return k.OrganizationID })
}

// RolesByPersons returns the roles each person holds or held.
func (s *Service) RolesByPersons(ctx context.Context, personIDs []int64) (map[int64][]credit.KeyPerson, error) {
	markUncachable(ctx) // loaded data has no generation: never cached whole
	a, err := s.requireRecords(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.KeyPersonsByPersons(ctx, personIDs)
	return group(personIDs, keepRoles(rows, a), err, func(k credit.KeyPerson) int64 { return k.PersonID })
}

// keepRoles keeps the roles the access may see: a published view shows
// who represents an organisation (it is on its public registration), not
// who else works there.
func keepRoles(rows []credit.KeyPerson, a credit.Access) []credit.KeyPerson {
	if !a.PublishedOnly {
		return rows
	}
	kept := rows[:0:0]
	for _, k := range rows {
		if k.Role == credit.LegalRepresentative {
			kept = append(kept, k)
		}
	}
	return kept
}

// LicencePages returns one page of visible licences per subject (First+1
// rows at most, the extra one telling that a next page exists).
func (s *Service) LicencePages(ctx context.Context, subjectIDs []int64, p credit.RecordPage) (map[int64][]credit.Licence, error) {
	markUncachable(ctx) // loaded data has no generation: never cached whole
	a, err := s.requireRecords(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.LicencesBySubjects(ctx, subjectIDs, p, s.view(ctx))
	for i := range rows {
		rows[i].RecordParty = a.MaskedParty(rows[i].RecordParty)
	}
	return group(subjectIDs, rows, err, func(l credit.Licence) int64 { return l.SubjectID })
}

// PenaltyPages returns one page of visible penalties per subject.
func (s *Service) PenaltyPages(ctx context.Context, subjectIDs []int64, p credit.RecordPage) (map[int64][]credit.Penalty, error) {
	markUncachable(ctx) // loaded data has no generation: never cached whole
	a, err := s.requireRecords(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.PenaltiesBySubjects(ctx, subjectIDs, p, s.view(ctx))
	for i := range rows {
		rows[i].RecordParty = a.MaskedParty(rows[i].RecordParty)
	}
	return group(subjectIDs, rows, err, func(l credit.Penalty) int64 { return l.SubjectID })
}

// LicenceCounts counts each subject's visible licences.
func (s *Service) LicenceCounts(ctx context.Context, subjectIDs []int64) (map[int64]int, error) {
	markUncachable(ctx) // loaded data has no generation: never cached whole
	if _, err := s.requireRecords(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.CountLicences(ctx, subjectIDs, s.view(ctx))
	return counts(subjectIDs, rows, err)
}

// PenaltyCounts counts each subject's visible penalties decided on or after since.
func (s *Service) PenaltyCounts(ctx context.Context, subjectIDs []int64, since credit.Date) (map[int64]int, error) {
	markUncachable(ctx) // loaded data has no generation: never cached whole
	if _, err := s.requireRecords(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.CountPenalties(ctx, subjectIDs, since, s.view(ctx))
	return counts(subjectIDs, rows, err)
}

// ListEntriesBySubjects returns each subject's own visible list entries.
func (s *Service) ListEntriesBySubjects(ctx context.Context, subjectIDs []int64) (map[int64][]credit.ListEntry, error) {
	markUncachable(ctx) // loaded data has no generation: never cached whole
	if _, err := s.requireRecords(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.ListEntriesBySubjects(ctx, subjectIDs)
	return group(subjectIDs, s.visibleEntries(ctx, rows), err, func(e credit.ListEntry) int64 { return e.SubjectID })
}

// visibleEntries keeps the entries the caller may see: in a visible scope
// and, for the published view, in force today.
func (s *Service) visibleEntries(ctx context.Context, rows []credit.ListEntry) []credit.ListEntry {
	markUncachable(ctx) // loaded data has no generation: never cached whole
	c, a := s.access(ctx)
	today := s.Today()
	kept := rows[:0:0]
	for _, e := range rows {
		if !a.SeesScope(e.UseScope, e.DepartmentCode, c.Department) {
			continue
		}
		if a.PublishedOnly && !e.InForceOn(today) {
			continue
		}
		kept = append(kept, e)
	}
	return kept
}

// AttributedEntries returns, per person, the organisations' black-list
// entries recorded against them (credit.Attributable) that the caller may see.
func (s *Service) AttributedEntries(ctx context.Context, personIDs []int64) (map[int64][]credit.AttributedEntry, error) {
	markUncachable(ctx) // loaded data has no generation: never cached whole
	if _, err := s.requireRecords(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.AttributionCandidates(ctx, personIDs)
	if err != nil {
		return nil, err
	}
	entries := make([]credit.ListEntry, len(rows))
	for i, r := range rows {
		entries[i] = r.Entry
	}
	visible := map[int64]bool{}
	for _, e := range s.visibleEntries(ctx, entries) {
		visible[e.ID] = true
	}
	kept := rows[:0]
	for _, r := range rows {
		if visible[r.Entry.ID] && credit.Attributable(r.Entry, r.Via) {
			kept = append(kept, r)
		}
	}
	return group(personIDs, kept, nil, func(a credit.AttributedEntry) int64 { return a.Via.PersonID })
}

// MeasuresByEntries returns the measures each list entry triggered. The
// catalogue is public; the entries were filtered before.
func (s *Service) MeasuresByEntries(ctx context.Context, entryIDs []int64) (map[int64][]credit.Measure, error) {
	markUncachable(ctx) // loaded data has no generation: never cached whole
	if _, err := s.requireRecords(ctx); err != nil {
		return nil, err
	}
	m, err := s.db.MeasuresByEntries(ctx, entryIDs)
	if err != nil {
		return nil, err
	}
	for _, id := range entryIDs {
		if _, ok := m[id]; !ok {
			m[id] = nil
		}
	}
	return m, nil
}

// LatestTaxGrades returns each subject's latest tax credit grade, nil if
// none. Only A grades are published (the tax bureau's annual A-grade list);
// the published view sees no other grade.
func (s *Service) LatestTaxGrades(ctx context.Context, subjectIDs []int64) (map[int64]*credit.TaxCreditGrade, error) {
	markUncachable(ctx) // loaded data has no generation: never cached whole
	a, err := s.requireRecords(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.LatestTaxGrades(ctx, subjectIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*credit.TaxCreditGrade, len(subjectIDs))
	for _, id := range subjectIDs {
		out[id] = nil
	}
	for i := range rows {
		if a.PublishedOnly && rows[i].Grade != credit.GradeA {
			continue
		}
		out[rows[i].SubjectID] = &rows[i]
	}
	return out, nil
}

// group files rows under their key, giving every requested key an entry.
func group[T any](keys []int64, rows []T, err error, keyOf func(T) int64) (map[int64][]T, error) {
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]T, len(keys))
	for _, k := range keys {
		out[k] = nil
	}
	for _, r := range rows {
		out[keyOf(r)] = append(out[keyOf(r)], r)
	}
	return out, nil
}

func counts(keys []int64, rows []storeCount, err error) (map[int64]int, error) {
	if err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(keys))
	for _, k := range keys {
		out[k] = 0
	}
	for _, r := range rows {
		out[r.SubjectID] = r.Count
	}
	return out, nil
}
