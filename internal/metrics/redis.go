package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// PoolStatser is what the Redis collector reads: every go-redis client
// (redis.UniversalClient) has it.
type PoolStatser interface {
	PoolStats() *redis.PoolStats
}

// redisPool exports go-redis' pool statistics, read at each scrape.
type redisPool struct {
	client PoolStatser

	hits, misses, timeouts, waits, waitSeconds, stale *prometheus.Desc
	open, idle, pending                               *prometheus.Desc
}

// NewRedisPool returns the collector of c's connection pool:
// credithub_redis_pool_{hits,misses,timeouts,waits,stale_connections}_total,
// credithub_redis_pool_wait_duration_seconds_total and the gauges
// credithub_redis_pool_{open,idle}_connections and
// credithub_redis_pool_pending_requests. It only reads c.PoolStats().
func NewRedisPool(c PoolStatser) prometheus.Collector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("credithub_redis_pool_"+name, help, nil, nil)
	}
	return &redisPool{
		client:      c,
		hits:        d("hits_total", "Times a free connection was found in the Redis pool."),
		misses:      d("misses_total", "Times no free connection was in the Redis pool and one was dialled."),
		timeouts:    d("timeouts_total", "Times waiting for a Redis pool connection timed out."),
		waits:       d("waits_total", "Times a command waited for a Redis pool connection."),
		waitSeconds: d("wait_duration_seconds_total", "Time spent waiting for Redis pool connections."),
		stale:       d("stale_connections_total", "Stale Redis connections removed from the pool."),
		open:        d("open_connections", "Connections in the Redis pool, idle and in use."),
		idle:        d("idle_connections", "Idle connections in the Redis pool."),
		pending:     d("pending_requests", "Commands waiting for a Redis pool connection now."),
	}
}

func (p *redisPool) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{p.hits, p.misses, p.timeouts, p.waits, p.waitSeconds, p.stale, p.open, p.idle, p.pending} {
		ch <- d
	}
}

func (p *redisPool) Collect(ch chan<- prometheus.Metric) {
	s := p.client.PoolStats()
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v)
	}
	counter(p.hits, float64(s.Hits))
	counter(p.misses, float64(s.Misses))
	counter(p.timeouts, float64(s.Timeouts))
	counter(p.waits, float64(s.WaitCount))
	counter(p.waitSeconds, float64(s.WaitDurationNs)/1e9)
	counter(p.stale, float64(s.StaleConns))
	gauge(p.open, float64(s.TotalConns))
	gauge(p.idle, float64(s.IdleConns))
	gauge(p.pending, float64(s.PendingRequests))
}
