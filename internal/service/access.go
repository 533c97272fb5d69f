package service

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
)

// The methods here apply credit.AccessOf to the caller in the context: the
// only place where the service decides who may see what.

func (s *Service) access(ctx context.Context) (credit.Caller, credit.Access) {
	c := credit.CallerFrom(ctx)
	return c, credit.AccessOf(c.Role)
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
	v := credit.RecordView{Scopes: a.Scopes}
	if a.OwnDepartment {
		v.Department = c.Department
	}
	if a.PublishedOnly {
		v.PublishedOn = s.Today()
	}
	return v
}

// checkPurpose returns the caller's purpose of reading: the argument if
// given, else the X-Credit-Purpose header. BAD_USER_INPUT if the role must
// state one and did not.
func (s *Service) checkPurpose(ctx context.Context, purpose string) (string, error) {
	c, a := s.access(ctx)
	if p := strings.TrimSpace(purpose); p != "" {
		return p, nil
	}
	if p := strings.TrimSpace(c.Purpose); p != "" {
		return p, nil
	}
	if a.NeedsPurpose {
		return "", credit.FieldErrorf("purpose", "a %s caller must state the purpose of every read (argument purpose or header X-Credit-Purpose)", c.Role)
	}
	return "", nil
}

// request is what the service remembers for one GraphQL request.
type request struct {
	operation string
	purpose   string
	mu        sync.Mutex
	logged    map[string]bool
	// deps are the generations the answers of this request were computed
	// at; the whole-response cache stores the response under them.
	deps       cache.Gens
	uncachable bool
}

type requestKey struct{}

// BeginRequest returns ctx prepared for one request of the named operation:
// each subject read in it is logged once.
func BeginRequest(ctx context.Context, operation string) context.Context {
	if operation == "" {
		operation = "anonymous operation"
	}
	if r, ok := ctx.Value(requestKey{}).(*request); ok {
		// Begun already by the whole-response cache; only name it.
		r.mu.Lock()
		r.operation = operation
		r.mu.Unlock()
		return ctx
	}
	return context.WithValue(ctx, requestKey{}, &request{operation: operation, logged: map[string]bool{}})
}

// RequestReads returns the codes of the subjects the request read, the
// purpose it stated and its operation, for the whole-response cache to
// log the same reads when it serves the response again.
func RequestReads(ctx context.Context) (codes []string, purpose, operation string) {
	r := requestFrom(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.logged {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes, r.purpose, r.operation
}

// LogReads logs reads served from the whole-response cache, as the
// request that computed the response did.
func (s *Service) LogReads(ctx context.Context, codes []string, purpose, operation string) error {
	ctx = BeginRequest(ctx, operation)
	setPurpose(ctx, purpose)
	return s.noteReadCodes(ctx, codes)
}

func requestFrom(ctx context.Context) *request {
	if r, ok := ctx.Value(requestKey{}).(*request); ok {
		return r
	}
	return &request{operation: "unknown", logged: map[string]bool{}}
}

// setPurpose remembers the purpose the root field stated for the nested reads.
func setPurpose(ctx context.Context, purpose string) {
	r := requestFrom(ctx)
	r.mu.Lock()
	r.purpose = purpose
	r.mu.Unlock()
}

// addDeps records that the request's answer rests on gens.
func addDeps(ctx context.Context, gens cache.Gens) {
	r := requestFrom(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.deps.Codes == nil {
		r.deps = cache.Gens{Epoch: gens.Epoch, Codes: map[string]int64{}}
	} else if r.deps.Epoch != gens.Epoch {
		r.uncachable = true
	}
	for code, g := range gens.Codes {
		r.deps.Codes[code] = g
	}
}

// markUncachable records that the request's answer must not be cached
// whole (it rests on something the generations do not cover).
func markUncachable(ctx context.Context) {
	r := requestFrom(ctx)
	r.mu.Lock()
	r.uncachable = true
	r.mu.Unlock()
}

// RequestDeps returns the generations the request's answers rest on, and
// false if the whole response must not be cached.
func RequestDeps(ctx context.Context) (cache.Gens, bool) {
	r := requestFrom(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.deps, !r.uncachable && len(r.deps.Codes) > 0
}
