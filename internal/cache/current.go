package cache

import (
	"context"
	"errors"
	"strconv"
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
	keys := []string{c.Key("epoch")}
	index := map[string]int{}
	for _, chk := range batch {
		for code := range chk.gens.Codes {
			if _, ok := index[code]; !ok {
				index[code] = len(keys)
				keys = append(keys, c.Key("gen", code))
			}
		}
	}
	// Not a caller's context: the batch serves many callers, and Redis's
	// own timeouts bound the wait.
	vals, err := c.rdb.MGet(context.Background(), keys...).Result()
	for _, chk := range batch {
		if err != nil {
			chk.err = err
		} else {
			chk.ok = counter(vals[0]) == chk.gens.Epoch
			for code, gen := range chk.gens.Codes {
				if !chk.ok {
					break
				}
				chk.ok = counter(vals[index[code]]) == gen
			}
		}
		close(chk.done)
	}
}

// counter reads a generation as MGET returns it: nil for a counter never
// bumped (generation 0).
func counter(v any) int64 {
	s, ok := v.(string)
	if !ok {
		return 0
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
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
