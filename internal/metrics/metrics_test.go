package metrics_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
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

// The query-use log's backlog, failures and spool are on /metrics: the
// families are there at 0 and move when rows are written.
func TestQueryLogFamiliesArePresentAndMove(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	uses := audit.NewQueryLog(db, audit.QueryLogOptions{})
	defer uses.Close(ctx)
	reg := prometheus.NewPedanticRegistry()
	if err := metrics.Register(reg, metrics.Sources{QueryLog: uses}); err != nil {
		t.Fatal(err)
	}
	before := gather(t, reg)
	for _, name := range []string{"rows_queued_total", "rows_written_total", "write_errors_total", "blocked_waits_total",
		"rows_refused_total", "rows_spooled_total", "rows_shipped_total", "batches_total", "batch_duration_seconds_total", "rows_pending"} {
		f, ok := before["credithub_query_log_"+name]
		if !ok || value(f) != 0 {
			t.Errorf("credithub_query_log_%s before any read: %v, want 0", name, f)
		}
	}
	caller := credit.Caller{ID: "key:1", Role: credit.RoleBank, Institution: "丹东银行", Purpose: "贷款审查"}
	if err := uses.Commit(ctx, audit.Use{Caller: caller, SubjectCodes: []string{"91210600MA0Y000001"}, Operation: "Check"}); err != nil {
		t.Fatal(err)
	}
	after := gather(t, reg)
	if v := value(after["credithub_query_log_rows_written_total"]); v != 1 {
		t.Errorf("rows written after one committed read: %v, want 1", v)
	}
	if v := value(after["credithub_query_log_batches_total"]); v < 1 {
		t.Errorf("batches after one committed read: %v", v)
	}
	if v := value(after["credithub_query_log_rows_pending"]); v != 0 {
		t.Errorf("pending after commit: %v, want 0", v)
	}
	// The two histograms: nothing before, the read's wait and its group
	// commit after, each in a bucket no lower than its sum allows.
	for _, name := range []string{"commit_wait_seconds", "batch_duration_seconds"} {
		if h := before["credithub_query_log_"+name].GetMetric()[0].GetHistogram(); h.GetSampleCount() != 0 {
			t.Errorf("%s before any read: %d samples", name, h.GetSampleCount())
		}
		h := after["credithub_query_log_"+name].GetMetric()[0].GetHistogram()
		if h == nil || h.GetSampleCount() != 1 || h.GetSampleSum() <= 0 {
			t.Fatalf("%s after one committed read: %v; want one sample with its time", name, h)
		}
		for _, b := range h.GetBucket() {
			want := uint64(0) // buckets below the one sample's time
			if b.GetUpperBound() >= h.GetSampleSum() {
				want = 1
			}
			if b.GetCumulativeCount() != want {
				t.Errorf("%s: bucket ≤ %gs counts %d, want %d (the sample took %gs)", name, b.GetUpperBound(), b.GetCumulativeCount(), want, h.GetSampleSum())
			}
		}
	}
}
