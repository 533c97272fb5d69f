package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/credithub/credithub/internal/web"
)

func send(h http.Handler, method, path string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRequestIDIsTakenWhenSaneElseMadeAndEchoed(t *testing.T) {
	t.Parallel()
	h := web.New(web.Options{Log: quiet, GraphQL: graphQLStub})
	generated := regexp.MustCompile(`^[0-9a-f]{32}$`)
	for _, tc := range []struct{ name, in string }{
		{"none", ""},
		{"a UUID", "0f8fad5b-d9cb-469f-a165-70867728950e"},
		{"a proxy's id", "nginx:1A2b.3_c"},
		{"a space", "abc def"},
		{"a log-line forgery", "abc\nlevel=ERROR"},
		{"too long", strings.Repeat("a", 129)},
		{"non-ASCII", "请求一"},
	} {
		rec := send(h, http.MethodPost, "/graphql", map[string]string{"X-Request-Id": tc.in})
		id := rec.Header().Get("X-Request-Id")
		sane := tc.in != "" && !strings.ContainsAny(tc.in, " \n") && len(tc.in) <= 128 && tc.in != "请求一"
		if sane && id != tc.in || !sane && !generated.MatchString(id) {
			t.Errorf("%s: got %q, want %s", tc.name, id, map[bool]string{true: "it echoed", false: "a generated one"}[sane])
		}
		var body struct{ Data struct{ RequestID string } }
		json.Unmarshal(rec.Body.Bytes(), &body)
		if body.Data.RequestID != id {
			t.Errorf("%s: the handler saw %q in its context, the header says %q", tc.name, body.Data.RequestID, id)
		}
	}
	a := send(h, http.MethodGet, "/livez", nil).Header().Get("X-Request-Id")
	b := send(h, http.MethodGet, "/livez", nil).Header().Get("X-Request-Id")
	if a == b {
		t.Errorf("two requests got the same id %q", a)
	}
}

func TestAccessLogWritesOneLinePerRequestWithWhatTheHandlerAdded(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// What the GraphQL layer will do: fill the request's record.
		web.Access(r.Context()).Add(slog.String("operation", "Check"), slog.String("role", "BANK"))
		web.Access(r.Context()).Add(slog.String("operation", "CreditCheck"))
		w.WriteHeader(http.StatusTeapot)
		w.Write([]byte("12345"))
	})
	h := web.New(web.Options{Log: log, GraphQL: gql})
	send(h, http.MethodGet, "/graphql?query=%7Bsubject(code:%22210602198001010011%22)%7D", map[string]string{"X-Request-Id": "req-1"})
	send(h, http.MethodGet, "/livez", nil) // probes are logged at debug level only
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("got %d lines, want 1 (the probe at debug level is not written at info):\n%s", len(lines), buf.String())
	}
	if strings.Contains(lines[0], "210602") || strings.Contains(lines[0], "query=") {
		t.Errorf("the query string (and the ID number in it) reached the log: %s", lines[0])
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &line); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"msg": "request", "request_id": "req-1", "method": "GET", "path": "/graphql",
		"status": 418.0, "bytes": 5.0, "operation": "CreditCheck", "role": "BANK"}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("%s: got %v, want %v", k, line[k], v)
		}
	}
	if d, ok := line["duration_ms"].(float64); !ok || d < 0 {
		t.Errorf("duration_ms: got %v", line["duration_ms"])
	}
	if web.Access(context.Background()) != nil {
		t.Error("a context outside a request has a record")
	}
	web.Access(context.Background()).Add(slog.String("x", "y")) // a nil record ignores additions
}

