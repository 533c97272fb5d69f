package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

// The write side: recordLicence, recordPenalty, revokeLicence,
// revokePenalty and registerSubject, through the HTTP handler against the
// real database (and Redis for invalidation).

const recordPenaltyMutation = `mutation($in: PenaltyInput!) { recordPenalty(input: $in) { updated warnings
	penalty { id decisionNumber severity useScope fine status publicUntil repairableFrom publicationDeadline
		publishedOnTime authorityCode party { unifiedSocialCreditCode legalRepresentativeIdNumber } } } }`

const recordLicenceMutation = `mutation($in: LicenceInput!) { recordLicence(input: $in) { updated warnings
	licence { id decisionNumber status useScope publicationDeadline party { unifiedSocialCreditCode } } } }`

type intakePenaltyOut struct {
	RecordPenalty struct {
		Updated  bool
		Warnings []string
		Penalty  struct {
			ID                                               json.Number // the schema's ID serialises as a number
			DecisionNumber, Severity, UseScope, Fine, Status string
			PublicUntil, RepairableFrom, PublicationDeadline *string
			PublishedOnTime                                  *bool
		}
	}
}

// intakeOrg is the organisation the tests push records about; its legal
// representative is intakeRep.
var (
	intakeOrg = testenv.USCC(501)
	intakeRep = testenv.CitizenID(501)
)

// penaltyIn is a valid penalty of intakeOrg by dept; change adjusts it.
func penaltyIn(no string, change func(in, party map[string]any)) map[string]any {
	party := map[string]any{"name": "丹东推送有限公司", "category": "ORGANIZATION", "unifiedSocialCreditCode": intakeOrg,
		"legalRepresentativeName": "王五", "legalRepresentativeIdType": "身份证", "legalRepresentativeIdNumber": intakeRep}
	in := map[string]any{"party": party, "decisionNumber": no, "violationType": "未按规定公示年度报告",
		"facts": "经查……", "legalBasis": "《企业信息公示暂行条例》第十八条", "category": "罚款", "content": "罚款人民币5000元",
		"fine": "5000.00", "decidedOn": "2026-11-20", "authorityName": "丹东市市场监督管理局", "authorityCode": dept,
		"severity": "GENERAL"}
	if change != nil {
		change(in, party)
	}
	return map[string]any{"in": in}
}

func licenceIn(no string, change func(in, party map[string]any)) map[string]any {
	party := map[string]any{"name": "丹东推送有限公司", "category": "ORGANIZATION", "unifiedSocialCreditCode": intakeOrg}
	in := map[string]any{"party": party, "documentName": "准予许可决定书", "decisionNumber": no, "category": "普通",
		"content": "食品经营许可", "decidedOn": "2026-11-20", "validFrom": "2026-11-20", "validUntil": "2031-11-19",
		"authorityName": "丹东市市场监督管理局", "authorityCode": dept}
	if change != nil {
		change(in, party)
	}
	return map[string]any{"in": in}
}

