package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"go.opentelemetry.io/otel/attribute"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
)

// The request pipeline. Every operation — an HTTP request (GET or POST) or
// an operation on a WebSocket — goes through the same stages, in order:
//
//	authenticate → limit → cache → execute → log → answer
//
// The transport authenticates (a header, or a connection's token checked
// again for each operation) and hands the caller to begin, which creates the
// service.Request that carries everything the later stages need and counts
// the operation against the caller's budget. run then answers it from the
// response cache or executes it, writes what it read to the query-use log
// (durably: nothing is answered unlogged) and returns the answer, which the
// transport writes. A computed answer that may be cached is stored after it
// was given.

// pipeline runs operations; one per handler, shared by its transports.
type pipeline struct {
	svc           *service.Service
	exec          *executor.Executor
	log           *slog.Logger
	timeout       time.Duration
	persistedOnly map[credit.Role]bool
	// salt goes into every response key: what changes answers besides the
	// request and the data (the server's limits and persisted-only roles),
	// so that a server configured otherwise never serves another's entry.
	salt    []byte
	metrics *requestMetrics
}

// operation is one GraphQL operation as a transport received it.
type operation struct {
	// raw names the operation as the client sent it (an HTTP body, a GET
	// query string, a WebSocket message's payload): the response key.
	raw    []byte
	params *graphql.RawParams
	// queryOnly refuses mutations (GET).
	queryOnly bool
	// transport says where it came from, for logs and metrics.
	transport string
}

// outcome is what the pipeline gives the transport to write.
type outcome struct {
	// status is the HTTP status of a request error (the operation did not
	// run; no data); 0 for an executed operation.
	status int
	errors gqlerror.List
	// body is the whole response of an executed (or cached) operation.
	body []byte
	// stream delivers a subscription's events (the transport encodes them).
	stream     graphql.ResponseHandler
	streamCtx  context.Context
	retryAfter time.Duration
	// tier is the cache tier that answered ("" when computed).
	tier string
	// code is the first error's code of an executed operation's answer
	// ("" when it has none), for metrics and the access log.
	code string
	req  *service.Request
	// after runs once the answer is written (storing it in the cache):
	// off the answer's path, and before the connection's next request.
	after func()
}

// requestError is an outcome in which the operation did not run.
func requestError(status int, code credit.ErrorCode, msg string) outcome {
	return outcome{status: status, errors: gqlerror.List{{Message: msg, Extensions: map[string]any{"code": string(code)}}}}
}

// begin starts the request of caller (the limit stage): a
// service.Request and the GraphQL layer's state in ctx, and the operation
// counted against the caller's budget.
func (p *pipeline) begin(ctx context.Context, caller credit.Caller, client string) (context.Context, *service.Request, *outcome) {
	req := p.svc.NewRequest(caller)
	ctx = withState(service.WithRequest(ctx, req), newState(p.svc))
	if wait, err := p.svc.Admit(ctx, req, client); err != nil {
		o := requestError(http.StatusTooManyRequests, credit.CodeOf(err), err.Error())
		o.retryAfter = wait
		return ctx, req, &o
	}
	return ctx, req, nil
}

// cachedBeforeDecoding serves the operation from this server's memory when
// it holds an answer under its key: no decoding, no round trip but the one
// that confirms the answer is current.
func (p *pipeline) cachedBeforeDecoding(ctx context.Context, req *service.Request, raw []byte) (outcome, bool) {
	if !p.svc.Caches() || p.persistedOnly[req.Caller.Role] {
		return outcome{}, false
	}
	key := p.key(req, raw)
	lookupCtx, lookup := startSpan(ctx, "response cache lookup")
	body, ok := p.svc.CachedInMemory(lookupCtx, req, key)
	lookup.SetAttributes(attribute.Bool("credithub.cache.hit", ok), attribute.String("credithub.cache.tier", "memory"))
	lookup.End()
	if !ok {
		return outcome{}, false
	}
	if name, ok := p.metrics.operationOfKey(key); ok {
		req.SetOperation(name)
	}
	return p.answerCached(ctx, req, body, "memory"), true
}

