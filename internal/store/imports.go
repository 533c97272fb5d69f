package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"github.com/credithub/credithub/internal/credit"
)

// Bulk imports (credithub import): rows are copied into a temporary
// staging table and written to the real tables by a few set-based
// statements per chunk, each chunk in a transaction of its own. The
// statements are plain INSERT … ON CONFLICT and UPDATE, so triggers on the
// target tables see the rows as they see single pushes.

// ImportSession is one connection held for the whole of a bulk import: its
// staging tables are temporary tables of that connection, and the
// connection gets a larger temporary buffer pool before it first uses one
// (the 8 MB default would spill every chunk to disk).
type ImportSession struct {
	db   *DB
	conn *sqlx.Conn
	// Affected makes the next chunk work out the codes whose cached
	// answers it changed (ImportResult.Codes). It costs about a third of a
	// second per 50,000 rows, so it is worth it only for small chunks:
	// without a cache, or for large chunks whose invalidation moves the
	// cache's epoch, the work is skipped (see service.writeChunk).
	Affected bool
	// What committed chunks found out, so that later chunks do not ask
	// again: subjects by code (ids never change, nor does a subject turn
	// from a person into an organisation), and organisations with a legal
	// representative whose role has no end (which a record never links
	// over; a registry that ends that role during the import is not seen
	// until the next import).
	known   map[string]registered
	openRep map[int64]bool
	// stored is what the last chunk found of its records in the table:
	// when they were all new, as in a first import, the next chunk is
	// copied straight into the table (copyNewRecords). A guess only: the
	// next chunk is right either way.
	stored storedState
}

// storedState is what an import knows about whether its records are
// stored already.
type storedState int

const (
	storedUnknown storedState = iota // no chunk written yet: look
	storedNone                       // the last chunk's records were all new
	storedSome                       // the last chunk found some stored
)

// importTempBuffers is the session's temp_buffers: room for a chunk of
// 50,000 penalties (about 40 MB) with its indexes to spare.
const importTempBuffers = "256MB"

// ImportSession takes a connection from the pool for a bulk import; Close
// gives it back.
func (db *DB) ImportSession(ctx context.Context) (*ImportSession, error) {
	conn, err := db.pool.Connx(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: import connection: %w", err)
	}
	// Only possible before the connection's first temporary table
	// (invalid_parameter_value after it); a pooled connection that already
	// had one keeps its setting, which costs speed, not correctness.
	if _, err := conn.ExecContext(ctx, `SET temp_buffers = '`+importTempBuffers+`'`); err != nil &&
		pq.As(err, pqerror.InvalidParameterValue) == nil {
		conn.Close()
		return nil, fmt.Errorf("store: import connection: %w", err)
	}
	return &ImportSession{db: db, conn: conn, known: map[string]registered{}, openRep: map[int64]bool{}}, nil
}

// Close drops the session's staging tables and returns the connection to
// the pool.
func (s *ImportSession) Close() error {
	_, err := s.conn.ExecContext(context.Background(), `DISCARD TEMP`)
	if cerr := s.conn.Close(); err == nil {
		err = cerr
	}
	return err
}

// ImportTx is one chunk's transaction: the DB methods, and COPY into the
// session's staging tables.
type ImportTx struct {
	*DB
	conn *sqlx.Conn
	sess *ImportSession
	// What this chunk found out, for the session once it commits.
	learned    []registered
	learnedRep []int64
}

// importTxSettings are the chunk transactions' settings: work_mem keeps
// the sorts and hashes of a 50,000-row chunk in memory instead of spilling
// to disk; jit is off because the estimates of the chunk statements that
// join the staged rows made PostgreSQL compile them anew in every chunk,
// which cost more than it saved (0.19 s of a 0.56 s statement).
const importTxSettings = `SET LOCAL work_mem = '128MB'; SET LOCAL jit = off`

