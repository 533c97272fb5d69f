package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/ratelimit"
)

// GraphQL over HTTP (https://graphql.github.io/graphql-over-http/): POST
// with a JSON body, and GET for queries, both through the pipeline.

// PurposeHeader carries the purpose of a read when the query does not.
const PurposeHeader = "X-Credit-Purpose"

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpTransport serves /graphql.
type httpTransport struct {
	p       *pipeline
	auth    *auth.Authenticator
	maxBody int64
	ws      http.Handler
}

func (t *httpTransport) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		t.ws.ServeHTTP(w, r)
		return
	}
	done := t.p.metrics.start("http")
	media := responseMedia(r.Header.Get("Accept"))
	ctx, o := t.answer(w, r)
	t.write(w, media, o)
	t.p.observe(ctx, "http", o, done)
	if o.after != nil {
		// The client has its answer; the connection's next request waits
		// for the store, so a client that asks again finds it.
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		o.after()
	}
}

// answer takes a request through the pipeline to its outcome: the body's
// checks, authentication, the limit, the cache before decoding, decoding,
// then run. Headers that belong to the answer (Allow, RateLimit-*) are set
// on w on the way.
func (t *httpTransport) answer(w http.ResponseWriter, r *http.Request) (context.Context, outcome) {
	ctx := r.Context()
	var raw []byte
	switch r.Method {
	case http.MethodPost:
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != mediaJSON {
			return ctx, requestError(http.StatusUnsupportedMediaType, credit.BadUserInput,
				"the request body must be application/json (a GraphQL request: query, variables, operationName, extensions)")
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, t.maxBody))
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			return ctx, requestError(http.StatusRequestEntityTooLarge, credit.BadUserInput,
				fmt.Sprintf("the request body is larger than %d bytes", t.maxBody))
		case err != nil:
			return ctx, requestError(http.StatusBadRequest, credit.BadUserInput, "the request body could not be read")
		}
		raw = body
	case http.MethodGet:
		raw = []byte(r.URL.RawQuery)
	default:
		w.Header().Set("Allow", "GET, POST")
		return ctx, requestError(http.StatusMethodNotAllowed, credit.BadUserInput, "use GET (queries) or POST")
	}

	if t.p.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.p.timeout)
		defer cancel()
	}
	caller, o := authenticate(ctx, t.auth, r.Header.Get("Authorization"), r.Header.Get(auth.EndUserHeader), t.p)
	if o != nil {
		return ctx, *o
	}
	caller.Purpose = r.Header.Get(PurposeHeader)
	ctx, req, refused := t.p.begin(ctx, caller, clientAddr(r, caller))
	rateLimitHeaders(w.Header(), req.Quota())
	if refused != nil {
		return ctx, *refused
	}
	if r.Method == http.MethodPost {
		if o, ok := t.p.cachedBeforeDecoding(ctx, req, raw); ok {
			return ctx, o
		}
	}
	params, err := decodeParams(r, raw)
	if err != nil {
		o := requestError(http.StatusBadRequest, credit.BadUserInput, err.Error())
		o.req = req
		return ctx, o
	}
	return ctx, t.p.run(ctx, req, operation{raw: raw, params: params, queryOnly: r.Method == http.MethodGet, transport: "http"})
}

// authenticate is the pipeline's first stage: the caller behind an
// Authorization header value. A token that is present but not valid gets
// 401, never a silent downgrade to PUBLIC; a failing store 503.
func authenticate(ctx context.Context, a *auth.Authenticator, header, endUser string, p *pipeline) (credit.Caller, *outcome) {
	caller, err := a.AuthenticateRouted(ctx, header, endUser)
	if err == nil {
		return caller, nil
	}
	if code := credit.CodeOf(err); code == credit.Unauthenticated {
		o := requestError(http.StatusUnauthorized, code, err.Error())
		return caller, &o
	}
	p.log.ErrorContext(ctx, "authentication failed", "err", err)
	o := requestError(http.StatusServiceUnavailable, credit.Unavailable, "authentication is unavailable; try again")
	return caller, &o
}

