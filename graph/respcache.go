package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
)

// The whole-response cache answers the hot checks without executing
// GraphQL: a request whose operation consists of creditCheck and
// applicantCheck fields only is looked up by (operation, variables, role,
// department, day) in one Redis round trip and, when current, its stored
// bytes are written back. It is as strict as the check cache: a response is
// stored with the generations its answers were computed at and served only
// while they are current (see internal/cache). The reads it serves are
// logged like the ones it computed.

// cacheableFields are the root fields whose answers the generations cover.
var cacheableFields = map[string]bool{"creditCheck": true, "applicantCheck": true, "__typename": true}

// cachedFields are the fields that make an operation worth a lookup.
var cachedFields = map[string]bool{"creditCheck": true, "applicantCheck": true}

const maxCachedBody = 1 << 20

type responseCache struct {
	c    *cache.Cache
	svc  *service.Service
	apq  *cache.PersistedQueries
	log  *slog.Logger
	next http.Handler

	mu     sync.Mutex
	shapes map[string]bool // operation hash → only cacheable root fields

	near *cache.Near[storedResponse] // in-process copies of Redis's entries
}

type gqlParams struct {
	Query         string          `json:"query"`
	OperationName string          `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    struct {
		PersistedQuery *struct {
			Sha256Hash string `json:"sha256Hash"`
		} `json:"persistedQuery"`
	} `json:"extensions"`
}

// storedReads is what the cache keeps with a response to log its reads
// again; the stored value is this as JSON, a newline, then the response
// bytes as they are (no re-encoding on the hot path).
type storedReads struct {
	Reads     []string `json:"r,omitempty"`
	Purpose   string   `json:"p,omitempty"`
	Operation string   `json:"o,omitempty"`
}

func (rc *responseCache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ContentLength > maxCachedBody {
		rc.next.ServeHTTP(w, r)
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxCachedBody+1))
	r.Body = io.NopCloser(bytes.NewReader(raw))
	var p gqlParams
	if err != nil || len(raw) > maxCachedBody || json.Unmarshal(raw, &p) != nil {
		rc.next.ServeHTTP(w, r)
		return
	}
	hash := p.hash()
	if !rc.cacheable(r.Context(), hash, p.Query) {
		rc.next.ServeHTTP(w, r)
		return
	}
	key := rc.key(r.Context(), hash, p)
	ctx := service.BeginRequest(r.Context(), p.OperationName)
	if !rc.svc.CacheUsable(ctx) { // Redis just failed, or an invalidation is lost and the epoch cannot move yet
		rc.next.ServeHTTP(w, r.WithContext(ctx))
		return
	}

	// The in-process copy first: served only once Redis has confirmed its
	// generations (one MGET shared with concurrent requests).
	if e, ok := rc.near.Get(key, time.Now()); ok {
		current, err := rc.c.Current(ctx, e.Gens)
		if err != nil {
			rc.svc.CacheFailed(ctx, "response", err)
			rc.next.ServeHTTP(w, r.WithContext(ctx)) // Redis down: the check path falls back by itself
			return
		}
		if current {
			rc.write(ctx, w, e.Value)
			return
		}
		rc.near.Delete(key)
	}
	body, gens, err := rc.c.Get(ctx, key)
	switch {
	case err == nil:
		if resp, ok := parseStored(body); ok {
			rc.near.Put(key, cache.NearEntry[storedResponse]{Gens: gens, Value: resp, Expires: nextMidnight(time.Now())})
			rc.write(ctx, w, resp)
			return
		}
	case !errors.Is(err, cache.ErrMiss):
		rc.svc.CacheFailed(ctx, "response", err)
		rc.next.ServeHTTP(w, r.WithContext(ctx)) // Redis down: the check path falls back by itself
		return
	}
	buf := &bufferedWriter{header: http.Header{}, status: http.StatusOK}
	rc.next.ServeHTTP(buf, r.WithContext(ctx))
	if deps, ok := service.RequestDeps(ctx); ok && buf.status == http.StatusOK && !bytes.Contains(buf.body.Bytes(), []byte(`"errors"`)) {
		reads, purpose, op := service.RequestReads(ctx)
		stored := storedReads{Reads: reads, Purpose: purpose, Operation: op}
		meta, _ := json.Marshal(stored)
		entry := append(append(meta, '\n'), buf.body.Bytes()...)
		if err := rc.c.Put(context.WithoutCancel(ctx), key, deps, entry, untilMidnight(time.Now())); err != nil {
			rc.log.Warn("response cache: store failed", "err", err)
		}
		rc.near.Put(key, cache.NearEntry[storedResponse]{Gens: deps, Value: storedResponse{reads: stored, body: buf.body.Bytes()},
			Expires: nextMidnight(time.Now())})
	}
	for k, v := range buf.header {
		w.Header()[k] = v
	}
	w.WriteHeader(buf.status)
	w.Write(buf.body.Bytes())
}

// storedResponse is a cached response as the in-process tier keeps it:
// the reads to log again, decoded once, and the bytes to write.
type storedResponse struct {
	reads storedReads
	body  []byte
}

// parseStored splits a stored value (storedReads as JSON, a newline, the
// response).
func parseStored(value []byte) (storedResponse, bool) {
	meta, body, ok := bytes.Cut(value, []byte{'\n'})
	var s storedReads
	if !ok || json.Unmarshal(meta, &s) != nil {
		return storedResponse{}, false
	}
	return storedResponse{reads: s, body: body}, true
}

// write serves a cached response, after logging its reads like the ones
// it computed: an answer whose use cannot be logged is not given.
func (rc *responseCache) write(ctx context.Context, w http.ResponseWriter, resp storedResponse) {
	if s := resp.reads; len(s.Reads) > 0 {
		if err := rc.svc.LogReads(ctx, s.Reads, s.Purpose, s.Operation); err != nil {
			writeRequestError(w, http.StatusServiceUnavailable, err.Error(), credit.CodeOf(err))
			return
		}
	}
	rc.svc.Metrics().ResponseHits.Inc()
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.Write(resp.body)
}

func (p gqlParams) hash() string {
	if p.Query == "" && p.Extensions.PersistedQuery != nil {
		return p.Extensions.PersistedQuery.Sha256Hash
	}
	sum := sha256.Sum256([]byte(p.Query))
	return hex.EncodeToString(sum[:])
}

// key names a response by everything it depends on besides the data: the
// operation, its variables, who asks (role and department: masking and
// scopes differ) and the day (answers default to today). The variables are
// hashed as they came: a client that spells the same variables another way
// gets a second entry, which costs a miss and never a wrong answer, while
// decoding and re-encoding them would cost every hit.
func (rc *responseCache) key(ctx context.Context, hash string, p gqlParams) string {
	c := credit.CallerFrom(ctx)
	h := sha256.New()
	for _, part := range []string{hash, p.OperationName, string(c.Role), c.Department, c.Purpose, rc.svc.Today().String()} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(bytes.TrimSpace(p.Variables))
	var sum [sha256.Size]byte
	return "resp:" + hex.EncodeToString(h.Sum(sum[:0]))
}

// cacheable reports whether the operation's root fields are all cacheable.
// The answer is remembered per operation hash.
func (rc *responseCache) cacheable(ctx context.Context, hash, query string) bool {
	rc.mu.Lock()
	ok, known := rc.shapes[hash]
	rc.mu.Unlock()
	if known {
		return ok
	}
	if query == "" {
		if rc.apq == nil {
			return false
		}
		if query, known = rc.apq.Get(ctx, hash); !known {
			return false
		}
	}
	ok = onlyCacheableRoots(query)
	rc.mu.Lock()
	if len(rc.shapes) > 10_000 {
		clear(rc.shapes)
	}
	rc.shapes[hash] = ok
	rc.mu.Unlock()
	return ok
}

func onlyCacheableRoots(query string) bool {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil || len(doc.Operations) != 1 || doc.Operations[0].Operation != ast.Query {
		return false
	}
	worth := false
	for _, sel := range doc.Operations[0].SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || !cacheableFields[f.Name] {
			return false
		}
		worth = worth || cachedFields[f.Name]
	}
	return worth
}

func untilMidnight(now time.Time) time.Duration { return nextMidnight(now).Sub(now) }

// nextMidnight is when "today" ends in Dandong: no cached answer lives past it.
func nextMidnight(now time.Time) time.Time {
	y, m, d := now.In(credit.Shanghai).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, credit.Shanghai)
}

type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header         { return b.header }
func (b *bufferedWriter) WriteHeader(status int)      { b.status = status }
func (b *bufferedWriter) Write(p []byte) (int, error) { return b.body.Write(p) }
