package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/credithub/credithub/internal/credit"
)

// The methods here apply credit.AccessOf to the caller in the context: the
// only place where the service decides who may see what.

func (s *Service) access(ctx context.Context) (credit.Caller, credit.Access) {
	c := credit.CallerFrom(ctx)
	a := credit.AccessOf(c.Role)
	if a.IDMask != credit.ShowFullID {
		a.Refs = s.entityRefs(ctx)
	}
	return c, a
}

// forbidden is the FORBIDDEN error for role doing what.
func forbidden(r credit.Role, what string) error {
	return credit.Errorf(credit.Forbidden, "the %s role may not %s", r, what)
}

// authorize fails with FORBIDDEN unless the caller's role may do act
// (credit/access.go's table). A DEPARTMENT key bound to no department may do
// nothing a department does.
func (s *Service) authorize(ctx context.Context, act credit.Action) (credit.Caller, error) {
	c := credit.CallerFrom(ctx)
	if !c.Role.May(act) {
		return c, forbidden(c.Role, string(act))
	}
	if c.Role == credit.RoleDepartment && c.Department == "" {
		return c, credit.Errorf(credit.Forbidden, "this DEPARTMENT key is bound to no department and may not %s", act)
	}
	return c, nil
}

// requireRecords fails with FORBIDDEN unless the caller may read records.
func (s *Service) requireRecords(ctx context.Context) (credit.Access, error) {
	c, a := s.access(ctx)
	if !a.ReadRecords {
		return a, forbidden(c.Role, "read credit records")
	}
	return a, nil
}

// view is the record view of the caller in ctx.
func (s *Service) view(ctx context.Context) credit.RecordView {
	c, a := s.access(ctx)
	v := credit.RecordView{Scopes: a.Scopes, AllEntryStates: a.AllEntryStates}
	if a.OwnDepartment {
		v.Department = c.Department
	}
	if a.PublishedOnly {
		v.PublishedOn = s.today(ctx)
	}
	return v
}

// checkPurpose returns the caller's purpose of reading: the argument if
// given, else the X-Credit-Purpose header. BAD_USER_INPUT if the role must
// state one and did not.
func (s *Service) checkPurpose(ctx context.Context, purpose string) (string, error) {
	c, a := s.access(ctx)
	for _, p := range []struct{ field, value string }{{"purpose", purpose}, {PurposeHeader, c.Purpose}} {
		v := strings.TrimSpace(p.value)
		switch {
		case v == "":
			continue
		case strings.ContainsRune(v, 0) || !utf8.ValidString(v):
			return "", credit.FieldErrorf(p.field, "must be text without NUL characters")
		case utf8.RuneCountInString(v) > MaxPurposeLength:
			return "", credit.FieldErrorf(p.field, "must be at most %d characters, got %d", MaxPurposeLength, utf8.RuneCountInString(v))
		}
		return v, nil
	}
	if a.NeedsPurpose {
		return "", credit.FieldErrorf("purpose", "a %s caller must state the purpose of every read (argument purpose or header X-Credit-Purpose)", c.Role)
	}
	return "", nil
}

// MaxPurposeLength bounds a stated purpose (it goes into every log row).
const MaxPurposeLength = 200

// PurposeHeader is the HTTP header a purpose may come in.
const PurposeHeader = "X-Credit-Purpose"
