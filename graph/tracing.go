package graph

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// tracer makes the pipeline's spans: the GraphQL operation (named as
// OpenTelemetry's GraphQL conventions ask, "query Lookup") and each look-up
// in the response cache. It is the global provider's, a no-op until
// tracing is set up (internal/telemetry); outside a traced request no span
// is made at all.
var tracer = otel.Tracer("github.com/credithub/credithub/graph")

var noSpan trace.Span = noop.Span{}

// startSpan starts a span under the request's span when the request is
// traced.
func startSpan(ctx context.Context, name string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return ctx, noSpan
	}
	return tracer.Start(ctx, name, trace.WithAttributes(attrs...))
}

// traceableName is an operation's name as spans may carry it: the same
// rule as the metrics' label (no ID number or date in a made-up name).
func traceableName(name string) string {
	if name == "" || name == "anonymous operation" {
		return ""
	}
	if !operationLabel.MatchString(name) || digitRun.MatchString(name) {
		return "other"
	}
	return name
}
