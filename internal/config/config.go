// Package config reads the hub's configuration from the environment. There
// are no globals: Load returns a value that main passes down.
package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Config is everything the hub reads from its environment.
type Config struct {
	// DatabaseURL is the PostgreSQL connection string (DATABASE_URL).
	DatabaseURL string
	// DBMaxConns caps the PostgreSQL pool (DB_MAX_CONNS). Small on purpose:
	// on two cores a few connections outrun many.
	DBMaxConns int
	// RedisURL is the Redis connection string (REDIS_URL).
	RedisURL string
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
	// CalendarFile is the city's calendar file (CALENDAR_FILE): holidays
	// and make-up working days of years the official calendar lacks or
	// gets wrong, with their State Council notices; "" for none.
	CalendarFile string
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
		DatabaseURL:  or(getenv("DATABASE_URL"), DefaultDatabaseURL),
		RedisURL:     or(getenv("REDIS_URL"), DefaultRedisURL),
		ListenAddr:   or(getenv("LISTEN_ADDR"), DefaultListenAddr),
		Env:          or(getenv("CREDITHUB_ENV"), "development"),
		CalendarFile: getenv("CALENDAR_FILE"),
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
	for name, dst := range map[string]*int{"MAX_DEPTH": &c.MaxDepth, "MAX_COMPLEXITY": &c.MaxComplexity, "MAX_TOKENS": &c.MaxTokens} {
		if *dst, err = intVar(getenv, name, 0); err != nil {
			return c, err
		}
	}
	c.RateLimits = getenv("RATE_LIMITS")
	for _, r := range strings.Split(getenv("PERSISTED_ONLY_ROLES"), ",") {
		if r = strings.TrimSpace(r); r != "" {
			c.PersistedOnlyRoles = append(c.PersistedOnlyRoles, r)
		}
	}
	if c.Env != "development" && c.Env != "production" {
		return c, fmt.Errorf("CREDITHUB_ENV must be development or production, got %q", c.Env)
	}
	return c, nil
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
