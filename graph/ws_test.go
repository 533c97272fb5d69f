package graph_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/ratelimit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

// wsClient speaks graphql-transport-ws to a server under test. One
// goroutine reads (coder/websocket closes a connection whose Read is
// cancelled, so reads are never given a short deadline).
type wsClient struct {
	t      *testing.T
	ctx    context.Context
	conn   *websocket.Conn
	msgs   chan wsMsg
	closed chan websocket.StatusCode
}

func dialWS(t *testing.T, url, token string) *wsClient {
	t.Helper()
	var payload map[string]any
	if token != "" {
		payload = map[string]any{"Authorization": "Bearer " + token}
	}
	return dialWSInit(t, url, payload)
}

// dialWSInit connects and initialises with payload (nil: none).
func dialWSInit(t *testing.T, url string, payload map[string]any) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close(websocket.StatusNormalClosure, "") })
	c := &wsClient{t: t, ctx: ctx, conn: conn, msgs: make(chan wsMsg, 64), closed: make(chan websocket.StatusCode, 1)}
	go func() {
		for {
			_, b, err := conn.Read(ctx)
			if err != nil {
				var ce websocket.CloseError
				if errors.As(err, &ce) {
					c.closed <- ce.Code
				} else {
					c.closed <- -1
				}
				return
			}
			var m wsMsg
			json.Unmarshal(b, &m)
			c.msgs <- m
		}
	}()
	init := map[string]any{"type": "connection_init"}
	if payload != nil {
		init["payload"] = payload
	}
	c.send(init)
	if m := c.read(); m.Type != "connection_ack" {
		t.Fatalf("init: got %+v", m)
	}
	return c
}

type wsMsg struct {
	Type    string          `json:"type"`
	ID      string          `json:"id"`
	Payload json.RawMessage `json:"payload"`
}

func (c *wsClient) send(v any) bool {
	b, _ := json.Marshal(v)
	return c.conn.Write(c.ctx, websocket.MessageText, b) == nil
}

func (c *wsClient) read() wsMsg {
	select {
	case m := <-c.msgs:
		return m
	case code := <-c.closed:
		c.t.Fatalf("the connection closed (%d) while a message was awaited", code)
	case <-c.ctx.Done():
		c.t.Fatal("no message in time")
	}
	return wsMsg{}
}

// op runs one query or mutation and returns its messages up to complete
// or error.
func (c *wsClient) op(id, query string) []wsMsg {
	c.send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query}})
	var out []wsMsg
	for {
		m := c.read()
		if m.ID != id {
			continue
		}
		out = append(out, m)
		if m.Type == "complete" || m.Type == "error" {
			return out
		}
	}
}

// closeCode waits up to within for the server to close the connection and
// returns its code (0 if it stays open).
func (c *wsClient) closeCode(within time.Duration) websocket.StatusCode {
	timeout := time.After(within)
	for {
		select {
		case <-c.msgs: // answers to operations sent meanwhile
		case code := <-c.closed:
			return code
		case <-timeout:
			return 0
		}
	}
}

// A key revoked while its WebSocket is open stops working there as it does
// over HTTP: the next operation, or the connection's own periodic check
// while it only listens, closes it with 4403.
func TestARevokedKeyClosesItsWebSocketWith4403(t *testing.T) {
	e := newEnvWith(t, func(o *graph.HandlerOptions) { o.WSRecheck = 200 * time.Millisecond })
	t.Parallel()
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	ctx := context.Background()
	for _, idle := range []bool{false, true} {
		key, stored, err := auth.CreateKey(ctx, e.db, auth.KeySpec{Role: credit.RoleBank, Institution: "丹东银行"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		c := dialWS(t, srv.URL, key)
		if msgs := c.op("1", `{ __typename }`); msgs[0].Type != "next" {
			t.Fatalf("before revocation: %+v", msgs)
		}
		if err := auth.RevokeKey(ctx, e.db, stored.ID, "cli:test", time.Now()); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(8 * time.Second)
		if !idle {
			// Operations keep being sent; once the key's 5 s in memory are
			// over, one is refused and the connection closes.
			for i := 2; time.Now().Before(deadline); i++ {
				c.send(map[string]any{"id": fmt.Sprint(i), "type": "subscribe", "payload": map[string]any{"query": "{ __typename }"}})
				if code := c.closeCode(100 * time.Millisecond); code != 0 {
					if code != 4403 {
						t.Fatalf("closed with %d, want 4403", code)
					}
					break
				}
			}
		} else if code := c.closeCode(8 * time.Second); code != 4403 {
			t.Fatalf("an idle connection: closed with %d, want 4403 within 8 s", code)
		}
		if time.Now().After(deadline) {
			t.Fatalf("idle=%v: the connection stayed open 8 s after the key was revoked", idle)
		}
	}
}

// Every operation on a WebSocket counts against the caller's budget, as an
// HTTP request does.
func TestWebSocketOperationsCountAgainstTheRateLimit(t *testing.T) {
	c := testenv.Cache(t)
	limits := ratelimit.Limits{Default: 1000, ByRole: map[credit.Role]int{credit.RolePublic: 3}}
	e := newEnvFull(t, nil, append(redisOpts(c), service.WithRateLimits(c, limits))...)
	t.Parallel()
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	ws := dialWS(t, srv.URL, "")
	var ok, limited int
	for i := range 6 {
		msgs := ws.op(string(rune('a'+i)), `{ __typename }`)
		switch {
		case msgs[0].Type == "next":
			ok++
		case msgs[0].Type == "error" && strings.Contains(string(msgs[0].Payload), "RATE_LIMITED"):
			limited++
		default:
			t.Fatalf("operation %d: %+v", i, msgs)
		}
	}
	if ok != 3 || limited != 3 {
		t.Fatalf("6 operations over one connection with a budget of 3: %d answered, %d refused", ok, limited)
	}
}
