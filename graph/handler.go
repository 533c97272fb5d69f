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

	"github.com/credithub/credithub/internal/auth"
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
}

// NewHandler returns the GraphQL endpoint: gqlgen built with explicit
// transports and extensions (never NewDefaultServer), request-scoped
// loaders, a per-request timeout and the GraphQL-over-HTTP fixes.
func NewHandler(svc *service.Service, opts HandlerOptions) http.Handler {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	cfg := Config{Resolvers: &Resolver{Service: svc}}
	cfg.Directives.Allow = allow
	srv := handler.New(NewExecutableSchema(cfg))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
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
	return graphQLOverHTTP(authenticate(opts.Auth, opts.Log, h))
}

func withTimeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