// count returns the number of rows a SQL count query finds.
func (e *env) intakeRows(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.SQL().QueryRow(q, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// intakeWrites counts every row a write can leave behind (API keys made
// for a test leave audit rows of their own, which it leaves out).
func (e *env) intakeWrites() int {
	return e.intakeRows(`SELECT (SELECT count(*) FROM licences) + (SELECT count(*) FROM penalties)
		+ (SELECT count(*) FROM subjects) + (SELECT count(*) FROM key_persons)
		+ (SELECT count(*) FROM audit_log WHERE action NOT LIKE 'apikey.%')`)
}

func TestRecordingTheSameDecisionAgainUpdatesIt(t *testing.T) {
	e := newEnv(t)
	var first, second intakePenaltyOut
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕1号", nil), &first)
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕1号", func(in, _ map[string]any) { in["fine"] = "8000.00" }), &second)
	p := second.RecordPenalty
	if first.RecordPenalty.Updated || !p.Updated || p.Penalty.ID != first.RecordPenalty.Penalty.ID || p.Penalty.Fine != "8000.00" {
		t.Fatalf("got first %+v then %+v, want an insert then an update of the same record", first.RecordPenalty, p)
	}
	if n := e.intakeRows(`SELECT count(*) FROM penalties`); n != 1 {
		t.Fatalf("penalties: got %d rows, want 1", n)
	}
	if got := e.intakeRows(`SELECT count(*) FROM audit_log WHERE action = 'penalty.updated' AND target = $1`, "penalty:"+p.Penalty.ID.String()); got != 1 {
		t.Errorf("audit rows for the update: got %d, want 1", got)
	}
}

func TestConcurrentPushesOfOneRecordLeaveOneRow(t *testing.T) {
	e := newEnv(t)
	token := e.key(credit.RoleDepartment)
	var wg sync.WaitGroup
	errs := make(chan string, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := e.doAs(token, recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕2号", nil)); r.status != 200 || len(r.Errors) > 0 {
				errs <- string(r.raw)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a push failed: %s", err)
	}
	for table, want := range map[string]int{"penalties": 1, "subjects": 2, "key_persons": 1} {
		if n := e.intakeRows(`SELECT count(*) FROM ` + table); n != want {
			t.Errorf("%s: got %d rows, want %d", table, n, want)
		}
	}
	if n := e.intakeRows(`SELECT count(*) FROM audit_log WHERE action LIKE 'penalty.%'`); n != 20 {
		t.Errorf("audit rows: got %d, want one per push", n)
	}
	if n := e.intakeRows(`SELECT count(*) FROM audit_log WHERE action = 'penalty.recorded'`); n != 1 {
		t.Errorf("penalty.recorded rows: got %d, want 1 (the other 19 are updates)", n)
	}
}

func TestDepartmentWritesOnlyItsOwnAuthoritysRecords(t *testing.T) {
	e := newEnv(t)
	e.f.Department(otherDept, "国家税务总局丹东市税务局")
	e.as(credit.RoleDepartment)
	other := func(in, _ map[string]any) { in["authorityCode"] = otherDept }
	if code, err := e.errorCode(recordPenaltyMutation, penaltyIn("税罚〔2026〕1号", other)); code != "FORBIDDEN" || err.Extensions["field"] != "input.authorityCode" {
		t.Errorf("another authority's penalty: got %s on %v (%q), want FORBIDDEN", code, err.Extensions["field"], err.Message)
	}
	if code, _ := e.errorCode(recordLicenceMutation, licenceIn("税许〔2026〕1号", other)); code != "FORBIDDEN" {
		t.Errorf("another authority's licence: got %s, want FORBIDDEN", code)
	}
	if n := e.intakeWrites(); n != 0 {
		t.Errorf("a refused write left %d rows", n)
	}
	var out intakePenaltyOut
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕3号", nil), &out) // its own: accepted
	e.as(credit.RoleBank)
	if code, _ := e.errorCode(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕4号", nil)); code != "FORBIDDEN" {
		t.Errorf("BANK: got %s, want FORBIDDEN", code)
	}
}

func TestInvalidRecordsAreRejectedNamingTheFieldAndWriteNothing(t *testing.T) {
	e := newEnv(t)
	both := codeOfBothKinds(t)
	e.f.Subject(both, credit.LegalPerson, "已登记有限公司")
	person := func(id string) func(in, party map[string]any) {
		return func(_, p map[string]any) {
			delete(p, "unifiedSocialCreditCode")
			p["category"], p["idType"], p["idNumber"] = "NATURAL_PERSON", "身份证", id
		}
	}
	for _, tc := range []struct {
		name, field string
		change      func(in, party map[string]any)
	}{
		{"code with a forbidden letter", "input.party.unifiedSocialCreditCode", func(_, p map[string]any) { p["unifiedSocialCreditCode"] = "91210602MA10QX7K9O" }},
		{"organisation without a code", "input.party.unifiedSocialCreditCode", func(_, p map[string]any) { delete(p, "unifiedSocialCreditCode") }},
		{"person whose ID fails its check digit", "input.party.idNumber", person("110101199003071234")},
		{"person with a USCC", "input.party.unifiedSocialCreditCode", func(in, p map[string]any) {
			person(testenv.CitizenID(3))(in, p)
			p["unifiedSocialCreditCode"] = intakeOrg
		}},
		{"person pushed under an organisation's code", "input.party.category", person(both)},
		{"representative whose ID fails its check digit", "input.party.legalRepresentativeIdNumber", func(_, p map[string]any) { p["legalRepresentativeIdNumber"] = "110101199003071234" }},
		{"decided in the future", "input.decidedOn", func(in, _ map[string]any) { in["decidedOn"] = "2026-11-28" }},
		{"in effect until before the decision", "input.validUntil", func(in, _ map[string]any) { in["validUntil"] = "2026-11-19" }},
		{"empty decision number", "input.decisionNumber", func(in, _ map[string]any) { in["decisionNumber"] = " " }},
		{"unknown authority", "input.authorityCode", func(in, _ map[string]any) { in["authorityCode"] = "11210600MB0000099X" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			code, err := e.errorCode(recordPenaltyMutation, penaltyIn("罚〔2026〕9号", tc.change))
			if code != "BAD_USER_INPUT" || err.Extensions["field"] != tc.field {
				t.Errorf("got %s on %v (%q), want BAD_USER_INPUT on %s", code, err.Extensions["field"], err.Message, tc.field)
			}
		})
	}
	e.t = t
	code, err := e.errorCode(recordLicenceMutation, licenceIn("许〔2026〕9号", func(in, _ map[string]any) { in["validUntil"] = "2026-11-19" }))
	if code != "BAD_USER_INPUT" || err.Extensions["field"] != "input.validUntil" {
		t.Errorf("licence ending before it starts: got %s on %v", code, err.Extensions["field"])
	}
	// A negative amount is refused by the Yuan scalar before the domain sees it.
	if code, _ := e.errorCode(recordPenaltyMutation, penaltyIn("罚〔2026〕9号", func(in, _ map[string]any) { in["fine"] = "-1.00" })); code != "BAD_USER_INPUT" {
		t.Errorf("negative fine: got %s, want BAD_USER_INPUT", code)
	}
	if n := e.intakeWrites(); n != 1 { // the registered subject only
		t.Errorf("rejected records left %d rows, want only the fixture's subject", n)
	}
}

func TestLegacyCodeFailingOnlyItsChecksumIsStoredWithAWarning(t *testing.T) {
	e := newEnv(t)
	legacy := testenv.USCC(503)[:17] + "0"
	if credit.ValidUSCC(legacy) {
		legacy = testenv.USCC(503)[:17] + "1"
	}
	var out struct {
		RecordLicence struct {
			Warnings []string
			Licence  struct {
				Party struct{ UnifiedSocialCreditCode string }
			}
		}
	}
	e.query(recordLicenceMutation, licenceIn("许〔2026〕3号", func(_, p map[string]any) { p["unifiedSocialCreditCode"] = legacy }), &out)
	if len(out.RecordLicence.Warnings) != 1 || out.RecordLicence.Licence.Party.UnifiedSocialCreditCode != legacy {
		t.Fatalf("got %+v, want the code stored with one warning", out.RecordLicence)
	}
	if n := e.intakeRows(`SELECT count(*) FROM subjects WHERE code = $1 AND cardinality(identifier_warnings) = 1`, legacy); n != 1 {
		t.Errorf("the subject registered from the record should carry the warning")
	}
}

func TestUnregisteredSubjectIsRegisteredWithItsLegalRepresentative(t *testing.T) {
	e := newEnv(t)
	var out intakePenaltyOut
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕5号", nil), &out)
	// A later record naming another representative does not override the link.
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕6号", func(_, p map[string]any) {
		p["legalRepresentativeName"], p["legalRepresentativeIdNumber"] = "赵六", testenv.CitizenID(504)
	}), &out)
	var got struct {
		Subject struct {
			Kind, Name          string
			LegalRepresentative struct{ Code, Name, Kind string }
			KeyPersons          []struct{ Role, Since string }
		}
	}
	e.query(`query($c: ID!) { subject(code: $c) { kind name legalRepresentative { code name kind } keyPersons { role since } } }`,
		map[string]any{"c": intakeOrg}, &got)
	s := got.Subject
	if s.Kind != "LEGAL_PERSON" || s.Name != "丹东推送有限公司" || s.LegalRepresentative.Code != intakeRep ||
		s.LegalRepresentative.Kind != "NATURAL_PERSON" || len(s.KeyPersons) != 1 || s.KeyPersons[0].Since != "2026-11-20" {
		t.Fatalf("got %+v, want the organisation with 王五 as legal representative since the decision", s)
	}
	if n := e.intakeRows(`SELECT count(*) FROM subjects WHERE code = $1 AND kind = 'NATURAL_PERSON'`, testenv.CitizenID(504)); n != 1 {
		t.Errorf("the second representative should still be registered as a person")
	}
}