// run answers an operation of a begun request: the cache, execute and log
// stages.
func (p *pipeline) run(ctx context.Context, req *service.Request, op operation) outcome {
	if o, ok := p.resolvePersisted(ctx, req, op.params); !ok {
		return o
	}
	if strings.TrimSpace(op.params.Query) == "" {
		// Not a GraphQL request at all (say {"qeury": …}): 400 under either
		// media type, as GraphQL over HTTP asks of invalid parameters.
		return requestError(http.StatusBadRequest, credit.BadUserInput,
			"query: the request has no GraphQL document; send `query`, or a persisted query's sha256Hash in extensions.persistedQuery")
	}
	ctx = graphql.StartOperationTrace(ctx)
	oc, errs := p.exec.CreateOperationContext(ctx, op.params)
	if errs != nil {
		// The name the client gave, for metrics and the access log: the
		// document may not have parsed.
		req.SetOperation(nameOfUnrunnable(op.params))
		return outcome{status: statusOf(errs), errors: p.presented(ctx, oc, errs)}
	}
	req.SetOperation(operationName(oc))
	kind := oc.Operation.Operation
	spanName := string(kind)
	if name := traceableName(req.OperationName()); name != "" {
		spanName += " " + name
	}
	ctx, span := startSpan(ctx, spanName, attribute.String("graphql.operation.type", string(kind)),
		attribute.String("graphql.operation.name", traceableName(req.OperationName())))
	defer span.End()
	if kind != ast.Subscription && p.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.timeout)
		defer cancel()
	}
	if op.queryOnly && kind != ast.Query {
		return requestError(http.StatusMethodNotAllowed, credit.BadUserInput,
			"a GET request may run queries only; send mutations with POST")
	}
	if kind == ast.Mutation {
		req.Uncacheable("a mutation")
	}
	var key string
	cacheable := kind == ast.Query && p.svc.Caches() && onlyCacheableRoots(oc.Operation.SelectionSet)
	if cacheable {
		key = p.key(req, op.raw)
		p.metrics.rememberOperation(key, req.OperationName())
		lookupCtx, lookup := startSpan(ctx, "response cache lookup")
		body, tier, ok := p.svc.CachedResponse(lookupCtx, req, key)
		lookup.SetAttributes(attribute.Bool("credithub.cache.hit", ok), attribute.String("credithub.cache.tier", tier))
		lookup.End()
		if ok {
			return p.answerCached(ctx, req, body, tier)
		}
	} else {
		req.Uncacheable("not a subject read")
	}

	handler, execCtx := p.exec.DispatchOperation(ctx, oc)
	if kind == ast.Subscription {
		return outcome{stream: handler, streamCtx: execCtx, req: req}
	}
	resp := handler(execCtx)
	if resp == nil {
		// gqlgen answers nothing once the context is done: the client went
		// away (a closed WebSocket) or the request ran past its time limit.
		return requestError(http.StatusServiceUnavailable, credit.Unavailable,
			"the request was cancelled before it was answered: "+context.Cause(execCtx).Error())
	}
	if err := p.svc.LogReads(ctx, req); err != nil {
		return requestError(http.StatusServiceUnavailable, credit.Unavailable, err.Error())
	}
	if wholeRequestUnavailable(resp) {
		// Nothing was answered, and only because a service the hub needs
		// is down: the request failed as a whole, retryable.
		return outcome{status: http.StatusServiceUnavailable, errors: resp.Errors, req: req}
	}
	body := encodeResponse(resp)
	o := outcome{body: body, req: req, code: firstErrorCode(resp.Errors)}
	if cacheable && len(resp.Errors) == 0 {
		o.after = func() { p.svc.StoreResponse(context.WithoutCancel(ctx), req, key, body) }
	}
	return o
}

// answerCached gives a stored answer, once its reads are logged.
func (p *pipeline) answerCached(ctx context.Context, req *service.Request, body []byte, tier string) outcome {
	if err := p.svc.LogReads(ctx, req); err != nil {
		return requestError(http.StatusServiceUnavailable, credit.Unavailable, err.Error())
	}
	return outcome{body: body, tier: tier, req: req}
}

func (p *pipeline) key(req *service.Request, raw []byte) string {
	return p.svc.ResponseKey(req, append(append([]byte(nil), p.salt...), raw...))
}

// presented runs request errors through the error presenter.
func (p *pipeline) presented(ctx context.Context, oc *graphql.OperationContext, errs gqlerror.List) gqlerror.List {
	if oc != nil {
		ctx = graphql.WithOperationContext(ctx, oc)
	}
	return p.exec.DispatchError(ctx, errs).Errors
}