// InTx runs fn in one transaction on the session's connection: committed
// if fn returns nil, rolled back otherwise (and when ctx is cancelled).
func (s *ImportSession) InTx(ctx context.Context, fn func(*ImportTx) error) error {
	tx, err := s.conn.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", translate(err))
	}
	itx := &ImportTx{DB: &DB{pool: s.db.pool, ext: tx, stats: s.db.stats}, conn: s.conn, sess: s}
	if _, err := itx.exec(ctx, importTxSettings); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := fn(itx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", translate(err))
	}
	s.db.wrote(ctx)
	for _, r := range itx.learned {
		s.known[r.Code] = r
	}
	for _, o := range itx.learnedRep {
		s.openRep[o] = true
	}
	return nil
}

// copyData is what lib/pq's COPY statement offers for raw rows.
type copyData interface {
	CopyData(ctx context.Context, line string) (driver.Result, error)
}

// copyFlushSize is how much encoded text goes to the driver at a time.
const copyFlushSize = 256 << 10

// copyRows streams rows into table's columns with COPY FROM STDIN in text
// format. write encodes row i into the line it is given; rows are handed
// to lib/pq in large pieces of text rather than one Exec per row, which
// saves the per-row argument conversion of database/sql (a third of the
// Go time of an import).
func (tx *ImportTx) copyRows(ctx context.Context, table string, columns []string, n int, write func(i int, l *copyLine)) error {
	if err := tx.copyRaw(ctx, table, columns, n, write); err != nil {
		return fmt.Errorf("store: copy %s: %w", table, translate(err))
	}
	return nil
}

// copyRaw is copyRows with the driver's error as it is, for a caller that
// tells a unique violation from the rest.
func (tx *ImportTx) copyRaw(ctx context.Context, table string, columns []string, n int, write func(i int, l *copyLine)) error {
	tx.stats.statements.Add(1)
	return tx.conn.Raw(func(dc any) error {
		prep, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return errors.New("the driver cannot prepare with a context")
		}
		stmt, err := prep.PrepareContext(ctx, "COPY "+table+" ("+strings.Join(columns, ", ")+") FROM STDIN")
		if err != nil {
			return err
		}
		defer stmt.Close()
		cd, ok := stmt.(copyData)
		if !ok {
			return errors.New("the driver has no CopyData")
		}
		l := &copyLine{b: make([]byte, 0, copyFlushSize+64<<10)}
		flush := func() error {
			if len(l.b) == 0 {
				return nil
			}
			// CopyData appends a newline: the last row's is left off. It
			// copies the text into its own buffer before it returns, so
			// the text may share l.b's memory, which is reused after.
			_, err := cd.CopyData(ctx, unsafe.String(&l.b[0], len(l.b)-1))
			l.b = l.b[:0]
			return err
		}
		for i := range n {
			write(i, l)
			l.end()
			if len(l.b) >= copyFlushSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		// Exec without arguments ends the COPY and reports what
		// PostgreSQL found wrong in the data.
		_, err = stmt.Exec(nil)
		return err
	})
}

// copyLine encodes one row in COPY's text format: tab-separated values,
// \N for NULL, backslash escapes for backslash, tab, newline and carriage
// return.
type copyLine struct {
	b     []byte
	inRow bool
}

func (l *copyLine) sep() {
	if l.inRow {
		l.b = append(l.b, '\t')
	}
	l.inRow = true
}

func (l *copyLine) end() {
	l.b = append(l.b, '\n')
	l.inRow = false
}

func (l *copyLine) null() {
	l.sep()
	l.b = append(l.b, '\\', 'N')
}

func (l *copyLine) str(s string) {
	l.sep()
	l.b = appendEscaped(l.b, s)
}

