package store

import (
	"context"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/credithub/credithub/internal/credit"
)

// tracer makes a span per SQL statement run through get, getPrepared, sel
// and exec. It is the global provider's, a no-op until tracing is set up
// (internal/telemetry).
var tracer = otel.Tracer("github.com/credithub/credithub/internal/store")

// startStatement starts the span of one statement inside a traced request
// (a recording span in ctx); elsewhere — tracing off, background jobs — it
// makes none and costs a context look-up. The span carries the statement's
// text, with its $n placeholders, never the values bound to them (which
// hold codes and names).
func startStatement(ctx context.Context, query string) (context.Context, trace.Span) {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return ctx, noSpan
	}
	op := operationOf(query)
	ctx, span := tracer.Start(ctx, op, clientKind)
	span.SetAttributes(semconv.DBSystemNamePostgreSQL, semconv.DBOperationName(op), semconv.DBQueryText(query))
	return ctx, span
}

var (
	clientKind            = trace.WithSpanKind(trace.SpanKindClient)
	noSpan     trace.Span = noop.Span{}
)

// endStatement ends the span; an error other than "not found" marks it
// failed with its code only: a driver's message may quote a value.
func endStatement(span trace.Span, err *error) {
	if code := credit.CodeOf(*err); code != "" && code != credit.NotFound {
		span.SetStatus(codes.Error, string(code))
	}
	span.End()
}

// operationOf is the statement's first keyword (SELECT, INSERT, WITH, …).
func operationOf(query string) string {
	q := strings.TrimSpace(query)
	for strings.HasPrefix(q, "--") { // a leading comment line
		if i := strings.IndexByte(q, '\n'); i >= 0 {
			q = strings.TrimSpace(q[i+1:])
		} else {
			return "SQL"
		}
	}
	end := strings.IndexFunc(q, func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '(' || r == '\r' })
	if end < 0 {
		end = len(q)
	}
	if end == 0 {
		return "SQL"
	}
	return strings.ToUpper(q[:end])
}
