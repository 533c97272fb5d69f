package config_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/config"
)

func load(env map[string]string) (config.Config, error) {
	return config.Load(func(k string) string { return env[k] })
}

func TestOperationsSettingsDefaultsAndValues(t *testing.T) {
	t.Parallel()
	c, err := load(nil)
	if err != nil || c.LogFormat != "text" || c.LogLevel != slog.LevelInfo || !c.GraphiQL || c.CORSOrigins != nil || c.OTLPEndpoint != "" {
		t.Fatalf("defaults: got %+v, %v", c, err)
	}
	if c, _ := load(map[string]string{"CREDITHUB_ENV": "production"}); c.GraphiQL {
		t.Error("GraphiQL is on by default in production")
	}
	if c, _ := load(map[string]string{"CREDITHUB_ENV": "production", "GRAPHIQL": "on"}); !c.GraphiQL {
		t.Error("GRAPHIQL=on does not turn it on in production")
	}
	if c, _ := load(map[string]string{"GRAPHIQL": "off"}); c.GraphiQL {
		t.Error("GRAPHIQL=off does not turn it off")
	}
	c, err = load(map[string]string{"LOG_FORMAT": "json", "LOG_LEVEL": "warn",
		"CORS_ORIGINS": " https://dash.dandong.gov.cn/ , http://10.1.2.3:8080,", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"})
	if err != nil || c.LogFormat != "json" || c.LogLevel != slog.LevelWarn || c.OTLPEndpoint != "http://127.0.0.1:4318" ||
		strings.Join(c.CORSOrigins, " ") != "https://dash.dandong.gov.cn http://10.1.2.3:8080" {
		t.Fatalf("got %+v, %v", c, err)
	}
	var buf bytes.Buffer
	log := c.NewLogger(&buf)
	log.Info("hidden")
	log.Warn("shown", "k", 1)
	if out := buf.String(); strings.Contains(out, "hidden") || !strings.HasPrefix(out, `{"time":`) || !strings.Contains(out, `"msg":"shown","k":1`) {
		t.Errorf("LOG_FORMAT=json LOG_LEVEL=warn wrote %q", out)
	}
}

func TestOperationsSettingsRefuseWhatTheyDoNotKnow(t *testing.T) {
	t.Parallel()
	for _, env := range []map[string]string{
		{"LOG_FORMAT": "logfmt"},
		{"LOG_LEVEL": "verbose"},
		{"LOG_LEVEL": "info+2"},
		{"GRAPHIQL": "maybe"},
		{"CORS_ORIGINS": "dash.dandong.gov.cn"},
		{"CORS_ORIGINS": "https://dash.dandong.gov.cn/app"},
		{"CORS_ORIGINS": "ftp://dash.dandong.gov.cn"},
		{"CORS_ORIGINS": "https://user@dash.dandong.gov.cn"},
	} {
		if _, err := load(env); err == nil {
			t.Errorf("%v: accepted", env)
		}
	}
}

func TestRedisClusterAddrsAreSeedsOrRefused(t *testing.T) {
	t.Parallel()
	c, err := load(map[string]string{"REDIS_CLUSTER_ADDRS": " 127.0.0.1:18401, 127.0.0.1:18402 ,"})
	if err != nil || strings.Join(c.RedisClusterAddrs, " ") != "127.0.0.1:18401 127.0.0.1:18402" {
		t.Fatalf("got %q, %v; want the two seeds", c.RedisClusterAddrs, err)
	}
	if c, _ := load(nil); c.RedisClusterAddrs != nil {
		t.Errorf("unset: got %q, want none (one Redis at REDIS_URL)", c.RedisClusterAddrs)
	}
	if _, err := load(map[string]string{"REDIS_CLUSTER_ADDRS": "127.0.0.1"}); err == nil {
		t.Error("a seed without a port was accepted")
	}
}

func TestReplicaSettingsDefaultToNoneAndOneSecond(t *testing.T) {
	t.Parallel()
	c, err := load(nil)
	if err != nil || c.DatabaseReplicaURL != "" || c.ReplicaMaxLag != time.Second {
		t.Fatalf("defaults: got %q, %v, %v; want no replica and 1s", c.DatabaseReplicaURL, c.ReplicaMaxLag, err)
	}
	c, err = load(map[string]string{"DATABASE_REPLICA_URL": "postgres://127.0.0.1:18450/credithub", "REPLICA_MAX_LAG": "250ms"})
	if err != nil || c.DatabaseReplicaURL != "postgres://127.0.0.1:18450/credithub" || c.ReplicaMaxLag != 250*time.Millisecond {
		t.Fatalf("got %q, %v, %v", c.DatabaseReplicaURL, c.ReplicaMaxLag, err)
	}
	for _, v := range []string{"0s", "-1s", "soon"} {
		if _, err := load(map[string]string{"REPLICA_MAX_LAG": v}); err == nil {
			t.Errorf("REPLICA_MAX_LAG=%s: accepted", v)
		}
	}
}

func TestMetricsListenIsAnAddressApartFromTheAPI(t *testing.T) {
	t.Parallel()
	if c, err := load(nil); err != nil || c.MetricsListen != "" {
		t.Fatalf("unset: got %q, %v; want /metrics with the API", c.MetricsListen, err)
	}
	if c, err := load(map[string]string{"METRICS_LISTEN": " 10.0.0.5:9100 "}); err != nil || c.MetricsListen != "10.0.0.5:9100" {
		t.Fatalf("got %q, %v", c.MetricsListen, err)
	}
	for _, v := range []string{"9100", "metrics"} {
		if _, err := load(map[string]string{"METRICS_LISTEN": v}); err == nil || !strings.Contains(err.Error(), "METRICS_LISTEN") {
			t.Errorf("METRICS_LISTEN=%s: got %v, want an error naming it", v, err)
		}
	}
	if _, err := load(map[string]string{"METRICS_LISTEN": "127.0.0.1:8080"}); err == nil {
		t.Error("METRICS_LISTEN equal to LISTEN_ADDR was accepted")
	}
}
