package graph_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/export"
	"github.com/credithub/credithub/internal/importer"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

// Export upward: records written through the mutations (or plain SQL, the
// way a bulk import writes) reach the outbox by the database's triggers and
// leave through service.Export in the 双公示 format.

// longAgo is an export's --since that covers every outbox row.
var longAgo = time.Date(2000, 1, 1, 0, 0, 0, 0, credit.Shanghai)

// exported is one export's output, per kind, as buffers.
type exported struct {
	res service.ExportResult
	out map[credit.RecordKind]*bytes.Buffer
}

// rows parses kind's CSV into maps from column name to value, checking the
// header is the kind's columns exactly.
func (x exported) rows(t *testing.T, kind credit.RecordKind) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(x.out[kind].Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("%s: not CSV: %v", kind, err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(export.Columns(kind), ",") {
		t.Fatalf("%s: header %v, want %v", kind, recs, export.Columns(kind))
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, col := range recs[0] {
			m[col] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// runExport exports req (Since longAgo and CSV unless set) into buffers.
func (e *env) runExport(req service.ExportRequest) exported {
	e.t.Helper()
	if req.Since.IsZero() {
		req.Since = longAgo
	}
	if req.Format == "" {
		req.Format = export.CSV
	}
	x := exported{out: map[credit.RecordKind]*bytes.Buffer{}}
	var err error
	x.res, err = e.svc.Export(context.Background(), req, service.ExportSink{Open: func(k credit.RecordKind) (io.Writer, error) {
		x.out[k] = &bytes.Buffer{}
		return x.out[k], nil
	}})
	if err != nil {
		e.t.Fatalf("export: %v", err)
	}
	return x
}

func (e *env) pending() int {
	e.t.Helper()
	return e.intakeRows(`SELECT count(*) FROM export_outbox WHERE exported_at IS NULL`)
}

// diffRecord reports every column whose value is not the wanted one.
func diffRecord(t *testing.T, what string, got, want map[string]string, columns []string) {
	t.Helper()
	for _, col := range columns {
		if got[col] != want[col] {
			t.Errorf("%s %s: got %q, want %q", what, col, got[col], want[col])
		}
	}
}

func TestExportRoundTripsRecordsWrittenThroughTheMutations(t *testing.T) {
	e := newEnv(t)
	var pen intakePenaltyOut
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕88号", func(in, party map[string]any) {
		party["businessRegistrationNumber"], party["organizationCode"], party["taxRegistrationNumber"] = "210600000012345", "MA10QX7K9", "210602MA10QX7K9W"
		party["publicInstitutionNumber"], party["socialOrganizationNumber"] = "事证001", "社证002"
		in["confiscated"], in["suspendedLicence"], in["validUntil"] = "1234.56", "食品经营许可证 JY12106020001", "2026-12-20"
		in["sourceName"], in["sourceCode"], in["remarks"] = "丹东市振兴区市场监督管理局", "11210600MB0000009X", "备注, 含逗号与\"引号\"\n和换行"
	}), &pen)
	var lic struct {
		RecordLicence struct{ Licence struct{ ID string } }
	}
	e.query(recordLicenceMutation, licenceIn("丹市监许〔2026〕88号", func(in, party map[string]any) {
		party["category"], party["name"], party["idType"], party["idNumber"] = "NATURAL_PERSON", "张三", "身份证", testenv.CitizenID(88)
		delete(party, "unifiedSocialCreditCode")
		in["certificateName"], in["licenceNumber"], in["remarks"] = "食品经营许可证", "JY22106020088", "首次申请"
	}), &lic)

	x := e.runExport(service.ExportRequest{})
	if x.res.Penalties != 1 || x.res.Licences != 1 || x.res.Claimed != 2 || x.res.Batch == "" {
		t.Fatalf("got %+v, want one of each from two outbox rows", x.res)
	}
	pens, lics := x.rows(t, credit.RecordKindPenalty), x.rows(t, credit.RecordKindLicence)
	if len(pens) != 1 || len(lics) != 1 {
		t.Fatalf("got %d penalties and %d licences, want one each", len(pens), len(lics))
	}
	diffRecord(t, "penalty", pens[0], map[string]string{
		"CF_XDR_MC": "丹东推送有限公司", "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": intakeOrg,
		"CF_XDR_GSZC": "210600000012345", "CF_XDR_ZZJG": "MA10QX7K9", "CF_XDR_SWDJ": "210602MA10QX7K9W",
		"CF_XDR_SYDW": "事证001", "CF_XDR_SHZZ": "社证002", "CF_FRDB": "王五", "CF_FR_ZJLX": "身份证", "CF_FR_ZJHM": intakeRep,
		"CF_XDR_ZJLX": "", "CF_XDR_ZJHM": "", "CF_WSH": "丹市监罚〔2026〕88号", "CF_WFXW": "未按规定公示年度报告",
		"CF_SY": "经查……", "CF_YJ": "《企业信息公示暂行条例》第十八条", "CF_CFLB": "罚款", "CF_NR": "罚款人民币5000元",
		"CF_NR_FK": "0.5", "CF_NR_WFFF": "0.123456", "CF_NR_ZKDX": "食品经营许可证 JY12106020001",
		"CF_JDRQ": "2026-11-20", "CF_YXQ": "2026-12-20", "CF_GSJZQ": *pen.RecordPenalty.Penalty.PublicUntil,
		"CF_CFJG": "丹东市市场监督管理局", "CF_CFJGDM": dept, "CF_SJLY": "丹东市振兴区市场监督管理局",
		"CF_SJLYDM": "11210600MB0000009X", "BZ": "备注, 含逗号与\"引号\"\n和换行", "CF_ZT": "1",
	}, export.PenaltyColumns)
	diffRecord(t, "licence", lics[0], map[string]string{
		"XK_XDR_MC": "张三", "XK_XDR_LB": "自然人", "XK_XDR_ZJLX": "身份证", "XK_XDR_ZJHM": testenv.CitizenID(88),
		"XK_XKWS": "准予许可决定书", "XK_WSH": "丹市监许〔2026〕88号", "XK_XKLB": "普通", "XK_XKZS": "食品经营许可证",
		"XK_XKBH": "JY22106020088", "XK_NR": "食品经营许可", "XK_JDRQ": "2026-11-20", "XK_YXQZ": "2026-11-20",
		"XK_YXQZI": "2031-11-19", "XK_XKJG": "丹东市市场监督管理局", "XK_XKJGDM": dept, "XK_ZT": "1",
		"XK_LYDW": "丹东市市场监督管理局", "XK_LYDWDM": dept, "BZ": "首次申请", // the source defaults to the authority
	}, export.LicenceColumns)

	// Marked: nothing is left for the next export, until a revocation.
	if again := e.runExport(service.ExportRequest{}); again.res.Penalties+again.res.Licences != 0 || again.res.Claimed != 0 {
		t.Fatalf("a second export sent %+v, want nothing", again.res)
	}
	e.query(`mutation($id: ID!) { revokePenalty(id: $id, reason: "决定错误") { penalty { status } } }`,
		map[string]any{"id": pen.RecordPenalty.Penalty.ID.String()}, &struct{}{})
	if n := e.intakeRows(`SELECT count(*) FROM export_outbox WHERE op = 'REVOKE' AND exported_at IS NULL`); n != 1 {
		t.Fatalf("pending REVOKE rows: got %d, want 1", n)
	}
	revoked := e.runExport(service.ExportRequest{}).rows(t, credit.RecordKindPenalty)
	if len(revoked) != 1 || revoked[0]["CF_ZT"] != "2" || revoked[0]["CF_WSH"] != "丹市监罚〔2026〕88号" {
		t.Fatalf("after the revocation: got %v, want the penalty with CF_ZT 2", revoked)
	}
}

func TestOnlyChangesThatTheExportSendsAreEnqueued(t *testing.T) {
	e := newEnv(t)
	in := penaltyIn("丹市监罚〔2026〕89号", nil)
	e.query(recordPenaltyMutation, in, &intakePenaltyOut{})
	e.runExport(service.ExportRequest{})
	e.query(recordPenaltyMutation, in, &intakePenaltyOut{}) // identical re-push: updated_at moves, nothing else
	if n := e.pending(); n != 0 {
		t.Fatalf("an identical re-push enqueued %d rows", n)
	}
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕89号", func(in, _ map[string]any) { in["fine"] = "8000.00" }), &intakePenaltyOut{})
	if n := e.pending(); n != 1 {
		t.Fatalf("a changed fine enqueued %d rows, want 1", n)
	}
	if got := e.runExport(service.ExportRequest{}).rows(t, credit.RecordKindPenalty); len(got) != 1 || got[0]["CF_NR_FK"] != "0.8" {
		t.Fatalf("got %v, want the new fine 0.8 万元", got)
	}
}

// A bulk import writes 50,000 records in one INSERT ... SELECT ... ON
// CONFLICT DO UPDATE: the statement triggers enqueue the new and the
// changed ones, each once, and none of the unchanged.
func TestBulkUpsertEnqueuesNewAndChangedRecordsOnce(t *testing.T) {
	e := newEnv(t)
	subject := e.f.Subject(testenv.USCC(700), credit.LegalPerson, "丹东批量有限公司")
	upsert := func(n int, content string) {
		e.t.Helper()
		if _, err := e.db.SQL().Exec(`INSERT INTO licences AS r (subject_id, xdr_name, xdr_category, document_name,
				decision_no, licence_category, content, decided_on, valid_from, authority_name, authority_code, source_name, source_code)
			SELECT $1, 'x', 'ORGANIZATION', '准予许可决定书', '批' || g, '普通',
				CASE WHEN g % 2 = 0 THEN $3 ELSE '原内容' END, '2026-11-20', '2026-11-20', '许可机关', $4, '许可机关', $4
			FROM generate_series(1, $2) g
			ON CONFLICT ON CONSTRAINT licences_decision_key DO UPDATE SET content = EXCLUDED.content, updated_at = now()`,
			subject, n, content, dept); err != nil {
			e.t.Fatal(err)
		}
	}
	upsert(600, "原内容")
	if n := e.pending(); n != 600 {
		t.Fatalf("after inserting 600: %d pending, want 600", n)
	}
	e.runExport(service.ExportRequest{})
	upsert(1000, "新内容") // 400 new; of the 600 existing, the 300 even ones change
	if n := e.pending(); n != 700 {
		t.Fatalf("after the upsert: %d pending, want 400 new + 300 changed", n)
	}
	if n := e.intakeRows(`SELECT count(DISTINCT record_id) FROM export_outbox WHERE exported_at IS NULL`); n != 700 {
		t.Fatalf("%d distinct records pending, want 700", n)
	}
}

func TestDryRunMarksNothingAndAllResends(t *testing.T) {
	e := newEnv(t)
	org := e.f.Subject(testenv.USCC(701), credit.LegalPerson, "丹东重发有限公司")
	for _, d := range []string{"2026-11-01", "2026-11-02", "2026-11-03"} {
		e.f.Penalty(org, dept, d, credit.General, 200000)
	}
	e.f.Licence(org, dept, "2026-11-04")
	dry := e.runExport(service.ExportRequest{DryRun: true})
	if dry.res.Penalties != 3 || dry.res.Licences != 1 || dry.res.Claimed != 4 || e.pending() != 4 {
		t.Fatalf("dry run: got %+v with %d pending, want 4 written and 4 still pending", dry.res, e.pending())
	}
	if n := e.intakeRows(`SELECT count(*) FROM audit_log WHERE action = 'export.sent'`); n != 0 {
		t.Fatalf("a dry run left %d audit rows", n)
	}
	first := e.runExport(service.ExportRequest{Kinds: []credit.RecordKind{credit.RecordKindPenalty}})
	if first.res.Penalties != 3 || first.res.Claimed != 3 || e.pending() != 1 || first.out[credit.RecordKindLicence] != nil {
		t.Fatalf("got %+v with %d pending, want the 3 penalties only, the licence still pending", first.res, e.pending())
	}
	if n := e.intakeRows(`SELECT count(*) FROM audit_log WHERE action = 'export.sent' AND target = $1`, "export_batch:"+first.res.Batch); n != 1 {
		t.Fatalf("audit rows for the batch: got %d, want 1", n)
	}
	resent := e.runExport(service.ExportRequest{All: true})
	if resent.res.Penalties != 3 || resent.res.Licences != 1 || resent.res.Claimed != 1 || e.pending() != 0 {
		t.Fatalf("--all: got %+v, want the 3 penalties again and the pending licence claimed", resent.res)
	}
	if n := e.intakeRows(`SELECT count(*) FROM export_outbox WHERE export_batch = $1`, first.res.Batch); n != 3 {
		t.Fatalf("a re-send changed the first batch's marks: %d rows left in it", n)
	}
	if got := resent.rows(t, credit.RecordKindPenalty); got[0]["CF_NR_FK"] != "0.2" {
		t.Fatalf("2000 yuan: got %q, want 0.2 万元", got[0]["CF_NR_FK"])
	}
}

// Two exports at once: the second skips the rows the first has claimed,
// so between them every record is sent exactly once.
func TestConcurrentExportsNeverSendARowTwice(t *testing.T) {
	e := newEnv(t)
	org := e.f.Subject(testenv.USCC(702), credit.LegalPerson, "丹东并发有限公司")
	for i := 0; i < 50; i++ {
		e.f.Licence(org, dept, "2026-11-02")
	}
	claimed, release := make(chan struct{}), make(chan struct{})
	var first service.ExportResult
	var firstErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var once sync.Once
		first, firstErr = e.svc.Export(context.Background(), service.ExportRequest{Since: longAgo, Format: export.JSONL},
			service.ExportSink{Open: func(credit.RecordKind) (io.Writer, error) {
				once.Do(func() { close(claimed); <-release }) // hold the claim open
				return io.Discard, nil
			}})
	}()
	<-claimed
	second := e.runExport(service.ExportRequest{})
	close(release)
	wg.Wait()
	if firstErr != nil {
		t.Fatal(firstErr)
	}
	if first.Licences != 50 || second.res.Licences != 0 || second.res.Claimed != 0 {
		t.Fatalf("first sent %d, second %d (claimed %d); want 50 and 0", first.Licences, second.res.Licences, second.res.Claimed)
	}
	if n := e.intakeRows(`SELECT count(*) FROM export_outbox WHERE export_batch = $1`, first.Batch); n != 50 {
		t.Fatalf("the first batch marked %d rows, want 50", n)
	}
}