func appendEscaped(b []byte, s string) []byte {
	// Runs without a character to escape, nearly all text, are appended
	// whole: appending byte by byte was the largest single cost of
	// encoding a chunk.
	start := 0
	for i := 0; i < len(s); i++ {
		var esc byte
		switch s[i] {
		case '\\':
			esc = '\\'
		case '\t':
			esc = 't'
		case '\n':
			esc = 'n'
		case '\r':
			esc = 'r'
		default:
			continue
		}
		b = append(append(b, s[start:i]...), '\\', esc)
		start = i + 1
	}
	return append(b, s[start:]...)
}

// encoded writes values already encoded by another copyLine.
func (l *copyLine) encoded(b []byte) {
	l.sep()
	l.b = append(l.b, b...)
}

// optStr writes s, or NULL for nil.
func (l *copyLine) optStr(s *string) {
	if s == nil {
		l.null()
		return
	}
	l.str(*s)
}

func (l *copyLine) int(n int64) {
	l.sep()
	l.b = strconv.AppendInt(l.b, n, 10)
}

// date writes d, or NULL for the zero date.
func (l *copyLine) date(d credit.Date) {
	if d.IsZero() {
		l.null()
		return
	}
	l.sep()
	l.b = d.Time().AppendFormat(l.b, credit.DateLayout)
}

func (l *copyLine) optDate(d *credit.Date) {
	if d == nil {
		l.null()
		return
	}
	l.date(*d)
}

func (l *copyLine) time(t time.Time) {
	l.sep()
	l.b = t.UTC().AppendFormat(l.b, "2006-01-02 15:04:05.999999Z07:00")
}

// textArray writes xs as a text[] literal: every element quoted, with
// backslash and quote escaped for the array syntax, then the whole escaped
// again for COPY.
func (l *copyLine) textArray(xs []string) {
	l.sep()
	var a strings.Builder
	a.WriteByte('{')
	for i, x := range xs {
		if i > 0 {
			a.WriteByte(',')
		}
		a.WriteByte('"')
		a.WriteString(arrayEscaper.Replace(x))
		a.WriteByte('"')
	}
	a.WriteByte('}')
	l.b = appendEscaped(l.b, a.String())
}

var arrayEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// ImportReject is a staged row the database side of an import refused:
// its line, the CSV column the reason is about, that column's value, and
// why.
type ImportReject struct {
	Line   int    `db:"line"`
	Column string `db:"col"`
	Value  string `db:"value"`
	Reason string `db:"reason"`
}

// ImportResult is what one chunk of an import wrote.
type ImportResult struct {
	// New and Updated count the staged rows that inserted or changed
	// something; the others were identical to what is stored.
	New, Updated int
	// Copied counts the new records copied straight into their table (see
	// copyNewRecords) rather than upserted; they are among New.
	Copied int
	// Registered counts the subjects (and persons) the chunk registered;
	// Linked the legal representatives it linked.
	Registered, Linked int
	// Rejects are the rows refused by what only the database knows
	// (the kind a code is registered with, whether a subject exists).
	Rejects []ImportReject
	// Codes are the subjects whose cached answers the chunk changed, to
	// invalidate after the commit (only when ImportSession.Affected).
	Codes []string
	// changed are ids of subjects the chunk registered or linked.
	changed []int64
}

// Changed reports whether the chunk wrote anything a cached answer may
// show: a record inserted or updated, a subject registered or updated, a
// key person linked.
func (r ImportResult) Changed() bool {
	return r.New > 0 || r.Updated > 0 || r.Registered > 0 || r.Linked > 0
}

// Add returns what r and o did together, as the steps of one chunk.
func (r ImportResult) Add(o ImportResult) ImportResult {
	r.New += o.New
	r.Updated += o.Updated
	r.Copied += o.Copied
	r.Registered += o.Registered
	r.Linked += o.Linked
	r.Rejects = append(r.Rejects[:len(r.Rejects):len(r.Rejects)], o.Rejects...)
	r.Codes = append(r.Codes[:len(r.Codes):len(r.Codes)], o.Codes...)
	return r
}
