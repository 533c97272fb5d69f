package service

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
)

// The methods in this file answer one batch of a request-scoped loader
// each: one statement for the whole batch, whatever its size. Every key of
// the batch gets an entry (empty when there is nothing), so that "nothing"
// is never mistaken for "not found".

// SubjectsByIDs returns the subjects with the given ids.
func (s *Service) SubjectsByIDs(ctx context.Context, ids []int64) (map[int64]credit.Subject, error) {
	rows, err := s.db.SubjectsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]credit.Subject, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// KeyPersonsByOrganizations returns each organisation's key persons.
func (s *Service) KeyPersonsByOrganizations(ctx context.Context, orgIDs []int64) (map[int64][]credit.KeyPerson, error) {
	rows, err := s.db.KeyPersonsByOrganizations(ctx, orgIDs)
	return group(orgIDs, rows, err, func(k credit.KeyPerson) int64 { return k.OrganizationID })
}

// RolesByPersons returns the roles each person holds or held.
func (s *Service) RolesByPersons(ctx context.Context, personIDs []int64) (map[int64][]credit.KeyPerson, error) {
	rows, err := s.db.KeyPersonsByPersons(ctx, personIDs)
	return group(personIDs, rows, err, func(k credit.KeyPerson) int64 { return k.PersonID })
}

// LicencePages returns one page of licences per subject (First+1 rows at
// most, the extra one telling that a next page exists).
func (s *Service) LicencePages(ctx context.Context, subjectIDs []int64, p credit.RecordPage) (map[int64][]credit.Licence, error) {
	rows, err := s.db.LicencesBySubjects(ctx, subjectIDs, p)
	return group(subjectIDs, rows, err, func(l credit.Licence) int64 { return l.SubjectID })
}

// PenaltyPages returns one page of penalties per subject.
func (s *Service) PenaltyPages(ctx context.Context, subjectIDs []int64, p credit.RecordPage) (map[int64][]credit.Penalty, error) {
	rows, err := s.db.PenaltiesBySubjects(ctx, subjectIDs, p)
	return group(subjectIDs, rows, err, func(l credit.Penalty) int64 { return l.SubjectID })
}

// LicenceCounts counts each subject's licences.
func (s *Service) LicenceCounts(ctx context.Context, subjectIDs []int64) (map[int64]int, error) {
	rows, err := s.db.CountLicences(ctx, subjectIDs)
	return counts(subjectIDs, rows, err)
}

// PenaltyCounts counts each subject's penalties decided on or after since.
func (s *Service) PenaltyCounts(ctx context.Context, subjectIDs []int64, since credit.Date) (map[int64]int, error) {
	rows, err := s.db.CountPenalties(ctx, subjectIDs, since)
	return counts(subjectIDs, rows, err)
}

// ListEntriesBySubjects returns each subject's own list entries.
func (s *Service) ListEntriesBySubjects(ctx context.Context, subjectIDs []int64) (map[int64][]credit.ListEntry, error) {
	rows, err := s.db.ListEntriesBySubjects(ctx, subjectIDs)
	return group(subjectIDs, rows, err, func(e credit.ListEntry) int64 { return e.SubjectID })
}

// AttributedEntries returns, per person, the organisations' black-list
// entries recorded against them (credit.Attributable).
func (s *Service) AttributedEntries(ctx context.Context, personIDs []int64) (map[int64][]credit.AttributedEntry, error) {
	rows, err := s.db.AttributionCandidates(ctx, personIDs)
	if err != nil {
		return nil, err
	}
	kept := rows[:0]
	for _, r := range rows {
		if credit.Attributable(r.Entry, r.Via) {
			kept = append(kept, r)
		}
	}
	return group(personIDs, kept, nil, func(a credit.AttributedEntry) int64 { return a.Via.PersonID })
}

// MeasuresByEntries returns the measures each list entry triggered.
func (s *Service) MeasuresByEntries(ctx context.Context, entryIDs []int64) (map[int64][]credit.Measure, error) {
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

// LatestTaxGrades returns each subject's latest tax credit grade, nil if none.
func (s *Service) LatestTaxGrades(ctx context.Context, subjectIDs []int64) (map[int64]*credit.TaxCreditGrade, error) {
	rows, err := s.db.LatestTaxGrades(ctx, subjectIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*credit.TaxCreditGrade, len(subjectIDs))
	for _, id := range subjectIDs {
		out[id] = nil
	}
	for i := range rows {
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
