package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// RegisterSubject registers a subject with its key persons, or updates the
// subject with its code (updated true). Key persons are registered as
// natural persons when new (an existing person keeps the name the registry
// has) and their roles are added, or their end date updated for the same
// person, role and start. Roles not in the input are left alone. Errors:
// FORBIDDEN for roles other than CREDIT_OFFICE and DEPARTMENT;
// BAD_USER_INPUT with the field for an invalid input, a change between
// natural person and organisation, or a key person's ID number registered
// as an organisation.
func (s *Service) RegisterSubject(ctx context.Context, in credit.SubjectInput) (credit.Subject, bool, error) {
	if err := s.requireWriter(ctx); err != nil {
		return credit.Subject{}, false, err
	}
	if err := in.Validate(s.Today()); err != nil {
		return credit.Subject{}, false, err
	}
	var out credit.Subject
	var updated bool
	err := s.write(ctx, func(tx *store.DB) ([]string, error) {
		var err error
		if out, updated, err = tx.RegisterSubject(ctx, in); err != nil {
			return nil, err
		}
		if out.Kind.IsPerson() != in.Kind.IsPerson() {
			return nil, credit.FieldErrorf("input.kind", "%s: %s is registered as a %s; a natural person never becomes an organisation nor the other way round",
				in.Kind, out.Code, out.Kind)
		}
		ids, err := registerKeyPersons(ctx, tx, out.ID, in.KeyPersons)
		if err != nil {
			return nil, err
		}
		action := "subject.registered"
		if updated {
			action = "subject.updated"
		}
		return s.finishWrite(ctx, tx, append(ids, out.ID), action, "subject:"+out.Code, in)
	})
	return out, updated, err
}

// registerKeyPersons registers the persons (in code order, so that two
// registrations naming the same new persons cannot deadlock) and records
// their roles in org. It returns the persons' ids.
func registerKeyPersons(ctx context.Context, tx *store.DB, org int64, kps []credit.KeyPersonInput) ([]int64, error) {
	order := make([]int, len(kps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(kps[a].IDNumber, kps[b].IDNumber) })
	ids := make([]int64, len(kps))
	for _, i := range order {
		p, _, err := tx.EnsureSubject(ctx, credit.Subject{Code: kps[i].IDNumber, Kind: credit.NaturalPerson, Name: kps[i].Name})
		if err != nil {
			return nil, err
		}
		if !p.Kind.IsPerson() {
			return nil, credit.FieldErrorf(fmt.Sprintf("input.keyPersons[%d].idNumber", i), "%s is registered as a %s, not a natural person", p.Code, p.Kind)
		}
		ids[i] = p.ID
	}
	for i, k := range kps {
		err := tx.UpsertKeyPerson(ctx, credit.KeyPerson{OrganizationID: org, PersonID: ids[i], Role: k.Role, Since: k.Since, Until: k.Until})
		if err != nil {
			return nil, err
		}
	}
	return ids, nil
}
