// Package store keeps credit data in PostgreSQL through sqlx and lib/pq. SQL
// is hand-written, one file per aggregate, next to the method that runs it.
// It is the only package that sees driver errors: it translates "no rows"
// and constraint violations into credit errors and wraps the rest.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// DB runs statements on a pool or, inside InTx, on one transaction. The same
// methods work in both places.
type DB struct {
	pool  *sqlx.DB
	ext   ext
	stats *stats
	stmts *stmtCache
	// replica routes hot reads (replica.go); nil without one.
	replica *replica
	// primary is set on a replica reader: where its failed reads go.
	primary *DB
}

// stmtCache holds the statements prepared on the pool: database/sql
// prepares each on a connection the first time it runs there.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sqlx.Stmt
}

// ext is what both *sqlx.DB and *sqlx.Tx offer.
type ext interface {
	sqlx.ExtContext
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

type stats struct{ statements atomic.Int64 }

// Open connects to PostgreSQL with at most maxConns connections. On two cores
// a small pool beats a large one (NOTES.md): requests queue in Go instead of
// fighting over CPUs inside PostgreSQL.
func Open(ctx context.Context, url string, maxConns int) (*DB, error) {
	pool, err := sqlx.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if maxConns < 1 {
		maxConns = 1
	}
	pool.SetMaxOpenConns(maxConns)
	pool.SetMaxIdleConns(maxConns)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return &DB{pool: pool, ext: pool, stats: &stats{}, stmts: &stmtCache{stmts: map[string]*sqlx.Stmt{}}}, nil
}

// Close closes the pool, and the replica's with its poller.
func (db *DB) Close() error {
	if db.replica != nil {
		_ = db.replica.close()
	}
	return db.pool.Close()
}

// SQL returns the underlying *sql.DB, for migrations and COPY.
func (db *DB) SQL() *sql.DB { return db.pool.DB }

// Statements returns how many statements this DB (and its transactions) has
// run; tests use it to prove that a query's statement count does not grow
// with its result.
func (db *DB) Statements() int64 { return db.stats.statements.Load() }

// InTx runs fn in one transaction: committed if fn returns nil, rolled back
// otherwise. Nested calls run in the outer transaction.
func (db *DB) InTx(ctx context.Context, fn func(*DB) error) error {
	if _, inTx := db.ext.(*sqlx.Tx); inTx {
		return fn(db)
	}
	tx, err := db.pool.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", translate(err))
	}
	if err := fn(&DB{pool: db.pool, ext: tx, stats: db.stats, stmts: db.stmts, replica: db.replica}); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", translate(err))
	}
	db.wrote(ctx)
	return nil
}

// inTx reports whether db runs on a transaction.
func (db *DB) inTx() bool {
	_, ok := db.ext.(*sqlx.Tx)
	return ok
}

func (db *DB) get(ctx context.Context, dest any, query string, args ...any) error {
	err := db.get1(ctx, dest, query, args...)
	if db.fellBack(err, dest) {
		return db.primary.get(ctx, dest, query, args...)
	}
	if err == nil && db.replica != nil && !db.inTx() && writes(query) {
		db.wrote(ctx)
	}
	return err
}

func (db *DB) get1(ctx context.Context, dest any, query string, args ...any) (err error) {
	ctx, span := startStatement(ctx, query) // trace.go
	defer endStatement(span, &err)
	db.stats.statements.Add(1)
	return translate(db.ext.GetContext(ctx, dest, query, args...))
}

// getPrepared is get for a hot statement: outside a transaction it runs as
// a prepared statement, which spares PostgreSQL planning a large query on
// every call (8× the rate of the check statement on this machine, see
// docs/benchmarks.md).
func (db *DB) getPrepared(ctx context.Context, dest any, query string, args ...any) error {
	if _, inTx := db.ext.(*sqlx.Tx); inTx {
		return db.get(ctx, dest, query, args...)
	}
	stmt, err := db.stmts.prepare(ctx, db.pool, query)
	if err != nil {
		return db.get(ctx, dest, query, args...)
	}
	err = db.runPrepared(ctx, query, func(ctx context.Context) error { return stmt.GetContext(ctx, dest, args...) })
	if db.fellBack(err, dest) {
		return db.primary.getPrepared(ctx, dest, query, args...)
	}
	if err == nil && db.replica != nil && writes(query) {
		db.wrote(ctx)
	}
	return err
}

// runPrepared runs one prepared statement inside its span.
func (db *DB) runPrepared(ctx context.Context, query string, run func(context.Context) error) (err error) {
	ctx, span := startStatement(ctx, query)
	defer endStatement(span, &err)
	db.stats.statements.Add(1)
	return translate(run(ctx))
}

// maxCachedStatements bounds the statements kept prepared: subject reads
// are built from clients' queries, and each prepared statement costs
// memory on every pooled connection. Past the bound, statements run
// unprepared.
const maxCachedStatements = 512

var errStatementCacheFull = errors.New("store: statement cache full")

