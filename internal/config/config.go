// Package config reads the hub's configuration from the environment. There
// are no globals: Load returns a value that main passes down.
package config

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/credithub/credithub/internal/seal"
)

// Config is everything the hub reads from its environment.
type Config struct {
	// DatabaseURL is the PostgreSQL connection string (DATABASE_URL).
	DatabaseURL string
	// DBMaxConns caps the PostgreSQL pool (DB_MAX_CONNS). Small on purpose:
	// on two cores a few connections outrun many.
	DBMaxConns int
	// DatabaseReplicaURL is a streaming replica of DatabaseURL
	// (DATABASE_REPLICA_URL); empty: every read goes to the primary.
	DatabaseReplicaURL string
	// ReplicaMaxLag is how far behind the primary the replica may be and
	// still answer checks and subject reads (REPLICA_MAX_LAG, default 1s).
	ReplicaMaxLag time.Duration
	// RedisURL is the Redis connection string (REDIS_URL).
	RedisURL string
	// RedisClusterAddrs are the seed nodes (host:port) of a Redis Cluster
	// (REDIS_CLUSTER_ADDRS, comma-separated); when set the hub uses the
	// cluster instead of REDIS_URL's server (whose user, password and TLS
	// still apply).
	RedisClusterAddrs []string
	// ListenAddr is where serve listens (LISTEN_ADDR).
	ListenAddr string
	// Env is "development" or "production" (CREDITHUB_ENV); production turns
	// introspection off for everyone but ADMIN.
	Env string
	// RequestTimeout bounds each GraphQL request (REQUEST_TIMEOUT).
	RequestTimeout time.Duration
	// JWT configures tokens from the city's identity provider: JWT_JWKS_FILE
	// or JWT_JWKS_URL (RS256/ES256), or JWT_HS256_SECRET in development;
	// JWT_ISSUER and JWT_AUDIENCE are checked when set.
	JWT JWT
	// MaxDepth, MaxComplexity and MaxTokens bound one operation (MAX_DEPTH,
	// MAX_COMPLEXITY, MAX_TOKENS; 0 means the built-in default).
	MaxDepth, MaxComplexity, MaxTokens int
	// RateLimits is "ROLE=requests-per-minute,…,DEFAULT=n" (RATE_LIMITS).
	RateLimits string
	// PersistedOnlyRoles lists roles that may run only persisted operations
	// (PERSISTED_ONLY_ROLES, comma-separated).
	PersistedOnlyRoles []string
	// QueryLogSpool is the directory that keeps the query-use log durable
	// while PostgreSQL cannot take it (QUERY_LOG_SPOOL; "off" for none).
	QueryLogSpool string
	// MaxBodyBytes bounds a request body and a WebSocket message
	// (MAX_BODY_BYTES, default 1 MiB).
	MaxBodyBytes int
	// RedisPrefix starts every Redis key (REDIS_PREFIX); empty: derived
	// from the database's identity, so that two deployments sharing one
	// Redis never see each other's keys.
	RedisPrefix string
	// LogFormat is "text" or "json" (LOG_FORMAT); LogLevel is the least
	// severe level written (LOG_LEVEL: debug, info, warn, error).
	LogFormat string
	LogLevel  slog.Level
	// GraphiQL serves the GraphiQL page at / (GRAPHIQL=on|off; on by
	// default in development, off in production).
	GraphiQL bool
	// CORSOrigins are the browser origins allowed to call /graphql from
	// another origin (CORS_ORIGINS, comma-separated, "*" for any; none by
	// default).
	CORSOrigins []string
	// OTLPEndpoint, when set, turns tracing on: spans go to this OTLP/HTTP
	// collector (OTEL_EXPORTER_OTLP_ENDPOINT; the exporter reads the other
	// OTEL_EXPORTER_OTLP_* variables itself).
	OTLPEndpoint string
	// MetricsListen, when set, serves /metrics on this address only, apart
	// from the API (METRICS_LISTEN, e.g. 10.0.0.5:9100); empty: /metrics on
	// the API's listener.
	MetricsListen string
	// CalendarFile is the city's calendar file (CALENDAR_FILE): holidays
	// and make-up working days of years the official calendar lacks or
	// gets wrong, with their State Council notices; "" for none.
	CalendarFile string
	// ReportKeys are the keys that seal reporters' identities
	// (REPORT_KEYS: "id1:base64key,id2:base64key", each 32 bytes of
	// standard base64), and ReportKeyID the id of the one new reports are
	// sealed with (REPORT_KEY_ID; may be left out when there is one key).
	// Empty: reports with a reporter are refused.
	ReportKeys, ReportKeyID string
}

