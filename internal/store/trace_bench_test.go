package store

import (
	"context"
	"testing"
)

// BenchmarkStatementSpanTracingOff is what each statement pays for its
// span outside a traced request (tracing off, background jobs): run it with
// -run '^$' so that no test installs a provider first.
func BenchmarkStatementSpanTracingOff(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		var err error
		_, span := startStatement(ctx, checkSQL)
		endStatement(span, &err)
	}
}
