package service

import (
	"context"
	"strings"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// RevokeLicence revokes the licence with id for reason: it becomes invalid
// and is kept. Errors: FORBIDDEN for roles other than CREDIT_OFFICE and
// DEPARTMENT, and for a department revoking another authority's licence;
// BAD_USER_INPUT for an empty reason; NOT_FOUND for an unknown id; CONFLICT
// when it is revoked already.
func (s *Service) RevokeLicence(ctx context.Context, id int64, reason string) (credit.Licence, error) {
	reason, err := s.revocation(ctx, reason)
	if err != nil {
		return credit.Licence{}, err
	}
	var out credit.Licence
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		l, err := tx.LicenceForUpdate(ctx, id)
		if err := s.revocable(ctx, "licence", id, l.AuthorityCode, l.Status, err); err != nil {
			return nil, err
		}
		if out, err = tx.RevokeLicence(ctx, id, reason); err != nil {
			return nil, err
		}
		return s.finishWrite(ctx, tx, []int64{l.SubjectID}, "licence.revoked", "licence:"+itoa64(id),
			revocationDetail{DecisionNo: l.DecisionNo, Authority: l.AuthorityCode, Reason: reason, Previous: l.Status})
	})
	return out, err
}

// RevokePenalty revokes the penalty with id, decided in error, for reason:
// it is kept but no longer counts anywhere. Errors as RevokeLicence.
func (s *Service) RevokePenalty(ctx context.Context, id int64, reason string) (credit.Penalty, error) {
	reason, err := s.revocation(ctx, reason)
	if err != nil {
		return credit.Penalty{}, err
	}
	var out credit.Penalty
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		p, err := tx.PenaltyForUpdate(ctx, id)
		if err := s.revocable(ctx, "penalty", id, p.AuthorityCode, p.Status, err); err != nil {
			return nil, err
		}
		if out, err = tx.RevokePenalty(ctx, id, reason); err != nil {
			return nil, err
		}
		return s.finishWrite(ctx, tx, []int64{p.SubjectID}, "penalty.revoked", "penalty:"+itoa64(id),
			revocationDetail{DecisionNo: p.DecisionNo, Authority: p.AuthorityCode, Reason: reason, Previous: p.Status})
	})
	return out, err
}

type revocationDetail struct {
	DecisionNo string `json:"decisionNo"`
	Authority  string `json:"authority"`
	Reason     string `json:"reason"`
	Previous   string `json:"previousStatus"`
}

// revocation checks the role and the reason of a revocation.
func (s *Service) revocation(ctx context.Context, reason string) (string, error) {
	if err := s.requireWriter(ctx); err != nil {
		return "", err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", credit.FieldErrorf("reason", "must not be empty: a revocation says why")
	case strings.ContainsRune(reason, 0):
		return "", credit.FieldErrorf("reason", "contains a NUL character, which is not allowed in text")
	}
	return reason, nil
}

// revocable checks that the record read for a revocation (with readErr)
// exists, is the caller's to revoke and is not revoked yet. A department
// learns that another authority's record exists, which its ids (sequential
// and shown in every read) tell anyway.
func (s *Service) revocable(ctx context.Context, kind string, id int64, authority, status string, readErr error) error {
	switch {
	case credit.CodeOf(readErr) == credit.NotFound:
		return credit.Errorf(credit.NotFound, "no %s has the id %d", kind, id)
	case readErr != nil:
		return readErr
	}
	if err := s.authorizeWrite(ctx, authority, "id"); err != nil {
		return err
	}
	if status == "REVOKED" {
		return credit.Errorf(credit.Conflict, "%s %d is revoked already", kind, id)
	}
	return nil
}
