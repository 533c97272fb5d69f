package importer

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// The reject file repeats the file's values: a value a spreadsheet would
// run as a formula is written behind an apostrophe, as text.
func TestRejectFileWritesFormulaLikeValuesAsText(t *testing.T) {
	var buf bytes.Buffer
	rw := NewRejectWriter(&buf)
	if err := rw.Write(Reject{Line: 3, Column: "CF_SY", Value: "=HYPERLINK(\"http://x\")", Reason: "-bad"}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][2] != "'=HYPERLINK(\"http://x\")" || rows[1][3] != "'-bad" {
		t.Fatalf("got %q, want the value and reason behind an apostrophe", rows)
	}
}
