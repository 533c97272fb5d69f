package csvsafe

import "testing"

func TestCellsThatSpreadsheetsWouldEvaluateAreQuoted(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		{`=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"丹东银行", "丹东银行"},
		{"0.2", "0.2"},
		{"", ""},
		{"a=b", "a=b"},
	} {
		if got := Cell(tc.in); got != tc.out {
			t.Errorf("Cell(%q) = %q, want %q", tc.in, got, tc.out)
		}
		if back := Unescape(Cell(tc.in)); back != tc.in {
			t.Errorf("Unescape(Cell(%q)) = %q", tc.in, back)
		}
	}
	row := []string{"a", "=1", "b"}
	if got := Row(row); got[1] != "'=1" || row[1] != "=1" {
		t.Errorf("Row: got %q, and the input became %q (want it unchanged)", got, row)
	}
}