func TestPublicationWindowAndDeadlineFollowTheRules(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		severity, decided, scope, until, repairable string
		deadline                                    *string
	}{
		// National Day 2024: Oct 1-7 off, Sep 29 and Oct 12 are make-up working days.
		{"SERIOUS", "2024-09-27", "PUBLIC", "2027-09-27", "2025-09-27", intakePtr("2024-10-12")},
		{"GENERAL", "2026-06-01", "PUBLIC", "2027-06-01", "2026-09-01", intakePtr("2026-06-10")},
		// A minor penalty is in principle not published: no publication window.
		{"MINOR", "2026-06-01", "SHARED", "<nil>", "2026-06-01", intakePtr("2026-06-10")},
		// The 2019 regime (发改办财金〔2019〕527号): a serious penalty may be repaired after 6 months.
		{"SERIOUS", "2020-03-02", "PUBLIC", "2023-03-02", "2020-09-02", intakePtr("2020-03-11")},
	} {
		var out intakePenaltyOut
		e.query(recordPenaltyMutation, penaltyIn("罚〔"+tc.decided+"〕", func(in, _ map[string]any) {
			in["severity"], in["decidedOn"] = tc.severity, tc.decided
		}), &out)
		p := out.RecordPenalty.Penalty
		if p.UseScope != tc.scope || intakeDeref(p.PublicUntil) != tc.until || intakeDeref(p.RepairableFrom) != tc.repairable ||
			intakeDeref(p.PublicationDeadline) != intakeDeref(tc.deadline) {
			t.Errorf("%s %s: got scope %s, until %s, repairable %s, deadline %s", tc.severity, tc.decided, p.UseScope,
				intakeDeref(p.PublicUntil), intakeDeref(p.RepairableFrom), intakeDeref(p.PublicationDeadline))
		}
		if p.PublishedOnTime == nil || *p.PublishedOnTime {
			t.Errorf("%s received on %s: publishedOnTime %v, want false", tc.decided, today.Format("2006-01-02"), p.PublishedOnTime)
		}
	}
	// Before the first publication rule (2019-07-01) no window can be given.
	if code, err := e.errorCode(recordPenaltyMutation, penaltyIn("罚〔2019-06-28〕", func(in, _ map[string]any) {
		in["severity"], in["decidedOn"] = "GENERAL", "2019-06-28"
	})); code != "BAD_USER_INPUT" || err.Extensions["field"] != "input.decidedOn" {
		t.Errorf("a penalty decided before any publication rule: got %s %v, want BAD_USER_INPUT on input.decidedOn", code, err.Extensions)
	}
}

