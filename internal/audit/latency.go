package audit

import (
	"sync/atomic"
	"time"
)

// Latency is a histogram of durations with fixed buckets, safe for
// concurrent use without a lock (one atomic add per bucket hit). The
// query-use log keeps two: how long a group commit took, and how long a
// read waited for its rows to be durable, the latency the log adds to
// every logged read. The package stays free of a metrics library; the
// metrics package exports a Snapshot as a Prometheus histogram.
type Latency struct {
	counts [len(LatencyBuckets) + 1]atomic.Uint64 // the last: above every bound
	sum    atomic.Int64                           // nanoseconds
}

// LatencyBuckets are the upper bounds of Latency's buckets: a commit on a
// quiet disk is a fraction of a millisecond, one behind a busy writer a
// few, one waiting for a PostgreSQL that does not answer up to the two
// seconds after which the spool takes the rows.
var LatencyBuckets = [...]time.Duration{
	100 * time.Microsecond, 250 * time.Microsecond, 500 * time.Microsecond,
	time.Millisecond, 2500 * time.Microsecond, 5 * time.Millisecond, 10 * time.Millisecond,
	25 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, 250 * time.Millisecond,
	500 * time.Millisecond, time.Second, 2500 * time.Millisecond, 5 * time.Second,
}

func (l *Latency) observe(d time.Duration) {
	i := 0
	for i < len(LatencyBuckets) && d > LatencyBuckets[i] {
		i++
	}
	l.counts[i].Add(1)
	l.sum.Add(int64(d))
}

// LatencySnapshot is a Latency at one moment: Cumulative[i] counts the
// durations at most LatencyBuckets[i], Count all of them.
type LatencySnapshot struct {
	Count      uint64
	Sum        time.Duration
	Cumulative [len(LatencyBuckets)]uint64
}

// Snapshot reads l. Observations made while it reads may be counted in
// some buckets and not yet in others; a scrape a moment later has them.
func (l *Latency) Snapshot() LatencySnapshot {
	var s LatencySnapshot
	var run uint64
	for i := range LatencyBuckets {
		run += l.counts[i].Load()
		s.Cumulative[i] = run
	}
	s.Count = run + l.counts[len(LatencyBuckets)].Load()
	s.Sum = time.Duration(l.sum.Load())
	return s
}
