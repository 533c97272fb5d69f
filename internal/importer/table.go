package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/credithub/credithub/internal/csvsafe"
	"io"
	"strings"
	"unicode/utf8"
)

// Column is a column a kind of file accepts. A required column must be in
// the header; an optional one may be left out, and its values are then
// empty.
type Column struct {
	Name     string
	Required bool
}

// Table reads the data rows of a CSV file whose header row names its
// columns, in any order, exactly as a kind of file defines them.
type Table struct {
	r   *csv.Reader
	enc Encoding
	// pos[i] is the field index of the kind's column i, -1 when absent.
	pos     []int
	columns []Column
	header  []string
}

// Row is one data row: its fields by the kind's columns.
type Row struct {
	// Line is the line on which the row starts; the header is line 1.
	Line   int
	fields []string
	t      *Table
}

// Get returns the value of the kind's column i ("" when the file does not
// have the column). A cell the hub's own export protected from spreadsheets
// (an apostrophe before =, +, -, @) reads as the text it stands for.
func (r Row) Get(i int) string {
	if p := r.t.pos[i]; p >= 0 {
		return csvsafe.Unescape(r.fields[p])
	}
	return ""
}

// Reject returns the reject of this row for column i.
func (r Row) Reject(i int, reason string) *Reject {
	return &Reject{Line: r.Line, Column: r.t.columns[i].Name, Value: r.Get(i), Reason: reason}
}

// Has reports whether the file has the kind's column i.
func (t *Table) Has(i int) bool { return t.pos[i] >= 0 }

// Encoding is the encoding the file is read in.
func (t *Table) Encoding() Encoding { return t.enc }

// HeaderError is a header that does not fit the kind of file: the whole
// file is refused before any row is read.
type HeaderError struct{ Message string }

func (e *HeaderError) Error() string { return "header row: " + e.Message }

// NewTable reads the header row of src, decoded as enc says (see Decode),
// and maps it to columns. It returns a *HeaderError for an empty file, a
// header naming a column twice or a column the kind does not know (all of
// them named), or one missing a required column (all of them named), and
// ErrUTF16 for a UTF-16 file.
func NewTable(src io.Reader, enc Encoding, columns []Column) (*Table, error) {
	text, enc, err := Decode(src, enc)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(text)
	r.ReuseRecord = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, &HeaderError{"the file is empty; the first row must name the columns"}
	} else if err != nil {
		return nil, &HeaderError{err.Error()}
	}
	t := &Table{r: r, enc: enc, columns: columns, pos: make([]int, len(columns))}
	byName := make(map[string]int, len(columns))
	for i, c := range columns {
		byName[c.Name], t.pos[i] = i, -1
	}
	var unknown, twice, missing []string
	for p, name := range header {
		name = strings.TrimSpace(name)
		t.header = append(t.header, name)
		i, ok := byName[name]
		switch {
		case !ok:
			unknown = append(unknown, fmt.Sprintf("%q", name))
		case t.pos[i] >= 0:
			twice = append(twice, name)
		default:
			t.pos[i] = p
		}
	}
	for i, c := range columns {
		if c.Required && t.pos[i] < 0 {
			missing = append(missing, c.Name)
		}
	}
	switch {
	case len(twice) > 0:
		return nil, &HeaderError{"columns named more than once: " + strings.Join(twice, ", ")}
	case len(unknown) > 0:
		return nil, &HeaderError{fmt.Sprintf("unknown columns %s (column names are matched exactly; the accepted ones are %s)",
			strings.Join(unknown, ", "), names(columns))}
	case len(missing) > 0:
		return nil, &HeaderError{"missing required columns: " + strings.Join(missing, ", ")}
	}
	return t, nil
}

func names(cs []Column) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return strings.Join(out, ", ")
}

// Next returns the next data row, or a reject for a row that is not CSV
// (a stray quote, a wrong number of fields) or not text in the file's
// encoding, or io.EOF after the last row. A stray opening quote makes the
// CSV reader take the lines up to the next closing quote as one field; the
// reject then names the line where that row starts and where it failed.
// Other errors are the reader's.
func (t *Table) Next() (Row, *Reject, error) {
	fields, err := t.r.Read()
	var pe *csv.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return Row{}, nil, io.EOF
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount):
		return Row{}, &Reject{Line: pe.StartLine, Reason: fmt.Sprintf("has %d fields, the header has %d", len(fields), len(t.header))}, nil
	case errors.As(err, &pe):
		reason := pe.Err.Error()
		if pe.Line != pe.StartLine {
			reason = fmt.Sprintf("%s (on line %d; a quote opened on line %d was not closed where expected)", reason, pe.Line, pe.StartLine)
		}
		return Row{}, &Reject{Line: pe.StartLine, Reason: "not valid CSV: " + reason}, nil
	case err != nil:
		return Row{}, nil, err
	}
	line, _ := t.r.FieldPos(0)
	row := Row{Line: line, fields: fields, t: t}
	for p, f := range fields {
		if rej := t.checkText(row, p, f); rej != nil {
			return Row{}, rej, nil
		}
	}
	return row, nil, nil
}

// checkText rejects a field that is not valid text: bytes that are not
// UTF-8 in a file read as UTF-8 (PostgreSQL would refuse the whole chunk),
// or that GB18030 could not decode (the decoder makes them U+FFFD).
func (t *Table) checkText(row Row, p int, f string) *Reject {
	var reason string
	switch {
	case t.enc == UTF8 && !utf8.ValidString(f):
		reason = "is not valid UTF-8: the file was read as UTF-8 (from its first 64 KiB); if it is GBK, pass --encoding gb18030"
		f = strings.ToValidUTF8(f, "\uFFFD")
	case t.enc == GB18030 && strings.ContainsRune(f, utf8.RuneError):
		reason = "holds bytes that are not GB18030 (shown as \uFFFD): the file was read as GB18030; if it is UTF-8, pass --encoding utf-8"
	default:
		return nil
	}
	return &Reject{Line: row.Line, Column: t.header[p], Value: f, Reason: reason}
}
