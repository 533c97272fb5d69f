package graph

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/credithub/credithub/graph/model"
	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/push"
	"github.com/credithub/credithub/internal/ratelimit"
	"github.com/credithub/credithub/internal/service"
)

// HandlerOptions configures the GraphQL handler.
type HandlerOptions struct {
	// Auth resolves bearer tokens; required.
	Auth          *auth.Authenticator
	Log           *slog.Logger
	Introspection bool
	Timeout       time.Duration
	// LoaderWait is the dataloaders' batching window (DefaultLoaderWait if 0).
	LoaderWait time.Duration
	// Limits bound each operation (DefaultLimits where zero).
	Limits Limits
	// Cache, when set, stores Automatic Persisted Queries and rate-limit
	// counters in Redis.
	Cache *cache.Cache
	// RateLimits are requests per minute by role (ratelimit.DefaultLimits if nil).
	RateLimits *ratelimit.Limits
	// PersistedOnly lists roles that may run only persisted operations.
	PersistedOnly []credit.Role
	// NoResponseCache turns the whole-response cache off (benchmarks of
	// the uncached path).
	NoResponseCache bool
	// Push delivers assignments to assignmentPushed subscriptions.
	Push *push.Hub
}

// Limits bound the size of one operation.
type Limits struct {
	MaxDepth      int // fields nested, default 12
	MaxComplexity int // gqlgen complexity, default 20000
	MaxTokens     int // parser tokens, default 5000
}

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = 12
	}
	if l.MaxComplexity <= 0 {
		l.MaxComplexity = 20000
	}
	if l.MaxTokens <= 0 {
		l.MaxTokens = 5000
	}
	return l
}

// NewHandler returns the GraphQL endpoint: gqlgen built with explicit
// transports and extensions (never NewDefaultServer), request-scoped
// loaders, a per-request timeout and the GraphQL-over-HTTP fixes.
func NewHandler(svc *service.Service, opts HandlerOptions) http.Handler {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	limits := opts.Limits.withDefaults()
	cfg := Config{Resolvers: &Resolver{Service: svc, Push: opts.Push}}
	cfg.Directives.Allow = allow
	cfg.Complexity.Query.Subjects = func(child int, _ *model.SubjectFilter, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}
	cfg.Complexity.Subject.Licences = func(child int, first *int, _ *string) int { return connectionComplexity(child, first) }
	cfg.Complexity.Subject.Penalties = func(child int, first *int, _ *string, _ *credit.Date) int {
		return connectionComplexity(child, first)
	}
	srv := handler.New(NewExecutableSchema(cfg))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.Websocket{
		KeepAlivePingInterval: 10 * time.Second,
		// Browsers cannot set headers on a websocket: a token may come in
		// connection_init's payload instead of the upgrade request.
		InitFunc: func(ctx context.Context, init transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			if h := init.Authorization(); h != "" {
				caller, err := opts.Auth.Authenticate(ctx, h)
				if err != nil {
					return ctx, nil, err
				}
				ctx = credit.WithCaller(ctx, caller)
			}
			return ctx, nil, nil
		},
	})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(limits.MaxTokens)
	srv.Use(introspectionByRole{Everyone: opts.Introspection})
	if len(opts.PersistedOnly) > 0 {
		srv.Use(persistedOnly{Roles: opts.PersistedOnly})
	}
	if opts.Cache != nil {
		srv.Use(extension.AutomaticPersistedQuery{Cache: opts.Cache.PersistedQueries(0)})
	}
	srv.Use(depthLimit{Max: limits.MaxDepth})
	srv.Use(extension.FixedComplexityLimit(limits.MaxComplexity))
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(service.BeginRequest(ctx, graphql.GetOperationContext(ctx).OperationName))
	})
	srv.SetErrorPresenter(PresentError(opts.Log))
	srv.SetRecoverFunc(Recover(opts.Log))

	if opts.LoaderWait <= 0 {
		opts.LoaderWait = DefaultLoaderWait
	}
	var h http.Handler = WithLoaders(svc, opts.LoaderWait, srv)
	if opts.Timeout > 0 {
		h = withTimeout(opts.Timeout, h)
	}
	if opts.Cache != nil && !opts.NoResponseCache {
		h = &responseCache{c: opts.Cache, svc: svc, apq: opts.Cache.PersistedQueries(0), log: opts.Log, next: h,
			shapes: map[string]bool{}, near: cache.NewNear[storedResponse](nearResponses)}
	}
	if opts.Cache != nil {
		rl := ratelimit.DefaultLimits
		if opts.RateLimits != nil {
			rl = *opts.RateLimits
		}
		h = rateLimit(ratelimit.New(opts.Cache, rl), h)
	}
	return graphQLOverHTTP(authenticate(opts.Auth, opts.Log, h))
}

// nearResponses bounds the in-process tier of the response cache: at a few
// kilobytes a response, some hundred megabytes at most.
const nearResponses = 50_000

func withTimeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebsocket(r) { // a subscription lasts as long as its client wants
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// graphQLOverHTTP makes gqlgen's answers follow the GraphQL-over-HTTP
// spec's SHOULDs: a client that accepts only application/json gets 200 for
// a request error (gqlgen answers 422), and a request error carries no
// "data" entry (gqlgen writes "data": null). Successful responses pass
// through unbuffered.
func graphQLOverHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebsocket(r) { // the upgrade needs the connection itself
			next.ServeHTTP(w, r)
			return
		}
		legacy := !strings.Contains(r.Header.Get("Accept"), "application/graphql-response+json")
		rw := &requestErrorWriter{ResponseWriter: w, legacyJSON: legacy}
		next.ServeHTTP(rw, r)
		rw.finish()
	})
}

type requestErrorWriter struct {
	http.ResponseWriter
	legacyJSON bool
	buffering  bool
	status     int
	buf        bytes.Buffer
}

func (w *requestErrorWriter) WriteHeader(status int) {
	if status >= 400 && status < 500 {
		w.buffering, w.status = true, status
		return
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *requestErrorWriter) Write(b []byte) (int, error) {
	if !w.buffering {
		return w.ResponseWriter.Write(b)
	}
	w.buf.Write(b)
	return len(b), nil
}

// finish writes a buffered request error, once the handler has finished.
func (w *requestErrorWriter) finish() {
	if !w.buffering {
		return
	}
	body := bytes.Replace(w.buf.Bytes(), []byte(`,"data":null`), nil, 1)
	body = bytes.Replace(body, []byte(`"data":null,`), nil, 1)
	status := w.status
	if w.legacyJSON && status == http.StatusUnprocessableEntity {
		status = http.StatusOK
	}
	w.ResponseWriter.WriteHeader(status)
	w.ResponseWriter.Write(body)
}

func isWebsocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}
