package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/telemetry"
	"github.com/credithub/credithub/internal/testenv"
)

func TestEachStatementIsASpanWithItsTextAndNoValues(t *testing.T) {
	// Not parallel: it installs the global tracer provider, as serve does;
	// it keeps only the spans of its own trace.
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	telemetry.Install(tp)
	ctx := context.Background()
	db := testenv.DB(t)
	defer tp.Shutdown(ctx) // records nothing after this test
	f := testenv.NewFixtures(t, db)
	code := testenv.USCC(7)
	f.Subject(code, credit.LegalPerson, "丹东追踪有限公司")
	_, key, err := auth.CreateKey(ctx, db, auth.KeySpec{Role: credit.RoleBank, Institution: "丹东银行"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	ctx, root := tp.Tracer("test").Start(ctx, "request")
	if _, err := db.SubjectByCode(ctx, code); err != nil { // get
		t.Fatal(err)
	}
	if _, err := db.SubjectByCode(ctx, testenv.USCC(8)); credit.CodeOf(err) != credit.NotFound {
		t.Fatalf("unknown code: got %v", err)
	}
	if _, err := db.SubjectsByIDs(ctx, []int64{1}); err != nil { // sel
		t.Fatal(err)
	}
	if _, _, err := db.CheckRecords(ctx, code, credit.NewDate(2026, 11, 27), credit.NewDate(2023, 11, 27), nil, credit.RecordView{}, credit.NewDate(2026, 11, 27)); err != nil { // getPrepared
		t.Fatal(err)
	}
	if err := db.RevokeAPIKey(ctx, key.ID, time.Now()); err != nil { // get, then exec
		t.Fatal(err)
	}
	root.End()

	var mine []sdktrace.ReadOnlySpan
	for _, s := range exp.GetSpans().Snapshots() {
		if s.SpanContext().TraceID() != root.SpanContext().TraceID() {
			// CreateKey's statements ran outside any traced request.
			t.Errorf("a statement outside a traced request made a span: %s", s.Name())
		} else if s.Name() != "request" {
			mine = append(mine, s)
		}
	}
	want := []string{"SELECT", "SELECT", "SELECT", "SELECT", "SELECT", "UPDATE"}
	if len(mine) != len(want) {
		t.Fatalf("got %d statement spans, want %d (two look-ups, a batch, the check, a revocation's read and write)", len(mine), len(want))
	}
	for i, s := range mine {
		attrs := map[attribute.Key]string{}
		for _, a := range s.Attributes() {
			attrs[a.Key] = a.Value.Emit()
		}
		q := attrs["db.query.text"]
		if s.Name() != want[i] || s.Parent().SpanID() != root.SpanContext().SpanID() || attrs["db.system.name"] != "postgresql" ||
			!strings.Contains(q, "$1") || strings.Contains(q, code) {
			t.Errorf("span %d: %s under %s with %v", i, s.Name(), s.Parent().SpanID(), attrs)
		}
		if s.Status().Code != 0 { // unset: not found is an answer, not a failure
			t.Errorf("span %d: status %v", i, s.Status())
		}
	}
}
