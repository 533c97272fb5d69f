package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/credithub/credithub/internal/store"
)

// ReplicaStatser is what the replica collector reads (store.DB with a
// replica).
type ReplicaStatser interface {
	ReplicaStats() store.ReplicaStats
}

type replicaCollector struct {
	src                  ReplicaStatser
	reads, fallbacks, up *prometheus.Desc
	lag                  *prometheus.Desc
}

// NewReplica returns the collector of the read router:
// credithub_db_routed_reads_total{to="replica"|"primary"} (the hot reads by
// where they went), credithub_db_replica_fallbacks_total (statements the
// replica failed that ran again on the primary), credithub_db_replica_up
// and credithub_db_replica_lag_seconds (how old the newest primary state
// the replica is known to have replayed is, as of the last poll and since).
func NewReplica(src ReplicaStatser) prometheus.Collector {
	return &replicaCollector{
		src:       src,
		reads:     prometheus.NewDesc("credithub_db_routed_reads_total", "Hot reads by the database they were sent to.", []string{"to"}, nil),
		fallbacks: prometheus.NewDesc("credithub_db_replica_fallbacks_total", "Statements the replica failed that ran again on the primary.", nil, nil),
		up:        prometheus.NewDesc("credithub_db_replica_up", "1 if the replica answered the last poll.", nil, nil),
		lag:       prometheus.NewDesc("credithub_db_replica_lag_seconds", "Age of the newest primary state the replica is known to have replayed (0 when down).", nil, nil),
	}
}

func (c *replicaCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.reads
	ch <- c.fallbacks
	ch <- c.up
	ch <- c.lag
}

func (c *replicaCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.src.ReplicaStats()
	ch <- prometheus.MustNewConstMetric(c.reads, prometheus.CounterValue, float64(s.ReplicaReads), "replica")
	ch <- prometheus.MustNewConstMetric(c.reads, prometheus.CounterValue, float64(s.PrimaryReads), "primary")
	ch <- prometheus.MustNewConstMetric(c.fallbacks, prometheus.CounterValue, float64(s.Fallbacks))
	up := 0.0
	if s.Up {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up)
	ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, s.Lag.Seconds())
}
