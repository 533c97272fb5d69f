package graph_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// disclosureTimeliness through the HTTP handler against the real database:
// fixtures on time, late by a minute past midnight in Shanghai, with an
// unknown deadline and with missing fields, in two departments.

const timelinessQuery = `query($from: Date!, $to: Date!, $d: ID) { disclosureTimeliness(from: $from, to: $to, department: $d) {
	from to department
	rows { departmentCode departmentName licences penalties records onTime late unknownDeadline missingFields onTimeRate }
	total { departmentCode departmentName licences penalties records onTime late unknownDeadline missingFields onTimeRate } } }`

type tlRow struct {
	DepartmentCode, DepartmentName                                             *string
	Licences, Penalties, Records, OnTime, Late, UnknownDeadline, MissingFields int
	OnTimeRate                                                                 *float64
}

// counts is the row without its department and rate, for comparisons.
func (r tlRow) counts() [7]int {
	return [7]int{r.Licences, r.Penalties, r.Records, r.OnTime, r.Late, r.UnknownDeadline, r.MissingFields}
}

type tlOut struct {
	DisclosureTimeliness struct {
		From, To   string
		Department *string
		Rows       []tlRow
		Total      tlRow
	}
}

// shanghai is an instant given as a wall-clock time in the city.
func shanghai(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, credit.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// tlRecord is one fixture record; deadline "" is an unknown (NULL) deadline.
type tlRecord struct {
	penalty          bool
	dept, decidedOn  string
	deadline         string
	received         time.Time
	status           string // "" for the default
	missingLegalRep  bool   // an organisation without its FRDB
	personWithoutIDs bool   // a natural person without XDR_ZJHM
}

// insert writes r with every field the standard requires (unless it says
// otherwise) about subject and returns its id.
func (r tlRecord) insert(e *env, subject int64, n int) int64 {
	e.t.Helper()
	category, uscc, rep, idType, idNo := "ORGANIZATION", testenv.USCC(600), "王五", "", ""
	if r.missingLegalRep {
		rep = ""
	}
	if r.personWithoutIDs {
		category, uscc, rep, idType = "NATURAL_PERSON", "", "", "身份证"
	}
	var deadline any
	if r.deadline != "" {
		deadline = r.deadline
	}
	var id int64
	if r.penalty {
		status := r.status
		if status == "" {
			status = "IN_FORCE"
		}
		err := e.db.SQL().QueryRow(`INSERT INTO penalties (subject_id, xdr_name, xdr_category, xdr_uscc, legal_rep_name,
				xdr_id_type, xdr_id_no, decision_no, violation_type, facts, legal_basis, penalty_category, content, fine_fen,
				decided_on, authority_name, authority_code, source_name, source_code, severity, status,
				publication_deadline, received_at)
			VALUES ($1, '丹东及时有限公司', $2, $3, $4, $5, $6, $7, '违法行为', '事实', '依据', '罚款', '罚款', 100000,
				$8, '处罚机关', $9, '处罚机关', $9, 'GENERAL', $10, $11, $12) RETURNING id`,
			subject, category, uscc, rep, idType, idNo, fmt.Sprintf("时罚%d号", n), r.decidedOn, r.dept, status,
			deadline, r.received).Scan(&id)
		if err != nil {
			e.t.Fatal(err)
		}
		return id
	}
	status := r.status
	if status == "" {
		status = "VALID"
	}
	err := e.db.SQL().QueryRow(`INSERT INTO licences (subject_id, xdr_name, xdr_category, xdr_uscc, legal_rep_name,
			xdr_id_type, xdr_id_no, document_name, decision_no, licence_category, content, decided_on, valid_from,
			authority_name, authority_code, source_name, source_code, status, publication_deadline, received_at)
		VALUES ($1, '丹东及时有限公司', $2, $3, $4, $5, $6, '准予许可决定书', $7, '普通', '经营许可', $8, $8,
			'许可机关', $9, '许可机关', $9, $10, $11, $12) RETURNING id`,
		subject, category, uscc, rep, idType, idNo, fmt.Sprintf("时许%d号", n), r.decidedOn, r.dept, status,
		deadline, r.received).Scan(&id)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// newTimelinessWorld writes the fixtures both departments' counts below
// rest on, for the range 2026-11-01 to 2026-11-30.
func newTimelinessWorld(e *env) {
	e.t.Helper()
	e.f.Department(otherDept, "国家税务总局丹东市税务局")
	subject := e.f.Subject(testenv.USCC(600), credit.LegalPerson, "丹东及时有限公司")
	for i, r := range []tlRecord{
		// dept: 2 licences, 2 penalties; on time 2, late 1, unknown 1, missing 1.
		{dept: dept, decidedOn: "2026-11-02", deadline: "2026-11-11", received: shanghai("2026-11-11 23:59")},                // on time, last minute
		{penalty: true, dept: dept, decidedOn: "2026-11-02", deadline: "2026-11-11", received: shanghai("2026-11-12 00:01")}, // late by one day
		{penalty: true, dept: dept, decidedOn: "2026-11-03", received: shanghai("2026-11-04 09:00")},                         // unknown deadline
		{dept: dept, decidedOn: "2026-11-04", deadline: "2026-11-13", received: shanghai("2026-11-05 10:00"), missingLegalRep: true},
		{penalty: true, dept: dept, decidedOn: "2026-11-05", deadline: "2026-11-14", received: shanghai("2026-11-06 10:00"), status: "REVOKED"}, // counts nowhere
		{dept: dept, decidedOn: "2026-10-31", deadline: "2026-11-11", received: shanghai("2026-11-01 10:00")},                                   // before the range
		{dept: dept, decidedOn: "2026-12-01", deadline: "2026-12-10", received: shanghai("2026-12-01 10:00")},                                   // after it
		// otherDept: 2 licences (one revoked, which still counts), 1 penalty; on time 1, late 2, missing 1.
		{dept: otherDept, decidedOn: "2026-11-01", deadline: "2026-11-10", received: time.Date(2026, 11, 10, 16, 0, 0, 0, time.UTC)},                    // 00:00 in Shanghai: late
		{dept: otherDept, decidedOn: "2026-11-30", deadline: "2026-12-09", received: time.Date(2026, 12, 9, 15, 59, 0, 0, time.UTC), status: "REVOKED"}, // 23:59 in Shanghai
		{penalty: true, dept: otherDept, decidedOn: "2026-11-10", deadline: "2026-11-19", received: shanghai("2026-11-20 09:00"), personWithoutIDs: true},
	} {
		r.insert(e, subject, i)
	}
}

var (
	wantDept  = [7]int{2, 2, 4, 2, 1, 1, 1}
	wantOther = [7]int{2, 1, 3, 1, 2, 0, 1}
	wantTotal = [7]int{4, 3, 7, 3, 3, 1, 2}
)

func november(d *string) map[string]any {
	v := map[string]any{"from": "2026-11-01", "to": "2026-11-30"}
	if d != nil {
		v["d"] = *d
	}
	return v
}

// checkTotal fails unless the total row is the sum of the rows, field by
// field, has no department and the rate its own counts give.
func checkTotal(t *testing.T, rep tlOut) {
	t.Helper()
	var sum [7]int
	for _, r := range rep.DisclosureTimeliness.Rows {
		c := r.counts()
		for i := range sum {
			sum[i] += c[i]
		}
		if c[2] != c[3]+c[4]+c[5] {
			t.Errorf("%v: records %d is not onTime + late + unknownDeadline", *r.DepartmentCode, c[2])
		}
	}
	total := rep.DisclosureTimeliness.Total
	if got := total.counts(); got != sum {
		t.Errorf("total %v, sum of the rows %v", got, sum)
	}
	if total.DepartmentCode != nil || total.DepartmentName != nil {
		t.Errorf("the total names a department: %v", *total.DepartmentCode)
	}
}

func TestTimelinessCountsEachDepartmentAndTheTotalIsTheSumOfTheRows(t *testing.T) {
	for _, role := range []credit.Role{credit.RoleDashboard, credit.RoleCreditOffice} {
		t.Run(string(role), func(t *testing.T) {
			e := newEnv(t)
			newTimelinessWorld(e)
			e.as(role)
			var out tlOut
			e.query(timelinessQuery, november(nil), &out)
			rep := out.DisclosureTimeliness
			if rep.From != "2026-11-01" || rep.To != "2026-11-30" || rep.Department != nil || len(rep.Rows) != 2 {
				t.Fatalf("got %+v, want November with two department rows", rep)
			}
			a, b := rep.Rows[0], rep.Rows[1]
			if *a.DepartmentCode != dept || *a.DepartmentName != "丹东市市场监督管理局" || *b.DepartmentCode != otherDept {
				t.Errorf("rows are for %s %s and %s, want %s then %s", *a.DepartmentCode, *a.DepartmentName, *b.DepartmentCode, dept, otherDept)
			}
			if a.counts() != wantDept || b.counts() != wantOther || rep.Total.counts() != wantTotal {
				t.Errorf("got %v %v total %v, want %v %v total %v", a.counts(), b.counts(), rep.Total.counts(), wantDept, wantOther, wantTotal)
			}
			checkTotal(t, out)
			for _, c := range []struct {
				name string
				got  *float64
				want float64
			}{{"dept", a.OnTimeRate, 2.0 / 3}, {"otherDept", b.OnTimeRate, 1.0 / 3}, {"total", rep.Total.OnTimeRate, 0.5}} {
				if c.got == nil || *c.got < c.want-1e-9 || *c.got > c.want+1e-9 {
					t.Errorf("%s onTimeRate: got %v, want %v", c.name, c.got, c.want)
				}
			}
		})
	}
}

func TestTimelinessOfOneDepartmentIsItsRowAlone(t *testing.T) {
	e := newEnv(t)
	newTimelinessWorld(e)
	e.as(credit.RoleDashboard)
	d := otherDept
	var out tlOut
	e.query(timelinessQuery, november(&d), &out)
	rep := out.DisclosureTimeliness
	if len(rep.Rows) != 1 || rep.Rows[0].counts() != wantOther || rep.Total.counts() != wantOther || *rep.Department != otherDept {
		t.Fatalf("got %+v, want otherDept's row alone and as the total", rep)
	}
}

func TestDepartmentSeesOnlyItsOwnTimeliness(t *testing.T) {
	e := newEnv(t)
	newTimelinessWorld(e)
	e.as(credit.RoleDepartment)
	own := dept
	for _, vars := range []map[string]any{november(nil), november(&own)} {
		var out tlOut
		e.query(timelinessQuery, vars, &out)
		rep := out.DisclosureTimeliness
		if len(rep.Rows) != 1 || *rep.Rows[0].DepartmentCode != dept || rep.Total.counts() != wantDept || *rep.Department != dept {
			t.Errorf("department %v: got %+v, want its own row only", vars["d"], rep)
		}
	}
	other := otherDept
	if code, err := e.errorCode(timelinessQuery, november(&other)); code != "FORBIDDEN" || err.Extensions["field"] != "department" {
		t.Errorf("another department: got %s on %v, want FORBIDDEN on department", code, err.Extensions["field"])
	}
}

func TestTimelinessIsRefusedToOtherRoles(t *testing.T) {
	e := newEnv(t)
	for _, role := range []credit.Role{credit.RolePublic, credit.RoleWindow, credit.RoleBank, credit.RoleAuditor, credit.RoleAdmin} {
		e.as(role)
		if code, _ := e.errorCode(timelinessQuery, november(nil)); code != "FORBIDDEN" {
			t.Errorf("%s: got %s, want FORBIDDEN", role, code)
		}
	}
}

func TestTimelinessRejectsBadRangesNamingTheField(t *testing.T) {
	e := newEnv(t)
	e.as(credit.RoleCreditOffice)
	for _, tc := range []struct {
		name, from, to, dept, field string
	}{
		{"to before from", "2026-11-02", "2026-11-01", "", "to"},
		{"367 days", "2024-01-01", "2025-01-01", "", "to"},
		{"an unknown department", "2026-11-01", "2026-11-30", "11210600MB0000099X", "department"},
	} {
		vars := map[string]any{"from": tc.from, "to": tc.to}
		if tc.dept != "" {
			vars["d"] = tc.dept
		}
		if code, err := e.errorCode(timelinessQuery, vars); code != "BAD_USER_INPUT" || err.Extensions["field"] != tc.field {
			t.Errorf("%s: got %s on %v (%q), want BAD_USER_INPUT on %s", tc.name, code, err.Extensions["field"], err.Message, tc.field)
		}
	}
	// The longest range allowed: 366 days (2024 is a leap year), and one day.
	for _, r := range [][2]string{{"2024-01-01", "2024-12-31"}, {"2026-11-27", "2026-11-27"}} {
		var out tlOut
		e.query(timelinessQuery, map[string]any{"from": r[0], "to": r[1]}, &out)
		if rep := out.DisclosureTimeliness; len(rep.Rows) != 0 || rep.Total.counts() != [7]int{} || rep.Total.OnTimeRate != nil {
			t.Errorf("%v with no records: got %+v, want no rows, a zero total and no rate", r, rep)
		}
	}
}

// The SQL's "on time" and credit's (publishedOnTime) agree on the edge
// times: each case is the only record of a department of its own, so its
// row says how the SQL counted it.
func TestTimelinessAgreesWithPublishedOnTimeAtMidnightInShanghai(t *testing.T) {
	e := newEnv(t)
	subject := e.f.Subject(testenv.USCC(600), credit.LegalPerson, "丹东及时有限公司")
	cases := []struct {
		received time.Time
		onTime   bool
	}{
		{shanghai("2026-11-11 00:00"), true},
		{shanghai("2026-11-11 23:59"), true},
		{time.Date(2026, 11, 11, 15, 59, 59, 0, time.UTC), true}, // 23:59:59 in Shanghai
		{time.Date(2026, 11, 11, 16, 0, 0, 0, time.UTC), false},  // midnight in Shanghai, still the 11th in UTC
		{shanghai("2026-11-12 00:01"), false},
		{shanghai("2026-11-03 08:00"), true},
	}
	for i, c := range cases {
		code := fmt.Sprintf("11210600MB00001%02dX", i)
		e.f.Department(code, fmt.Sprintf("边界部门%d", i))
		tlRecord{penalty: true, dept: code, decidedOn: "2026-11-02", deadline: "2026-11-11", received: c.received}.insert(e, subject, i)
	}
	var out tlOut
	e.query(timelinessQuery, november(nil), &out)
	var pen struct {
		Subject struct {
			Penalties struct {
				Edges []struct {
					Node struct {
						AuthorityCode   string
						PublishedOnTime *bool
					}
				}
			}
		}
	}
	e.query(`query($c: ID!) { subject(code: $c) { penalties(first: 100) { edges { node { authorityCode publishedOnTime } } } } }`,
		map[string]any{"c": testenv.USCC(600)}, &pen)
	byDept := map[string]bool{}
	for _, edge := range pen.Subject.Penalties.Edges {
		byDept[edge.Node.AuthorityCode] = *edge.Node.PublishedOnTime
	}
	if len(out.DisclosureTimeliness.Rows) != len(cases) {
		t.Fatalf("got %d rows, want %d", len(out.DisclosureTimeliness.Rows), len(cases))
	}
	for i, row := range out.DisclosureTimeliness.Rows {
		sqlOnTime := row.OnTime == 1 && row.Late == 0
		if goOnTime, ok := byDept[*row.DepartmentCode]; !ok || sqlOnTime != goOnTime || sqlOnTime != cases[i].onTime {
			t.Errorf("received %s: SQL on time %v, publishedOnTime %v, want %v", cases[i].received.In(credit.Shanghai), sqlOnTime, goOnTime, cases[i].onTime)
		}
	}
	checkTotal(t, out)
}

// A record pushed through recordPenalty gets its deadline from the official
// calendar and its arrival from the service clock, and counts accordingly.
func TestPushedRecordCountsOnTime(t *testing.T) {
	e := newEnv(t)
	var rec intakePenaltyOut
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕77号", nil), &rec) // decided 2026-11-20, received today
	if rec.RecordPenalty.Penalty.PublishedOnTime == nil || !*rec.RecordPenalty.Penalty.PublishedOnTime {
		t.Fatalf("publishedOnTime: got %v, want true", rec.RecordPenalty.Penalty.PublishedOnTime)
	}
	var out tlOut
	e.query(timelinessQuery, november(nil), &out)
	if got := out.DisclosureTimeliness.Total.counts(); got != [7]int{0, 1, 1, 1, 0, 0, 0} {
		t.Fatalf("got %v, want one penalty on time with nothing missing", got)
	}
}
