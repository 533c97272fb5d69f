package importer

import (
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
)

var today = credit.MustDate("2026-11-27")

// readAll reads every row of r, as values and rejects.
func readAll[T any](t *testing.T, r *Reader[T], err error) ([]T, []Reject) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var vs []T
	var rejects []Reject
	for {
		v, rej, err := r.Next()
		if err == io.EOF {
			return vs, rejects
		} else if err != nil {
			t.Fatal(err)
		}
		if rej != nil {
			rejects = append(rejects, *rej)
		} else {
			vs = append(vs, v)
		}
	}
}

func readPenalties(t *testing.T, src io.Reader) ([]Penalty, []Reject) {
	t.Helper()
	r, err := NewPenalties(src, Auto, today, testRules(t, severityRow))
	return readAll(t, r, err)
}

func readLicences(t *testing.T, src io.Reader) ([]Licence, []Reject) {
	t.Helper()
	r, err := NewLicences(src, Auto, today)
	return readAll(t, r, err)
}

func penaltyCSV(rows ...string) string {
	header := []string{}
	for _, c := range PenaltyColumns {
		header = append(header, c.Name)
	}
	return strings.Join(header, ",") + "\n" + strings.Join(rows, "\n") + "\n"
}

// penaltyRow is a valid penalty row with the given columns changed.
func penaltyRow(change map[string]string) string {
	v := map[string]string{
		"CF_XDR_MC": "丹东市鸿运食品有限公司", "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": "91210602MA0000101W",
		"CF_FRDB": "张伟", "CF_FR_ZJLX": "身份证", "CF_FR_ZJHM": "21060219710211011X", "CF_WSH": "丹市监罚〔2024〕1号",
		"CF_WFXW": "销售过期食品", "CF_SY": "事实", "CF_YJ": "依据", "CF_CFLB": "罚款", "CF_NR": "罚款2000元",
		"CF_NR_FK": "0.2", "CF_NR_WFFF": "0", "CF_JDRQ": "2024-03-05", "CF_CFJG": "丹东市市场监督管理局",
		"CF_CFJGDM": "11210600001213497T",
	}
	for k, x := range change {
		v[k] = x
	}
	var out []string
	for _, c := range PenaltyColumns {
		f := v[c.Name]
		if strings.ContainsAny(f, ",\"\n") {
			f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		}
		out = append(out, f)
	}
	return strings.Join(out, ",")
}

