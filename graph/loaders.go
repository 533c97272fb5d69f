package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
)

// DefaultLoaderWait is how long a loader gathers keys before it runs its
// batch. gqlgen starts sibling fields in goroutines within a fraction of a
// millisecond; a short window gathers a page of them while adding little
// latency to each level of nesting.
const DefaultLoaderWait = 2 * time.Millisecond

// pageKey is a subject's records page: loads with the same page arguments
// batch into one statement.
type pageKey struct {
	SubjectID int64
	Page      credit.RecordPage
}

// countKey is a subject's record count, optionally since a date.
type countKey struct {
	SubjectID int64
	Since     credit.Date
}

// Loaders are the request-scoped dataloaders. Every one is a mapped loader:
// results are matched to keys by id, never by position.
type Loaders struct {
	Subject      *dataloadgen.Loader[int64, credit.Subject]
	KeyPersons   *dataloadgen.Loader[int64, []credit.KeyPerson]
	Roles        *dataloadgen.Loader[int64, []credit.KeyPerson]
	Licences     *dataloadgen.Loader[pageKey, []credit.Licence]
	Penalties    *dataloadgen.Loader[pageKey, []credit.Penalty]
	LicenceCount *dataloadgen.Loader[int64, int]
	PenaltyCount *dataloadgen.Loader[countKey, int]
	ListEntries  *dataloadgen.Loader[int64, []credit.ListEntry]
	Attributed   *dataloadgen.Loader[int64, []credit.AttributedEntry]
	Measures     *dataloadgen.Loader[int64, []credit.Measure]
	TaxGrade     *dataloadgen.Loader[int64, *credit.TaxCreditGrade]
	Case         *dataloadgen.Loader[int64, *credit.JointCase]
	Entry        *dataloadgen.Loader[int64, *credit.ListEntry]
	Measure      *dataloadgen.Loader[int64, *credit.Measure]
	Assignments  *dataloadgen.Loader[int64, []credit.Assignment]
	Executions   *dataloadgen.Loader[int64, []credit.Execution]
	Feedback     *dataloadgen.Loader[int64, []credit.Feedback]
	Overdue      *dataloadgen.Loader[int64, []credit.Overdue]
}

// NewLoaders builds a fresh set of loaders over svc for one request.
func NewLoaders(svc *service.Service, wait time.Duration) *Loaders {
	opt := dataloadgen.WithWait(wait)
	return &Loaders{
		Subject:      dataloadgen.NewMappedLoader(svc.SubjectsByIDs, opt),
		KeyPersons:   dataloadgen.NewMappedLoader(svc.KeyPersonsByOrganizations, opt),
		Roles:        dataloadgen.NewMappedLoader(svc.RolesByPersons, opt),
		Licences:     dataloadgen.NewMappedLoader(pagedBy(svc.LicencePages), opt),
		Penalties:    dataloadgen.NewMappedLoader(pagedBy(svc.PenaltyPages), opt),
		LicenceCount: dataloadgen.NewMappedLoader(svc.LicenceCounts, opt),
		PenaltyCount: dataloadgen.NewMappedLoader(func(ctx context.Context, keys []countKey) (map[countKey]int, error) {
			return bySince(ctx, keys, svc.PenaltyCounts)
		}, opt),
		ListEntries: dataloadgen.NewMappedLoader(svc.ListEntriesBySubjects, opt),
		Attributed:  dataloadgen.NewMappedLoader(svc.AttributedEntries, opt),
		Measures:    dataloadgen.NewMappedLoader(svc.MeasuresByEntries, opt),
		TaxGrade:    dataloadgen.NewMappedLoader(svc.LatestTaxGrades, opt),
		Case:        dataloadgen.NewMappedLoader(svc.CasesByIDs, opt),
		Entry:       dataloadgen.NewMappedLoader(svc.EntriesByIDs, opt),
		Measure:     dataloadgen.NewMappedLoader(svc.MeasuresByIDs, opt),
		Assignments: dataloadgen.NewMappedLoader(svc.AssignmentsByCases, opt),
		Executions:  dataloadgen.NewMappedLoader(svc.ExecutionsByAssignments, opt),
		Feedback:    dataloadgen.NewMappedLoader(svc.FeedbackByCases, opt),
		Overdue:     dataloadgen.NewMappedLoader(svc.Overdue, opt),
	}
}

// pagedBy turns a per-page batch method into a loader fetch: keys are
// grouped by their page arguments, one statement per distinct page (in
// practice one, since siblings share their arguments).
func pagedBy[T any](fetch func(context.Context, []int64, credit.RecordPage) (map[int64][]T, error)) func(context.Context, []pageKey) (map[pageKey][]T, error) {
	return func(ctx context.Context, keys []pageKey) (map[pageKey][]T, error) {
		groups := map[credit.RecordPage][]int64{}
		var order []credit.RecordPage
		for _, k := range keys {
			if _, ok := groups[k.Page]; !ok {
				order = append(order, k.Page)
			}
			groups[k.Page] = append(groups[k.Page], k.SubjectID)
		}
		out := make(map[pageKey][]T, len(keys))
		for _, p := range order {
			rows, err := fetch(ctx, groups[p], p)
			if err != nil {
				return nil, err
			}
			for id, rs := range rows {
				out[pageKey{SubjectID: id, Page: p}] = rs
			}
		}
		return out, nil
	}
}

func bySince(ctx context.Context, keys []countKey, fetch func(context.Context, []int64, credit.Date) (map[int64]int, error)) (map[countKey]int, error) {
	groups := map[credit.Date][]int64{}
	for _, k := range keys {
		groups[k.Since] = append(groups[k.Since], k.SubjectID)
	}
	out := make(map[countKey]int, len(keys))
	for since, ids := range groups {
		rows, err := fetch(ctx, ids, since)
		if err != nil {
			return nil, err
		}
		for id, n := range rows {
			out[countKey{SubjectID: id, Since: since}] = n
		}
	}
	return out, nil
}

type loadersKey struct{}

// WithLoaders puts a fresh set of loaders into each request's context.
func WithLoaders(svc *service.Service, wait time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, NewLoaders(svc, wait))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// loadersFrom returns the request's loaders.
func loadersFrom(ctx context.Context) *Loaders {
	return ctx.Value(loadersKey{}).(*Loaders)
}