func TestRevokingIsForTheDecidingAuthority(t *testing.T) {
	e := newEnv(t)
	e.f.Department(otherDept, "国家税务总局丹东市税务局")
	var other, own intakePenaltyOut
	e.query(recordPenaltyMutation, penaltyIn("税罚〔2026〕2号", func(in, _ map[string]any) { in["authorityCode"] = otherDept }), &other)
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕7号", nil), &own)
	const revoke = `mutation($id: ID!, $r: String!) { revokePenalty(id: $id, reason: $r) { updated penalty { status } } }`
	e.as(credit.RoleDepartment)
	if code, _ := e.errorCode(revoke, map[string]any{"id": other.RecordPenalty.Penalty.ID.String(), "r": "撤销"}); code != "FORBIDDEN" {
		t.Errorf("another authority's penalty: got %s, want FORBIDDEN", code)
	}
	if code, err := e.errorCode(revoke, map[string]any{"id": own.RecordPenalty.Penalty.ID.String(), "r": " "}); code != "BAD_USER_INPUT" || err.Extensions["field"] != "reason" {
		t.Errorf("empty reason: got %s on %v", code, err.Extensions["field"])
	}
	var out struct {
		RevokePenalty struct{ Penalty struct{ Status string } }
	}
	e.query(revoke, map[string]any{"id": own.RecordPenalty.Penalty.ID.String(), "r": "经行政复议撤销"}, &out)
	if out.RevokePenalty.Penalty.Status != "REVOKED" {
		t.Errorf("own penalty: got %s, want REVOKED", out.RevokePenalty.Penalty.Status)
	}
	for _, tc := range []struct{ id, want string }{{own.RecordPenalty.Penalty.ID.String(), "CONFLICT"}, {"999999", "NOT_FOUND"}, {"x", "BAD_USER_INPUT"}} {
		if code, _ := e.errorCode(revoke, map[string]any{"id": tc.id, "r": "撤销"}); code != tc.want {
			t.Errorf("revoke %s: got %s, want %s", tc.id, code, tc.want)
		}
	}
	if n := e.intakeRows(`SELECT count(*) FROM penalties WHERE status = 'REVOKED'`); n != 1 {
		t.Errorf("revoked penalties: got %d, want 1", n)
	}
	var lic struct {
		RecordLicence struct{ Licence struct{ ID json.Number } }
	}
	e.query(recordLicenceMutation, licenceIn("丹市监许〔2026〕1号", nil), &lic)
	var rl struct {
		RevokeLicence struct{ Licence struct{ Status string } }
	}
	e.query(`mutation($id: ID!) { revokeLicence(id: $id, reason: "以欺骗手段取得") { licence { status } } }`,
		map[string]any{"id": lic.RecordLicence.Licence.ID.String()}, &rl)
	if rl.RevokeLicence.Licence.Status != "REVOKED" {
		t.Errorf("licence: got %s, want REVOKED", rl.RevokeLicence.Licence.Status)
	}
}

