package metrics_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/credithub/credithub/internal/metrics"
	"github.com/credithub/credithub/internal/testenv"
)

// gather returns every sample of reg by family name.
func gather(t *testing.T, reg *prometheus.Registry) map[string]*dto.MetricFamily {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*dto.MetricFamily{}
	for _, f := range fams {
		out[f.GetName()] = f
	}
	return out
}

func value(f *dto.MetricFamily) float64 {
	m := f.GetMetric()[0]
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	}
	return -1
}

func TestPoolAndBuildFamiliesArePresentFromTheStartAndMove(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	redis := testenv.Cache(t)
	reg := prometheus.NewPedanticRegistry() // also checks names, help and label consistency
	if err := metrics.Register(reg, metrics.Sources{DB: db.SQL(), Redis: redis.Client(), Version: "v1.2.3", Revision: "abc123"}); err != nil {
		t.Fatal(err)
	}
	before := gather(t, reg)
	for name, kind := range map[string]dto.MetricType{
		"go_sql_open_connections":                          dto.MetricType_GAUGE,
		"go_sql_in_use_connections":                        dto.MetricType_GAUGE,
		"go_sql_idle_connections":                          dto.MetricType_GAUGE,
		"go_sql_max_open_connections":                      dto.MetricType_GAUGE,
		"go_sql_wait_count_total":                          dto.MetricType_COUNTER,
		"go_sql_wait_duration_seconds_total":               dto.MetricType_COUNTER,
		"credithub_redis_pool_hits_total":                  dto.MetricType_COUNTER,
		"credithub_redis_pool_misses_total":                dto.MetricType_COUNTER,
		"credithub_redis_pool_timeouts_total":              dto.MetricType_COUNTER,
		"credithub_redis_pool_waits_total":                 dto.MetricType_COUNTER,
		"credithub_redis_pool_wait_duration_seconds_total": dto.MetricType_COUNTER,
		"credithub_redis_pool_stale_connections_total":     dto.MetricType_COUNTER,
		"credithub_redis_pool_open_connections":            dto.MetricType_GAUGE,
		"credithub_redis_pool_idle_connections":            dto.MetricType_GAUGE,
		"credithub_redis_pool_pending_requests":            dto.MetricType_GAUGE,
		"credithub_build_info":                             dto.MetricType_GAUGE,
	} {
		f, ok := before[name]
		if !ok || f.GetType() != kind || len(f.GetMetric()) != 1 {
			t.Errorf("%s: got %v, want one %s sample from the first scrape", name, f, kind)
		}
	}
	if v := value(before["go_sql_wait_count_total"]); v != 0 {
		t.Errorf("go_sql_wait_count_total before any wait: got %v, want 0", v)
	}
	if v := value(before["go_sql_max_open_connections"]); v != 4 {
		t.Errorf("go_sql_max_open_connections: got %v, want the pool's 4", v)
	}
	labels := map[string]string{}
	for _, l := range before["credithub_build_info"].GetMetric()[0].GetLabel() {
		labels[l.GetName()] = l.GetValue()
	}
	if value(before["credithub_build_info"]) != 1 || labels["version"] != "v1.2.3" || labels["goversion"] != runtime.Version() || labels["revision"] != "abc123" {
		t.Errorf("build info: got %v = %v", labels, value(before["credithub_build_info"]))
	}

	for i := 0; i < 3; i++ {
		if err := redis.Ping(ctx); err != nil {
			t.Fatal(err)
		}
	}
	conn, err := db.SQL().Conn(ctx) // held: one connection in use
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	after := gather(t, reg)
	if h, m := value(after["credithub_redis_pool_hits_total"]), value(after["credithub_redis_pool_misses_total"]); h+m < 3 || h < 1 {
		t.Errorf("after 3 commands: hits %v, misses %v; want them counted", h, m)
	}
	if v := value(after["credithub_redis_pool_open_connections"]); v < 1 {
		t.Errorf("open Redis connections after commands: got %v", v)
	}
	if v := value(after["go_sql_in_use_connections"]); v != 1 {
		t.Errorf("go_sql_in_use_connections with one held: got %v, want 1", v)
	}
}
