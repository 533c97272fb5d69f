package service

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/seed"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// The statistics family on seeded data: every total is the sum of its
// rows, whatever the grouping and the role, and the office's totals match
// counts made directly in SQL.

var statsToday = credit.MustDate("2026-11-27")

// statsEnv is a database seeded with demo subjects as of statsToday and a
// service whose clock stands on that day.
type statsEnv struct {
	t   *testing.T
	db  *store.DB
	svc *Service
}

func newStatsEnv(t *testing.T, subjects int) *statsEnv {
	t.Helper()
	t.Parallel()
	db := testenv.DB(t)
	if _, err := seed.Run(context.Background(), db.SQL(), seed.Options{Subjects: subjects, Seed: 14, Today: statsToday}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, credit.Shanghai)
	return &statsEnv{t: t, db: db, svc: New(db, WithClock(func() time.Time { return now }))}
}

func (e *statsEnv) count(q string, args ...any) int64 {
	e.t.Helper()
	var n int64
	if err := e.db.SQL().QueryRow(q, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// sums adds up, field by field, the counts and amounts of rows (a slice of
// one of the row types); the group and the total flag are not counts.
func sums(rows any) map[string]int64 {
	out := map[string]int64{}
	v := reflect.ValueOf(rows)
	for i := range v.Len() {
		r := v.Index(i)
		for j := range r.NumField() {
			f := r.Type().Field(j)
			if k := f.Type.Kind(); k == reflect.Int || k == reflect.Int64 {
				out[f.Name] += r.Field(j).Int()
			}
		}
	}
	return out
}

// rowCounts is sums of the one row r.
func rowCounts(r any) map[string]int64 {
	s := reflect.New(reflect.SliceOf(reflect.TypeOf(r))).Elem()
	return sums(reflect.Append(s, reflect.ValueOf(r)).Interface())
}

// checkSum fails unless total is the sum of rows, and, when nonEmpty, some
// count of total is above 0 (a statistic of nothing proves nothing).
func checkSum(t *testing.T, what string, rows, total any, nonEmpty bool) {
	t.Helper()
	got, want := rowCounts(total), sums(rows)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: total %v, want the sum of the %d rows %v", what, got, reflect.ValueOf(rows).Len(), want)
	}
	any := false
	for _, n := range got {
		any = any || n > 0
	}
	if nonEmpty && !any {
		t.Errorf("%s: every count is 0", what)
	}
}

var statsRoles = map[string]context.Context{
	"CREDIT_OFFICE": office1,
	"DASHBOARD":     as("key:dashboard", credit.RoleDashboard, ""),
	"PUBLIC":        context.Background(),
	"DEPARTMENT":    deptCtx("11210600001213497T"), // 丹东市市场监督管理局
}

func TestEveryStatisticsTotalIsTheSumOfItsRowsOnSeededData(t *testing.T) {
	e := newStatsEnv(t, 600)
	year := credit.StatsQuery{From: credit.MustDate("2025-11-28"), To: statsToday}
	groupings := [][]credit.StatsDimension{
		{credit.DimDepartment}, {credit.DimDomain}, {credit.DimMonth}, {credit.DimDomain, credit.DimMonth},
		{credit.DimDepartment, credit.DimDomain, credit.DimMonth},
	}
	for role, ctx := range statsRoles {
		for _, g := range groupings {
			q := year
			q.GroupBy = g
			name := fmt.Sprintf("%s %v", role, g)
			rs, err := e.svc.RecordStats(ctx, q)
			if err != nil {
				t.Fatalf("recordStats %s: %v", name, err)
			}
			checkSum(t, "recordStats "+name, rs.Rows, rs.Total, true)
			ts, err := e.svc.TimelinessStats(ctx, q)
			if err != nil {
				t.Fatalf("timelinessStats %s: %v", name, err)
			}
			checkSum(t, "timelinessStats "+name, ts.Rows, ts.Total, true)
			if ts.Total.Records() != rs.Total.Records() || ts.Total.OnTime+ts.Total.Late+ts.Total.UnknownDeadline != ts.Total.Records() {
				t.Errorf("timelinessStats %s: %+v, want %d records split into on time, late and unknown", name, ts.Total, rs.Total.Records())
			}
			as, err := e.svc.AmountStats(ctx, q)
			if err != nil {
				t.Fatalf("amountStats %s: %v", name, err)
			}
			checkSum(t, "amountStats "+name, as.Rows, as.Total, true)
			if as.Total.Penalties != rs.Total.Penalties {
				t.Errorf("amountStats %s: %d penalties, recordStats %d", name, as.Total.Penalties, rs.Total.Penalties)
			}
			pq := q
			pq.From = statsToday.AddDays(-3 * 365)
			ps, err := e.svc.PublishedPenaltyStats(ctx, pq)
			if err != nil {
				t.Fatalf("publishedPenaltyStats %s: %v", name, err)
			}
			checkSum(t, "publishedPenaltyStats "+name, ps.Rows, ps.Total, true)
		}
		for _, g := range [][]credit.StatsDimension{{credit.DimListKind}, {credit.DimDomain}, {credit.DimDepartment},
			{credit.DimListKind, credit.DimDomain, credit.DimDepartment}} {
			q := year
			q.GroupBy = g
			ls, err := e.svc.ListEntryStats(ctx, q)
			if err != nil {
				t.Fatalf("listEntryStats %s %v: %v", role, g, err)
			}
			checkSum(t, fmt.Sprintf("listEntryStats %s %v", role, g), ls.Rows, ls.Total, role != "DEPARTMENT")
		}
	}
}

func TestTheOfficesStatisticsMatchCountsMadeInSQL(t *testing.T) {
	e := newStatsEnv(t, 600)
	q := credit.StatsQuery{From: credit.MustDate("2025-11-28"), To: statsToday, GroupBy: []credit.StatsDimension{credit.DimDomain}}
	from, to := q.From, q.To
	rs, err := e.svc.RecordStats(office1, q)
	if err != nil {
		t.Fatal(err)
	}
	licences := e.count(`SELECT count(*) FROM licences WHERE decided_on BETWEEN $1 AND $2`, from, to)
	penalties := e.count(`SELECT count(*) FROM penalties WHERE decided_on BETWEEN $1 AND $2 AND status <> 'REVOKED'`, from, to)
	if int64(rs.Total.Licences) != licences || int64(rs.Total.Penalties) != penalties || licences == 0 || penalties == 0 {
		t.Errorf("recordStats total %+v, want %d licences and %d penalties", rs.Total, licences, penalties)
	}
	as, err := e.svc.AmountStats(office1, q)
	if err != nil {
		t.Fatal(err)
	}
	fines := e.count(`SELECT sum(fine_fen) FROM penalties WHERE decided_on BETWEEN $1 AND $2 AND status <> 'REVOKED'`, from, to)
	if int64(as.Total.Fines) != fines || fines == 0 {
		t.Errorf("amountStats fines %s, want %s", as.Total.Fines, credit.Fen(fines))
	}
	tl, err := e.svc.DisclosureTimeliness(office1, from, to, "")
	if err != nil {
		t.Fatal(err)
	}
	ts, err := e.svc.TimelinessStats(office1, q)
	if err != nil {
		t.Fatal(err)
	}
	if ts.Total.OnTime != tl.Total.OnTime || ts.Total.Late != tl.Total.Late || ts.Total.Records() != tl.Total.Records ||
		ts.Total.MissingFields != tl.Total.MissingFields {
		t.Errorf("timelinessStats %+v, disclosureTimeliness %+v", ts.Total, tl.Total)
	}
	pq := q
	pq.From = statsToday.AddDays(-3 * 365)
	ps, err := e.svc.PublishedPenaltyStats(office1, pq)
	if err != nil {
		t.Fatal(err)
	}
	published := e.count(`SELECT count(*) FROM penalties WHERE use_scope = 'PUBLIC' AND status = 'IN_FORCE'
		AND decided_on BETWEEN $1 AND $2 AND public_until >= $2`, pq.From, statsToday)
	if int64(ps.Total.Penalties) != published || published == 0 {
		t.Errorf("publishedPenaltyStats %d, want %d", ps.Total.Penalties, published)
	}
	// PUBLIC and DASHBOARD count only what is published.
	dash, err := e.svc.RecordStats(statsRoles["DASHBOARD"], q)
	if err != nil {
		t.Fatal(err)
	}
	publicLicences := e.count(`SELECT count(*) FROM licences WHERE decided_on BETWEEN $1 AND $2 AND use_scope = 'PUBLIC'`, from, to)
	publishedInYear := e.count(`SELECT count(*) FROM penalties WHERE use_scope = 'PUBLIC' AND status = 'IN_FORCE'
		AND decided_on BETWEEN $1 AND $2 AND public_until >= $2`, from, to)
	if int64(dash.Total.Licences) != publicLicences || int64(dash.Total.Penalties) != publishedInYear || publicLicences >= licences {
		t.Errorf("DASHBOARD recordStats %+v, want %d licences and %d penalties (of %d and %d)",
			dash.Total, publicLicences, publishedInYear, licences, penalties)
	}
	// A department counts its own records: the office's row of it.
	q.GroupBy = []credit.StatsDimension{credit.DimDepartment}
	all, _ := e.svc.RecordStats(office1, q)
	own, err := e.svc.RecordStats(statsRoles["DEPARTMENT"], q)
	if err != nil || len(own.Rows) != 1 || own.Rows[0].Licences == 0 {
		t.Fatalf("DEPARTMENT recordStats: %+v %v, want its own row", own, err)
	}
	for _, r := range all.Rows {
		if *r.DepartmentCode == *own.Rows[0].DepartmentCode && fmt.Sprint(rowCounts(r)) != fmt.Sprint(rowCounts(own.Rows[0])) {
			t.Errorf("DEPARTMENT row %+v, the office sees %+v", own.Rows[0], r)
		}
	}
	ls, err := e.svc.ListEntryStats(office1, q)
	if err != nil {
		t.Fatal(err)
	}
	active := e.count(`SELECT count(*) FROM list_entries WHERE status NOT IN ('PROPOSED', 'REJECTED')
		AND starts_on <= $1 AND (ends_on IS NULL OR ends_on >= $1) AND (ended_on IS NULL OR ended_on > $1)`, statsToday)
	if int64(ls.Total.Active) != active || active == 0 || ls.AsOf != statsToday {
		t.Errorf("listEntryStats active %d on %s, want %d", ls.Total.Active, ls.AsOf, active)
	}
}