const registerMutation = `mutation($in: SubjectInput!) { registerSubject(input: $in) { updated subject { code kind name status
	keyPersons { role since until person { code name } } } } }`

func TestRegisterSubjectWithKeyPersonsThenUpdateIt(t *testing.T) {
	e := newEnv(t)
	in := map[string]any{"code": intakeOrg, "kind": "LEGAL_PERSON", "name": "丹东登记有限公司", "keyPersons": []map[string]any{
		{"idNumber": intakeRep, "name": "王五", "role": "LEGAL_REPRESENTATIVE", "since": "2020-01-01"},
		{"idNumber": testenv.CitizenID(505), "name": "钱七", "role": "DIRECTLY_RESPONSIBLE", "since": "2021-01-01"}}}
	type outT struct {
		RegisterSubject struct {
			Updated bool
			Subject struct {
				Code, Kind, Name, Status string
				KeyPersons               []struct{ Role, Since, Until string }
			}
		}
	}
	var first, second outT
	e.query(registerMutation, map[string]any{"in": in}, &first)
	if first.RegisterSubject.Updated || first.RegisterSubject.Subject.Status != "ACTIVE" || len(first.RegisterSubject.Subject.KeyPersons) != 2 {
		t.Fatalf("registering: got %+v", first.RegisterSubject)
	}
	in["name"], in["status"] = "丹东登记股份有限公司", "SUSPENDED"
	in["keyPersons"] = []map[string]any{{"idNumber": intakeRep, "name": "王五", "role": "LEGAL_REPRESENTATIVE", "since": "2020-01-01", "until": "2026-10-31"}}
	// A department with a record of its own about the organisation may
	// change its key persons (without one, the change would wait for the
	// credit office: keypersons_test.go).
	e.f.Penalty(int64(e.intakeRows(`SELECT id FROM subjects WHERE code = $1`, intakeOrg)), dept, "2026-03-01", credit.General, 100)
	e.as(credit.RoleDepartment).query(registerMutation, map[string]any{"in": in}, &second)
	s := second.RegisterSubject
	if !s.Updated || s.Subject.Name != "丹东登记股份有限公司" || s.Subject.Status != "SUSPENDED" || len(s.Subject.KeyPersons) != 2 {
		t.Fatalf("updating: got %+v", s)
	}
	if n := e.intakeRows(`SELECT count(*) FROM key_persons WHERE until = '2026-10-31'`); n != 1 {
		t.Errorf("the ended role: got %d rows with its end date, want 1", n)
	}
	both := codeOfBothKinds(t)
	e.query(registerMutation, map[string]any{"in": map[string]any{"code": both, "kind": "NATURAL_PERSON", "name": "周九"}}, &struct{}{})
	code, err := e.errorCode(registerMutation, map[string]any{"in": map[string]any{"code": both, "kind": "LEGAL_PERSON", "name": "周九有限公司"}})
	if code != "BAD_USER_INPUT" || err.Extensions["field"] != "input.kind" {
		t.Errorf("a person registered again as an organisation: got %s %v", code, err.Extensions["field"])
	}
	if code, err := e.errorCode(registerMutation, map[string]any{"in": map[string]any{"code": intakeOrg, "kind": "NATURAL_PERSON", "name": "x"}}); code != "BAD_USER_INPUT" || err.Extensions["field"] != "input.code" {
		t.Errorf("a USCC as a person's code: got %s %v", code, err.Extensions["field"])
	}
	if n := e.intakeRows(`SELECT count(*) FROM audit_log WHERE action IN ('subject.registered', 'subject.updated')`); n != 3 {
		t.Errorf("audit rows: got %d, want 3", n)
	}
}

