package graph

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/99designs/gqlgen/graphql"

	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
)

// GraphQL over WebSocket, in the graphql-transport-ws protocol
// (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md). Every
// operation on a connection goes through the same pipeline as an HTTP
// request: the connection's token is checked again for each operation
// (the authenticator trusts a key from memory for at most 5 s, as for
// HTTP), each operation counts against the caller's rate limit, reads are
// logged before they are answered, and the cache is the same. A key that is
// revoked or expires closes the connection with 4403, found at the next
// operation or within wsRecheck while subscriptions run.

const wsSubprotocol = "graphql-transport-ws"

// The protocol's close codes.
const (
	wsBadMessage       websocket.StatusCode = 4400
	wsUnauthorized     websocket.StatusCode = 4401
	wsForbidden        websocket.StatusCode = 4403
	wsBadSubprotocol   websocket.StatusCode = 4406
	wsInitTimeout      websocket.StatusCode = 4408
	wsDuplicateID      websocket.StatusCode = 4409
	wsTooManyInitCalls websocket.StatusCode = 4429
)

const (
	wsInitTimeoutAfter = 10 * time.Second
	// wsRecheck is how often a connection with running subscriptions checks
	// that its caller is still valid.
	wsRecheck = 5 * time.Second
)

type wsTransport struct {
	p    *pipeline
	auth *auth.Authenticator
	// recheck overrides wsRecheck (tests).
	recheck time.Duration
	// maxMessage bounds one message, as the body limit bounds a request.
	maxMessage int64
}

type wsMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

type wsConn struct {
	t       *wsTransport
	conn    *websocket.Conn
	purpose string
	// remoteAddr and forwardedFor make the client's address once the
	// caller is known (clientAddrOf: a ROUTER's X-Forwarded-For counts).
	remoteAddr, forwardedFor string

	mu      sync.Mutex // guards writes and the fields below
	token   string
	endUser string // a ROUTER's end user's token (auth.EndUserHeader)
	acked   bool
	running map[string]context.CancelFunc
}

func (t *wsTransport) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{wsSubprotocol}})
	if err != nil {
		return // Accept has answered the client
	}
	conn.SetReadLimit(t.maxMessage)
	if conn.Subprotocol() != wsSubprotocol {
		conn.Close(wsBadSubprotocol, "Subprotocol not acceptable: use "+wsSubprotocol)
		return
	}
	c := &wsConn{t: t, conn: conn, purpose: r.Header.Get(PurposeHeader),
		remoteAddr: r.RemoteAddr, forwardedFor: r.Header.Get("X-Forwarded-For"),
		token: r.Header.Get("Authorization"), endUser: r.Header.Get(auth.EndUserHeader),
		running: map[string]context.CancelFunc{}}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	c.serve(ctx)
}

func (c *wsConn) serve(ctx context.Context) {
	initDeadline := time.AfterFunc(wsInitTimeoutAfter, func() {
		c.mu.Lock()
		acked := c.acked
		c.mu.Unlock()
		if !acked {
			c.conn.Close(wsInitTimeout, "Connection initialisation timeout")
		}
	})
	defer initDeadline.Stop()
	go c.recheckCaller(ctx)
	defer c.cancelAll()
	for {
		_, data, err := c.conn.Read(ctx)
		if err != nil {
			return
		}
		var m wsMessage
		if err := json.Unmarshal(data, &m); err != nil {
			c.conn.Close(wsBadMessage, "Invalid message received")
			return
		}
		switch m.Type {
		case "connection_init":
			if !c.init(ctx, m.Payload) {
				return
			}
		case "ping":
			c.send(wsMessage{Type: "pong"})
		case "pong":
		case "subscribe":
			if !c.subscribe(ctx, m) {
				return
			}
		case "complete":
			c.mu.Lock()
			if stop, ok := c.running[m.ID]; ok {
				stop()
			}
			c.mu.Unlock()
		default:
			c.conn.Close(wsBadMessage, "Invalid message type "+m.Type)
			return
		}
	}
}

// init authenticates the connection: a token in connection_init's payload
// (browsers cannot set headers on a WebSocket) or the upgrade request's
// Authorization header; a ROUTER's end user's token likewise, under
// X-End-User-Authorization.
func (c *wsConn) init(ctx context.Context, payload json.RawMessage) bool {
	c.mu.Lock()
	acked := c.acked
	c.mu.Unlock()
	if acked {
		c.conn.Close(wsTooManyInitCalls, "Too many initialisation requests")
		return false
	}
	var p map[string]any
	_ = json.Unmarshal(payload, &p)
	c.mu.Lock()
	for _, k := range []string{"Authorization", "authorization"} {
		if s, ok := p[k].(string); ok && s != "" {
			c.token = s
		}
	}
	for _, k := range []string{auth.EndUserHeader, strings.ToLower(auth.EndUserHeader)} {
		if s, ok := p[k].(string); ok && s != "" {
			c.endUser = s
		}
	}
	token, endUser := c.token, c.endUser
	c.mu.Unlock()
	if _, err := c.t.auth.AuthenticateRouted(ctx, token, endUser); err != nil {
		c.conn.Close(wsForbidden, "Forbidden: "+limitReason(err.Error()))
		return false
	}
	c.mu.Lock()
	c.acked = true
	c.mu.Unlock()
	c.send(wsMessage{Type: "connection_ack"})
	return true
}