func TestJSONLinesCarryBothKindsWithTheSameKeys(t *testing.T) {
	e := newEnv(t)
	e.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕90号", nil), &intakePenaltyOut{})
	e.query(recordLicenceMutation, licenceIn("丹市监许〔2026〕90号", nil), &struct{}{})
	var buf bytes.Buffer
	res, err := e.svc.Export(context.Background(), service.ExportRequest{Since: longAgo, Format: export.JSONL},
		service.ExportSink{Open: func(credit.RecordKind) (io.Writer, error) { return &buf, nil }})
	if err != nil || res.Licences != 1 || res.Penalties != 1 {
		t.Fatalf("got %+v, %v", res, err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), buf.String())
	}
	var lic, pen map[string]string
	if json.Unmarshal([]byte(lines[0]), &lic) != nil || json.Unmarshal([]byte(lines[1]), &pen) != nil {
		t.Fatalf("not JSON lines:\n%s", buf.String())
	}
	if len(lic) != len(export.LicenceColumns) || lic["XK_WSH"] != "丹市监许〔2026〕90号" ||
		len(pen) != len(export.PenaltyColumns) || pen["CF_NR_FK"] != "0.5" || pen["CF_XDR_LB"] != "法人及非法人组织" {
		t.Fatalf("got %v and %v", lic, pen)
	}
}

