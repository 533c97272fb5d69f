package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// A streaming replica takes the hot reads (checks, subject look-ups,
// search, the records loaders) off the primary, under two rules:
//
//   - freshness by position: every write committed through the hub records
//     the primary's WAL position afterwards (pg_current_wal_lsn, with the
//     default synchronous_commit it is at or past the commit), here and on
//     the WriteBoard that all hub servers share, before the write returns
//     (and so before the caller invalidates the cache). A read goes to the
//     replica only if the replica has replayed up to the highest position
//     recorded, read from the board after the read began: every caller on
//     every server reads its own writes and everyone else's acknowledged
//     ones, and a cache fill after an invalidation never comes from a
//     replica that has not replayed the write behind it;
//   - a bound on lag: writes the hub does not see (psql, a seed) are
//     covered by MaxLag. A poller samples the primary's position and the
//     replica's replay position every PollInterval; the replica is "covered
//     at" the time of the newest primary sample it has replayed, and it
//     answers only while that time is within MaxLag. A stalled poller ages
//     the same way, so a replica nobody can measure is never used.
//
// A replica that is down, refuses or cancels a read (a recovery conflict)
// sends that read to the primary, and the poller re-probes it.

// WriteBoard shares the primary's last write position between the hub's
// servers (cache.Cache, in Redis). Positions only grow.
type WriteBoard interface {
	// RaiseWriteLSN records lsn unless a higher one is recorded.
	RaiseWriteLSN(ctx context.Context, lsn uint64) error
	// WriteLSN returns the highest position recorded (0 for none).
	WriteLSN(ctx context.Context) (uint64, error)
}

// ReplicaOptions configures UseReplica.
type ReplicaOptions struct {
	// MaxConns caps the replica's pool (default 4).
	MaxConns int
	// MaxLag is how far behind the primary the replica may be and still
	// answer (default 1s).
	MaxLag time.Duration
	// PollInterval is how often the replica's position is sampled
	// (default 50ms).
	PollInterval time.Duration
	// Board shares write positions between hub servers; nil: this
	// process's own writes only (one server, or tests).
	Board WriteBoard
}

// ReplicaStats is what the router has done since UseReplica.
type ReplicaStats struct {
	// ReplicaReads and PrimaryReads count routed reads by where they were
	// sent; Fallbacks counts statements the replica failed that ran again
	// on the primary.
	ReplicaReads, PrimaryReads, Fallbacks int64
	// Up reports whether the replica answered the last poll; Lag is how
	// old the newest primary state it is known to have replayed is (0 when
	// down or never measured).
	Up  bool
	Lag time.Duration
}

type replica struct {
	pool   *sqlx.DB
	reader *DB // reads on the replica, falling back to the primary
	opts   ReplicaOptions

	written    atomic.Uint64 // highest write position known here
	coverAfter atomic.Int64  // unix ns: a write whose position is unknown happened then
	state      atomic.Pointer[replicaState]

	replicaReads, primaryReads, fallbacks atomic.Int64

	// Reads of the board coalesce: callers join the next fetch, which
	// starts after they joined.
	boardMu      sync.Mutex
	boardNext    *boardFetch
	boardRunning bool

	stop    context.CancelFunc
	stopped chan struct{}
}

// replicaState is what the last poll found.
type replicaState struct {
	up        bool
	replayed  uint64
	coveredAt time.Time // the newest primary sample replayed
}

type boardFetch struct {
	done chan struct{}
	lsn  uint64
	err  error
}

type lsnSample struct {
	at  time.Time
	lsn uint64
}

// UseReplica sends this DB's hot reads to the streaming replica at url
// while it is fresh enough (see above), and starts polling it. The replica
// need not be up: until it answers, reads go to the primary. Close stops
// the poller and closes the replica's pool.
func (db *DB) UseReplica(ctx context.Context, url string, o ReplicaOptions) error {
	if db.replica != nil {
		return errors.New("store: UseReplica called twice")
	}
	if o.MaxConns < 1 {
		o.MaxConns = 4
	}
	if o.MaxLag <= 0 {
		o.MaxLag = time.Second
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 50 * time.Millisecond
	}
	pool, err := sqlx.Open("postgres", url)
	if err != nil {
		return fmt.Errorf("open replica: %w", err)
	}
	pool.SetMaxOpenConns(o.MaxConns)
	pool.SetMaxIdleConns(o.MaxConns)
	r := &replica{pool: pool, opts: o, stopped: make(chan struct{})}
	r.state.Store(&replicaState{})
	r.reader = &DB{pool: pool, ext: pool, stats: db.stats, stmts: &stmtCache{stmts: map[string]*sqlx.Stmt{}}, primary: db}
	db.replica = r
	pollCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r.stop = cancel
	go r.run(pollCtx, db)
	return nil
}