// JWT is the identity provider configuration.
type JWT struct {
	JWKSFile, JWKSURL, HS256Secret, Issuer, Audience string
}

// Defaults that work on a developer machine set up by `make run`.
const (
	DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/credithub?sslmode=disable"
	DefaultRedisURL    = "redis://127.0.0.1:6379/0"
	DefaultListenAddr  = "127.0.0.1:8080"
	// DefaultQueryLogSpool is relative to the working directory.
	DefaultQueryLogSpool = "var/query-log-spool"
)

// Load reads the configuration through getenv (os.Getenv in main, a map in tests).
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		DatabaseURL: or(getenv("DATABASE_URL"), DefaultDatabaseURL),
		RedisURL:    or(getenv("REDIS_URL"), DefaultRedisURL),
		// The replica is optional: no default.
		DatabaseReplicaURL: getenv("DATABASE_REPLICA_URL"),
		ListenAddr:         or(getenv("LISTEN_ADDR"), DefaultListenAddr),
		Env:                or(getenv("CREDITHUB_ENV"), "development"),
		CalendarFile:       getenv("CALENDAR_FILE"),
		ReportKeys:         getenv("REPORT_KEYS"),
		ReportKeyID:        getenv("REPORT_KEY_ID"),
		// A relative directory is the working directory's (systemd's
		// StateDirectory= in deploy/).
		QueryLogSpool: or(getenv("QUERY_LOG_SPOOL"), DefaultQueryLogSpool),
		RedisPrefix:   getenv("REDIS_PREFIX"),
		JWT: JWT{
			JWKSFile:    getenv("JWT_JWKS_FILE"),
			JWKSURL:     getenv("JWT_JWKS_URL"),
			HS256Secret: getenv("JWT_HS256_SECRET"),
			Issuer:      getenv("JWT_ISSUER"),
			Audience:    getenv("JWT_AUDIENCE"),
		},
	}
	var err error
	if c.DBMaxConns, err = intVar(getenv, "DB_MAX_CONNS", 4); err != nil {
		return c, err
	}
	if c.MaxBodyBytes, err = intVar(getenv, "MAX_BODY_BYTES", 1<<20); err != nil {
		return c, err
	}
	if c.RequestTimeout, err = durationVar(getenv, "REQUEST_TIMEOUT", 10*time.Second); err != nil {
		return c, err
	}
	if c.ReplicaMaxLag, err = durationVar(getenv, "REPLICA_MAX_LAG", time.Second); err != nil {
		return c, err
	}
	for name, dst := range map[string]*int{"MAX_DEPTH": &c.MaxDepth, "MAX_COMPLEXITY": &c.MaxComplexity, "MAX_TOKENS": &c.MaxTokens} {
		if *dst, err = intVar(getenv, name, 0); err != nil {
			return c, err
		}
	}
	c.RateLimits = getenv("RATE_LIMITS")
	for _, a := range strings.Split(getenv("REDIS_CLUSTER_ADDRS"), ",") {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(a); err != nil {
			return c, fmt.Errorf("REDIS_CLUSTER_ADDRS: %q is not host:port", a)
		}
		c.RedisClusterAddrs = append(c.RedisClusterAddrs, a)
	}
	for _, r := range strings.Split(getenv("PERSISTED_ONLY_ROLES"), ",") {
		if r = strings.TrimSpace(r); r != "" {
			c.PersistedOnlyRoles = append(c.PersistedOnlyRoles, r)
		}
	}
	if c.Env != "development" && c.Env != "production" {
		return c, fmt.Errorf("CREDITHUB_ENV must be development or production, got %q", c.Env)
	}
	if err := c.loadOperations(getenv); err != nil {
		return c, err
	}
	return c, nil
}