func TestPenaltyRowsDecodeToValidatedInputs(t *testing.T) {
	ps, rejects := readPenalties(t, strings.NewReader(penaltyCSV(
		penaltyRow(nil),
		penaltyRow(map[string]string{"CF_WSH": "2号", "CF_NR_FK": "", "CF_NR_WFFF": "", "CF_CFLB": "警告", "CF_JDRQ": "2024/3/6"}),
		penaltyRow(map[string]string{"CF_WSH": "3号", "CF_CFLB": "罚款", "SEVERITY": "严重", "CF_JDRQ": "20240307"}),
		penaltyRow(map[string]string{"CF_WSH": "4号", "CF_XDR_SHXYM": "91210602MA0000101X", "CF_YXQ": "2025-03-05"}),
	)))
	if len(rejects) != 0 || len(ps) != 4 {
		t.Fatalf("got %d penalties and rejects %v, want 4 and none", len(ps), rejects)
	}
	for _, tc := range []struct {
		got, want string
	}{
		{ps[0].Input.Fine.String(), "2000.00"},
		{string(ps[0].Input.Severity), "GENERAL"},
		{ps[0].Intake.Subject.Code, "91210602MA0000101W"},
		{string(ps[0].Intake.Subject.Kind), "LEGAL_PERSON"},
		{ps[0].Intake.LegalRep.Code + " " + ps[0].Intake.LegalRep.Name, "21060219710211011X 张伟"},
		{ps[0].Input.SourceCode, "11210600001213497T"}, // the authority when empty
		{ps[1].Input.Fine.String(), "0.00"},
		{strings.Join(ps[1].Warnings, "; "), "CF_NR_FK: empty, taken as 0; CF_NR_WFFF: empty, taken as 0"},
		{string(ps[1].Input.Severity), "MINOR"},
		{ps[1].Input.DecidedOn.String(), "2024-03-06"},
		{string(ps[2].Input.Severity), "SERIOUS"},
		{ps[2].Input.DecidedOn.String(), "2024-03-07"},
		{strings.Join(ps[3].Warnings, "; "), "XDR_SHXYM: check character should be W, got X; stored as pushed"},
		{ps[3].Input.ValidUntil.String(), "2025-03-05"},
		{strconv.Itoa(ps[0].Line) + "," + strconv.Itoa(ps[3].Line), "2,5"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestBadPenaltyRowsAreRejectedOnTheirColumn(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change map[string]string
		column string
		reason string
	}{
		{"a code with O", map[string]string{"CF_XDR_SHXYM": "91210602MA00O0110T"}, "CF_XDR_SHXYM", "letter O is not allowed"},
		{"no code for an organisation", map[string]string{"CF_XDR_SHXYM": ""}, "CF_XDR_SHXYM", "is required"},
		{"a bad ID check digit", map[string]string{"CF_FR_ZJHM": "210602198002110206"}, "CF_FR_ZJHM", "check digit should be 5, got 6"},
		{"a person with a code", map[string]string{"CF_XDR_LB": "自然人", "CF_XDR_ZJHM": "210602197304100139"}, "CF_XDR_SHXYM", "natural person"},
		{"an unknown category", map[string]string{"CF_XDR_LB": "企业"}, "CF_XDR_LB", "is not one of"},
		{"a day that does not exist", map[string]string{"CF_JDRQ": "2024-02-30"}, "CF_JDRQ", "not a day that exists"},
		{"no decision date", map[string]string{"CF_JDRQ": ""}, "CF_JDRQ", "is required"},
		{"a future decision", map[string]string{"CF_JDRQ": "2027-01-01"}, "CF_JDRQ", "after today"},
		{"an end before the decision", map[string]string{"CF_YXQ": "2024-01-01"}, "CF_YXQ", "before decidedOn"},
		{"an amount with a comma", map[string]string{"CF_NR_FK": "1,000"}, "CF_NR_FK", "not an amount"},
		{"a negative amount", map[string]string{"CF_NR_WFFF": "-1"}, "CF_NR_WFFF", "must not be negative"},
		{"an empty required text", map[string]string{"CF_WFXW": " "}, "CF_WFXW", "must not be empty"},
		{"no authority", map[string]string{"CF_CFJGDM": ""}, "CF_CFJGDM", "must not be empty"},
		{"a NUL", map[string]string{"CF_SY": "a\x00b"}, "CF_SY", "NUL"},
		{"an unknown severity", map[string]string{"SEVERITY": "很严重"}, "SEVERITY", "is not one of"},
		{"the representative is the party", map[string]string{"CF_XDR_LB": "自然人", "CF_XDR_SHXYM": "",
			"CF_XDR_ZJHM": "21060219710211011X"}, "CF_FR_ZJHM", "the party's own code"},
		{"a representative named by passport", map[string]string{"CF_FR_ZJLX": "护照", "CF_FR_ZJHM": "E12345678"}, "", ""},
		{"in force as the export says it", map[string]string{"CF_ZT": "1"}, "", ""},
		{"revoked as the export says it", map[string]string{"CF_ZT": "2"}, "CF_ZT", "revokePenalty"},
		{"repaired as the export says it", map[string]string{"CF_ZT": "3"}, "CF_ZT", "repair is recorded"},
		{"an unknown status", map[string]string{"CF_ZT": "正常"}, "CF_ZT", "is not 1"},
	} {
		_, rejects := readPenalties(t, strings.NewReader(penaltyCSV(penaltyRow(tc.change))))
		if tc.column == "" {
			if len(rejects) != 0 {
				t.Errorf("%s: got %v, want it accepted", tc.name, rejects)
			}
			continue
		}
		if len(rejects) != 1 || rejects[0].Line != 2 || rejects[0].Column != tc.column || !strings.Contains(rejects[0].Reason, tc.reason) {
			t.Errorf("%s: got %v, want line 2, column %s, a reason containing %q", tc.name, rejects, tc.column, tc.reason)
		}
	}
}

func TestRepeatsWithinAFileAreRejected(t *testing.T) {
	_, rejects := readPenalties(t, strings.NewReader(penaltyCSV(
		penaltyRow(nil),
		penaltyRow(map[string]string{"CF_WFXW": "另一行为"}), // the same decision number
		penaltyRow(map[string]string{"CF_WSH": "2号", "CF_CFJGDM": "11210600001227151P"}),
		// the representative's ID number used as an organisation's code
		penaltyRow(map[string]string{"CF_WSH": "3号", "CF_XDR_SHXYM": "21060219710211011X", "CF_FRDB": "", "CF_FR_ZJHM": ""}),
	)))
	got := []string{}
	for _, r := range rejects {
		got = append(got, r.String())
	}
	want := []string{
		"line 3, column CF_WSH: decision number 丹市监罚〔2024〕1号 of authority 11210600001213497T is already on line 2: a decision appears once in a file",
		"line 5, column CF_XDR_LB: 21060219710211011X is used as a natural person on line 2 of this file: a natural person and an organisation are never the same subject",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSamplePenaltiesDecodeAsDocumented(t *testing.T) {
	f, err := os.Open("../../testdata/penalties-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps, rejects := readPenalties(t, f)
	// The expected reject file also holds line 19, whose authority is not
	// a registered department: only the service knows the departments.
	lines := []int{}
	for _, r := range rejects {
		lines = append(lines, r.Line)
	}
	if len(ps) != 14 || !slices.Equal(lines, []int{17, 18, 20, 21, 22, 23, 24, 25}) {
		t.Errorf("got %d penalties, rejects on lines %v", len(ps), lines)
	}
}

func TestLicenceRowsDecodeStatusAndLongTerm(t *testing.T) {
	f, err := os.Open("../../testdata/licences-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ls, rejects := readLicences(t, f)
	if len(ls) != 6 || len(rejects) != 2 {
		t.Fatalf("got %d licences, rejects %v; want 6 and 2", len(ls), rejects)
	}
	if ls[1].Status != LicenceRevoked || ls[0].Status != LicenceValid || ls[5].Status != LicenceValid {
		t.Errorf("XK_ZT: got %s %s %s, want VALID REVOKED … VALID", ls[0].Status, ls[1].Status, ls[5].Status)
	}
	if ls[2].Input.ValidUntil != nil || ls[1].Input.ValidUntil.String() != "2027-09-09" || ls[1].Input.ValidFrom.String() != "2022-09-10" {
		t.Errorf("dates: got %v %v %v", ls[2].Input.ValidUntil, ls[1].Input.ValidUntil, ls[1].Input.ValidFrom)
	}
	if rejects[0].Column != "XK_YXQZI" || rejects[1].Column != "XK_ZT" {
		t.Errorf("rejects: got %v", rejects)
	}
}

// severityRow is the PENALTY_SEVERITY rule of the migrations' baseline.
var severityRow = credit.RuleRow{Rule: credit.RulePenaltySeverity, EffectiveFrom: credit.MustDate("2017-01-01"),
	Params: []byte(`{"seriousKinds": ["吊销", "责令关闭", "限制从业", "禁止从业"], "minorKinds": ["警告", "通报批评"],
		"hugeFineYuan": {"ORGANIZATION": 200000, "INDIVIDUAL_BUSINESS": 50000, "NATURAL_PERSON": 50000}}`),
	LegalBasis: "中华人民共和国行政处罚法第九条"}

// testRules returns a rule book of rows.
func testRules(t testing.TB, rows ...credit.RuleRow) *credit.RuleBook {
	t.Helper()
	b, err := credit.NewRuleBook(rows, 1)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