// cacheableRoots are the root fields whose answers generations cover:
// subject reads and checks (any selection below them), federation
// entities, the subject search and the statistics of records (which rest
// on the generation every write bumps), and __typename. checkStats counts
// the query-use log, which every read adds to: it is never stored.
var cacheableRoots = map[string]bool{
	"subject": true, "creditCheck": true, "applicantCheck": true, "_entities": true, "__typename": true,
	"subjects": true, "disclosureTimeliness": true, "recordStats": true, "timelinessStats": true, "amountStats": true,
	"publishedPenaltyStats": true, "listEntryStats": true, "jointCaseStats": true,
	"objectionStats": true, "repairStats": true,
}

// onlyCacheableRoots reports whether an operation reads only cacheable root
// fields, at least one of which reads subjects. Fragments at the root are
// followed.
func onlyCacheableRoots(set ast.SelectionSet) bool {
	worth := false
	var walk func(ast.SelectionSet) bool
	walk = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if !cacheableRoots[s.Name] {
					return false
				}
				worth = worth || s.Name != "__typename"
			case *ast.InlineFragment:
				if !walk(s.SelectionSet) {
					return false
				}
			case *ast.FragmentSpread:
				if s.Definition == nil || !walk(s.Definition.SelectionSet) {
					return false
				}
			}
		}
		return true
	}
	return walk(set) && worth
}

func operationName(oc *graphql.OperationContext) string {
	if oc.Operation != nil && oc.Operation.Name != "" {
		return oc.Operation.Name
	}
	return oc.OperationName
}

// nameOfUnrunnable is the name of an operation that did not validate, for
// metrics and the access log: the document is parsed again (gqlgen keeps
// no document that failed validation), within the parser's token bound.
func nameOfUnrunnable(params *graphql.RawParams) string {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: params.Query}, Limits{}.withDefaults().MaxTokens)
	if err != nil {
		return params.OperationName
	}
	if op := doc.Operations.ForName(params.OperationName); op != nil {
		return op.Name
	}
	return params.OperationName
}

// statusOf is the HTTP status of request errors under
// application/graphql-response+json: 400 for what the client got wrong.
func statusOf(errs gqlerror.List) int {
	for _, e := range errs {
		if code, _ := e.Extensions["code"].(string); code == string(credit.Unavailable) {
			return http.StatusServiceUnavailable
		}
	}
	return http.StatusBadRequest
}

// encodeResponse writes an executed operation's response: "data" always
// (null when the execution nulled it), "errors" when there are some, in
// document order (sortErrors). The data gqlgen produced is written as it
// is, not validated again.
func encodeResponse(resp *graphql.Response) []byte {
	var b bytes.Buffer
	b.WriteString(`{`)
	if len(resp.Errors) > 0 {
		sortErrors(resp.Errors)
		errs, _ := json.Marshal(resp.Errors)
		b.WriteString(`"errors":`)
		b.Write(errs)
		b.WriteString(`,`)
	}
	b.WriteString(`"data":`)
	if len(resp.Data) == 0 {
		b.WriteString(`null`)
	} else {
		b.Write(resp.Data)
	}
	if len(resp.Extensions) > 0 {
		ext, _ := json.Marshal(resp.Extensions)
		b.WriteString(`,"extensions":`)
		b.Write(ext)
	}
	b.WriteString(`}`)
	return b.Bytes()
}

// encodeErrors writes a request error's response: errors, no data.
func encodeErrors(errs gqlerror.List) []byte {
	sortErrors(errs)
	b, _ := json.Marshal(struct {
		Errors gqlerror.List `json:"errors"`
	}{errs})
	return b
}

func retryAfterHeader(d time.Duration) string { return strconv.Itoa(int(d.Seconds())) }

// wholeRequestUnavailable reports whether an executed operation answered
// nothing (data null, or every root field null) and every error is
// UNAVAILABLE.
func wholeRequestUnavailable(resp *graphql.Response) bool {
	if len(resp.Errors) == 0 {
		return false
	}
	for _, e := range resp.Errors {
		if code, _ := e.Extensions["code"].(string); code != string(credit.Unavailable) {
			return false
		}
	}
	if len(resp.Data) == 0 || string(resp.Data) == "null" {
		return true
	}
	var roots map[string]json.RawMessage
	if json.Unmarshal(resp.Data, &roots) != nil {
		return false
	}
	for _, v := range roots {
		if string(v) != "null" {
			return false
		}
	}
	return true
}
