package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// Use is one read of subjects' records.
type Use struct {
	// Caller is who read; its ID, Institution, Role and Purpose are recorded.
	Caller credit.Caller
	// SubjectCodes are the subjects whose records the read covered.
	SubjectCodes []string
	// Operation names what was read, e.g. "subject", "creditReport",
	// "checkEligibility".
	Operation string
	// At is when; zero means when Record is called.
	At time.Time
}

// QueryLogOptions tune a QueryLog; zero fields take the defaults.
type QueryLogOptions struct {
	// QueueSize is how many rows may wait to be written (default 4096).
	// When it is full, Record and Commit wait.
	QueueSize int
	// BatchSize is the most rows one statement writes (default 512).
	BatchSize int
	// Logger receives write failures (default slog.Default()).
	Logger *slog.Logger
	// SpoolDir, when set, keeps the log durable while PostgreSQL cannot
	// take it: rows go to files there, fsynced, and move into query_log
	// when it can (spool.go). Without it a batch is retried until written.
	SpoolDir string
}

// Retry delays after a failed batch write, and how long one write may take.
const (
	minRetry     = 50 * time.Millisecond
	maxRetry     = 5 * time.Second
	writeTimeout = 30 * time.Second
)

// errAborted ends the writer when Close gave up waiting for it.
var errAborted = errors.New("query log: writer stopped by Close")

// QueryLog writes Uses to query_log. One writer takes whatever is queued
// the moment it is free and writes it with one statement (group commit):
// while one batch is being written the next gathers, so under load many
// reads share one commit, and a quiet hub writes each row at once. Commit
// waits until its rows are durable; a read is answered only after that.
// Its methods are safe for concurrent use.
type QueryLog struct {
	db    *store.DB
	opts  QueryLogOptions
	items chan item

	// mu guards closed; senders counts sends in progress, so that Close
	// closes items only when nothing can send on it any more.
	mu        sync.Mutex
	closed    bool
	senders   sync.WaitGroup
	abort     chan struct{}
	abortOnce sync.Once
	done      chan struct{}

	queued, written, writeErrors, blockedWaits, refused atomic.Int64
	// batches and batchNanos measure the writer (metrics); batchLatency
	// and commitWaits are the same as histograms, and how long Commit's
	// callers waited.
	batches, batchNanos       atomic.Int64
	batchLatency, commitWaits Latency
	// spooled and shipped count rows that went through the spool.
	spooled, shipped atomic.Int64

	spool *spool
	// pgDownUntil: while PostgreSQL is known to be down, batches go to the
	// spool without trying it first.
	pgDownUntil atomic.Int64
	shipperDone chan struct{}
}

// item is a row to write, or (barrier) a mark that Flush waits for. done,
// when set, receives the outcome once the row is written.
type item struct {
	row     store.QueryUse
	barrier bool
	done    chan error
}

// NewQueryLog starts a QueryLog writing to db. Close it to write what is
// still queued. A spool directory that cannot be made is logged and left
// out (rows are then retried until written).
func NewQueryLog(db *store.DB, opts QueryLogOptions) *QueryLog {
	if opts.QueueSize < 1 {
		opts.QueueSize = 4096
	}
	if opts.BatchSize < 1 {
		opts.BatchSize = 512
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	q := &QueryLog{
		db:    db,
		opts:  opts,
		items: make(chan item, opts.QueueSize),
		abort: make(chan struct{}),
		done:  make(chan struct{}),
	}
	if opts.SpoolDir != "" {
		sp, err := openSpool(opts.SpoolDir)
		if err != nil {
			opts.Logger.Error("query log: no spool; rows are retried until PostgreSQL takes them", "err", err)
		} else {
			q.spool = sp
			q.shipperDone = make(chan struct{})
			go q.shipper()
		}
	}
	go q.run()
	return q
}

// Record queues u for writing and returns without waiting for the write.
// When the queue is full it waits for room, and returns an UNAVAILABLE
// error if ctx ends first or the log is closed.
func (q *QueryLog) Record(ctx context.Context, u Use) error {
	row, err := u.row()
	if err != nil {
		return err
	}
	return q.send(ctx, item{row: row})
}

// Commit writes uses and returns once they are in the database: the read
// they describe may be answered then. It returns an UNAVAILABLE error if
// ctx ends first or the log is closed; the caller must then fail the read.
// (A row queued before ctx ended is still written: the log may name a read
// that was refused, never miss one that was served.)
func (q *QueryLog) Commit(ctx context.Context, uses ...Use) error {
	start := time.Now()
	defer func() { q.commitWaits.observe(time.Since(start)) }()
	dones := make([]chan error, 0, len(uses))
	for _, u := range uses {
		row, err := u.row()
		if err != nil {
			return err
		}
		done := make(chan error, 1)
		if err := q.send(ctx, item{row: row, done: done}); err != nil {
			return err
		}
		dones = append(dones, done)
	}
	for _, done := range dones {
		select {
		case err := <-done:
			if err != nil {
				return credit.Errorf(credit.Unavailable, "the query-use log could not record this read; try again")
			}
		case <-ctx.Done():
			return credit.Errorf(credit.Unavailable, "the read could not be logged in time (%v); try again", ctx.Err())
		}
	}
	return nil
}

func (q *QueryLog) send(ctx context.Context, it item) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return credit.Errorf(credit.Unavailable, "the query log is closed; the read cannot be logged")
	}
	q.senders.Add(1)
	q.mu.Unlock()
	defer q.senders.Done()

	// Counted before the send, so that Pending never goes below zero while
	// the writer races ahead of this goroutine.
	if !it.barrier {
		q.queued.Add(1)
	}
	select {
	case q.items <- it:
		return nil
	default:
	}
	q.blockedWaits.Add(1)
	select {
	case q.items <- it:
		return nil
	case <-ctx.Done():
		err := ctx.Err()
		q.unsent(it)
		return credit.Errorf(credit.Unavailable, "the read could not be logged in time (%v); try again", err)
	case <-q.abort:
		q.unsent(it)
		return credit.Errorf(credit.Unavailable, "the query log is closed; the read cannot be logged")
	}
}

