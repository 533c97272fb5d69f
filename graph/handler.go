package graph

import (
	"github.com/prometheus/client_golang/prometheus"

	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/credithub/credithub/graph/model"
	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/push"
	"github.com/credithub/credithub/internal/service"
)

// HandlerOptions configures the GraphQL handler.
type HandlerOptions struct {
	// Auth resolves bearer tokens; required.
	Auth          *auth.Authenticator
	Log           *slog.Logger
	Introspection bool
	// Production hides field-name suggestions ("Did you mean ...") from
	// validation errors.
	Production bool
	Timeout    time.Duration
	// Limits bound each operation (DefaultLimits where zero).
	Limits Limits
	// PersistedOnly lists roles that may run only the operations the
	// operator installed.
	PersistedOnly []credit.Role
	// MaxBodyBytes bounds a request body and a WebSocket message (1 MiB if 0).
	MaxBodyBytes int64
	// Push delivers assignments to assignmentPushed subscriptions.
	Push *push.Hub
	// WSRecheck overrides how often open WebSockets re-check their caller.
	WSRecheck time.Duration
	// Metrics registers the request families (credithub_graphql_*,
	// credithub_rate_limit_refusals_total); nil: counted, not registered.
	Metrics prometheus.Registerer
}

// DefaultMaxBodyBytes is the default bound of a request body.
const DefaultMaxBodyBytes = 1 << 20

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

// NewHandler returns the GraphQL endpoint: GraphQL over HTTP (GET, POST)
// and over WebSocket (graphql-transport-ws), every operation through the
// one request pipeline (pipeline.go).
func NewHandler(svc *service.Service, opts HandlerOptions) http.Handler {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	limits := opts.Limits.withDefaults()
	p := &pipeline{svc: svc, exec: newExecutor(svc, opts, limits), log: opts.Log, timeout: opts.Timeout,
		persistedOnly: map[credit.Role]bool{}, metrics: newRequestMetrics(opts.Metrics)}
	for _, r := range opts.PersistedOnly {
		p.persistedOnly[r] = true
	}
	p.salt = []byte(fmt.Sprintf("limits=%+v persisted-only=%v introspection=%v\x00", limits, opts.PersistedOnly, opts.Introspection))
	ws := &wsTransport{p: p, auth: opts.Auth, recheck: opts.WSRecheck, maxMessage: opts.MaxBodyBytes}
	return &httpTransport{p: p, auth: opts.Auth, maxBody: opts.MaxBodyBytes, ws: ws}
}

// newExecutor is gqlgen's executor with the hub's limits and error handling.
func newExecutor(svc *service.Service, opts HandlerOptions, limits Limits) *executor.Executor {
	cfg := Config{Resolvers: &Resolver{Service: svc, Push: opts.Push}}
	cfg.Directives.Allow = allow
	// Complexity functions price page sizes; they must not read an ID
	// argument (complexityLimit remembers prices without IDs' values).
	cfg.Complexity.Query.Subjects = func(child int, _ *model.SubjectFilter, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}
	cfg.Complexity.Subject.Licences = func(child int, first *int, _ *string) int { return connectionComplexity(child, first) }
	cfg.Complexity.Subject.Penalties = func(child int, first *int, _ *string, _ *credit.Date) int {
		return connectionComplexity(child, first)
	}
	exec := executor.New(NewExecutableSchema(cfg))
	exec.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	exec.SetParserTokenLimit(limits.MaxTokens)
	exec.SetDisableSuggestion(opts.Production)
	exec.Use(introspectionByRole{Everyone: opts.Introspection})
	exec.Use(depthLimit{Max: limits.MaxDepth})
	exec.Use(textInput{})
	exec.Use(entityRepresentations{})
	exec.Use(&complexityLimit{limit: limits.MaxComplexity})
	exec.SetErrorPresenter(PresentError(opts.Log))
	exec.SetRecoverFunc(Recover(opts.Log))
	return exec
}
