package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/credithub/credithub/internal/audit"
)

// QueryLogStatser is what the query-use log collector reads
// (audit.QueryLog has it).
type QueryLogStatser interface {
	Queued() int64
	Written() int64
	Pending() int64
	WriteErrors() int64
	BlockedWaits() int64
	Refused() int64
	Spooled() (spooled, shipped int64)
	Batches() (int64, time.Duration)
	BatchLatency() audit.LatencySnapshot
	CommitWaits() audit.LatencySnapshot
}

// queryLog exports the query-use log's counters, read at each scrape: the
// log is the promise that no read is served unlogged, so an operator
// watches its backlog, its failures and its spool.
type queryLog struct {
	q QueryLogStatser

	queued, written, writeErrors, blocked, refused, spooled, shipped, batches, batchSeconds *prometheus.Desc
	pending                                                                                 *prometheus.Desc
	batchLatency, commitWaits                                                               *prometheus.Desc
}

// NewQueryLog returns the collector of q: credithub_query_log_rows_*_total
// (queued, written, refused, spooled, shipped), write_errors_total,
// blocked_waits_total, batches_total, batch_duration_seconds_total, the
// gauge credithub_query_log_rows_pending, and two histograms:
// batch_duration_seconds (a group commit into query_log) and
// commit_wait_seconds (what a logged read waited for its row to be durable).
func NewQueryLog(q QueryLogStatser) prometheus.Collector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("credithub_query_log_"+name, help, nil, nil)
	}
	return &queryLog{
		q:            q,
		queued:       d("rows_queued_total", "Query-use rows accepted for writing."),
		written:      d("rows_written_total", "Query-use rows written to query_log."),
		writeErrors:  d("write_errors_total", "Batch writes of the query-use log that failed and were retried (or spooled)."),
		blocked:      d("blocked_waits_total", "Reads that found the query-use log's queue full and waited."),
		refused:      d("rows_refused_total", "Reads refused (UNAVAILABLE) because their query-use rows could not be made durable."),
		spooled:      d("rows_spooled_total", "Query-use rows written to the local spool while PostgreSQL could not take them."),
		shipped:      d("rows_shipped_total", "Spooled query-use rows since moved into query_log."),
		batches:      d("batches_total", "Batches (group commits) the query-use log's writer wrote."),
		batchSeconds: d("batch_duration_seconds_total", "Time the query-use log's writer spent writing batches."),
		pending:      d("rows_pending", "Query-use rows accepted and not yet written."),
		batchLatency: d("batch_duration_seconds", "Time a group commit of the query-use log into query_log took."),
		commitWaits:  d("commit_wait_seconds", "Time a logged read waited for its query-use rows to be durable before it was answered (or refused)."),
	}
}

func (c *queryLog) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.queued, c.written, c.writeErrors, c.blocked, c.refused, c.spooled, c.shipped, c.batches, c.batchSeconds, c.pending, c.batchLatency, c.commitWaits} {
		ch <- d
	}
}

func (c *queryLog) Collect(ch chan<- prometheus.Metric) {
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	spooled, shipped := c.q.Spooled()
	batches, took := c.q.Batches()
	counter(c.queued, float64(c.q.Queued()))
	counter(c.written, float64(c.q.Written()))
	counter(c.writeErrors, float64(c.q.WriteErrors()))
	counter(c.blocked, float64(c.q.BlockedWaits()))
	counter(c.refused, float64(c.q.Refused()))
	counter(c.spooled, float64(spooled))
	counter(c.shipped, float64(shipped))
	counter(c.batches, float64(batches))
	counter(c.batchSeconds, took.Seconds())
	ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(c.q.Pending()))
	ch <- latencyHistogram(c.batchLatency, c.q.BatchLatency())
	ch <- latencyHistogram(c.commitWaits, c.q.CommitWaits())
}

func latencyHistogram(d *prometheus.Desc, s audit.LatencySnapshot) prometheus.Metric {
	buckets := make(map[float64]uint64, len(s.Cumulative))
	for i, n := range s.Cumulative {
		buckets[audit.LatencyBuckets[i].Seconds()] = n
	}
	return prometheus.MustNewConstHistogram(d, s.Count, s.Sum.Seconds(), buckets)
}
