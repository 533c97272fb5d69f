package service

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the response cache's Prometheus counters, served at /metrics.
type Metrics struct {
	ResponseHits   *prometheus.CounterVec
	ResponseMisses prometheus.Counter
	ResponseStores *prometheus.CounterVec
	Invalidations  prometheus.Counter
	Fallbacks      *prometheus.CounterVec
}

// NewMetrics creates the counters and registers them with reg (nil: not
// registered, for tests). Every series with a fixed label is created at
// once, so that it reads 0 before its first event.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		ResponseHits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "credithub_response_cache_hits_total",
			Help: "Responses served from the response cache without executing GraphQL, by tier (memory: this server's copy confirmed by Redis; redis)."},
			[]string{"tier"}),
		ResponseMisses: prometheus.NewCounter(prometheus.CounterOpts{Name: "credithub_response_cache_misses_total",
			Help: "Cacheable requests executed because no current response was stored."}),
		ResponseStores: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "credithub_response_cache_stores_total",
			Help: "Computed responses offered to the cache, by outcome (stored; overlapped_write: a write happened during the computation, so it was served but not stored)."},
			[]string{"outcome"}),
		Invalidations: prometheus.NewCounter(prometheus.CounterOpts{Name: "credithub_cache_invalidations_total",
			Help: "Subject generations bumped by writes (and epoch bumps)."}),
		Fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "credithub_cache_fallbacks_total",
			Help: "Redis operations that failed or timed out; the answer came from PostgreSQL."}, []string{"op"}),
	}
	for _, tier := range []string{"memory", "redis"} {
		m.ResponseHits.WithLabelValues(tier)
	}
	for _, o := range []string{"stored", "overlapped_write"} {
		m.ResponseStores.WithLabelValues(o)
	}
	for _, op := range []string{"lookup", "current", "store", "invalidate", "epoch"} {
		m.Fallbacks.WithLabelValues(op)
	}
	if reg != nil {
		reg.MustRegister(m.ResponseHits, m.ResponseMisses, m.ResponseStores, m.Invalidations, m.Fallbacks)
	}
	return m
}
