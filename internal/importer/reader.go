package importer

import (
	"io"
)

// Reader reads one kind of import file row by row: each row decodes to a
// value of type T (a Penalty, a Licence, a SubjectRow, a TaxGradeRow) or to
// a Reject.
type Reader[T any] struct {
	t      *Table
	decode func(Row) (T, *Reject)
}

// Next returns the next row's value, or its reject, or io.EOF after the
// last row. Other errors are the underlying reader's and end the file.
func (r *Reader[T]) Next() (T, *Reject, error) {
	var zero T
	row, rej, err := r.t.Next()
	if err != nil || rej != nil {
		return zero, rej, err
	}
	v, rej := r.decode(row)
	if rej != nil {
		return zero, rej, nil
	}
	return v, nil, nil
}

// Encoding is the encoding the file is read in.
func (r *Reader[T]) Encoding() Encoding { return r.t.enc }

// newReader reads src's header for columns and returns a Reader decoding
// each row with decode.
func newReader[T any](src io.Reader, enc Encoding, columns []Column, decode func(*Table, Row) (T, *Reject)) (*Reader[T], error) {
	t, err := NewTable(src, enc, columns)
	if err != nil {
		return nil, err
	}
	return &Reader[T]{t: t, decode: func(row Row) (T, *Reject) { return decode(t, row) }}, nil
}
