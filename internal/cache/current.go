package cache

import (
	"context"
	"errors"
	"math/rand/v2"
)

// Current reports whether every generation in g (and its epoch) is still
// the one in Redis: whether an answer computed at g may be served now.
//
// Concurrent calls share one MGET: a single loop takes every check waiting
// at the moment, asks Redis for the union of their counters and answers
// each. A check's MGET is always sent after the check was asked, so it sees
// every invalidation acknowledged before; batching changes how many round
// trips the server makes, not what any one of them can miss. While one MGET
// is in flight the next batch gathers, so the batches grow with the load
// and a check waits at most for two round trips.
func (c *Cache) Current(ctx context.Context, g Gens) (bool, error) {
	c.checksOnce.Do(c.startChecks)
	chk := &genCheck{gens: g, done: make(chan struct{})}
	select {
	case c.checks <- chk:
	case <-ctx.Done():
		return false, ctx.Err()
	case <-c.closed:
		return false, errClosed
	}
	select {
	case <-chk.done:
		return chk.ok, chk.err
	case <-ctx.Done():
		return false, ctx.Err()
	case <-c.closed: // the loop may have stopped before it took chk
		return false, errClosed
	}
}

// maxChecksPerMGET bounds one batch (and so the size of one MGET).
const maxChecksPerMGET = 256

var errClosed = errors.New("cache: closed")

type genCheck struct {
	gens Gens
	ok   bool
	err  error
	done chan struct{}
}

func (c *Cache) startChecks() {
	c.checks = make(chan *genCheck, 4*maxChecksPerMGET)
	go c.checkLoop()
}

func (c *Cache) checkLoop() {
	batch := make([]*genCheck, 0, maxChecksPerMGET)
	for {
		select {
		case chk := <-c.checks:
			batch = append(batch[:0], chk)
		case <-c.closed:
			c.refuseChecks()
			return
		}
	gather:
		for len(batch) < maxChecksPerMGET {
			select {
			case chk := <-c.checks:
				batch = append(batch, chk)
			default:
				break gather
			}
		}
		c.answerChecks(batch)
	}
}

// answerChecks answers a batch with one MGET of the epoch and the distinct
// counters the batch depends on.
func (c *Cache) answerChecks(batch []*genCheck) {
	keys := []string{c.EpochKey()}
	index := map[string]int{}
	for _, chk := range batch {
		for code := range chk.gens.Codes {
			if _, ok := index[code]; !ok {
				index[code] = len(keys)
				keys = append(keys, c.GenKey(code))
			}
		}
	}
	// Not a caller's context: the batch serves many callers, and Redis's
	// own timeouts bound the wait.
	vals, err := c.getMany(context.Background(), keys)
	if err == nil && vals[0] == nil {
		// No epoch: Redis has lost its keys (a restart without
		// persistence, a flush). Its counters start again from zero and
		// could climb back to the values an old entry in some server's
		// memory was computed at, so nothing is current until the epoch
		// holds a value no earlier life of Redis had.
		err = c.newEpoch(context.Background())
		clear(vals)
	}
	for _, chk := range batch {
		if err != nil {
			chk.err = err
		} else {
			// A counter never bumped is nil in MGET's answer: generation 0.
			chk.ok = vals[0] != nil && toInt(vals[0]) == chk.gens.Epoch
			for code, gen := range chk.gens.Codes {
				if !chk.ok {
					break
				}
				chk.ok = toInt(vals[index[code]]) == gen
			}
		}
		close(chk.done)
	}
}

// refuseChecks answers the checks still waiting when the cache closes.
func (c *Cache) refuseChecks() {
	for {
		select {
		case chk := <-c.checks:
			chk.err = errClosed
			close(chk.done)
		default:
			return
		}
	}
}

// newEpoch gives a Redis that has no epoch a random one (unless another
// server just did). Entries computed before Redis lost its keys carry an
// epoch from its earlier life and are never current again.
func (c *Cache) newEpoch(ctx context.Context) error {
	return c.rdb.SetNX(ctx, c.EpochKey(), randomEpoch(), 0).Err()
}

// randomEpoch is a fresh epoch: random, so that no two lives of Redis share
// one, and below 10^12, so that the lookup script's Lua numbers (doubles,
// printed with 14 digits) compare it exactly even after many bumps.
func randomEpoch() int64 { return 1 + rand.Int64N(1e12) }
