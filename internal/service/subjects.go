package service

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
)

// Subject returns the subject with the code a user typed in field "code",
// masked for the caller: nil for a valid code that is not registered,
// BAD_USER_INPUT naming the rule for an invalid one. A well-formed code
// that fails only its checksum is found if a department registered it
// (legacy codes), else rejected. FORBIDDEN for a role that reads no
// subjects; BAD_USER_INPUT for a role that must state a purpose and did not.
func (s *Service) Subject(ctx context.Context, code, purpose string) (*credit.Subject, error) {
	markUncachable(ctx)
	c, a := s.access(ctx)
	if !a.ReadSubjects {
		return nil, forbidden(c.Role, "read subjects")
	}
	purpose, err := s.checkPurpose(ctx, purpose)
	if err != nil {
		return nil, err
	}
	setPurpose(ctx, purpose)
	lc, err := credit.ParseLookupCode("code", code)
	if err != nil {
		return nil, err
	}
	subj, err := s.db.SubjectByCode(ctx, lc.Code)
	switch {
	case credit.CodeOf(err) == credit.NotFound && lc.ChecksumOnly:
		return nil, lc.Err
	case credit.CodeOf(err) == credit.NotFound:
		return nil, nil
	case err != nil:
		return nil, err
	}
	if err := s.noteReads(ctx, subj); err != nil {
		return nil, err
	}
	subj = a.Masked(subj)
	return &subj, nil
}

// SubjectPage is one page of a subject search.
type SubjectPage struct {
	Subjects    []credit.Subject
	HasNextPage bool
	Filter      credit.SubjectFilter
}

// Subjects searches subjects by f, ordered by code. Errors: BAD_USER_INPUT
// for a page size over MaxPageSize, a foreign cursor or a malformed filter.
func (s *Service) Subjects(ctx context.Context, f credit.SubjectFilter, p credit.Page) (SubjectPage, error) {
	markUncachable(ctx)
	c, a := s.access(ctx)
	if !a.ListSubjects {
		return SubjectPage{}, forbidden(c.Role, "search subjects (look them up by code)")
	}
	f.OrganisationsOnly = !a.ListNaturalPersons
	if err := checkFirst("first", p.First); err != nil {
		return SubjectPage{}, err
	}
	after, err := decodeSubjectCursor("after", p.After)
	if err != nil {
		return SubjectPage{}, err
	}
	if f, err = s.checkFilter(f); err != nil {
		return SubjectPage{}, err
	}
	subjects, err := s.db.Subjects(ctx, f, after, p.First+1)
	if err != nil {
		return SubjectPage{}, err
	}
	page := SubjectPage{Subjects: subjects, Filter: f}
	if len(subjects) > p.First {
		page.Subjects, page.HasNextPage = subjects[:p.First], true
	}
	if err := s.noteReads(ctx, page.Subjects...); err != nil {
		return SubjectPage{}, err
	}
	for i := range page.Subjects {
		page.Subjects[i] = a.Masked(page.Subjects[i])
	}
	return page, nil
}

// CountSubjects counts the subjects a (checked) filter matches.
func (s *Service) CountSubjects(ctx context.Context, f credit.SubjectFilter) (int, error) {
	markUncachable(ctx)
	return s.db.CountSubjects(ctx, f)
}

func (s *Service) checkFilter(f credit.SubjectFilter) (credit.SubjectFilter, error) {
	if f.District != "" && !isDigits(f.District, 6) {
		return f, credit.FieldErrorf("filter.district", "must be a six-digit administrative division code such as 210602, got %q", f.District)
	}
	if f.ListStatus != "" && f.ListedOn.IsZero() {
		f.ListedOn = s.Today()
	}
	return f, nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