// ReplicaStats returns the router's counters; zero without a replica.
func (db *DB) ReplicaStats() ReplicaStats {
	r := db.replica
	if r == nil {
		return ReplicaStats{}
	}
	st := r.state.Load()
	s := ReplicaStats{ReplicaReads: r.replicaReads.Load(), PrimaryReads: r.primaryReads.Load(),
		Fallbacks: r.fallbacks.Load(), Up: st.up}
	if st.up && !st.coveredAt.IsZero() {
		s.Lag = time.Since(st.coveredAt)
	}
	return s
}

// HasReplica reports whether UseReplica was called.
func (db *DB) HasReplica() bool { return db.replica != nil }

// reader is the DB a hot read runs on: the replica's when it is fresh
// enough for this moment, else db itself. Inside a transaction it is
// always db.
func (db *DB) reader(ctx context.Context) *DB {
	r := db.replica
	if r == nil {
		return db
	}
	if _, inTx := db.ext.(*sqlx.Tx); inTx {
		return db
	}
	if r.fresh(ctx) {
		r.replicaReads.Add(1)
		return r.reader
	}
	r.primaryReads.Add(1)
	return db
}

// fresh reports whether the replica may answer a read that starts now.
func (r *replica) fresh(ctx context.Context) bool {
	st := r.state.Load()
	if !st.up || time.Since(st.coveredAt) > r.opts.MaxLag ||
		st.coveredAt.UnixNano() < r.coverAfter.Load() || st.replayed < r.written.Load() {
		return false
	}
	if r.opts.Board == nil {
		return true
	}
	shared, err := r.boardLSN(ctx)
	if err != nil {
		return false // another server's write may be missing: ask the primary
	}
	r.raise(shared)
	return st.replayed >= shared
}

func (r *replica) raise(lsn uint64) {
	for {
		cur := r.written.Load()
		if lsn <= cur || r.written.CompareAndSwap(cur, lsn) {
			return
		}
	}
}

