package importer

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var testColumns = []Column{{"A", true}, {"B", false}, {"C", true}}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeDetectsTheEncoding(t *testing.T) {
	const text = "A,B,C\n丹东,鸭绿江,振兴区\n"
	for _, tc := range []struct {
		name string
		in   []byte
		enc  Encoding
		want Encoding
	}{
		{"UTF-8", []byte(text), Auto, UTF8},
		{"UTF-8 with a byte order mark", append([]byte{0xEF, 0xBB, 0xBF}, text...), Auto, UTF8},
		{"GB18030", gbk(t, text), Auto, GB18030},
		{"GBK asked for", gbk(t, text), GB18030, GB18030},
		{"ASCII only", []byte("A,B,C\n1,2,3\n"), Auto, UTF8},
	} {
		r, got, err := Decode(bytes.NewReader(tc.in), tc.enc)
		if err != nil || got != tc.want {
			t.Errorf("%s: got %s, %v; want %s", tc.name, got, err, tc.want)
			continue
		}
		if out, _ := io.ReadAll(r); string(out) != text && tc.name != "ASCII only" {
			t.Errorf("%s: decoded %q, want %q", tc.name, out, text)
		}
	}
}

func TestDecodeRefusesUTF16(t *testing.T) {
	for _, bom := range [][]byte{{0xFF, 0xFE}, {0xFE, 0xFF}} {
		if _, _, err := Decode(bytes.NewReader(append(bom, 'A', 0)), Auto); !errors.Is(err, ErrUTF16) {
			t.Errorf("BOM % x: got %v, want ErrUTF16", bom, err)
		}
	}
}

func TestValidPrefixAllowsARuneCutAtTheSniffBoundary(t *testing.T) {
	s := []byte("丹东")
	if !validPrefix(s[:4], true) {
		t.Error("a rune cut at the end of a prefix: got invalid, want valid")
	}
	if validPrefix(s[:4], false) {
		t.Error("a rune cut at the end of the whole file: got valid, want invalid")
	}
	if validPrefix([]byte{0xB5, 0xA4, 0xB6, 0xAB}, true) { // 丹东 in GBK
		t.Error("GBK bytes: got valid UTF-8")
	}
}

func TestNewTableRefusesHeadersThatDoNotFit(t *testing.T) {
	for _, tc := range []struct{ name, header, want string }{
		{"empty file", "", "empty"},
		{"unknown columns are named", "A,C,X,Y\n", `unknown columns "X", "Y"`},
		{"column names are exact", "A,c\n", `unknown columns "c"`},
		{"missing required columns are named", "B\n", "missing required columns: A, C"},
		{"a column twice", "A,C,A\n", "more than once: A"},
	} {
		_, err := NewTable(strings.NewReader(tc.header), Auto, testColumns)
		var he *HeaderError
		if !errors.As(err, &he) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want a header error containing %q", tc.name, err, tc.want)
		}
	}
}

func TestTableReadsColumnsInAnyOrderWithLineNumbers(t *testing.T) {
	in := "C,A\r\n" +
		"c1,a1\r\n" +
		"\"c2, with a comma\",\"a2\nover two lines\"\r\n" +
		"c3,\"a3 \"\"quoted\"\"\"\r\n"
	tab, err := NewTable(strings.NewReader(in), Auto, testColumns)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Has(1) {
		t.Error("Has(B): got true for a column the file does not have")
	}
	want := []struct {
		line    int
		a, b, c string
	}{{2, "a1", "", "c1"}, {3, "a2\nover two lines", "", "c2, with a comma"}, {5, `a3 "quoted"`, "", "c3"}}
	for _, w := range want {
		row, rej, err := tab.Next()
		if err != nil || rej != nil || row.Line != w.line || row.Get(0) != w.a || row.Get(1) != w.b || row.Get(2) != w.c {
			t.Errorf("got line %d %q %q %q (%v %v); want line %d %q %q %q", row.Line, row.Get(0), row.Get(1), row.Get(2), rej, err,
				w.line, w.a, w.b, w.c)
		}
	}
	if _, _, err := tab.Next(); err != io.EOF {
		t.Errorf("after the last row: got %v, want io.EOF", err)
	}
}

