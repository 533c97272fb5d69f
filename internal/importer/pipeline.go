package importer

import (
	"context"
	"errors"
	"io"
	"sync"
)

// Chunk is a run of consecutive rows of a file: those to write and those
// rejected on the way.
type Chunk[T any] struct {
	// Seq numbers the chunks of a file from 1.
	Seq     int
	Rows    []T
	Rejects []Reject
	// Warned are the lines of Rows that carry warnings.
	Warned []int
	// Lines counts the rows read into the chunk (Rows and Rejects); Last
	// is the last line of the chunk.
	Lines, Last int
}

// Source yields a file's rows one by one: a row to write with its line
// and whether it carries warnings, or a reject; io.EOF after the last row.
type Source[T any] func() (row T, line int, rej *Reject, warned bool, err error)

// Run reads src into chunks of size rows and has writers goroutines write
// them with write, while the next chunk is read: on two cores, decoding and
// the database each keep one busy. It calls done, on the caller's
// goroutine, for every chunk written or failed, in file order, with
// write's result and error. The first error of src, write or done cancels
// the rest: chunks not begun are not written, chunks being written see
// their context cancelled. Run returns that error, ctx's error if ctx ended
// first, or nil.
func Run[T, R any](ctx context.Context, src Source[T], size, writers int,
	write func(context.Context, Chunk[T]) (R, error), done func(Chunk[T], R, error) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	todo := make(chan Chunk[T], 1)
	type result struct {
		c   Chunk[T]
		r   R
		err error
	}
	results := make(chan result)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(todo)
		if err := readChunks(ctx, src, size, todo); err != nil {
			cancel(err)
		}
	}()
	var writing sync.WaitGroup
	for range max(writers, 1) {
		writing.Add(1)
		go func() {
			defer writing.Done()
			for c := range todo {
				if ctx.Err() != nil {
					continue // drain: the reader stops at the cancellation
				}
				r, err := write(ctx, c)
				if err != nil {
					cancel(err)
				}
				results <- result{c, r, err}
			}
		}()
	}
	go func() {
		writing.Wait()
		close(results)
	}()
	// Results arrive in any order; done sees them in file order. A chunk
	// that was never written leaves a gap after which nothing is written
	// either, so nothing waits for it once the channel is closed.
	pending := map[int]result{}
	next := 1
	for r := range results {
		pending[r.c.Seq] = r
		for p, ok := pending[next]; ok; p, ok = pending[next] {
			delete(pending, next)
			next++
			if err := done(p.c, p.r, p.err); err != nil {
				cancel(err)
			}
		}
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return ctx.Err()
}

// readChunks reads src to its end and sends its rows in chunks of size.
func readChunks[T any](ctx context.Context, src Source[T], size int, todo chan<- Chunk[T]) error {
	// Rows are large structs: growing the slice would copy them again and
	// again (a third of the import's Go time before it was preallocated).
	c := Chunk[T]{Seq: 1, Rows: make([]T, 0, size)}
	send := func() bool {
		select {
		case todo <- c:
			c = Chunk[T]{Seq: c.Seq + 1, Rows: make([]T, 0, size)}
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		row, line, rej, warned, err := src()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return err
		}
		c.Lines++
		if rej != nil {
			c.Rejects = append(c.Rejects, *rej)
			c.Last = max(c.Last, rej.Line)
		} else {
			c.Rows = append(c.Rows, row)
			c.Last = max(c.Last, line)
			if warned {
				c.Warned = append(c.Warned, line)
			}
		}
		if c.Lines >= size && !send() {
			return nil
		}
	}
	if c.Lines > 0 {
		send()
	}
	return nil
}
