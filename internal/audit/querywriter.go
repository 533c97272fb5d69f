package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/credithub/credithub/internal/store"
)

// run is the writer: it takes whatever is queued the moment it is free (up
// to BatchSize rows), writes it with one statement, tells the waiting
// readers, and starts again. No timer: a row waits only for the batch in
// flight before it, which is what makes Commit cheap enough for every read.
func (q *QueryLog) run() {
	defer close(q.done)
	batch := make([]item, 0, q.opts.BatchSize)
	for {
		var open bool
		select {
		case it, ok := <-q.items:
			if !ok {
				return
			}
			batch, open = append(batch[:0], it), true
		case <-q.abort:
			return
		}
	gather:
		for rows := countRows(batch); rows < q.opts.BatchSize; {
			select {
			case it, ok := <-q.items:
				if !ok {
					open = false
					break gather
				}
				batch = append(batch, it)
				if !it.barrier {
					rows++
				}
			default:
				break gather
			}
		}
		err := q.write(batch)
		for _, it := range batch {
			if it.done != nil {
				it.done <- err
			}
		}
		if errors.Is(err, errAborted) || !open {
			if !open {
				q.drainClosed()
			}
			return
		}
	}
}

// drainClosed writes what is left once the queue is closed.
func (q *QueryLog) drainClosed() {
	var rest []item
	for it := range q.items {
		rest = append(rest, it)
	}
	err := q.write(rest)
	for _, it := range rest {
		if it.done != nil {
			it.done <- err
		}
	}
}

func countRows(batch []item) int {
	n := 0
	for _, it := range batch {
		if !it.barrier {
			n++
		}
	}
	return n
}

// write writes the rows of items in chunks of at most BatchSize, each chunk
// retried until it is written or Close gives up: rows are never dropped.
func (q *QueryLog) write(items []item) error {
	rows := make([]store.QueryUse, 0, len(items))
	for _, it := range items {
		if !it.barrier {
			rows = append(rows, it.row)
		}
	}
	for len(rows) > 0 {
		n := min(len(rows), q.opts.BatchSize)
		if err := q.writeChunk(rows[:n]); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func (q *QueryLog) writeChunk(rows []store.QueryUse) error {
	delay := minRetry
	for {
		start := time.Now()
		err := errPGDown
		if q.spool == nil || time.Now().UnixNano() >= q.pgDownUntil.Load() {
			timeout := writeTimeout
			if q.spool != nil {
				timeout = spoolAfter // readers wait: the spool takes over soon
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			err = q.db.InsertQueryUses(ctx, rows)
			cancel()
		}
		if err == nil {
			if q.spool != nil {
				q.spool.seal() // PostgreSQL is back: what was spooled may move
			}
			q.written.Add(int64(len(rows)))
			took := time.Since(start)
			q.batches.Add(1)
			q.batchNanos.Add(int64(took))
			q.batchLatency.observe(took)
			return nil
		}
		if q.spool != nil {
			if err != errPGDown {
				q.pgDownUntil.Store(time.Now().Add(pgDownPause).UnixNano())
				q.opts.Logger.Warn("query log: PostgreSQL cannot take the log; spooling to disk", "dir", q.spool.dir, "err", err)
			}
			if serr := q.spool.append(rows); serr == nil {
				q.spooled.Add(int64(len(rows)))
				q.written.Add(int64(len(rows)))
				return nil
			} else {
				err = fmt.Errorf("%w; and the spool: %v", err, serr)
			}
		}
		q.writeErrors.Add(1)
		q.opts.Logger.Error("query log: batch write failed; keeping the rows and retrying",
			"rows", len(rows), "pending", q.Pending(), "retry_in", delay, "err", err)
		select {
		case <-time.After(delay):
		case <-q.abort:
			return errAborted
		}
		delay = min(2*delay, maxRetry)
	}
}

// errPGDown stands for a write not tried because PostgreSQL was down a
// moment ago.
var errPGDown = errors.New("query log: PostgreSQL was down a moment ago")

const (
	// spoolAfter is how long a batch waits for PostgreSQL before it goes to
	// the spool; pgDownPause how long after a failure the spool is used
	// without trying PostgreSQL first.
	spoolAfter  = 2 * time.Second
	pgDownPause = time.Second
	// shipEvery is how often spooled rows are offered to PostgreSQL.
	shipEvery = time.Second
)

// shipper moves spooled rows into query_log, at start (what an earlier
// process left) and every shipEvery.
func (q *QueryLog) shipper() {
	defer close(q.shipperDone)
	tick := time.NewTicker(shipEvery)
	defer tick.Stop()
	for {
		if time.Now().UnixNano() >= q.pgDownUntil.Load() && q.spool.open() && q.pingPG() {
			// PostgreSQL answers again and no read came to find out: the file
			// being appended to may move now (the next spooled row starts a new one).
			q.spool.seal()
		}
		if time.Now().UnixNano() >= q.pgDownUntil.Load() && len(q.spool.files()) > 0 {
			ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
			n, err := q.spool.ship(ctx, q.db, q.opts.BatchSize)
			cancel()
			q.shipped.Add(int64(n))
			if err != nil {
				q.opts.Logger.Warn("query log: spooled rows not moved yet", "err", err)
			} else if n > 0 {
				q.opts.Logger.Info("query log: spooled rows moved into query_log", "rows", n)
			}
		}
		select {
		case <-tick.C:
		case <-q.abort:
			return
		}
	}
}

func (q *QueryLog) pingPG() bool {
	ctx, cancel := context.WithTimeout(context.Background(), spoolAfter)
	defer cancel()
	return q.db.SQL().PingContext(ctx) == nil
}
