// Package web assembles the hub's HTTP server around the GraphQL handler:
// the routes (/graphql, /metrics, the probes, GraphiQL), and the middleware
// every request goes through (request ids, the access log, tracing, CORS).
// It knows nothing of GraphQL: graph.NewHandler is passed in.
package web

import (
	"log/slog"
	"net/http"

	"go.opentelemetry.io/otel/trace"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/store"
)

// Options configures the server's handler.
type Options struct {
	// GraphQL answers /graphql; required.
	GraphQL http.Handler
	// Metrics answers /metrics (nil: no metrics route).
	Metrics http.Handler
	// DB is checked by /readyz: reachable and migrated to this binary's
	// version. Redis is reported there, not required (nil: not configured).
	DB    *store.DB
	Redis *cache.Cache
	// GraphiQL serves the GraphiQL page at / and its files under /graphiql/.
	GraphiQL bool
	// CORSOrigins may call /graphql from a browser page on another origin.
	CORSOrigins []string
	// Log receives the access log and probe failures (slog.Default if nil).
	Log *slog.Logger
	// TracerProvider makes a span per request (nil: tracing off, no spans
	// and no cost; internal/telemetry returns the provider when
	// OTEL_EXPORTER_OTLP_ENDPOINT is set).
	TracerProvider trace.TracerProvider
	// Pages are further handlers mounted under their path prefix (the
	// dashboard at /dashboard/), behind the same request ids, access log
	// and tracing as the rest.
	Pages map[string]http.Handler
}

// Routes the handler serves; anything else is 404.
const (
	PathGraphQL = "/graphql"
	PathMetrics = "/metrics"
	PathLivez   = "/livez"
	PathReadyz  = "/readyz"
	PathHealthz = "/healthz" // an alias of /readyz, for tools that expect it
)

// New returns the hub's HTTP handler.
func New(o Options) http.Handler {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	mux := http.NewServeMux()
	mux.Handle(PathGraphQL, withCORS(o.CORSOrigins, o.GraphQL))
	if o.Metrics != nil {
		mux.Handle("GET "+PathMetrics, o.Metrics)
	}
	mux.HandleFunc("GET "+PathLivez, livez)
	ready := readyz(o.DB, o.Redis, o.Log)
	mux.Handle("GET "+PathReadyz, ready)
	mux.Handle("GET "+PathHealthz, ready)
	if o.GraphiQL {
		// "/{$}" is / alone: every other unknown path is a 404, so that a
		// probe pointed at a wrong path fails instead of getting a page.
		mux.Handle("GET /{$}", graphiqlPage(PathGraphQL))
		mux.Handle("GET "+graphiqlAssets, graphiqlAssetHandler())
	}
	for prefix, page := range o.Pages {
		mux.Handle(prefix, page)
	}
	var h http.Handler = mux
	if o.TracerProvider != nil {
		h = withTracing(o.TracerProvider, mux)
	}
	return withRequestID(withAccessLog(o.Log, h))
}