// subscribe starts one operation through the pipeline.
func (c *wsConn) subscribe(ctx context.Context, m wsMessage) bool {
	c.mu.Lock()
	if !c.acked {
		c.mu.Unlock()
		c.conn.Close(wsUnauthorized, "Unauthorized")
		return false
	}
	if _, dup := c.running[m.ID]; dup || m.ID == "" {
		c.mu.Unlock()
		c.conn.Close(wsDuplicateID, "Subscriber for "+m.ID+" already exists")
		return false
	}
	opCtx, stop := context.WithCancel(ctx)
	c.running[m.ID] = stop
	token, endUser := c.token, c.endUser
	c.mu.Unlock()
	go func() {
		defer c.finish(m.ID)
		c.operate(opCtx, token, endUser, m)
	}()
	return true
}

// operate runs one operation: authenticate (again), limit, and the rest of
// the pipeline; the answer goes back as next/complete, a request error as
// error.
func (c *wsConn) operate(ctx context.Context, token, endUser string, m wsMessage) {
	caller, err := c.t.auth.AuthenticateRouted(ctx, token, endUser)
	if err != nil {
		c.forbid(err)
		return
	}
	arrived := c.t.p.metrics.start("ws")
	ctx, o := c.answer(ctx, caller, m)
	switch {
	case o.status != 0:
		c.sendErrors(m.ID, o.errors)
	case o.stream != nil:
		for {
			resp := o.stream(o.streamCtx)
			if resp == nil {
				break
			}
			c.send(wsMessage{Type: "next", ID: m.ID, Payload: encodeResponse(resp)})
		}
		c.send(wsMessage{Type: "complete", ID: m.ID})
	default:
		c.send(wsMessage{Type: "next", ID: m.ID, Payload: o.body})
		c.send(wsMessage{Type: "complete", ID: m.ID})
	}
	c.t.p.observe(ctx, "ws", o, arrived)
	if o.after != nil {
		o.after()
	}
}

// answer takes one operation of an authenticated caller through the
// pipeline to its outcome.
func (c *wsConn) answer(ctx context.Context, caller credit.Caller, m wsMessage) (context.Context, outcome) {
	caller.Purpose = c.purpose
	var params graphql.RawParams
	if err := decodeJSON(m.Payload, &params); err != nil {
		return ctx, requestError(http.StatusBadRequest, credit.BadUserInput, "the subscribe payload is not a GraphQL request: "+err.Error())
	}
	ctx, req, refused := c.t.p.begin(ctx, caller, clientAddrOf(c.remoteAddr, c.forwardedFor, caller))
	if refused != nil {
		return ctx, *refused
	}
	return ctx, c.t.p.run(ctx, req, operation{raw: m.Payload, params: &params, transport: "ws"})
}

// recheckCaller closes the connection with 4403 once its token stops being
// valid (revoked, expired), while subscriptions keep it open without new
// operations.
func (c *wsConn) recheckCaller(ctx context.Context) {
	every := c.t.recheck
	if every <= 0 {
		every = wsRecheck
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		c.mu.Lock()
		acked, token, endUser := c.acked, c.token, c.endUser
		c.mu.Unlock()
		if !acked {
			continue
		}
		if _, err := c.t.auth.AuthenticateRouted(ctx, token, endUser); credit.CodeOf(err) == credit.Unauthenticated {
			c.forbid(err)
			return
		}
	}
}

// forbid closes the connection because its caller is no longer valid; a
// failing store is not the caller's fault and only fails the operation.
func (c *wsConn) forbid(err error) {
	if credit.CodeOf(err) != credit.Unauthenticated {
		return
	}
	c.cancelAll()
	c.conn.Close(wsForbidden, "Forbidden: "+limitReason(err.Error()))
}

func (c *wsConn) finish(id string) {
	c.mu.Lock()
	if stop, ok := c.running[id]; ok {
		stop()
		delete(c.running, id)
	}
	c.mu.Unlock()
}

func (c *wsConn) cancelAll() {
	c.mu.Lock()
	for _, stop := range c.running {
		stop()
	}
	c.mu.Unlock()
}

func (c *wsConn) sendErrors(id string, errs gqlerror.List) {
	sortErrors(errs)
	b, _ := json.Marshal(errs)
	c.send(wsMessage{Type: "error", ID: id, Payload: b})
}

func (c *wsConn) send(m wsMessage) {
	b, err := json.Marshal(m)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.conn.Write(ctx, websocket.MessageText, b); err != nil && !errors.Is(err, context.Canceled) {
		c.conn.Close(websocket.StatusInternalError, "write failed")
	}
}

// limitReason keeps a close reason within the 123 bytes a close frame holds.
func limitReason(s string) string {
	const max = 100
	if len(s) <= max {
		return s
	}
	for i := max; i > 0; i-- { // at a UTF-8 boundary
		if s[i]&0xC0 != 0x80 {
			return s[:i]
		}
	}
	return s[:max]
}