func (c *stmtCache) prepare(ctx context.Context, pool *sqlx.DB, query string) (*sqlx.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	if len(c.stmts) >= maxCachedStatements {
		return nil, errStatementCacheFull
	}
	st, err := pool.PreparexContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

// selPrepared is sel for a statement worth preparing (see getPrepared).
func (db *DB) selPrepared(ctx context.Context, dest any, query string, args ...any) error {
	if _, inTx := db.ext.(*sqlx.Tx); inTx {
		return db.sel(ctx, dest, query, args...)
	}
	stmt, err := db.stmts.prepare(ctx, db.pool, query)
	if err != nil {
		return db.sel(ctx, dest, query, args...)
	}
	err = db.runPrepared(ctx, query, func(ctx context.Context) error { return stmt.SelectContext(ctx, dest, args...) })
	if db.fellBack(err, dest) {
		return db.primary.selPrepared(ctx, dest, query, args...)
	}
	if err == nil && db.replica != nil && writes(query) {
		db.wrote(ctx)
	}
	return err
}

func (db *DB) sel(ctx context.Context, dest any, query string, args ...any) error {
	err := db.sel1(ctx, dest, query, args...)
	if db.fellBack(err, dest) {
		return db.primary.sel(ctx, dest, query, args...)
	}
	if err == nil && db.replica != nil && !db.inTx() && writes(query) {
		db.wrote(ctx)
	}
	return err
}

func (db *DB) sel1(ctx context.Context, dest any, query string, args ...any) (err error) {
	ctx, span := startStatement(ctx, query)
	defer endStatement(span, &err)
	db.stats.statements.Add(1)
	return translate(db.ext.SelectContext(ctx, dest, query, args...))
}

// execPrepared is exec for a hot statement (see getPrepared).
func (db *DB) execPrepared(ctx context.Context, query string, args ...any) (_ sql.Result, err error) {
	if _, inTx := db.ext.(*sqlx.Tx); inTx {
		return db.exec(ctx, query, args...)
	}
	stmt, err := db.stmts.prepare(ctx, db.pool, query)
	if err != nil {
		return db.exec(ctx, query, args...)
	}
	ctx, span := startStatement(ctx, query)
	defer endStatement(span, &err)
	db.stats.statements.Add(1)
	res, err := stmt.ExecContext(ctx, args...)
	if err == nil {
		db.wrote(ctx)
	}
	return res, translate(err)
}

func (db *DB) exec(ctx context.Context, query string, args ...any) (_ sql.Result, err error) {
	ctx, span := startStatement(ctx, query)
	defer endStatement(span, &err)
	db.stats.statements.Add(1)
	res, err := db.ext.ExecContext(ctx, query, args...)
	if err == nil && !db.inTx() {
		db.wrote(ctx)
	}
	return res, translate(err)
}

// constraintErrors names the unique constraints whose violation is the
// caller's doing, with the message the caller sees.
var constraintErrors = map[string]string{
	"subjects_code_key":         "a subject with this code already exists",
	"licences_decision_key":     "this authority already has a licence with this decision number",
	"penalties_decision_key":    "this authority already has a penalty with this decision number",
	"list_entries_decision_key": "this department already has a list entry with this decision number",
	"key_persons_unique_key":    "this person already holds this role in this organisation from this date",
	"measures_code_version_key": "this measure version already exists",
	"tax_credit_grades_pkey":    "this subject already has a tax credit grade for this year",
	"departments_pkey":          "a department with this code already exists",
}

// translate maps driver errors to credit errors where the caller can act on
// them, and wraps everything else.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return credit.Errorf(credit.NotFound, "not found")
	}
	if unreachable(err) {
		return &unavailableError{cause: err}
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code.Name() {
		case "unique_violation":
			if msg, ok := constraintErrors[pqErr.Constraint]; ok {
				return credit.Errorf(credit.Conflict, "%s", msg)
			}
			return credit.Errorf(credit.Conflict, "conflicts with an existing record")
		case "foreign_key_violation":
			return credit.Errorf(credit.BadUserInput, "refers to a record that does not exist (%s)", pqErr.Constraint)
		case "check_violation":
			return credit.Errorf(credit.BadUserInput, "breaks the rule %s", pqErr.Constraint)
		case "query_canceled":
			return credit.Errorf(credit.Unavailable, "the request took too long and was cancelled")
		}
		switch pqErr.Code.Class() {
		case "08", "53", "57": // connection exception, insufficient resources, operator intervention
			return &unavailableError{cause: err}
		}
	}
	return fmt.Errorf("store: %w", err)
}

// unavailableError is a failure to reach PostgreSQL: the client sees
// UNAVAILABLE ("try again"), never the driver's words, and the cause stays
// for the logs.
type unavailableError struct{ cause error }

func (e *unavailableError) Error() string { return "the database is unavailable; try again" }
func (e *unavailableError) Unwrap() []error {
	return []error{credit.Errorf(credit.Unavailable, "the database is unavailable; try again"), e.cause}
}

// unreachable reports whether err says PostgreSQL could not be reached (a
// refused or broken connection, a timeout, a closed pool), as opposed to an
// error in what was asked.
func unreachable(err error) bool {
	var netErr net.Error
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr):
		return true
	}
	return strings.Contains(err.Error(), "sql: database is closed")
}

// Identity names the database: the PostgreSQL cluster's system identifier
// (a replica shares it) and the database's name. Two deployments that share
// one Redis derive different key prefixes from it.
func (db *DB) Identity(ctx context.Context) (string, error) {
	var id string
	err := db.get(ctx, &id, `SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' || current_database()`)
	return id, err
}
