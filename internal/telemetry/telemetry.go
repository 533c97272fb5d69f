// Package telemetry sets up OpenTelemetry tracing for the hub: when
// OTEL_EXPORTER_OTLP_ENDPOINT is set, spans of HTTP requests
// (internal/web), SQL statements (internal/store) and what the GraphQL
// layer adds go to that collector over OTLP/HTTP.
package telemetry

import (
	"context"
	"fmt"
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
)

// Setup installs the global tracer provider and the W3C trace-context
// propagator when endpoint is set, and returns it (for internal/web) with a
// function that flushes the spans still queued (call it at shutdown). With
// endpoint empty it installs nothing and returns a nil provider: no spans
// are made. The exporter takes its other settings (headers, timeout,
// certificates, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) from the standard
// OTEL_EXPORTER_OTLP_* variables, and the sampler from OTEL_TRACES_SAMPLER
// (default: every trace, or as the caller's parent span decided).
func Setup(ctx context.Context, endpoint, version string) (tp *sdktrace.TracerProvider, shutdown func(context.Context) error, err error) {
	if endpoint == "" {
		return nil, func(context.Context) error { return nil }, nil
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	tp = sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(Resource(version)))
	Install(tp)
	return tp, tp.Shutdown, nil
}

// Install makes tp the global tracer provider, with W3C trace context
// propagation (tests install one with an in-memory exporter).
func Install(tp *sdktrace.TracerProvider) {
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
}

// Resource names the service: "credithub" unless OTEL_SERVICE_NAME says
// otherwise, with the build's version and the host.
func Resource(version string) *resource.Resource {
	name := os.Getenv("OTEL_SERVICE_NAME")
	if name == "" {
		name = "credithub"
	}
	r, err := resource.Merge(resource.Default(), resource.NewSchemaless(semconv.ServiceName(name), semconv.ServiceVersion(version)))
	if err != nil {
		return resource.Default()
	}
	return r
}
