package graph

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/web"
)

// requestMetrics are the pipeline's Prometheus families: what every
// operation, over HTTP or a WebSocket, came to and how long it took. Every
// family exists from the first scrape (the series of each transport and
// role at 0), so that a rate() over them is defined before the first
// request.
type requestMetrics struct {
	requests *prometheus.CounterVec   // transport, operation, outcome
	duration *prometheus.HistogramVec // transport, operation, outcome
	inFlight *prometheus.GaugeVec     // transport
	refused  *prometheus.CounterVec   // role

	// names are the operation names seen, so that a client inventing a
	// name per request cannot grow the series without bound.
	mu    sync.Mutex
	names map[string]bool
	// opOfKey remembers the operation name of a cached answer's key: an
	// answer served from memory before its document is parsed is still
	// counted under its operation.
	opOfKey sync.Map
	keys    int
}

// maxOperationNames bounds the operation label's values; later names count
// as "other".
const maxOperationNames = 100

// operationLabel accepts a GraphQL name (what the spec allows, at most 64
// characters) without a long run of digits: a name with an ID number or a
// timestamp in it is a client's mistake that must not become a series.
var operationLabel = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)
var digitRun = regexp.MustCompile(`[0-9]{6,}`)

func newRequestMetrics(reg prometheus.Registerer) *requestMetrics {
	labels := []string{"transport", "operation", "outcome"}
	m := &requestMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "credithub_graphql_requests_total",
			Help: "GraphQL operations answered, by transport (http, ws), operation name (anonymous, other past 100 names) and outcome (ok, or the first error's code)."},
			labels),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "credithub_graphql_request_duration_seconds",
			Help:    "Time from a request's arrival to its answer being written, by transport, operation and outcome.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}},
			labels),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "credithub_graphql_requests_in_flight",
			Help: "GraphQL operations being answered now, by transport."}, []string{"transport"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "credithub_rate_limit_refusals_total",
			Help: "Operations refused with RATE_LIMITED, by the caller's role."}, []string{"role"}),
		names: map[string]bool{},
	}
	for _, t := range []string{"http", "ws"} {
		m.inFlight.WithLabelValues(t)
		m.requests.WithLabelValues(t, "anonymous", "ok")
		m.duration.WithLabelValues(t, "anonymous", "ok")
	}
	for _, r := range []credit.Role{credit.RolePublic, credit.RoleWindow, credit.RoleBank, credit.RoleDashboard,
		credit.RoleDepartment, credit.RoleCreditOffice, credit.RoleAuditor, credit.RoleAdmin} {
		m.refused.WithLabelValues(string(r))
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.duration, m.inFlight, m.refused)
	}
	return m
}

// start counts an operation in flight and returns its arrival, for observe.
func (m *requestMetrics) start(transport string) time.Time {
	m.inFlight.WithLabelValues(transport).Inc()
	return time.Now()
}

// operation is the label of the request's operation name.
func (m *requestMetrics) operation(req *service.Request) string {
	if req == nil {
		return "anonymous"
	}
	name := req.OperationName()
	if name == "" || name == "anonymous operation" {
		return "anonymous"
	}
	if !operationLabel.MatchString(name) || digitRun.MatchString(name) {
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.names[name] {
		if len(m.names) >= maxOperationNames {
			return "other"
		}
		m.names[name] = true
	}
	return name
}

// rememberOperation keeps the operation name of a cacheable answer's key
// (a bounded number of keys: past it, memory hits of new keys count as
// anonymous until the server restarts).
func (m *requestMetrics) rememberOperation(key, name string) {
	if _, ok := m.opOfKey.Load(key); ok {
		return
	}
	m.mu.Lock()
	full := m.keys >= 50000
	if !full {
		m.keys++
	}
	m.mu.Unlock()
	if !full {
		m.opOfKey.Store(key, name)
	}
}

func (m *requestMetrics) operationOfKey(key string) (string, bool) {
	v, ok := m.opOfKey.Load(key)
	if !ok {
		return "", false
	}
	return v.(string), true
}

// outcomeLabel is "ok" or the code of the outcome's first error.
func outcomeLabel(o outcome) string {
	if o.code != "" {
		return o.code
	}
	if code := firstErrorCode(o.errors); code != "" {
		return code
	}
	return "ok"
}

// firstErrorCode is the extensions.code of the first error ("" for none;
// INTERNAL for an error without a code).
func firstErrorCode(errs gqlerror.List) string {
	if len(errs) == 0 {
		return ""
	}
	if code, _ := errs[0].Extensions["code"].(string); code != "" {
		return code
	}
	return string(credit.Internal)
}

// observe ends an operation: its metrics, and the access log's line (the
// operation, who asked, what it came to, which cache answered). Never a
// variable, a code or a name: the access log is read by more people than
// the data.
func (p *pipeline) observe(ctx context.Context, transport string, o outcome, arrived time.Time) {
	m := p.metrics
	m.inFlight.WithLabelValues(transport).Dec()
	req := o.req
	if req == nil {
		req = service.RequestFrom(ctx)
	}
	op, result := m.operation(req), outcomeLabel(o)
	m.requests.WithLabelValues(transport, op, result).Inc()
	m.duration.WithLabelValues(transport, op, result).Observe(time.Since(arrived).Seconds())
	attrs := []slog.Attr{slog.String("operation", op), slog.String("outcome", result)}
	if req != nil {
		if result == string(credit.RateLimited) {
			m.refused.WithLabelValues(string(req.Caller.Role)).Inc()
		}
		attrs = append(attrs, slog.String("role", string(req.Caller.Role)))
		if strings.HasPrefix(req.Caller.ID, "key:") {
			// An API key's id; a token's subject may be a person's login
			// name, which the access log must not carry.
			attrs = append(attrs, slog.String("caller", req.Caller.ID))
		}
		if req.Caller.Institution != "" {
			attrs = append(attrs, slog.String("institution", req.Caller.Institution))
		}
		if req.Caller.Router != "" {
			router := "token"
			if strings.HasPrefix(req.Caller.Router, "key:") {
				router = req.Caller.Router
			}
			attrs = append(attrs, slog.String("router", router))
		}
	}
	if o.tier != "" {
		attrs = append(attrs, slog.String("cache", o.tier))
	}
	if transport == "http" {
		web.Access(ctx).Add(attrs...)
		return
	}
	// A WebSocket's operations share one HTTP request: each gets a line.
	if p.log != nil {
		p.log.LogAttrs(ctx, slog.LevelInfo, "operation", append(attrs,
			slog.String("transport", transport),
			slog.Float64("duration_ms", float64(time.Since(arrived).Microseconds())/1000))...)
	}
}