func (q *QueryLog) unsent(it item) {
	if !it.barrier {
		q.queued.Add(-1)
		q.refused.Add(1)
	}
}

func (u Use) row() (store.QueryUse, error) {
	if len(u.SubjectCodes) == 0 || slices.Contains(u.SubjectCodes, "") || u.Operation == "" {
		return store.QueryUse{}, fmt.Errorf("query log: a use needs subject codes and an operation")
	}
	// PostgreSQL text rejects NUL and invalid UTF-8; caught here, such a
	// row would fail its whole batch again and again.
	for _, s := range append([]string{u.Caller.ID, u.Caller.Institution, string(u.Caller.Role), u.Caller.Purpose, u.Operation}, u.SubjectCodes...) {
		if strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) {
			return store.QueryUse{}, fmt.Errorf("query log: %q is not valid text", s)
		}
	}
	at := u.At
	if at.IsZero() {
		at = time.Now()
	}
	return store.QueryUse{At: at, CallerID: u.Caller.ID, Institution: u.Caller.Institution, Role: u.Caller.Role,
		Purpose: u.Caller.Purpose, SubjectCodes: slices.Clone(u.SubjectCodes), Operation: u.Operation}, nil
}

// Flush returns when every row queued before it was called is in the
// database, or ctx ends.
func (q *QueryLog) Flush(ctx context.Context) error {
	done := make(chan error, 1)
	if err := q.send(ctx, item{barrier: true, done: done}); err != nil {
		if q.isClosed() {
			select {
			case <-q.done:
				return q.leftover(nil)
			case <-ctx.Done():
			}
		}
		return fmt.Errorf("query log: flush: %w", err)
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("query log: flush: %w", ctx.Err())
	}
}

func (q *QueryLog) isClosed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

// Close stops accepting rows, writes every queued row and stops the writer.
// If ctx ends first it stops the writer anyway and returns an error saying
// how many rows were not written.
func (q *QueryLog) Close(ctx context.Context) error {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		// Sends already past the closed check may still happen: close the
		// queue only after them.
		go func() {
			q.senders.Wait()
			close(q.items)
		}()
	}
	q.mu.Unlock()
	select {
	case <-q.done:
	case <-ctx.Done():
		q.abortOnce.Do(func() { close(q.abort) })
		return q.leftover(ctx.Err())
	}
	if q.spool != nil {
		q.abortOnce.Do(func() { close(q.abort) }) // stops the shipper
		<-q.shipperDone
		q.spool.seal()
		if n, err := q.spool.ship(ctx, q.db, q.opts.BatchSize); err != nil {
			q.opts.Logger.Warn("query log: spooled rows stay on disk for the next start", "dir", q.spool.dir, "err", err)
		} else {
			q.shipped.Add(int64(n))
		}
	}
	return q.leftover(nil)
}

func (q *QueryLog) leftover(cause error) error {
	if n := q.Pending(); n > 0 || cause != nil {
		return fmt.Errorf("query log: stopped with %d rows unwritten: %w", n, errors.Join(cause, errAborted))
	}
	return nil
}

// Queued returns how many rows Record has accepted.
func (q *QueryLog) Queued() int64 { return q.queued.Load() }

// Written returns how many rows are in the database.
func (q *QueryLog) Written() int64 { return q.written.Load() }

// Pending returns how many accepted rows are not written yet.
func (q *QueryLog) Pending() int64 { return q.queued.Load() - q.written.Load() }

// WriteErrors returns how many batch writes failed (and were retried).
func (q *QueryLog) WriteErrors() int64 { return q.writeErrors.Load() }

// BlockedWaits returns how many Records found the queue full and waited.
func (q *QueryLog) BlockedWaits() int64 { return q.blockedWaits.Load() }

// Refused returns how many Records gave up waiting and returned an error.
func (q *QueryLog) Refused() int64 { return q.refused.Load() }

// Spooled returns how many rows went to the spool, and how many of them
// have since moved into query_log.
func (q *QueryLog) Spooled() (spooled, shipped int64) { return q.spooled.Load(), q.shipped.Load() }

// BatchLatency is how long the writer's batches (group commits) took.
func (q *QueryLog) BatchLatency() LatencySnapshot { return q.batchLatency.Snapshot() }

// CommitWaits is how long Commit's callers waited for their rows to be
// durable (or to be refused): the latency the log adds to a logged read.
func (q *QueryLog) CommitWaits() LatencySnapshot { return q.commitWaits.Snapshot() }

// Batches returns how many batches the writer has written, and the time
// they took in all.
func (q *QueryLog) Batches() (int64, time.Duration) {
	return q.batches.Load(), time.Duration(q.batchNanos.Load())
}