func TestCORSAllowsListedOriginsOnly(t *testing.T) {
	t.Parallel()
	var reached atomic.Int32
	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Add(1); w.Write([]byte("{}")) })
	h := web.New(web.Options{Log: quiet, GraphQL: gql, CORSOrigins: []string{"https://dash.dandong.gov.cn", "http://10.1.2.3:8080"}})
	preflight := func(origin string) map[string]string {
		return map[string]string{"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}
	}

	rec := send(h, http.MethodOptions, "/graphql", preflight("https://dash.dandong.gov.cn"))
	hd := rec.Header()
	if rec.Code != http.StatusNoContent || hd.Get("Access-Control-Allow-Origin") != "https://dash.dandong.gov.cn" ||
		hd.Get("Access-Control-Allow-Credentials") != "true" || !strings.Contains(hd.Get("Access-Control-Allow-Headers"), "Authorization") ||
		!strings.Contains(hd.Get("Access-Control-Allow-Methods"), "POST") || hd.Get("Access-Control-Max-Age") == "" ||
		!strings.Contains(strings.Join(hd.Values("Vary"), ","), "Origin") {
		t.Errorf("allowed preflight: got %d %v", rec.Code, hd)
	}
	if reached.Load() != 0 {
		t.Error("a preflight reached the GraphQL handler")
	}
	rec = send(h, http.MethodOptions, "/graphql", preflight("https://evil.example"))
	if rec.Code != http.StatusForbidden || rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("refused preflight: got %d %v", rec.Code, rec.Header())
	}
	rec = send(h, http.MethodPost, "/graphql", map[string]string{"Origin": "HTTP://10.1.2.3:8080"})
	if rec.Header().Get("Access-Control-Allow-Origin") != "HTTP://10.1.2.3:8080" ||
		!strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "X-Request-Id") {
		t.Errorf("allowed request: got %v", rec.Header())
	}
	for _, hdr := range []map[string]string{{"Origin": "https://evil.example"}, nil} {
		rec = send(h, http.MethodPost, "/graphql", hdr)
		if rec.Code != http.StatusOK || rec.Header().Get("Access-Control-Allow-Origin") != "" || rec.Header().Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("origin %q: got %d %v, want the answer without CORS headers", hdr["Origin"], rec.Code, rec.Header())
		}
	}
	if reached.Load() != 3 {
		t.Errorf("the handler was reached %d times, want 3", reached.Load())
	}

	anyOrigin := web.New(web.Options{Log: quiet, GraphQL: gql, CORSOrigins: []string{"*"}})
	rec = send(anyOrigin, http.MethodOptions, "/graphql", preflight("https://other.example"))
	if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "*" || rec.Header().Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf(`"*": got %d %v, want "*" and never credentials with it`, rec.Code, rec.Header())
	}
	none := web.New(web.Options{Log: quiet, GraphQL: gql})
	if rec = send(none, http.MethodOptions, "/graphql", preflight("https://dash.dandong.gov.cn")); rec.Code != http.StatusForbidden {
		t.Errorf("no CORS_ORIGINS: preflight got %d, want 403", rec.Code)
	}
}

func TestTracingMakesAServerSpanPerRequestContinuingTheCallersTrace(t *testing.T) {
	t.Parallel()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	var buf bytes.Buffer
	h := web.New(web.Options{Log: slog.New(slog.NewJSONHandler(&buf, nil)), GraphQL: graphQLStub, TracerProvider: tp})
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	send(h, http.MethodPost, "/graphql", map[string]string{"traceparent": "00-" + traceID + "-00f067aa0ba902b7-01", "X-Request-Id": "r-7"})
	send(h, http.MethodGet, "/no/such/path", nil)
	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("got %d spans, want 2", len(spans))
	}
	s := spans[0]
	attrs := map[string]string{}
	for _, a := range s.Attributes {
		attrs[string(a.Key)] = a.Value.Emit()
	}
	if s.Name != "POST /graphql" || s.SpanContext.TraceID().String() != traceID || s.Parent.SpanID().String() != "00f067aa0ba902b7" ||
		attrs["http.route"] != "/graphql" || attrs["http.response.status_code"] != "200" || attrs["credithub.request_id"] != "r-7" {
		t.Errorf("got span %q in trace %s, attributes %v", s.Name, s.SpanContext.TraceID(), attrs)
	}
	if spans[1].Name != "GET" {
		t.Errorf("an unknown path's span is named %q, want the method alone", spans[1].Name)
	}
	if !strings.Contains(buf.String(), `"trace_id":"`+traceID+`"`) {
		t.Errorf("the access log does not carry the trace id:\n%s", buf.String())
	}
}

func TestMiddlewareKeepsTheConnectionHijackable(t *testing.T) {
	t.Parallel()
	// The WebSocket transport of subscriptions takes the connection over.
	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer conn.Close()
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n")
		rw.Flush()
	})
	srv := httptest.NewServer(web.New(web.Options{Log: quiet, GraphQL: gql, CORSOrigins: []string{"*"}}))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/graphql", nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "test")
	conn, err := (&http.Transport{}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Body.Close()
	if conn.StatusCode != http.StatusSwitchingProtocols {
		body, _ := bufio.NewReader(conn.Body).ReadString(0)
		t.Fatalf("got %d %s, want 101", conn.StatusCode, body)
	}
}
