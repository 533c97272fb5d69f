package audit

import (
	"context"
	"errors"
	"time"

	"github.com/credithub/credithub/internal/store"
)

// run is the writer: it gathers rows into a batch and writes the batch when
// it is full, when its oldest row has waited FlushInterval, when Flush asks,
// and when the queue is closed.
func (q *QueryLog) run() {
	defer close(q.done)
	batch := make([]store.QueryUse, 0, q.opts.BatchSize)
	// Started when a batch gets its first row, so that a quiet hub does not
	// wake up every interval for nothing.
	timer := time.NewTimer(q.opts.FlushInterval)
	timer.Stop()
	for {
		var err error
		select {
		case u, ok := <-q.uses:
			if !ok {
				q.write(batch)
				return
			}
			if len(batch) == 0 {
				timer.Reset(q.opts.FlushInterval)
			}
			batch = append(batch, u)
			if len(batch) < q.opts.BatchSize {
				continue
			}
			timer.Stop()
			err = q.write(batch)
		case <-timer.C:
			err = q.write(batch)
		case reply := <-q.flushes:
			timer.Stop()
			// What is queued now includes every row whose Record returned
			// before Flush was called; later rows may come along too.
			for n := len(q.uses); n > 0; n-- {
				u, ok := <-q.uses
				if !ok {
					break
				}
				batch = append(batch, u)
			}
			err = q.write(batch)
			reply <- err
		case <-q.abort:
			return
		}
		if errors.Is(err, errAborted) {
			return
		}
		batch = batch[:0]
	}
}

// write writes rows in chunks of at most BatchSize, each chunk retried until
// it is written or Close gives up: rows are never dropped.
func (q *QueryLog) write(rows []store.QueryUse) error {
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
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		err := q.db.CopyQueryUses(ctx, rows)
		cancel()
		if err == nil {
			q.written.Add(int64(len(rows)))
			return nil
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