// boardLSN reads the board with a fetch that starts after the call: a
// write acknowledged before the call is in its answer. Concurrent callers
// share one fetch.
func (r *replica) boardLSN(ctx context.Context) (uint64, error) {
	r.boardMu.Lock()
	f := r.boardNext
	if f == nil {
		f = &boardFetch{done: make(chan struct{})}
		r.boardNext = f
	}
	if !r.boardRunning {
		r.boardRunning = true
		go r.fetchBoard()
	}
	r.boardMu.Unlock()
	select {
	case <-f.done:
		return f.lsn, f.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func (r *replica) fetchBoard() {
	for {
		r.boardMu.Lock()
		f := r.boardNext
		r.boardNext = nil
		if f == nil {
			r.boardRunning = false
			r.boardMu.Unlock()
			return
		}
		r.boardMu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		f.lsn, f.err = r.opts.Board.WriteLSN(ctx)
		cancel()
		close(f.done)
	}
}

// wrote records, after a write committed through db, the primary's WAL
// position, here and on the board. Without a replica it costs nothing.
func (db *DB) wrote(ctx context.Context) {
	r := db.replica
	if r == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	var lsn int64
	if err := db.pool.QueryRowContext(ctx, walPositionSQL).Scan(&lsn); err != nil {
		// Position unknown: only a replica that has replayed what the
		// primary had from now on may answer here.
		r.coverAfter.Store(time.Now().UnixNano())
		return
	}
	r.raise(uint64(lsn))
	if r.opts.Board != nil {
		// A failure leaves other servers with the lag bound only; Redis
		// being down also stops their cache, so they read the primary or
		// a replica at most MaxLag behind.
		_ = r.opts.Board.RaiseWriteLSN(ctx, uint64(lsn))
	}
}

// walPositionSQL is the primary's WAL write position in bytes.
const walPositionSQL = `SELECT CAST(pg_current_wal_lsn() - CAST('0/0' AS pg_lsn) AS bigint)`

// unmarked is db without the replica's bookkeeping: for writes that
// change nothing a read returns (the query-use log), which must not send
// every read to the primary.
func (db *DB) unmarked() *DB {
	if db.replica == nil {
		return db
	}
	c := *db
	c.replica = nil
	return &c
}

// run polls until Close.
func (r *replica) run(ctx context.Context, primary *DB) {
	defer close(r.stopped)
	var samples []lsnSample
	t := time.NewTicker(r.opts.PollInterval)
	defer t.Stop()
	for {
		samples = r.poll(ctx, primary, samples)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// maxSamples bounds the primary positions kept for a replica far behind.
const maxSamples = 1024

// poll samples the primary's position, then the replica's replay position,
// and stores what the replica covers.
func (r *replica) poll(ctx context.Context, primary *DB, samples []lsnSample) []lsnSample {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	at := time.Now()
	var p int64
	if err := primary.pool.QueryRowContext(ctx, walPositionSQL).Scan(&p); err != nil {
		return samples // unmeasured: the replica's coverage ages
	}
	samples = append(samples, lsnSample{at: at, lsn: uint64(p)})
	if len(samples) > maxSamples {
		samples = samples[len(samples)-maxSamples:]
	}
	var inRecovery bool
	var replayed *int64
	err := r.pool.QueryRowContext(ctx, `SELECT pg_is_in_recovery(),
		CAST(pg_last_wal_replay_lsn() - CAST('0/0' AS pg_lsn) AS bigint)`).Scan(&inRecovery, &replayed)
	if err != nil || !inRecovery || replayed == nil {
		// Down, or promoted (a diverging copy): not a replica to read.
		r.state.Store(&replicaState{})
		return samples
	}
	prev := r.state.Load()
	st := &replicaState{up: true, replayed: uint64(*replayed)}
	if prev.up {
		st.coveredAt = prev.coveredAt
	}
	covered := -1
	for i, s := range samples {
		if s.lsn <= st.replayed {
			covered = i
		}
	}
	if covered >= 0 {
		if samples[covered].at.After(st.coveredAt) {
			st.coveredAt = samples[covered].at
		}
		samples = append(samples[:0], samples[covered:]...)
	}
	r.state.Store(st)
	return samples
}

// markDown takes the replica out until the next poll finds it answering.
func (r *replica) markDown() { r.state.Store(&replicaState{}) }

func (r *replica) close() error {
	r.stop()
	<-r.stopped
	return r.pool.Close()
}

// fellBack runs again on the primary a statement the replica could not
// answer: unreachable, or cancelled by a conflict with recovery. It
// reports whether db is a replica reader and err such a failure, after
// clearing dest.
func (db *DB) fellBack(err error, dest any) bool {
	if db.primary == nil || err == nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false // the caller's time is up: the primary would not answer either
	}
	var down *unavailableError
	var pqErr *pq.Error
	switch {
	case errors.As(err, &down):
		db.primary.replica.markDown()
	case errors.As(err, &pqErr) && pqErr.Code.Class() == "40": // serialization failure: a recovery conflict
	case strings.Contains(err.Error(), "conflict with recovery"):
	default:
		return false
	}
	db.primary.replica.fallbacks.Add(1)
	if dest != nil {
		// A statement that failed mid-result may have appended rows.
		if v := reflect.ValueOf(dest); v.Kind() == reflect.Pointer && !v.IsNil() {
			v.Elem().Set(reflect.Zero(v.Elem().Type()))
		}
	}
	return true
}

// writes reports whether a statement run with get or sel changes data
// (INSERT … RETURNING and the like).
func writes(query string) bool {
	switch operationOf(query) {
	case "SELECT", "SHOW", "VALUES", "TABLE":
		return false
	case "WITH":
		q := strings.ToUpper(query)
		return strings.Contains(q, "INSERT ") || strings.Contains(q, "UPDATE ") || strings.Contains(q, "DELETE ")
	}
	return true
}
