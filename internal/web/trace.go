package web

import (
	"fmt"
	"log/slog"
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

// tracerName names the instrumentation scope of the HTTP spans.
const tracerName = "github.com/credithub/credithub/internal/web"

// withTracing starts a server span for each request, continuing a trace
// the caller propagated (W3C traceparent). Its name is the method and the
// route ("POST /graphql"); an unknown path is only the method, so that
// scanners cannot fill the tracing backend with names. The span's trace id
// goes into the access log line. Statements the store runs for the
// request become its children (internal/store/trace.go).
func withTracing(tp trace.TracerProvider, next http.Handler) http.Handler {
	tracer := tp.Tracer(tracerName)
	prop := propagation.TraceContext{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(
			semconv.HTTPRequestMethodKey.String(r.Method),
			semconv.URLPath(r.URL.Path),
			attribute.String("credithub.request_id", RequestID(ctx)),
		))
		defer span.End()
		if sc := span.SpanContext(); sc.IsSampled() {
			Access(ctx).Add(slog.String("trace_id", sc.TraceID().String()))
		}
		sw, ok := w.(*statusWriter)
		if !ok {
			sw = &statusWriter{ResponseWriter: w}
		}
		inner := r.WithContext(ctx)
		next.ServeHTTP(sw, inner)
		if inner.Pattern != "" { // set by ServeMux on the request it routed
			route := routeOf(inner.Pattern)
			span.SetName(r.Method + " " + route)
			span.SetAttributes(semconv.HTTPRoute(route))
		}
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		span.SetAttributes(semconv.HTTPResponseStatusCode(status))
		if status >= 500 {
			span.SetStatus(codes.Error, fmt.Sprint(status))
		}
	})
}

// routeOf drops the method from a ServeMux pattern ("GET /livez" → "/livez").
func routeOf(pattern string) string {
	for i := 0; i < len(pattern); i++ {
		if pattern[i] == ' ' {
			return pattern[i+1:]
		}
	}
	return pattern
}
