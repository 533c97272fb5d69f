package graph_test

import (
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// The statistics through the HTTP handler: the resolvers pass the period,
// grouping and filter on, money comes out as exact yuan strings, and the
// roles of the access table hold.

func TestStatisticsAnswerThroughGraphQLWithTheRolesOfTheTable(t *testing.T) {
	e := newEnv(t)
	subject := e.f.Subject(testenv.USCC(700), credit.LegalPerson, "丹东统计有限公司")
	if _, err := e.db.SQL().Exec(`INSERT INTO penalties (subject_id, xdr_name, xdr_category, decision_no, violation_type,
			facts, legal_basis, penalty_category, content, fine_fen, decided_on, public_until, authority_name,
			authority_code, source_name, source_code, severity)
		VALUES ($1, '丹东统计有限公司', 'ORGANIZATION', '统罚1号', '违法', '事实', '依据', '罚款', '罚款', 200000,
			'2026-11-02', '2027-11-01', '市场监管局', $2, '市场监管局', $2, 'GENERAL')`, subject, dept); err != nil {
		t.Fatal(err)
	}
	const q = `{ amountStats(from: "2026-11-01", to: "2026-11-30", groupBy: [MONTH, SEVERITY]) {
		from to groupBy rows { group { month severity departmentCode } penalties fines amount } total { group { month } fines } }
		recordStats(from: "2026-11-01", to: "2026-11-30", filter: {department: "` + dept + `"}) { total { records } } }`
	var out struct {
		AmountStats struct {
			From, To string
			GroupBy  []string
			Rows     []struct {
				Group struct {
					Month, Severity *string
					DepartmentCode  *string
				}
				Penalties     int
				Fines, Amount string
			}
			Total struct {
				Group struct{ Month *string }
				Fines string
			}
		}
		RecordStats struct{ Total struct{ Records int } }
	}
	for _, role := range []credit.Role{credit.RolePublic, credit.RoleDashboard, credit.RoleDepartment, credit.RoleCreditOffice} {
		e.as(role).query(q, nil, &out)
		a := out.AmountStats
		if len(a.Rows) != 1 || *a.Rows[0].Group.Month != "2026-11" || *a.Rows[0].Group.Severity != "GENERAL" ||
			a.Rows[0].Group.DepartmentCode != nil || a.Rows[0].Fines != "2000.00" || a.Total.Fines != "2000.00" ||
			a.Total.Group.Month != nil || a.GroupBy[0] != "SEVERITY" || out.RecordStats.Total.Records != 1 {
			t.Errorf("%s: %+v, want one row of November's GENERAL fines, 2000.00 yuan", role, out)
		}
	}
	for _, role := range []credit.Role{credit.RoleWindow, credit.RoleBank, credit.RoleAuditor} {
		if code, _ := e.as(role).errorCode(q, nil); code != "FORBIDDEN" {
			t.Errorf("%s: %s, want FORBIDDEN", role, code)
		}
	}
	code, gerr := e.as(credit.RoleCreditOffice).errorCode(`{ recordStats(from: "2026-11-30", to: "2026-11-01") { total { records } } }`, nil)
	if code != "BAD_USER_INPUT" || gerr.Extensions["field"] != "to" {
		t.Errorf("to before from: %s %v, want BAD_USER_INPUT naming to", code, gerr)
	}
	if code, _ := e.as(credit.RoleDashboard).errorCode(`{ checkStats(from: "2026-11-01", to: "2026-11-30") { total { uses } } }`, nil); code != "FORBIDDEN" {
		t.Errorf("DASHBOARD checkStats: %s, want FORBIDDEN", code)
	}
	var cs struct {
		CheckStats struct{ Total struct{ Uses int } }
	}
	e.as(credit.RoleAuditor).query(`{ checkStats(from: "2026-11-01", to: "2026-11-30", groupBy: [ROLE]) { total { uses } } }`, nil, &cs)
}
