package interop_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/telemetry"
)

// TestATraceHoldsTheRequestAndItsSQLStatements sends one GraphQL request
// to the hub with tracing on (an in-memory exporter in place of OTLP) and
// finds its server span and, under it, a span per SQL statement.
func TestATraceHoldsTheRequestAndItsSQLStatements(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	telemetry.Install(tp) // the global provider, as serve installs it
	t.Cleanup(func() { tp.Shutdown(t.Context()) })
	h := startHub(t, false)

	req, _ := http.NewRequest(http.MethodPost, h.url, strings.NewReader(`{"query":"query($c: ID!) { subject(code: $c) { name } }","variables":{"c":"`+h.org+`"}}`))
	req.Header.Set("Content-Type", jsonType)
	req.Header.Set("Authorization", "Bearer "+h.keys[credit.RoleCreditOffice])
	req.Header.Set("X-Request-Id", "trace-test-1")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()

	// The server span ends when the handler returns, which may be after the
	// client has the flushed answer: wait for it (not a timing assertion).
	var spans []sdktrace.ReadOnlySpan
	var server sdktrace.ReadOnlySpan
	for deadline := time.Now().Add(5 * time.Second); server == nil && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		spans = exp.GetSpans().Snapshots()
		for _, s := range spans {
			for _, a := range s.Attributes() {
				if a.Key == "credithub.request_id" && a.Value.AsString() == "trace-test-1" {
					server = s
				}
			}
		}
	}
	if server == nil || server.Name() != "POST /graphql" {
		var names []string
		for _, s := range spans {
			names = append(names, s.Name())
		}
		t.Fatalf("no server span for the request among %d spans: %v", len(spans), names)
	}
	var statements []string
	for _, s := range spans {
		if s.SpanContext().TraceID() == server.SpanContext().TraceID() && s.SpanContext().SpanID() != server.SpanContext().SpanID() {
			statements = append(statements, s.Name())
			for _, a := range s.Attributes() {
				if a.Key == "db.query.text" && strings.Contains(a.Value.AsString(), h.org) {
					t.Errorf("a statement span holds the subject's code: %s", a.Value.AsString())
				}
			}
		}
	}
	if !slices.Contains(statements, "SELECT") {
		t.Errorf("statement spans in the request's trace: %v, want the SELECTs that answered it", statements)
	}
	// The GraphQL operation and the cache look-up are spans of their own,
	// and the statements hang under the operation.
	var operation, lookup sdktrace.ReadOnlySpan
	for _, s := range spans {
		if s.SpanContext().TraceID() != server.SpanContext().TraceID() {
			continue
		}
		switch s.Name() {
		case "query":
			operation = s
		case "response cache lookup":
			lookup = s
		}
	}
	if operation == nil || lookup == nil {
		t.Fatalf("operation span %v, cache look-up span %v; want both in %v", operation != nil, lookup != nil, statements)
	}
	if operation.Parent().SpanID() != server.SpanContext().SpanID() || lookup.Parent().SpanID() != operation.SpanContext().SpanID() {
		t.Errorf("the operation span is not under the request's, or the look-up not under the operation")
	}
	underOperation := 0
	for _, s := range spans {
		if s.Name() == "SELECT" && s.Parent().SpanID() == operation.SpanContext().SpanID() {
			underOperation++
		}
	}
	if underOperation == 0 {
		t.Errorf("no statement hangs under the operation's span (the key's look-up, before it, hangs under the request's)")
	}
}
