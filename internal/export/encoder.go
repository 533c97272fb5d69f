package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/csvsafe"
)

// Format is how an export is written.
type Format string

// The formats.
const (
	// CSV is a UTF-8 CSV file (RFC 4180, no byte-order mark) with the
	// column names as its header row; one file holds one kind of record.
	CSV Format = "双公示-csv"
	// JSONL is JSON Lines: one object per record, with the column names as
	// keys in the standard's order and every value a string, exactly as in
	// the CSV. Licences (XK_ keys) and penalties (CF_ keys) may share a file.
	JSONL Format = "jsonl"
)

// ParseFormat reads a format name: 双公示-csv (or csv, for keyboards
// without Chinese input) or jsonl. BAD_USER_INPUT on "format" otherwise.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case string(CSV), "csv":
		return CSV, nil
	case string(JSONL):
		return JSONL, nil
	}
	return "", credit.FieldErrorf("format", "%q is not an export format: use 双公示-csv or jsonl", s)
}

// ParseSince reads the start of an export: an RFC 3339 instant, or a date
// YYYY-MM-DD meaning its midnight in the city (Asia/Shanghai).
// BAD_USER_INPUT on "since" otherwise.
func ParseSince(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := credit.ParseDate(s); err == nil {
		y, m, day := d.Time().Date()
		return time.Date(y, m, day, 0, 0, 0, 0, credit.Shanghai), nil
	}
	return time.Time{}, credit.FieldErrorf("since",
		"%q is neither an RFC 3339 time such as 2026-11-27T09:30:00+08:00 nor a date YYYY-MM-DD", s)
}

// Columns returns the columns of kind's records; nil for other kinds.
func Columns(kind credit.RecordKind) []string {
	switch kind {
	case credit.RecordKindLicence:
		return LicenceColumns
	case credit.RecordKindPenalty:
		return PenaltyColumns
	}
	return nil
}

// Encoder writes records of one kind in one format to a writer, buffered.
// Nothing but the buffer is held, so memory stays constant however many
// records pass. Call Flush at the end: it writes the CSV header even when
// no record came, so that an empty batch is still a well-formed file.
type Encoder struct {
	format  Format
	columns []string
	buf     *bufio.Writer
	csv     *csv.Writer
	started bool
	line    bytes.Buffer
	json    *json.Encoder
}

// NewEncoder returns an encoder of kind's records in format f onto w.
func NewEncoder(w io.Writer, f Format, kind credit.RecordKind) (*Encoder, error) {
	cols := Columns(kind)
	if cols == nil {
		return nil, fmt.Errorf("export: no columns for records of kind %q", kind)
	}
	if f != CSV && f != JSONL {
		return nil, credit.FieldErrorf("format", "%q is not an export format: use 双公示-csv or jsonl", f)
	}
	e := &Encoder{format: f, columns: cols, buf: bufio.NewWriterSize(w, 64<<10)}
	if f == CSV {
		e.csv = csv.NewWriter(e.buf)
	} else {
		// One encoder for every value: it writes Chinese text as it is
		// and does not turn < > & into \u escapes, for readable lines.
		e.json = json.NewEncoder(&e.line)
		e.json.SetEscapeHTML(false)
	}
	return e, nil
}

func (e *Encoder) start() error {
	if e.started {
		return nil
	}
	e.started = true
	if e.format == CSV {
		return e.csv.Write(e.columns)
	}
	return nil
}

// Write writes one record's fields, in the order of the kind's columns.
func (e *Encoder) Write(fields []string) error {
	if len(fields) != len(e.columns) {
		return fmt.Errorf("export: a record has %d fields, its kind has %d columns", len(fields), len(e.columns))
	}
	if err := e.start(); err != nil {
		return err
	}
	if e.format == CSV {
		return e.csv.Write(csvsafe.Row(fields))
	}
	e.line.Reset()
	e.line.WriteByte('{')
	for i, v := range fields {
		if i > 0 {
			e.line.WriteByte(',')
		}
		// Column names are ASCII letters, digits and underscores: no escaping.
		e.line.WriteString(`"` + e.columns[i] + `":`)
		if err := e.json.Encode(v); err != nil {
			return err
		}
		e.line.Truncate(e.line.Len() - 1) // Encode ends every value with a newline
	}
	e.line.WriteString("}\n")
	_, err := e.buf.Write(e.line.Bytes())
	return err
}

// Licence writes a licence.
func (e *Encoder) Licence(l credit.Licence) error { return e.Write(LicenceFields(l)) }

// Penalty writes a penalty.
func (e *Encoder) Penalty(p credit.Penalty) error { return e.Write(PenaltyFields(p)) }

// Flush writes what is buffered (and the CSV header if no record came) to
// the underlying writer and reports the first error of any write.
func (e *Encoder) Flush() error {
	if err := e.start(); err != nil {
		return err
	}
	if e.csv != nil {
		e.csv.Flush()
		if err := e.csv.Error(); err != nil {
			return err
		}
	}
	return e.buf.Flush()
}
