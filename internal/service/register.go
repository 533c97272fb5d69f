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
// person, role and start. Roles not in the input are left alone. A
// department that has no record of its own about an organisation that
// existed before may not change its key persons: the links it asks for
// wait for the credit office (returned as pending) and count for nothing
// until approved. Errors:
// FORBIDDEN for roles other than CREDIT_OFFICE and DEPARTMENT;
// BAD_USER_INPUT with the field for an invalid input, a change between
// natural person and organisation, or a key person's ID number registered
// as an organisation.
func (s *Service) RegisterSubject(ctx context.Context, in credit.SubjectInput) (credit.Subject, bool, []credit.KeyPersonRequest, error) {
	if err := s.requireWriter(ctx); err != nil {
		return credit.Subject{}, false, nil, err
	}
	if err := in.Validate(s.Today()); err != nil {
		return credit.Subject{}, false, nil, err
	}
	c := credit.CallerFrom(ctx)
	var out credit.Subject
	var updated bool
	var pending []credit.KeyPersonRequest
	err := s.write(ctx, func(tx *store.DB) ([]string, error) {
		var err error
		if out, updated, err = tx.RegisterSubject(ctx, in); err != nil {
			return nil, err
		}
		if out.Kind.IsPerson() != in.Kind.IsPerson() {
			return nil, credit.FieldErrorf("input.kind", "%s: %s is registered as a %s; a natural person never becomes an organisation nor the other way round",
				in.Kind, out.Code, out.Kind)
		}
		wait := false
		if c.Role == credit.RoleDepartment && updated && len(in.KeyPersons) > 0 {
			has, err := tx.HasRecordOn(ctx, c.Department, out.ID)
			if err != nil {
				return nil, err
			}
			wait = !has
		}
		ids, err := registerKeyPersons(ctx, tx, out.ID, in.KeyPersons)
		if err != nil {
			return nil, err
		}
		for i, k := range in.KeyPersons {
			link := credit.KeyPerson{OrganizationID: out.ID, PersonID: ids[i], Role: k.Role, Since: k.Since, Until: k.Until,
				Source: linkSource(c)}
			if !wait {
				if err := tx.UpsertKeyPerson(ctx, link); err != nil {
					return nil, err
				}
				continue
			}
			r, err := tx.AddKeyPersonRequest(ctx, credit.KeyPersonRequest{OrganizationID: out.ID, PersonID: ids[i],
				Role: k.Role, Since: k.Since, Until: k.Until, Department: c.Department, RequestedBy: c.ID})
			if err != nil {
				return nil, err
			}
			pending = append(pending, r)
		}
		if wait {
			ids = nil // nothing changed for the persons: their answers stand
		}
		action := "subject.registered"
		if updated {
			action = "subject.updated"
		}
		return s.finishWrite(ctx, tx, append(ids, out.ID), action, "subject:"+out.Code, registration{in, len(pending)})
	})
	if err == nil {
		// The payload shows the subject: a read, as any other.
		err = s.noteRead(ctx, "", out.Code)
	}
	return out, updated, pending, err
}

// registration is what the audit log keeps of a registration.
type registration struct {
	credit.SubjectInput
	PendingKeyPersons int `json:"pendingKeyPersons,omitempty"`
}

// linkSource names who makes a key-person link now: the calling
// department, or the role (CREDIT_OFFICE).
func linkSource(c credit.Caller) string {
	if c.Role == credit.RoleDepartment {
		return c.Department
	}
	return string(c.Role)
}

// registerKeyPersons registers the persons (in code order, so that two
// registrations naming the same new persons cannot deadlock) and returns
// their ids.
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
	return ids, nil
}

// KeyPersonRequests lists the links waiting for (or decided by) the credit
// office, oldest first, at most first (at most 500). FORBIDDEN for roles
// other than CREDIT_OFFICE.
func (s *Service) KeyPersonRequests(ctx context.Context, status credit.RequestStatus, first int) ([]credit.KeyPersonRequest, error) {
	uncacheable(ctx, "key-person requests")
	if _, err := s.authorize(ctx, credit.ActDecideKeyPersons); err != nil {
		return nil, err
	}
	if first < 0 || first > 500 {
		return nil, credit.FieldErrorf("first", "must be between 0 and 500, got %d", first)
	}
	return s.db.KeyPersonRequests(ctx, status, first)
}

// DecideKeyPersonRequest approves (the link is made, with the requesting
// department as its source) or rejects (with the reason) a waiting link.
// Errors: FORBIDDEN for roles other than CREDIT_OFFICE; NOT_FOUND; CONFLICT
// for a request decided before; BAD_USER_INPUT for a rejection without a
// reason.
func (s *Service) DecideKeyPersonRequest(ctx context.Context, id int64, approve bool, reason string) (credit.KeyPersonRequest, error) {
	c, err := s.authorize(ctx, credit.ActDecideKeyPersons)
	if err != nil {
		return credit.KeyPersonRequest{}, err
	}
	if err := cleanText("reason", &reason, !approve); err != nil {
		return credit.KeyPersonRequest{}, err
	}
	var out credit.KeyPersonRequest
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		r, err := tx.LockKeyPersonRequest(ctx, id)
		if credit.CodeOf(err) == credit.NotFound {
			return nil, credit.Errorf(credit.NotFound, "no key-person request has the id %d", id)
		}
		if err != nil {
			return nil, err
		}
		if r.Status != credit.RequestPending {
			return nil, credit.Errorf(credit.Conflict, "key-person request %d was %s already", id, strings.ToLower(string(r.Status)))
		}
		status, action := credit.RequestRejected, "key_person.rejected"
		if approve {
			status, action = credit.RequestApproved, "key_person.approved"
			if err := tx.UpsertKeyPerson(ctx, credit.KeyPerson{OrganizationID: r.OrganizationID, PersonID: r.PersonID,
				Role: r.Role, Since: r.Since, Until: r.Until, Source: r.Department}); err != nil {
				return nil, err
			}
		}
		if out, err = tx.DecideKeyPersonRequest(ctx, id, status, c.ID, reason); err != nil {
			return nil, err
		}
		ids := []int64{r.OrganizationID}
		if approve {
			ids = append(ids, r.PersonID)
		}
		return s.finishWrite(ctx, tx, ids, action, fmt.Sprintf("key_person_request:%d", id), out)
	})
	return out, err
}
