package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/debug"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/calendar"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/dashboard"
	"github.com/credithub/credithub/internal/logsink"
	"github.com/credithub/credithub/internal/metrics"
	"github.com/credithub/credithub/internal/push"
	"github.com/credithub/credithub/internal/ratelimit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/telemetry"
	"github.com/credithub/credithub/internal/web"
)

const serveUsage = `Usage: credithub serve [flags]

Serves on LISTEN_ADDR:
  /graphql   the GraphQL API (POST, GET, WebSocket)
  /livez     200 while the process serves
  /readyz    200 when PostgreSQL answers and has this binary's migrations,
             503 otherwise; JSON body with PostgreSQL's and Redis' state
  /healthz   the same as /readyz
  /metrics   Prometheus metrics
  /          GraphiQL, from files inside the binary (GRAPHIQL=on|off;
             off by default when CREDITHUB_ENV=production)
Any other path is 404. Settings come from the environment (credithub --help,
README.md "Configuration" and "Operations").

Flags:`

func (e *environment) serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	migrate := fs.Bool("migrate", false, "apply pending migrations before serving")
	seedEmpty := fs.Int("seed-if-empty", 0, "seed this many demo subjects if the database has none (0: never)")
	addr := fs.String("listen", "", "address to listen on (overrides LISTEN_ADDR)")
	noCache := fs.Bool("no-cache", false, "answer every request from PostgreSQL, without the response cache (for benchmarks of the uncached path)")
	pprofAddr := fs.String("pprof", "", "serve Go's profiler (/debug/pprof/) on this address, apart from the API (e.g. 127.0.0.1:6060; empty: off)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), serveUsage)
		fs.PrintDefaults()
	}
	if e.help(fs, args) {
		return nil
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	// Log lines are gathered for up to 100 ms (warnings and errors are not):
	// a write(2) per access-log line costs the warm path a tenth of its CPU.
	sink := logsink.New(e.stderr)
	defer sink.Close()
	log := cfg.NewLogger(sink)
	tuneGC(log)
	tracerProvider, shutdownTracing, err := telemetry.Setup(ctx, cfg.OTLPEndpoint, version)
	if err != nil {
		return err
	}
	defer func() {
		flushing, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := shutdownTracing(flushing); err != nil {
			log.Warn("flushing traces", "err", err)
		}
	}()
	if cfg.OTLPEndpoint != "" {
		log.Info("tracing", "otlp_endpoint", cfg.OTLPEndpoint)
	}
	if *migrate {
		applied, err := db.MigrateUp(ctx)
		if err != nil {
			return err
		}
		log.Info("migrated", "applied", len(applied))
	}
	if *seedEmpty > 0 {
		if err := e.seedIfEmpty(ctx, db, *seedEmpty); err != nil {
			return err
		}
	}
	if *addr != "" {
		cfg.ListenAddr = *addr
	}

	authn, err := auth.New(ctx, db, auth.JWTConfig(cfg.JWT), cfg.Production())
	if err != nil {
		return err
	}
	redis, prefix, err := openCache(ctx, cfg, db, 0)
	if err != nil {
		return err
	}
	log.Info("redis", "prefix", prefix)
	if db.HasReplica() {
		log.Info("read replica", "max_lag", cfg.ReplicaMaxLag)
	}
	defer redis.Close()
	if err := redis.Ping(ctx); err != nil {
		log.Warn("Redis is not answering; serving without it until it is back", "err", err)
	}
	rateLimits, err := ratelimit.ParseLimits(cfg.RateLimits)
	if err != nil {
		return err
	}
	var persistedOnly []credit.Role
	for _, r := range cfg.PersistedOnlyRoles {
		if !credit.Role(r).Valid() {
			return fmt.Errorf("PERSISTED_ONLY_ROLES: %q is not a role", r)
		}
		persistedOnly = append(persistedOnly, credit.Role(r))
	}
	spool := cfg.QueryLogSpool
	if spool == "off" {
		spool = ""
	}
	uses := audit.NewQueryLog(db, audit.QueryLogOptions{Logger: log, SpoolDir: spool})
	defer func() {
		closing, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := uses.Close(closing); err != nil {
			log.Error("query-use log", "err", err)
		}
	}()
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if err := metrics.Register(registry, metrics.Sources{DB: db.SQL(), Redis: redis.Client(), Replica: replicaSource(db), QueryLog: uses, Version: version, Revision: commit}); err != nil {
		return err
	}
	cal, notices, err := calendar.City(cfg.CalendarFile)
	if err != nil {
		return fmt.Errorf("CALENDAR_FILE: %w", err)
	}
	years := cal.Years()
	log.Info("official calendar", "covers", fmt.Sprintf("%d-%d", years[0], years[len(years)-1]),
		"calendarFile", cfg.CalendarFile, "fileYears", len(notices))
	opts := []service.Option{service.WithQueryLog(uses), service.WithLogger(log), service.WithMetrics(service.NewMetrics(registry)),
		service.WithPersistedQueries(redis), service.WithRateLimits(redis, rateLimits), service.WithCalendar(cal)}
	if !*noCache {
		opts = append(opts, service.WithCache(redis))
	}
	reportKeys, err := cfg.ReportKeyring()
	if err != nil {
		return err
	}
	if reportKeys == nil {
		log.Warn("no REPORT_KEYS: reports with a reporter's contact are refused (see README \"Reports\")")
	} else {
		log.Info("report keys", "current", reportKeys.Current(), "configured", reportKeys.IDs())
		opts = append(opts, service.WithReportKeys(reportKeys))
	}
	svc := service.New(db, opts...)
	// The rules are read once here, so that a database the hub cannot
	// apply (not migrated, rules changed by hand) stops the start.
	if _, err := svc.ReloadRules(ctx); err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	hub, err := push.Listen(ctx, cfg.DatabaseURL, db, push.WithLogger(log))
	if err != nil {
		return fmt.Errorf("listen for pushed assignments: %w", err)
	}
	defer hub.Close()
	go expireEntries(ctx, svc, log)
	gql := graph.NewHandler(svc, graph.HandlerOptions{
		Auth:          authn,
		Log:           log,
		Introspection: !cfg.Production(),
		Production:    cfg.Production(),
		Timeout:       cfg.RequestTimeout,
		Limits:        graph.Limits{MaxDepth: cfg.MaxDepth, MaxComplexity: cfg.MaxComplexity, MaxTokens: cfg.MaxTokens},
		PersistedOnly: persistedOnly,
		MaxBodyBytes:  int64(cfg.MaxBodyBytes),
		Push:          hub,
		Metrics:       registry,
	})
	metricsHandler := promhttp.HandlerFor(registry, promhttp.HandlerOpts{})
	webOpts := web.Options{
		GraphQL:     gql,
		Metrics:     metricsHandler,
		DB:          db,
		Redis:       redis,
		GraphiQL:    cfg.GraphiQL,
		CORSOrigins: cfg.CORSOrigins,
		Log:         log,
		Pages:       map[string]http.Handler{dashboard.Prefix: dashboard.Handler()},
	}
	if tracerProvider != nil {
		webOpts.TracerProvider = tracerProvider
	}
	if cfg.MetricsListen != "" {
		// Prometheus scrapes a port of its own, which the network keeps
		// from the API's clients; the API's listener has no /metrics.
		webOpts.Metrics = nil
		mux := http.NewServeMux()
		mux.Handle("GET "+web.PathMetrics, metricsHandler)
		if err := serveApart(cfg.MetricsListen, "METRICS_LISTEN", "metrics", web.PathMetrics, mux, log); err != nil {
			return err
		}
	}
	if *pprofAddr != "" {
		if err := serveProfiler(*pprofAddr, log); err != nil {
			return err
		}
	}
	handler := web.New(webOpts)
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second}
	base := "http://" + ln.Addr().String()
	if cfg.GraphiQL {
		log.Info("serving", "graphql", base+web.PathGraphQL, "graphiql", base+"/", "readyz", base+web.PathReadyz)
	} else {
		log.Info("serving", "graphql", base+web.PathGraphQL, "readyz", base+web.PathReadyz, "graphiql", "off")
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// expireEntries records list entries past their end as EXPIRED at start-up
// and every hour. Reads never show them as active meanwhile (they judge by
// date); this records the transition, closes their assignments and drops
// the cached checks that still counted them.
func expireEntries(ctx context.Context, svc *service.Service, log *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if n, err := svc.ExpireListEntries(ctx); err != nil {
			log.Error("expiring list entries", "err", err)
		} else if n > 0 {
			log.Info("list entries expired", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// serveProfiler serves net/http/pprof on its own listener, never on the
// API's mux: profiles show request data and must not be reachable by
// clients of the API.
func serveProfiler(addr string, log *slog.Logger) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return serveApart(addr, "--pprof", "profiler", "/debug/pprof/", mux, log)
}

// serveApart serves h on a listener of its own at addr (named setting in
// errors), logging its URL under what.
func serveApart(addr, setting, what, path string, h http.Handler, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s: %w", setting, err)
	}
	log.Info(what, "url", "http://"+ln.Addr().String()+path)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return nil
}

// tuneGC sets the garbage collector for a server whose heap is small and
// whose garbage is mostly short-lived request data: with Go's default
// (GOGC=100) collecting took about a fifth of the server's CPU under load,
// and at GOGC=400 an uncached check cost 375 µs of server CPU instead of 486
// (docs/benchmarks.md). A soft memory limit keeps the larger headroom from
// growing without bound. GOGC and GOMEMLIMIT in the environment win.
func tuneGC(log *slog.Logger) {
	const percent, limit = 400, 2 << 30
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(percent)
		log.Info("garbage collector", "GOGC", percent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
		log.Info("garbage collector", "GOMEMLIMIT", "2GiB")
	}
}

// replicaSource is db's replica router for the metrics, nil without one.
func replicaSource(db *store.DB) metrics.ReplicaStatser {
	if !db.HasReplica() {
		return nil
	}
	return db
}