func TestTableRejectsRowsThatAreNotCSVAndGoesOn(t *testing.T) {
	in := "A,B,C\n" +
		"1,2\n" + // line 2: a field missing
		"1,2\"x,3\n" + // line 3: a bare quote
		"\"1\"x,2,3\n" + // line 4: text after a closing quote
		"ok,ok,ok\n" // line 5
	tab, err := NewTable(strings.NewReader(in), Auto, testColumns)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct {
		line   int
		reason string
	}{{2, "has 2 fields, the header has 3"}, {3, "bare \""}, {4, "extraneous or missing \""}} {
		_, rej, err := tab.Next()
		if err != nil || rej == nil || rej.Line != want.line || !strings.Contains(rej.Reason, want.reason) {
			t.Errorf("got %+v, %v; want a reject of line %d containing %q", rej, err, want.line, want.reason)
		}
	}
	if row, rej, err := tab.Next(); err != nil || rej != nil || row.Line != 5 || row.Get(0) != "ok" {
		t.Errorf("the row after the bad ones: got %+v %+v %v, want line 5", row, rej, err)
	}
}

func TestTableRejectsTextThatIsNotInTheFilesEncoding(t *testing.T) {
	// The first 64 KiB are UTF-8, so the file is read as UTF-8; a GBK row
	// after them is rejected rather than stored as garbage.
	valid := strings.Repeat("丹东,b,c\n", sniffSize/10+1)
	in := append([]byte("A,B,C\n"+valid), append([]byte("x,"), 0xB5, 0xA4, ',', 'c', '\n')...)
	tab, err := NewTable(bytes.NewReader(in), Auto, testColumns)
	if err != nil || tab.Encoding() != UTF8 {
		t.Fatalf("got %v %v, want a UTF-8 table", tab, err)
	}
	var rej *Reject
	for rej == nil && err == nil {
		_, rej, err = tab.Next()
	}
	wantLine := 2 + strings.Count(valid, "\n")
	if rej == nil || rej.Line != wantLine || rej.Column != "B" || !strings.Contains(rej.Reason, "--encoding gb18030") {
		t.Errorf("got %+v, %v; want line %d, column B, a hint to pass the encoding", rej, err, wantLine)
	}
	// A GB18030 file with bytes GB18030 cannot decode.
	in = append(gbk(t, "A,B,C\n丹东,b,c\n"), append([]byte("x,"), 0x81, 0x20, ',', 'c', '\n')...)
	if tab, err = NewTable(bytes.NewReader(in), GB18030, testColumns); err != nil {
		t.Fatal(err)
	}
	tab.Next()
	if _, rej, _ = tab.Next(); rej == nil || rej.Line != 3 || rej.Column != "B" {
		t.Errorf("undecodable GB18030: got %+v, want line 3, column B", rej)
	}
}

func TestUTF8AndGBKSamplesDecodeToTheSameRows(t *testing.T) {
	utf, err := os.ReadFile("../../testdata/penalties-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	gb, err := os.ReadFile("../../testdata/penalties-gbk.csv")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(utf, gb) {
		t.Fatal("the GBK sample is the UTF-8 one")
	}
	read := func(b []byte) (Encoding, []string) {
		tab, err := NewTable(bytes.NewReader(b), Auto, PenaltyColumns)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for {
			row, rej, err := tab.Next()
			if err == io.EOF {
				return tab.Encoding(), out
			}
			if rej != nil {
				out = append(out, rej.String())
				continue
			}
			out = append(out, strings.Join(row.fields, "|"))
		}
	}
	encU, rowsU := read(utf)
	encG, rowsG := read(gb)
	if encU != UTF8 || encG != GB18030 {
		t.Errorf("encodings: got %s and %s, want utf-8 and gb18030", encU, encG)
	}
	if strings.Join(rowsU, "\n") != strings.Join(rowsG, "\n") || len(rowsU) < 20 {
		t.Errorf("got different rows:\n%s\n---\n%s", strings.Join(rowsU, "\n"), strings.Join(rowsG, "\n"))
	}
}
