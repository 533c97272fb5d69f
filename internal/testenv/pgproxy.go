package testenv

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// PGProxy stands between a hub under test and the shared PostgreSQL server,
// so that a test can take "PostgreSQL" away and bring it back without
// touching the server other tests use: Cut closes every connection and
// refuses new ones, Restore accepts again.
type PGProxy struct {
	t      testing.TB
	ln     net.Listener
	target string

	mu    sync.Mutex
	cut   bool
	conns map[net.Conn]bool
}

// StartPGProxy proxies to the server of ServerURL on a free port of
// 127.0.0.1; it stops when t ends.
func StartPGProxy(t testing.TB) *PGProxy {
	t.Helper()
	return StartPGProxyTo(t, ServerURL())
}

// StartPGProxyTo is StartPGProxy to the server of serverURL (a replica).
func StartPGProxyTo(t testing.TB, serverURL string) *PGProxy {
	t.Helper()
	u, err := url.Parse(serverURL)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &PGProxy{t: t, ln: ln, target: u.Host, conns: map[net.Conn]bool{}}
	go p.accept()
	t.Cleanup(func() { ln.Close(); p.Cut() })
	return p
}

// URL returns dbURL (a URL of the shared server) pointed at the proxy.
func (p *PGProxy) URL(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		p.t.Fatal(err)
	}
	u.Host = p.ln.Addr().String()
	return u.String()
}

// Cut drops every connection and refuses new ones, as a PostgreSQL that
// went down.
func (p *PGProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// Restore accepts connections again.
func (p *PGProxy) Restore() {
	p.mu.Lock()
	p.cut = false
	p.mu.Unlock()
}

func (p *PGProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.mu.Unlock()
		go p.pipe(c)
	}
}

func (p *PGProxy) pipe(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	p.mu.Lock()
	if p.cut {
		p.mu.Unlock()
		client.Close()
		server.Close()
		return
	}
	p.conns[client], p.conns[server] = true, true
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { io.Copy(server, client); done <- struct{}{} }()
	go func() { io.Copy(client, server); done <- struct{}{} }()
	<-done
	client.Close()
	server.Close()
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}