// decodePenalties decodes a penalty file with the importer and returns its
// accepted rows by authority and decision number.
func decodePenalties(t *testing.T, e *env, src []byte) map[string]importer.Penalty {
	t.Helper()
	book, err := e.svc.ReloadRules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r, err := importer.NewPenalties(bytes.NewReader(src), importer.Auto, credit.DateOf(today), book)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]importer.Penalty{}
	for {
		p, rej, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		if rej == nil {
			out[p.Input.AuthorityCode+"|"+p.Input.DecisionNo] = p
		}
	}
}

// The importer's sample goes in through `credithub import`'s service,
// comes out through the export, and the importer decodes the export to the
// same penalties.
func TestImportedPenaltiesSurviveExportAndImportAgain(t *testing.T) {
	e := newEnv(t)
	sample, err := os.ReadFile("../testdata/penalties-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := decodePenalties(t, e, sample)
	for _, p := range want {
		e.f.Department(p.Input.AuthorityCode, p.Input.AuthorityName)
	}
	ctx := credit.WithCaller(context.Background(), credit.Caller{ID: "test", Role: credit.RoleCreditOffice})
	sum, err := e.svc.Import(ctx, bytes.NewReader(sample), service.ImportOptions{Kind: service.ImportPenalties, Name: "penalties-sample.csv", Encoding: importer.Auto})
	if err != nil || sum.Accepted != len(want) || len(want) < 10 {
		t.Fatalf("import: got %+v, %v; want the %d rows the importer accepts", sum, err, len(want))
	}
	x := e.runExport(service.ExportRequest{Kinds: []credit.RecordKind{credit.RecordKindPenalty}})
	// The export appends CF_ZT to the standard's columns and the importer
	// reads it back: the export decodes as it is.
	exported := x.out[credit.RecordKindPenalty].Bytes()
	recs, err := csv.NewReader(bytes.NewReader(exported)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		if last := r[len(r)-1]; i > 0 && last != "1" {
			t.Errorf("%s: CF_ZT %q, want 1: every penalty here is in force", r[13], last)
		}
	}
	got := decodePenalties(t, e, exported)
	if len(got) != len(want) || len(recs) != len(want)+1 {
		t.Fatalf("the export decodes to %d penalties from %d rows, want %d", len(got), len(recs)-1, len(want))
	}
	for key, w := range want {
		g, ok := got[key]
		// Severity is no 双公示 column: a file gives it in SEVERITY or the
		// importer derives it, so it is not expected back.
		g.Input.Severity, w.Input.Severity = "", ""
		if !ok || !reflect.DeepEqual(g.Input, w.Input) {
			t.Errorf("%s:\n got %+v\nwant %+v", key, g.Input, w.Input)
		}
	}
}
