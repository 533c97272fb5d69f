package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
)

// The column lists as DOMAIN.md gives them, copied by hand, so that a typo
// in either place fails here.
const (
	domainLicence = `XK_XDR_MC, XK_XDR_LB, XK_XDR_SHXYM, XK_XDR_GSZC, XK_XDR_ZZJG, XK_XDR_SWDJ, XK_XDR_SYDW, XK_XDR_SHZZ, XK_FRDB,
  XK_FR_ZJLX, XK_FR_ZJHM, XK_XDR_ZJLX, XK_XDR_ZJHM, XK_XKWS, XK_WSH, XK_XKLB, XK_XKZS, XK_XKBH, XK_NR, XK_JDRQ, XK_YXQZ,
  XK_YXQZI, XK_XKJG, XK_XKJGDM, XK_ZT, XK_LYDW, XK_LYDWDM, BZ`
	domainPenalty = `CF_XDR_MC, CF_XDR_LB, CF_XDR_SHXYM, CF_XDR_GSZC, CF_XDR_ZZJG, CF_XDR_SWDJ, CF_XDR_SYDW, CF_XDR_SHZZ, CF_FRDB,
  CF_FR_ZJLX, CF_FR_ZJHM, CF_XDR_ZJLX, CF_XDR_ZJHM, CF_WSH, CF_WFXW, CF_SY, CF_YJ, CF_CFLB, CF_NR, CF_NR_FK, CF_NR_WFFF,
  CF_NR_ZKDX, CF_JDRQ, CF_YXQ, CF_GSJZQ, CF_CFJG, CF_CFJGDM, CF_SJLY, CF_SJLYDM, BZ`
)

func splitColumns(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		out = append(out, strings.TrimSpace(c))
	}
	return out
}

func TestColumnsAreTheStandardsInItsOrder(t *testing.T) {
	if got, want := strings.Join(LicenceColumns, ","), strings.Join(splitColumns(domainLicence), ","); got != want {
		t.Errorf("licence columns:\n got %s\nwant %s", got, want)
	}
	// Penalties: the standard's columns, then CF_ZT for the status.
	if got, want := strings.Join(PenaltyColumns, ","), strings.Join(splitColumns(domainPenalty), ",")+",CF_ZT"; got != want {
		t.Errorf("penalty columns:\n got %s\nwant %s", got, want)
	}
}

func day(s string) *credit.Date {
	d := credit.MustDate(s)
	return &d
}

func samplePenalty() credit.Penalty {
	return credit.Penalty{
		RecordParty: credit.RecordParty{Name: "丹东示例有限公司", Category: credit.CategoryOrganization, USCC: "91210602MA10QX7K9W",
			LegalRepName: "王五", LegalRepIDType: "身份证", LegalRepIDNo: "11010519491231002X"},
		DecisionNo: "丹市监罚〔2026〕1号", ViolationType: "未按规定公示年度报告", Facts: "经查，\"当事人\"……\n第二行",
		LegalBasis: "《企业信息公示暂行条例》第十八条", Category: "罚款", Content: "罚款人民币5000元",
		Fine: 500000, Confiscated: 1234, DecidedOn: credit.MustDate("2026-11-20"), PublicUntil: day("2027-11-20"),
		AuthorityName: "丹东市市场监督管理局", AuthorityCode: "11210600MB0000001X", SourceName: "丹东市市场监督管理局",
		SourceCode: "11210600MB0000001X", Status: "IN_FORCE",
	}
}

func TestPenaltyFieldsCarryWanDatesCategoryAndStatus(t *testing.T) {
	p := samplePenalty()
	got := map[string]string{}
	for i, v := range PenaltyFields(p) {
		got[PenaltyColumns[i]] = v
	}
	for col, want := range map[string]string{
		"CF_XDR_LB": "法人及非法人组织", "CF_NR_FK": "0.5", "CF_NR_WFFF": "0.001234", "CF_JDRQ": "2026-11-20",
		"CF_YXQ": "", "CF_GSJZQ": "2027-11-20", "CF_ZT": "1", "CF_WSH": "丹市监罚〔2026〕1号", "CF_FR_ZJHM": "11010519491231002X",
	} {
		if got[col] != want {
			t.Errorf("%s: got %q, want %q", col, got[col], want)
		}
	}
	for status, want := range map[string]string{"REVOKED": "2", "REPAIRED": "3", "IN_FORCE": "1"} {
		p.Status = status
		if f := PenaltyFields(p); f[len(f)-1] != want {
			t.Errorf("status %s: CF_ZT %q, want %q", status, f[len(f)-1], want)
		}
	}
}

func TestLicenceFieldsCarryStatusCodeAndOpenEndedValidity(t *testing.T) {
	l := credit.Licence{RecordParty: credit.RecordParty{Name: "张三", Category: credit.CategoryNaturalPerson, IDType: "身份证",
		IDNo: "11010519491231002X"}, DecisionNo: "许1号", DecidedOn: credit.MustDate("2026-11-20"),
		ValidFrom: credit.MustDate("2026-11-21"), Status: "REVOKED"}
	got := map[string]string{}
	for i, v := range LicenceFields(l) {
		got[LicenceColumns[i]] = v
	}
	for col, want := range map[string]string{"XK_XDR_LB": "自然人", "XK_ZT": "2", "XK_YXQZ": "2026-11-21", "XK_YXQZI": "", "XK_XDR_ZJHM": "11010519491231002X"} {
		if got[col] != want {
			t.Errorf("%s: got %q, want %q", col, got[col], want)
		}
	}
	if CategoryName(credit.CategoryIndividualBusiness) != "个体工商户" {
		t.Errorf("individual business: got %q", CategoryName(credit.CategoryIndividualBusiness))
	}
}

