package service

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the cache's Prometheus counters, served at /metrics.
type Metrics struct {
	Hits          prometheus.Counter
	Misses        prometheus.Counter
	Invalidations prometheus.Counter
	Fallbacks     *prometheus.CounterVec
	ResponseHits  prometheus.Counter
}

// NewMetrics creates the counters and registers them with reg (nil: not
// registered, for tests).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Hits: prometheus.NewCounter(prometheus.CounterOpts{Name: "credithub_cache_hits_total",
			Help: "Check answers served from Redis."}),
		Misses: prometheus.NewCounter(prometheus.CounterOpts{Name: "credithub_cache_misses_total",
			Help: "Check answers computed from PostgreSQL because Redis had no current one."}),
		Invalidations: prometheus.NewCounter(prometheus.CounterOpts{Name: "credithub_cache_invalidations_total",
			Help: "Subject generations bumped by writes (and epoch bumps)."}),
		Fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "credithub_cache_fallbacks_total",
			Help: "Redis operations that failed or timed out; the answer came from PostgreSQL."}, []string{"op"}),
		ResponseHits: prometheus.NewCounter(prometheus.CounterOpts{Name: "credithub_response_cache_hits_total",
			Help: "Whole responses served from the response cache (Redis or the in-process copy it confirms) without executing GraphQL."}),
	}
	if reg != nil {
		reg.MustRegister(m.Hits, m.Misses, m.Invalidations, m.Fallbacks, m.ResponseHits)
	}
	return m
}
