package importer

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// numbers is a source of rows 1..n on lines 2..n+1, every seventh a reject.
func numbers(n int) Source[int] {
	i := 0
	return func() (int, int, *Reject, bool, error) {
		if i == n {
			return 0, 0, nil, false, io.EOF
		}
		i++
		if i%7 == 0 {
			return 0, 0, &Reject{Line: i + 1, Reason: "seven"}, false, nil
		}
		return i, i + 1, nil, i%5 == 0, nil
	}
}

func TestRunHandsChunksOnInFileOrderWhateverOrderTheyAreWrittenIn(t *testing.T) {
	for _, writers := range []int{1, 2, 4} {
		var mu sync.Mutex
		written := map[int]bool{}
		var seqs, rows []int
		rejects, warned := 0, 0
		err := Run(context.Background(), numbers(1000), 30, writers,
			func(_ context.Context, c Chunk[int]) (int, error) {
				time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
				mu.Lock()
				written[c.Seq] = true
				mu.Unlock()
				return len(c.Rows), nil
			},
			func(c Chunk[int], n int, err error) error {
				if err != nil || n != len(c.Rows) || c.Lines != len(c.Rows)+len(c.Rejects) {
					t.Errorf("chunk %d: got %d, %v", c.Seq, n, err)
				}
				seqs = append(seqs, c.Seq)
				rows = append(rows, c.Rows...)
				rejects += len(c.Rejects)
				warned += len(c.Warned)
				return nil
			})
		if err != nil {
			t.Fatalf("%d writers: %v", writers, err)
		}
		wantRows := []int{}
		for i := 1; i <= 1000; i++ {
			if i%7 != 0 {
				wantRows = append(wantRows, i)
			}
		}
		if len(seqs) != 34 || !slices.IsSorted(seqs) || !slices.Equal(rows, wantRows) || rejects != 142 || warned != 172 {
			t.Errorf("%d writers: got chunks %v, %d rows, %d rejects, %d warned", writers, seqs, len(rows), rejects, warned)
		}
	}
}

func TestRunStopsAtTheFirstFailedChunk(t *testing.T) {
	boom := errors.New("boom")
	var done []int
	err := Run(context.Background(), numbers(1000), 10, 1,
		func(_ context.Context, c Chunk[int]) (int, error) {
			if c.Seq == 3 {
				return 0, boom
			}
			return 0, nil
		},
		func(c Chunk[int], _ int, err error) error {
			if (err != nil) != (c.Seq == 3) {
				t.Errorf("chunk %d: got %v", c.Seq, err)
			}
			done = append(done, c.Seq)
			return nil
		})
	if !errors.Is(err, boom) || !slices.Equal(done, []int{1, 2, 3}) {
		t.Errorf("got %v after chunks %v, want boom after 1, 2, 3", err, done)
	}
}

func TestRunStopsWhenItsContextIsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var done []int
	err := Run(ctx, numbers(1000), 10, 2,
		func(ctx context.Context, c Chunk[int]) (int, error) { return 0, ctx.Err() },
		func(c Chunk[int], _ int, err error) error {
			if err == nil {
				done = append(done, c.Seq)
			}
			if c.Seq == 2 {
				cancel()
			}
			return nil
		})
	if !errors.Is(err, context.Canceled) || len(done) < 2 || len(done) > 4 {
		t.Errorf("got %v after chunks %v, want context.Canceled soon after chunk 2", err, done)
	}
}

func TestRunReportsTheSourcesError(t *testing.T) {
	bad := errors.New("disk")
	i := 0
	src := func() (int, int, *Reject, bool, error) {
		if i++; i > 25 {
			return 0, 0, nil, false, bad
		}
		return i, i + 1, nil, false, nil
	}
	var rows int
	err := Run(context.Background(), src, 10, 1,
		func(_ context.Context, c Chunk[int]) (int, error) { return 0, nil },
		func(c Chunk[int], _ int, _ error) error { rows += len(c.Rows); return nil })
	if !errors.Is(err, bad) || rows > 20 {
		t.Errorf("got %v after %d rows, want the source's error and at most the two full chunks", err, rows)
	}
}
