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
	// When it is full, Record waits.
	QueueSize int
	// BatchSize is the most rows one COPY writes (default 512).
	BatchSize int
	// FlushInterval is the longest a row waits for its batch to fill
	// (default 100ms): it bounds what a crash loses.
	FlushInterval time.Duration
	// Logger receives write failures (default slog.Default()).
	Logger *slog.Logger
}

// Retry delays after a failed batch write, and how long one write may take.
const (
	minRetry     = 50 * time.Millisecond
	maxRetry     = 5 * time.Second
	writeTimeout = 30 * time.Second
)

// errAborted ends the writer when Close gave up waiting for it.
var errAborted = errors.New("query log: writer stopped by Close")

// QueryLog writes Uses to query_log in the background, in batches. Its
// methods are safe for concurrent use.
type QueryLog struct {
	db   *store.DB
	opts QueryLogOptions
	uses chan store.QueryUse
	// flushes carries Flush's requests to the writer, each with a channel
	// (buffered, so that the writer never waits for a Flush that gave up)
	// for the outcome.
	flushes chan chan error

	// mu guards closed; senders counts Records in progress, so that Close
	// closes uses only when no Record can send on it any more.
	mu        sync.Mutex
	closed    bool
	senders   sync.WaitGroup
	abort     chan struct{}
	abortOnce sync.Once
	done      chan struct{}

	queued, written, writeErrors, blockedWaits, refused atomic.Int64
}

// NewQueryLog starts a QueryLog writing to db. Close it to write what is
// still queued.
func NewQueryLog(db *store.DB, opts QueryLogOptions) *QueryLog {
	if opts.QueueSize < 1 {
		opts.QueueSize = 4096
	}
	if opts.BatchSize < 1 {
		opts.BatchSize = 512
	}
	if opts.FlushInterval <= 0 {
		opts.FlushInterval = 100 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	q := &QueryLog{
		db:      db,
		opts:    opts,
		uses:    make(chan store.QueryUse, opts.QueueSize),
		flushes: make(chan chan error),
		abort:   make(chan struct{}),
		done:    make(chan struct{}),
	}
	go q.run()
	return q
}

// Record queues u for writing. It returns at once while the queue has room;
// when it is full it waits for room, and returns an UNAVAILABLE error if ctx
// ends first or the log is closed: the caller must then fail the request
// rather than serve a read that was not logged.
func (q *QueryLog) Record(ctx context.Context, u Use) error {
	row, err := u.row()
	if err != nil {
		return err
	}
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
	q.queued.Add(1)
	select {
	case q.uses <- row:
		return nil
	default:
	}
	q.blockedWaits.Add(1)
	select {
	case q.uses <- row:
		return nil
	case <-ctx.Done():
		q.queued.Add(-1)
		q.refused.Add(1)
		return credit.Errorf(credit.Unavailable, "the read could not be logged in time (%v); try again", ctx.Err())
	case <-q.abort:
		q.queued.Add(-1)
		q.refused.Add(1)
		return credit.Errorf(credit.Unavailable, "the query log is closed; the read cannot be logged")
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

// Flush writes every row that Record accepted before Flush was called, and
// returns when they are in the database or ctx ends.
func (q *QueryLog) Flush(ctx context.Context) error {
	reply := make(chan error, 1)
	select {
	case q.flushes <- reply:
	case <-q.done:
		return q.leftover(nil)
	case <-ctx.Done():
		return fmt.Errorf("query log: flush: %w", ctx.Err())
	}
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return fmt.Errorf("query log: flush: %w", ctx.Err())
	}
}

// Close stops accepting rows, writes every queued row and stops the writer.
// If ctx ends first it stops the writer anyway and returns an error saying
// how many rows were not written.
func (q *QueryLog) Close(ctx context.Context) error {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		// Records already past the closed check may still send: close the
		// queue only after them.
		go func() {
			q.senders.Wait()
			close(q.uses)
		}()
	}
	q.mu.Unlock()
	select {
	case <-q.done:
		return q.leftover(nil)
	case <-ctx.Done():
		q.abortOnce.Do(func() { close(q.abort) })
		return q.leftover(ctx.Err())
	}
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
