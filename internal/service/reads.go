package service

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
)

// Subject reads: every way a request reaches subjects and their records (a
// look-up by code, a subject met through a key-person link, a list entry,
// an attribution, a check's subject, a federation entity, a mutation's
// payload) comes here with a credit.SubjectRead built from the request's
// selection. The read is answered with one statement, the caller's access
// is decided once per subject (what it may see, masking), and every subject
// shown is recorded on the request: for the query-use log, with the purpose
// of the read, and as what a cached answer rests on.

// ReadSubjectByCode reads the subject with the code a user typed (field
// "code") and what r asks of it. The first result is nil for a valid code
// that is not registered. Errors: FORBIDDEN for a role that reads no
// subjects; BAD_USER_INPUT for an invalid code or a missing purpose where
// the role must state one.
func (s *Service) ReadSubjectByCode(ctx context.Context, purpose, code string, r *credit.SubjectRead) (*credit.SubjectNode, map[int64]*credit.SubjectNode, error) {
	a, purpose, err := s.startRead(ctx, purpose)
	if err != nil {
		return nil, nil, err
	}
	lc, err := credit.ParseLookupCode("code", code)
	if err != nil {
		return nil, nil, err
	}
	r = readable(r, a)
	nodes, roots, err := s.db.SubjectTreeByCode(ctx, lc.Code, r, s.view(ctx), s.today(ctx))
	if err != nil {
		return nil, nil, err
	}
	if len(roots) == 0 {
		if lc.ChecksumOnly { // a legacy code nobody registered: say why it is refused
			return nil, nil, lc.Err
		}
		return nil, nil, nil
	}
	s.shown(ctx, purpose, a, nodes)
	return nodes[roots[0]], nodes, nil
}

// ReadSubjects reads the subjects with ids (reached through other records)
// and what r asks of each; every id gets a node. Errors as
// ReadSubjectByCode.
func (s *Service) ReadSubjects(ctx context.Context, purpose string, ids []int64, r *credit.SubjectRead) (map[int64]*credit.SubjectNode, error) {
	a, purpose, err := s.startRead(ctx, purpose)
	if err != nil {
		return nil, err
	}
	r = readable(r, a)
	nodes, _, err := s.db.SubjectTrees(ctx, ids, r, s.view(ctx), s.today(ctx))
	if err != nil {
		return nil, err
	}
	s.shown(ctx, purpose, a, nodes)
	return nodes, nil
}

// NoteRead records that the request showed subjects known by their codes
// for purpose, when they were read earlier in the same request (aliases,
// or a subject met again deeper down): each read carries its own purpose.
func (s *Service) NoteRead(ctx context.Context, purpose string, codes ...string) error {
	_, purpose, err := s.startRead(ctx, purpose)
	if err != nil {
		return err
	}
	return s.noteRead(ctx, purpose, codes...)
}

func (s *Service) startRead(ctx context.Context, purpose string) (credit.Access, string, error) {
	c, a := s.access(ctx)
	if !a.ReadSubjects {
		return a, "", forbidden(c.Role, "read subjects")
	}
	purpose, err := s.checkPurpose(ctx, purpose)
	return a, purpose, err
}

// readable is r without the relations a caller who reads no records may
// not see (the schema's @allow refuses those fields to it anyway).
func readable(r *credit.SubjectRead, a credit.Access) *credit.SubjectRead {
	if a.ReadRecords || r == nil {
		return r
	}
	return &credit.SubjectRead{}
}

// shown masks the nodes for the caller and records them as read.
func (s *Service) shown(ctx context.Context, purpose string, a credit.Access, nodes map[int64]*credit.SubjectNode) {
	c := credit.CallerFrom(ctx)
	today := s.today(ctx)
	codes := make([]string, 0, len(nodes))
	for _, n := range nodes {
		codes = append(codes, n.Code)
		maskNode(n, a, c.Department, today)
	}
	// A read that cannot be logged fails the whole request later, in the
	// pipeline's log stage, before anything is answered.
	_ = s.noteRead(ctx, purpose, codes...)
}

// maskNode applies the access rules to one subject's node: masked identity,
// the key persons and list entries the caller may see, masked record
// parties, and only an A grade in the published view.
func maskNode(n *credit.SubjectNode, a credit.Access, own string, today credit.Date) {
	n.Subject = a.Masked(n.Subject)
	n.KeyPersons = keepRoles(n.KeyPersons, a)
	n.Roles = keepRoles(n.Roles, a)
	for p, rows := range n.LicencePages {
		for i := range rows {
			rows[i].RecordParty = a.MaskedParty(rows[i].RecordParty)
		}
		n.LicencePages[p] = rows
	}
	for p, rows := range n.PenaltyPages {
		for i := range rows {
			rows[i].RecordParty = a.MaskedParty(rows[i].RecordParty)
		}
		n.PenaltyPages[p] = rows
	}
	if n.HasEntries {
		kept := n.Entries[:0:0]
		for _, e := range n.Entries {
			if a.SeesEntry(e, own, today) {
				kept = append(kept, e)
			}
		}
		n.Entries = kept
	}
	if n.HasAttributed {
		kept := n.Attributed[:0:0]
		for _, at := range n.Attributed {
			if a.SeesEntry(at.Entry, own, today) && credit.Attributable(at.Entry, at.Via) {
				kept = append(kept, at)
			}
		}
		n.Attributed = kept
	}
	if n.TaxGrade != nil && a.PublishedOnly && n.TaxGrade.Grade != credit.GradeA {
		n.TaxGrade = nil
	}
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