// decodeParams reads a GraphQL request from a POST body or a GET query.
func decodeParams(r *http.Request, raw []byte) (*graphql.RawParams, error) {
	p := &graphql.RawParams{Headers: r.Header}
	if r.Method == http.MethodGet {
		q, err := url.ParseQuery(string(raw))
		if err != nil {
			return nil, fmt.Errorf("the query string is malformed: %v", err)
		}
		p.Query, p.OperationName = q.Get("query"), q.Get("operationName")
		for name, dst := range map[string]any{"variables": &p.Variables, "extensions": &p.Extensions} {
			if v := q.Get(name); v != "" {
				if err := decodeJSON([]byte(v), dst); err != nil {
					return nil, fmt.Errorf("%s is not a JSON object: %v", name, err)
				}
			}
		}
		return p, nil
	}
	if err := decodeJSON(raw, p); err != nil {
		return nil, fmt.Errorf("the request body is not a GraphQL request in JSON: %v", err)
	}
	return p, nil
}

func decodeJSON(b []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

// responseMedia picks the response's media type from Accept:
// application/graphql-response+json when the client asks for it first,
// application/json for clients that accept it or anything (and when there
// is no Accept header), graphql-response+json otherwise.
func responseMedia(accept string) string {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		case mediaJSON, "*/*", "application/*":
			return mediaJSON
		}
	}
	return mediaGraphQLResponse
}

// write writes an outcome. Under application/json a GraphQL request error
// of a well-formed request answers 200 (clients of that media type read
// the errors from the body); under application/graphql-response+json it
// keeps its 4xx status. Statuses that are not GraphQL's (413, 415, 429,
// 401, 405, 503) stand either way.
func (t *httpTransport) write(w http.ResponseWriter, media string, o outcome) {
	h := w.Header()
	h.Set("Content-Type", media+"; charset=utf-8")
	if o.tier != "" {
		h.Set("X-Cache", o.tier)
	}
	if o.status == 0 {
		h.Set("Content-Length", strconv.Itoa(len(o.body)))
		w.WriteHeader(http.StatusOK)
		w.Write(o.body)
		return
	}
	status := o.status
	if status == http.StatusBadRequest && media == mediaJSON && graphQLRequestError(o) {
		status = http.StatusOK
	}
	switch status {
	case http.StatusUnauthorized:
		h.Set("WWW-Authenticate", `Bearer realm="credithub"`)
	case http.StatusTooManyRequests:
		h.Set("Retry-After", retryAfterHeader(o.retryAfter))
	}
	w.WriteHeader(status)
	w.Write(encodeErrors(o.errors))
}

// graphQLRequestError reports whether the errors are GraphQL's own request
// errors (the document, its variables, a persisted hash), as opposed to a
// body that is not a GraphQL request at all.
func graphQLRequestError(o outcome) bool {
	for _, e := range o.errors {
		switch e.Extensions["code"] {
		case string(credit.GraphQLParseFailed), string(credit.GraphQLValidationFailed), string(credit.PersistedQueryNotFound):
			return true
		}
		if e.Extensions["reason"] != nil || len(e.Locations) > 0 {
			return true
		}
	}
	return false
}

// rateLimitHeaders tell the caller its budget (the IETF draft's
// RateLimit-Limit, -Remaining and -Reset, in requests per minute and
// seconds); nothing when no limit was asked (none set, Redis down).
func rateLimitHeaders(h http.Header, q ratelimit.Decision) {
	if q.Limit == 0 {
		return
	}
	h.Set("RateLimit-Limit", strconv.Itoa(q.Limit))
	h.Set("RateLimit-Remaining", strconv.Itoa(q.Remaining))
	h.Set("RateLimit-Reset", strconv.Itoa(int(math.Ceil(q.Reset.Seconds()))))
	h.Set("RateLimit-Policy", strconv.Itoa(q.Limit)+";w=60")
}

// clientAddr is the client's IP address (anonymous callers' rate limits).
// Behind a ROUTER it is the end user's, as the router says in the first
// X-Forwarded-For entry: the router is authenticated, so its word is taken
// (anyone else's X-Forwarded-For is ignored, or a client could pick a
// fresh budget per request); without one, the router's own address.
func clientAddr(r *http.Request, caller credit.Caller) string {
	return clientAddrOf(r.RemoteAddr, r.Header.Get("X-Forwarded-For"), caller)
}

func clientAddrOf(remoteAddr, forwardedFor string, caller credit.Caller) string {
	if caller.Router != "" {
		first, _, _ := strings.Cut(forwardedFor, ",")
		if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
			return ip.String()
		}
	}
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return remoteAddr
	}
	return host
}