func TestEveryWriteIsInTheIntactAuditChain(t *testing.T) {
	e := newEnv(t)
	var p intakePenaltyOut
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕8号", nil), &p)
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕8号", nil), &p)
	var l struct {
		RecordLicence struct{ Licence struct{ ID json.Number } }
	}
	e.query(recordLicenceMutation, licenceIn("丹市监许〔2026〕2号", nil), &l)
	e.query(`mutation($id: ID!) { revokePenalty(id: $id, reason: "撤销") { updated } }`, map[string]any{"id": p.RecordPenalty.Penalty.ID.String()}, &struct{}{})
	rows, err := e.db.AuditRows(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		if !strings.HasPrefix(r.Action, "apikey.") {
			got = append(got, r.Action+" "+r.Target)
		}
	}
	want := fmt.Sprintf("[penalty.recorded penalty:%[1]s penalty.updated penalty:%[1]s licence.recorded licence:%[2]s penalty.revoked penalty:%[1]s]",
		p.RecordPenalty.Penalty.ID, l.RecordLicence.Licence.ID)
	if fmt.Sprint(got) != want {
		t.Errorf("audit log: got %v, want %s", got, want)
	}
	rep, err := audit.Verify(context.Background(), e.db, nil)
	if err != nil || !rep.Intact() || rep.Rows != int64(len(rows)) {
		t.Errorf("verify: got %+v %v, want %d intact rows", rep, err, len(rows))
	}
}

const intakeCheck = `query($c: ID!) { creditCheck(code: $c, purpose: "贷前审查") { verdict } }`

func (e *env) intakeVerdict(code string) string {
	e.t.Helper()
	var out struct{ CreditCheck struct{ Verdict string } }
	e.query(intakeCheck, map[string]any{"c": code}, &out)
	return out.CreditCheck.Verdict
}

