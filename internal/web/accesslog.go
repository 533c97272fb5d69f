package web

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// AccessRecord is what the access log prints about one request beyond the
// HTTP facts. Handlers further in add to it — the GraphQL layer its
// operation name, role, institution, cache tier, error code — through
// Access(ctx).Add, and the line is written once the request is done.
// Never add an ID number, a name or a variable's value: the access log is
// read by more people than the data.
type AccessRecord struct {
	mu    sync.Mutex
	attrs []slog.Attr
}

type accessKey struct{}

// Access returns the access record of the request ctx belongs to. It is nil
// outside a request, and a nil record ignores what is added, so callers
// need not check.
func Access(ctx context.Context) *AccessRecord {
	rec, _ := ctx.Value(accessKey{}).(*AccessRecord)
	return rec
}

// WithAccessRecord returns ctx with a fresh record (the middleware makes
// one per request; tests and other entry points may too).
func WithAccessRecord(ctx context.Context) (context.Context, *AccessRecord) {
	rec := &AccessRecord{}
	return context.WithValue(ctx, accessKey{}, rec), rec
}

// Add sets attributes on the line; a key added again replaces the earlier
// value. Safe for concurrent use (resolvers run on several goroutines).
func (r *AccessRecord) Add(attrs ...slog.Attr) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
next:
	for _, a := range attrs {
		for i := range r.attrs {
			if r.attrs[i].Key == a.Key {
				r.attrs[i] = a
				continue next
			}
		}
		r.attrs = append(r.attrs, a)
	}
}

// Attrs returns a copy of what was added.
func (r *AccessRecord) Attrs() []slog.Attr {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]slog.Attr(nil), r.attrs...)
}

// quietPaths are logged at debug level: probes and scrapes come every few
// seconds and would drown the requests that matter.
var quietPaths = map[string]bool{"/livez": true, "/readyz": true, "/healthz": true, "/metrics": true}

// withAccessLog writes one line per request when it is done: request id,
// method, path (never the query string, which may hold variables), status,
// duration, bytes written, then what handlers added to the AccessRecord.
// Server errors are logged at warn level.
func withAccessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx, rec := WithAccessRecord(r.Context())
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(ctx))
		level := slog.LevelInfo
		switch {
		case sw.status >= 500:
			level = slog.LevelWarn
		case quietPaths[r.URL.Path]:
			level = slog.LevelDebug
		}
		if !log.Enabled(ctx, level) {
			return
		}
		status := sw.status
		if status == 0 {
			status = http.StatusOK // nothing written: net/http sends 200
		}
		attrs := append([]slog.Attr{
			slog.String("request_id", RequestID(ctx)),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.Int64("bytes", sw.bytes),
		}, rec.Attrs()...)
		log.LogAttrs(ctx, level, "request", attrs...)
	})
}

// statusWriter remembers the status and counts the body's bytes. It keeps
// what the writer underneath can do: flushing (subscriptions over SSE) and
// hijacking (the WebSocket upgrade).
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := w.ResponseWriter.(http.Hijacker); ok {
		if w.status == 0 {
			w.status = http.StatusSwitchingProtocols
		}
		return h.Hijack()
	}
	return nil, nil, errors.New("web: the response writer cannot be hijacked")
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