// loadOperations reads the settings of logs, GraphiQL, CORS and tracing.
func (c *Config) loadOperations(getenv func(string) string) error {
	c.LogFormat = or(strings.ToLower(getenv("LOG_FORMAT")), "text")
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("LOG_FORMAT must be text or json, got %q", getenv("LOG_FORMAT"))
	}
	if v := getenv("LOG_LEVEL"); v != "" {
		// slog also reads "info+2" and the like; only the four names are documented.
		switch strings.ToLower(v) {
		case "debug", "info", "warn", "error":
		default:
			return fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, got %q", v)
		}
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return fmt.Errorf("LOG_LEVEL: %w", err)
		}
	}
	switch v := strings.ToLower(getenv("GRAPHIQL")); v {
	case "":
		c.GraphiQL = !c.Production()
	case "on", "true", "1":
		c.GraphiQL = true
	case "off", "false", "0":
		c.GraphiQL = false
	default:
		return fmt.Errorf("GRAPHIQL must be on or off, got %q", v)
	}
	for _, o := range strings.Split(getenv("CORS_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		if err := checkOrigin(o); err != nil {
			return fmt.Errorf("CORS_ORIGINS: %w", err)
		}
		c.CORSOrigins = append(c.CORSOrigins, strings.TrimSuffix(o, "/"))
	}
	c.OTLPEndpoint = getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
	if c.MetricsListen = strings.TrimSpace(getenv("METRICS_LISTEN")); c.MetricsListen != "" {
		if _, _, err := net.SplitHostPort(c.MetricsListen); err != nil {
			return fmt.Errorf("METRICS_LISTEN: %q is not host:port: %w", c.MetricsListen, err)
		}
		if c.MetricsListen == c.ListenAddr {
			return fmt.Errorf("METRICS_LISTEN: %q is LISTEN_ADDR; name another address, or leave it empty to serve /metrics with the API", c.MetricsListen)
		}
	}
	return nil
}

// checkOrigin accepts "*" or an origin as browsers send it: scheme and
// host, with a port where it is not the scheme's default, and nothing else.
func checkOrigin(o string) error {
	if o == "*" {
		return nil
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%q is not an origin such as https://dashboard.example.gov.cn or http://10.1.2.3:8080", o)
	}
	return nil
}

// NewLogger returns the logger LOG_FORMAT and LOG_LEVEL ask for, writing to w.
func (c Config) NewLogger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Production reports whether the hub runs in production mode.
func (c Config) Production() bool { return c.Env == "production" }

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func intVar(getenv func(string) string, name string, def int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s must be a positive integer, got %q", name, v)
	}
	return n, nil
}

func durationVar(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s must be a positive duration such as 10s, got %q", name, v)
	}
	return d, nil
}

// ReportKeyring returns the keys of REPORT_KEYS with REPORT_KEY_ID current;
// nil when REPORT_KEYS is empty. An error never shows a key.
func (c Config) ReportKeyring() (*seal.Keyring, error) {
	if strings.TrimSpace(c.ReportKeys) == "" {
		if c.ReportKeyID != "" {
			return nil, fmt.Errorf("REPORT_KEY_ID is set but REPORT_KEYS is empty")
		}
		return nil, nil
	}
	k, err := seal.ParseKeys(c.ReportKeys, c.ReportKeyID)
	if err != nil {
		return nil, fmt.Errorf("REPORT_KEYS: %w", err)
	}
	return k, nil
}