func TestWritesInvalidateExactlyTheAnswersTheyChange(t *testing.T) {
	c := testenv.Cache(t)
	e := newEnvFull(t, nil, redisOpts(c)...)
	t.Parallel()
	org := e.f.Subject(intakeOrg, credit.LegalPerson, "丹东推送有限公司")
	if v := e.intakeVerdict(intakeOrg); v != "CLEAR" {
		t.Fatalf("before: got %s, want CLEAR", v)
	}
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕9号", func(in, _ map[string]any) { in["severity"] = "SERIOUS" }), &struct{}{})
	if v := e.intakeVerdict(intakeOrg); v != "CAUTION" {
		t.Fatalf("after a serious penalty: got %s, want CAUTION", v)
	}
	// A change behind the service's back is not seen: the answer above came
	// from a computation the write triggered, not from a cache that is off.
	e.f.TaxGrade(org, 2025, credit.GradeD)
	if v := e.intakeVerdict(intakeOrg); v != "CAUTION" {
		t.Fatalf("cached answer: got %s, want CAUTION still", v)
	}

	// A person who represents another organisation, and a blacklisted
	// organisation that does not yet name them.
	person := testenv.CitizenID(506)
	p := e.f.Subject(person, credit.NaturalPerson, "孙八")
	employer := testenv.USCC(507)
	e.f.KeyPerson(e.f.Subject(employer, credit.LegalPerson, "丹东雇主有限公司"), p, credit.LegalRepresentative, "2020-01-01", "")
	listed := testenv.USCC(508)
	e.f.ListEntry(testenv.Entry{Subject: e.f.Subject(listed, credit.LegalPerson, "丹东失信有限公司"), Kind: credit.Black,
		Domain: "WAGE_ARREARS", Dept: dept, DecidedOn: "2026-01-01"})
	if v, w := e.intakeVerdict(person), e.intakeVerdict(employer); v != "CLEAR" || w != "CLEAR" {
		t.Fatalf("before: person %s, employer %s, want CLEAR", v, w)
	}
	e.query(registerMutation, map[string]any{"in": map[string]any{"code": listed, "kind": "LEGAL_PERSON", "name": "丹东失信有限公司",
		"keyPersons": []map[string]any{{"idNumber": person, "name": "孙八", "role": "LEGAL_REPRESENTATIVE", "since": "2019-01-01"}}}}, &struct{}{})
	if v := e.intakeVerdict(person); v != "RESTRICTED" {
		t.Errorf("person now answering for a blacklisted organisation: got %s, want RESTRICTED", v)
	}
	if v := e.intakeVerdict(employer); v != "CAUTION" {
		t.Errorf("organisation whose representative is now attributed a black entry: got %s, want CAUTION", v)
	}
}

func TestCorrectingARecordsSubjectInvalidatesThePreviousSubject(t *testing.T) {
	c := testenv.Cache(t)
	e := newEnvFull(t, nil, redisOpts(c)...)
	t.Parallel()
	serious := func(code string) map[string]any {
		return penaltyIn("丹市监罚〔2026〕10号", func(in, p map[string]any) {
			in["severity"], p["unifiedSocialCreditCode"] = "SERIOUS", code
			delete(p, "legalRepresentativeIdNumber")
		})
	}
	wrong, right := testenv.USCC(509), testenv.USCC(510)
	e.query(recordPenaltyMutation, serious(wrong), &struct{}{})
	if v := e.intakeVerdict(wrong); v != "CAUTION" {
		t.Fatalf("before the correction: got %s, want CAUTION", v)
	}
	var out intakePenaltyOut
	e.query(recordPenaltyMutation, serious(right), &out)
	if !out.RecordPenalty.Updated {
		t.Fatalf("the correction should update the record")
	}
	if v, w := e.intakeVerdict(wrong), e.intakeVerdict(right); v != "CLEAR" || w != "CAUTION" {
		t.Errorf("after the correction: wrong subject %s (want CLEAR), right subject %s (want CAUTION)", v, w)
	}
}

func intakePtr(s string) *string { return &s }

func intakeDeref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// codeOfBothKinds returns a code that is a valid citizen ID number and a
// valid unified social credit code at once (the DOMAIN's trap).
func codeOfBothKinds(t *testing.T) string {
	for n := 600; n < 1000; n++ {
		body := fmt.Sprintf("21060219800101%03d", n)
		c, _ := credit.CitizenIDCheckChar(body)
		if credit.ValidUSCC(body + string(c)) {
			return body + string(c)
		}
	}
	t.Fatal("no code of both kinds")
	return ""
}