func TestCSVRoundTripsThroughEncodingCSV(t *testing.T) {
	var buf bytes.Buffer
	enc, err := NewEncoder(&buf, CSV, credit.RecordKindPenalty)
	if err != nil {
		t.Fatal(err)
	}
	if err := enc.Penalty(samplePenalty()); err != nil {
		t.Fatal(err)
	}
	if err := enc.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || strings.Join(rows[0], ",") != strings.Join(PenaltyColumns, ",") ||
		strings.Join(rows[1], "\x00") != strings.Join(PenaltyFields(samplePenalty()), "\x00") {
		t.Fatalf("got %q, want the header and the record with its quotes and newline intact", rows)
	}
}

func TestEmptyCSVIsAHeaderAndEmptyJSONLinesIsEmpty(t *testing.T) {
	for _, tc := range []struct {
		f    Format
		want string
	}{{CSV, strings.Join(LicenceColumns, ",") + "\n"}, {JSONL, ""}} {
		var buf bytes.Buffer
		enc, _ := NewEncoder(&buf, tc.f, credit.RecordKindLicence)
		if err := enc.Flush(); err != nil || buf.String() != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.f, buf.String(), err, tc.want)
		}
	}
}

func TestJSONLinesHaveTheColumnsAsKeysInOrder(t *testing.T) {
	var buf bytes.Buffer
	enc, _ := NewEncoder(&buf, JSONL, credit.RecordKindPenalty)
	p := samplePenalty()
	p.Remarks = "<b>&</b>"
	for i := 0; i < 2; i++ {
		if err := enc.Penalty(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), buf.String())
	}
	var obj map[string]string
	if err := json.Unmarshal([]byte(lines[0]), &obj); err != nil {
		t.Fatalf("%v: %s", err, lines[0])
	}
	fields := PenaltyFields(p)
	for i, col := range PenaltyColumns {
		if obj[col] != fields[i] {
			t.Errorf("%s: got %q, want %q", col, obj[col], fields[i])
		}
	}
	if !strings.HasPrefix(lines[0], `{"CF_XDR_MC":"丹东示例有限公司","CF_XDR_LB":"法人及非法人组织",`) ||
		!strings.Contains(lines[0], `"BZ":"<b>&</b>","CF_ZT":"1"}`) {
		t.Errorf("keys out of order or text escaped: %s", lines[0])
	}
}

func TestParseSinceTakesRFC3339OrADateInShanghai(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2026-11-27":                time.Date(2026, 11, 26, 16, 0, 0, 0, time.UTC),
		"2026-11-27T09:30:00+08:00": time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC),
		"2026-11-27T01:30:00Z":      time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC),
	} {
		if got, err := ParseSince(in); err != nil || !got.Equal(want) {
			t.Errorf("%s: got %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2026-02-30", "2026-11-27 09:30"} {
		if _, err := ParseSince(bad); credit.CodeOf(err) != credit.BadUserInput {
			t.Errorf("%q: got %v, want BAD_USER_INPUT", bad, err)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"双公示-csv": CSV, "csv": CSV, "CSV": CSV, "jsonl": JSONL} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("%s: got %q, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("xml"); credit.CodeOf(err) != credit.BadUserInput {
		t.Errorf("xml: got %v, want BAD_USER_INPUT", err)
	}
}

// A department's text that a spreadsheet would run as a formula leaves the
// hub as text: quoted with an apostrophe in the CSV, as it is in JSON Lines.
func TestCSVCellsThatSpreadsheetsWouldRunAreWrittenAsText(t *testing.T) {
	p := samplePenalty()
	p.Facts = `=cmd|' /C calc'!A0`
	p.Remarks = "@SUM(1+1)"
	var buf bytes.Buffer
	enc, err := NewEncoder(&buf, CSV, credit.RecordKindPenalty)
	if err != nil {
		t.Fatal(err)
	}
	if err := enc.Penalty(p); err != nil || enc.Flush() != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cell := func(col string) string { return rows[1][slices.Index(PenaltyColumns, col)] }
	if cell("CF_SY") != `'=cmd|' /C calc'!A0` || cell("BZ") != "'@SUM(1+1)" {
		t.Errorf("CF_SY %q, BZ %q: want both behind an apostrophe", cell("CF_SY"), cell("BZ"))
	}
	var jsonl bytes.Buffer
	enc, _ = NewEncoder(&jsonl, JSONL, credit.RecordKindPenalty)
	enc.Penalty(p)
	enc.Flush()
	if !strings.Contains(jsonl.String(), `"CF_SY":"=cmd|' /C calc'!A0"`) {
		t.Errorf("JSON Lines (not for spreadsheets) changed the text: %s", jsonl.String())
	}
}
