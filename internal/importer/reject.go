package importer

import (
	"encoding/csv"
	"fmt"
	"github.com/credithub/credithub/internal/csvsafe"
	"io"
	"strconv"
)

// Reject is a row that was not imported and why. Column is the CSV column
// the reason is about, empty when it is about the whole row; Value is that
// column's value as the file has it.
type Reject struct {
	Line   int
	Column string
	Value  string
	Reason string
}

func (r Reject) String() string {
	if r.Column == "" {
		return fmt.Sprintf("line %d: %s", r.Line, r.Reason)
	}
	return fmt.Sprintf("line %d, column %s: %s", r.Line, r.Column, r.Reason)
}

// RejectHeader is the header row of a reject file.
var RejectHeader = []string{"line", "column", "value", "reason"}

// RejectWriter writes rejects as CSV (line,column,value,reason) in UTF-8
// with a byte order mark, which makes Excel open it as UTF-8. The header is
// written with the first reject, so a writer that got none wrote nothing.
type RejectWriter struct {
	w       io.Writer
	csv     *csv.Writer
	written int
}

// NewRejectWriter returns a writer of rejects to w.
func NewRejectWriter(w io.Writer) *RejectWriter {
	return &RejectWriter{w: w}
}

// Write writes rejects, in the order given.
func (rw *RejectWriter) Write(rejects ...Reject) error {
	if len(rejects) == 0 {
		return nil
	}
	if rw.csv == nil {
		if _, err := rw.w.Write(bomUTF8); err != nil {
			return err
		}
		rw.csv = csv.NewWriter(rw.w)
		if err := rw.csv.Write(RejectHeader); err != nil {
			return err
		}
	}
	for _, r := range rejects {
		if err := rw.csv.Write(csvsafe.Row([]string{strconv.Itoa(r.Line), r.Column, r.Value, r.Reason})); err != nil {
			return err
		}
	}
	rw.written += len(rejects)
	rw.csv.Flush()
	return rw.csv.Error()
}

// Written is how many rejects were written.
func (rw *RejectWriter) Written() int { return rw.written }
