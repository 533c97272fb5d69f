package service

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// The rules of the statistics that seeded data does not pin down: the 万元
// of import files, what PUBLIC and DASHBOARD count, the query-use tally,
// and the errors.

const statsPenaltyFile = `CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_FRDB,CF_FR_ZJLX,CF_FR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_NR_FK,CF_NR_WFFF,CF_JDRQ,CF_CFJG,CF_CFJGDM
丹东市振兴区鸿运食品有限公司,法人及非法人组织,91210602MA0000101W,张伟,身份证,21060219710211011X,丹市监罚〔2026〕101号,销售超过保质期的食品,经查属实,《中华人民共和国食品安全法》第一百二十四条,罚款;没收违法所得,罚款2000元，没收违法所得120元,0.2,0.012,2026-11-20,丹东市市场监督管理局,11210600001213497T
丹东市元宝区安达建材商行,个体工商户,92210603MA0000201X,李娜,身份证,210602197203120122,丹市监罚〔2026〕102号,未按规定公示年度报告,经查属实,《市场主体登记管理条例》第四十四条,罚款,罚款（金额缺失）,,,2026-11-21,丹东市市场监督管理局,11210600001213497T
`

func TestAnImportedFineOf02WanCounts2000YuanAndAnEmptyOneIsFlagged(t *testing.T) {
	t.Parallel()
	f := newImportFixture(t)
	path := filepath.Join(t.TempDir(), "penalties.csv")
	if err := os.WriteFile(path, []byte(statsPenaltyFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if sum, rejects := f.must(ImportPenalties, path, nil); sum.Accepted != 2 || len(rejects) != 0 {
		t.Fatalf("import: %+v %v", sum, rejects)
	}
	q := credit.StatsQuery{From: credit.MustDate("2026-11-01"), To: credit.MustDate("2026-11-30"),
		GroupBy: []credit.StatsDimension{credit.DimDepartment, credit.DimSeverity}}
	st, err := f.svc.AmountStats(f.ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	want := credit.AmountStatsRow{Penalties: 2, Fines: 200000, Confiscated: 12000, EmptyFines: 1, EmptyConfiscations: 1}
	got := st.Total
	got.StatsGroup, got.IsTotal = credit.StatsGroup{}, false
	if got != want || got.Amount() != 212000 {
		t.Errorf("total %+v, want %+v: 2,000.00 yuan of fines, 120.00 confiscated, one empty amount of each", got, want)
	}
	checkSum(t, "amountStats", st.Rows, st.Total, true)
	if len(st.Rows) != 1 || *st.Rows[0].DepartmentCode != "11210600001213497T" {
		t.Errorf("rows %+v, want the market regulator's GENERAL penalties", st.Rows)
	}
}

func TestPublicAndDashboardCountOnlyWhatIsPublishedToday(t *testing.T) {
	e := newStatsEnv(t, 0)
	org := e.count(`INSERT INTO subjects (code, kind, name) VALUES ('91210602MA0000101W', 'LEGAL_PERSON', '丹东统计有限公司') RETURNING id`)
	dept := "11210600001213497T"
	n := 0
	penalty := func(scope, status, decided, publicUntil string) {
		n++
		e.count(`INSERT INTO penalties (subject_id, xdr_name, xdr_category, decision_no, violation_type, facts, legal_basis,
				penalty_category, content, fine_fen, decided_on, public_until, authority_name, authority_code, source_name,
				source_code, severity, status, use_scope)
			VALUES ($1, '丹东统计有限公司', 'ORGANIZATION', $2, '违法', '事实', '依据', '罚款', '罚款', 100000, $3, $4,
				'丹东市市场监督管理局', $5, '丹东市市场监督管理局', $5, 'GENERAL', $6, $7) RETURNING id`,
			org, "统罚"+string(rune('0'+n)), decided, publicUntil, dept, status, scope)
	}
	penalty("PUBLIC", "IN_FORCE", "2026-06-01", "2027-05-31") // published
	penalty("SHARED", "IN_FORCE", "2026-06-02", "2027-06-01") // not public
	penalty("PUBLIC", "REPAIRED", "2026-03-01", "2027-02-28") // repaired
	penalty("PUBLIC", "REVOKED", "2026-03-02", "2027-03-01")  // revoked: counts nowhere
	penalty("PUBLIC", "IN_FORCE", "2025-12-01", "2026-11-26") // window ended yesterday
	q := credit.StatsQuery{From: credit.MustDate("2025-11-28"), To: statsToday, GroupBy: []credit.StatsDimension{credit.DimMonth}}
	for role, want := range map[string][2]int{"CREDIT_OFFICE": {4, 400000}, "DEPARTMENT": {4, 400000}, "DASHBOARD": {1, 100000}, "PUBLIC": {1, 100000}} {
		rs, err := e.svc.RecordStats(statsRoles[role], q)
		if err != nil || rs.Total.Penalties != want[0] {
			t.Errorf("%s recordStats: %+v %v, want %d penalties", role, rs.Total, err, want[0])
		}
		as, err := e.svc.AmountStats(statsRoles[role], q)
		if err != nil || int(as.Total.Fines) != want[1] {
			t.Errorf("%s amountStats: %+v %v, want %d fen", role, as.Total, err, want[1])
		}
		ps, err := e.svc.PublishedPenaltyStats(statsRoles[role], q)
		if err != nil || ps.Total.Penalties != 1 || ps.AsOf != statsToday {
			t.Errorf("%s publishedPenaltyStats: %+v %v, want 1 for every role", role, ps.Total, err)
		}
	}
	other, err := e.svc.RecordStats(deptCtx("11210600001205841G"), q)
	if err != nil || other.Total.Penalties != 0 || len(other.Rows) != 0 {
		t.Errorf("another department: %+v %v, want nothing of the market regulator's", other, err)
	}
}

func TestCheckStatsCountTheQueryUseLogThroughItsDailyTally(t *testing.T) {
	e := newStatsEnv(t, 0)
	at := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, credit.Shanghai)
		if err != nil {
			panic(err)
		}
		return t
	}
	use := func(when, role, institution string, codes ...string) store.QueryUse {
		return store.QueryUse{At: at(when), CallerID: "key:1", Institution: institution, Role: credit.Role(role),
			Purpose: "贷前审查", SubjectCodes: codes, Operation: "creditCheck"}
	}
	// Two batches, as the log writer sends them; 00:30 on 1 Nov in the city
	// is still 31 Oct in UTC and counts in November.
	if err := e.db.CopyQueryUses(t.Context(), []store.QueryUse{
		use("2026-11-01 00:30", "BANK", "丹东银行", "A", "B"),
		use("2026-11-02 09:00", "BANK", "丹东银行", "A"),
		use("2026-10-31 23:59", "WINDOW", "振兴区政务服务中心", "C"),
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.CopyQueryUses(t.Context(), []store.QueryUse{use("2026-11-03 10:00", "BANK", "丹东银行", "D")}); err != nil {
		t.Fatal(err)
	}
	q := credit.StatsQuery{From: credit.MustDate("2026-11-01"), To: credit.MustDate("2026-11-30"),
		GroupBy: []credit.StatsDimension{credit.DimRole, credit.DimInstitution, credit.DimMonth}}
	for _, role := range []credit.Role{credit.RoleCreditOffice, credit.RoleAuditor} {
		st, err := e.svc.CheckStats(as("x", role, ""), q)
		if err != nil || len(st.Rows) != 1 || st.Total.Uses != 3 || st.Total.Subjects != 4 || *st.Rows[0].Month != "2026-11" {
			t.Errorf("%s: %+v %v, want 3 uses naming 4 subjects in November, all 丹东银行's", role, st, err)
		}
	}
	for _, role := range []credit.Role{credit.RoleDashboard, credit.RoleDepartment, credit.RoleBank, credit.RolePublic} {
		_, err := e.svc.CheckStats(as("x", role, "D"), q)
		wantCode(t, string(role)+" checkStats", err, credit.Forbidden)
	}
}

func TestStatisticsRefuseBadPeriodsGroupingsAndFilters(t *testing.T) {
	e := newStatsEnv(t, 0)
	q := func(from, to string, g []credit.StatsDimension, f credit.StatsFilter) credit.StatsQuery {
		return credit.StatsQuery{From: credit.MustDate(from), To: credit.MustDate(to), GroupBy: g, Filter: f}
	}
	dept := []credit.StatsDimension{credit.DimDepartment}
	for _, c := range []struct {
		name  string
		q     credit.StatsQuery
		field string
	}{
		{"to before from", q("2026-11-02", "2026-11-01", dept, credit.StatsFilter{}), "to"},
		{"367 days", q("2025-11-01", "2026-11-02", dept, credit.StatsFilter{}), "to"},
		{"no dimension", q("2026-11-01", "2026-11-30", nil, credit.StatsFilter{}), "groupBy"},
		{"a dimension of another statistic", q("2026-11-01", "2026-11-30", []credit.StatsDimension{credit.DimRole}, credit.StatsFilter{}), "groupBy"},
		{"a filter of another statistic", q("2026-11-01", "2026-11-30", dept, credit.StatsFilter{ListKind: credit.Black}), "filter.listKind"},
		{"an unknown department", q("2026-11-01", "2026-11-30", dept, credit.StatsFilter{Department: "11210600MB0000009X"}), "filter.department"},
		{"an unknown domain", q("2026-11-01", "2026-11-30", dept, credit.StatsFilter{Domain: "WAGE_ARREARS"}), "filter.domain"},
	} {
		_, err := e.svc.RecordStats(office1, c.q)
		wantField(t, "recordStats: "+c.name, err, c.field)
	}
	_, err := e.svc.ListEntryStats(office1, q("2026-11-01", "2026-11-30", dept, credit.StatsFilter{Domain: "MARKET"}))
	wantField(t, "listEntryStats with a record domain", err, "filter.domain")
	if _, err := e.svc.ListEntryStats(office1, q("2026-11-01", "2026-11-30", dept, credit.StatsFilter{Domain: "WAGE_ARREARS"})); err != nil {
		t.Errorf("listEntryStats with a list domain: %v", err)
	}
	if _, err := e.svc.PublishedPenaltyStats(office1, q("2023-11-27", "2026-11-27", dept, credit.StatsFilter{})); err != nil {
		t.Errorf("publishedPenaltyStats over three years: %v", err)
	}
	_, err = e.svc.RecordStats(deptCtx("11210600001213497T"), q("2026-11-01", "2026-11-30", dept,
		credit.StatsFilter{Department: "11210600001205841G"}))
	wantCode(t, "a department counting another's records", err, credit.Forbidden)
	for _, role := range []credit.Role{credit.RoleWindow, credit.RoleBank, credit.RoleAuditor, credit.RoleAdmin} {
		_, err := e.svc.RecordStats(as("x", role, ""), q("2026-11-01", "2026-11-30", dept, credit.StatsFilter{}))
		wantCode(t, string(role)+" recordStats", err, credit.Forbidden)
	}
}
