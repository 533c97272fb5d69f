package service

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
)

// SubjectPage is one page of a subject search.
type SubjectPage struct {
	Subjects    []credit.Subject
	HasNextPage bool
	Filter      credit.SubjectFilter
}

// Subjects searches subjects by f, ordered by code. Errors: BAD_USER_INPUT
// for a page size over MaxPageSize, a foreign cursor or a malformed filter.
func (s *Service) Subjects(ctx context.Context, f credit.SubjectFilter, p credit.Page) (SubjectPage, error) {
	// A new subject can join the results, and any subject's change can move
	// it in or out: the page rests on every record, as a statistic does.
	countsEveryRecord(ctx)
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
	if f, err = s.checkFilter(ctx, f); err != nil {
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
	codes := make([]string, len(page.Subjects))
	for i, subj := range page.Subjects {
		codes[i] = subj.Code
	}
	if err := s.noteRead(ctx, "", codes...); err != nil {
		return SubjectPage{}, err
	}
	for i := range page.Subjects {
		page.Subjects[i] = a.Masked(page.Subjects[i])
	}
	return page, nil
}

// CountSubjects counts the subjects a (checked) filter matches.
func (s *Service) CountSubjects(ctx context.Context, f credit.SubjectFilter) (int, error) {
	countsEveryRecord(ctx)
	return s.db.CountSubjects(ctx, f)
}

func (s *Service) checkFilter(ctx context.Context, f credit.SubjectFilter) (credit.SubjectFilter, error) {
	if f.District != "" && !isDigits(f.District, 6) {
		return f, credit.FieldErrorf("filter.district", "must be a six-digit administrative division code such as 210602, got %q", f.District)
	}
	if f.ListStatus != "" && f.ListedOn.IsZero() {
		f.ListedOn = s.today(ctx)
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
