// Command loadgen drives credithub's GraphQL endpoint on 127.0.0.1 with a
// fixed number of concurrent clients for a fixed time, and reports
// requests/s, p50, p99 and errors. It is made to share two cores with the
// server it measures: each client is one goroutine with one keep-alive
// connection, writes its request with one system call and reads the answer
// with net/http's parser (no Transport goroutines, no per-request
// connection pool bookkeeping); latencies go into a fixed-size histogram.
//
//	loadgen -url http://127.0.0.1:18081/graphql -token KEY -mode credit \
//	        -codes codes.txt -clients 32 -duration 20s -warmup 3s -persisted
//
// Modes name the operation: credit (creditCheck), applicant
// (applicantCheck), bank and window (issue 10's two reads), subjects (a
// page of a subject search by part of the name, with its total count:
// -codes then holds name fragments), typename ({ __typename }),
// stats-records and the other statistics (stats.go); anything after a dash
// is a label (credit-nocache runs creditCheck and is reported as
// credit-nocache). Adding an operation is one entry in operations.
//
// Helpers for scripts/bench.sh:
//
//	loadgen pgbench-log -mode pgbench -clients 32 -tps 5123.4 FILE...
//	                    turns pgbench's per-transaction logs into a result
//	loadgen sqlcount -db URL -url NOCACHE -token KEY -set few=FILE -set many=FILE
//	                    SQL statements per uncached check, from PostgreSQL's counters
//	loadgen report -in results.jsonl [-ratio …] [-p99 …]
//	                    prints the table of results and the ratios
//	loadgen scale-report -in results.jsonl
//	                    the latency of each mode at each data set size (make bench-scale)
//	loadgen watch -delay 1s -for 18s -procs …
//	                    the CPU processes use during a window (around pgbench)
//	loadgen idle [-below 20] [-max 30s]
//	                    waits for other work on the machine to calm down
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The operations, as a bank and an approval window send them.
const (
	creditQuery    = `query Credit($code: ID!, $purpose: String!) { creditCheck(code: $code, purpose: $purpose) { asOf ruleVersion verdict redListed blacklisted taxCreditGrade { year grade } penaltiesLast3Years seriousPenaltiesLast3Years activeListEntries { kind domain decisionNumber endsOn } measures { measure { code name legalBasis } viaRole } keyPersonFindings { role person { code name } } reasons { rule text records { kind decisionNumber } } subject { code name kind } } }`
	applicantQuery = `query Applicant($code: ID!, $purpose: String!) { applicantCheck(code: $code, purpose: $purpose) { asOf greenChannel acceptWithMissingDocuments measures { measure { code name legalBasis } } disputed { id } reasons { rule text } subject { code name } } }`
	typenameQuery  = `{ __typename }`
	subjectsQuery  = `query Subjects($name: String!) { subjects(filter: { nameContains: $name }, first: 20) { totalCount edges { node { code name kind district status } } pageInfo { endCursor hasNextPage } } }`
	// The two reads of issue 10, as a bank and a window send them: a credit
	// check that also asks for the company's legal representative, and the
	// window's everyday look-up of an applicant.
	bankQuery   = `query Bank($code: ID!, $purpose: String!) { creditCheck(code: $code, purpose: $purpose) { asOf ruleVersion verdict redListed blacklisted taxCreditGrade { year grade } penaltiesLast3Years seriousPenaltiesLast3Years activeListEntries { kind domain decisionNumber endsOn } measures { measure { code name legalBasis } viaRole } keyPersonFindings { role person { code name } } reasons { rule text records { kind decisionNumber } } subject { code name kind legalRepresentative { name code } } } }`
	windowQuery = `query Window($code: ID!, $purpose: String!, $today: Date!, $since: Date!) { subject(code: $code, purpose: $purpose) { code name kind status legalRepresentative { name code } listEntries(activeOn: $today) { kind domain decisionNumber startsOn endsOn measures { name legalBasis } } penalties(since: $since) { totalCount } licences(first: 5) { edges { node { decisionNumber documentName authorityName decidedOn validUntil } } } } }`
)

// operation is what a mode sends: its name and text, and, when it takes one
// value per request from the -codes file, the variable that holds it
// ("code" unless said) and whether it also takes the purpose.
type operation struct {
	name, query string
	needsCode   bool
	variable    string
	noPurpose   bool
	// vars are more variables, written after the value and the purpose.
	vars func() string
}

var operations = map[string]operation{
	"credit":    {name: "Credit", query: creditQuery, needsCode: true},
	"applicant": {name: "Applicant", query: applicantQuery, needsCode: true},
	"subjects":  {name: "Subjects", query: subjectsQuery, needsCode: true, variable: "name", noPurpose: true},
	"bank":      {name: "Bank", query: bankQuery, needsCode: true},
	"window":    {name: "Window", query: windowQuery, needsCode: true, vars: windowVars},
	"typename":  {name: "", query: typenameQuery, needsCode: false},
}

// windowVars are today in Dandong and the day three years before.
func windowVars() string {
	shanghai := time.FixedZone("CST", 8*3600)
	today := time.Now().In(shanghai)
	return `,"today":"` + today.Format(time.DateOnly) + `","since":"` + today.AddDate(-3, 0, 0).Format(time.DateOnly) + `"`
}

// result is one run's outcome; scripts/bench.sh collects them as JSON lines.
type result struct {
	Mode      string  `json:"mode"`
	Clients   int     `json:"clients"`
	Seconds   float64 `json:"seconds"`
	Requests  int64   `json:"requests"`
	RPS       float64 `json:"rps"`
	P50ms     float64 `json:"p50_ms"`
	P95ms     float64 `json:"p95_ms,omitempty"`
	P99ms     float64 `json:"p99_ms"`
	MaxMs     float64 `json:"max_ms"`
	Errors    int64   `json:"errors"`
	Persisted bool    `json:"persisted,omitempty"`
	URL       string  `json:"url,omitempty"`
	Note      string  `json:"note,omitempty"`
	CPU       *cpuUse `json:"cpu,omitempty"`
}

// adjustedRPS estimates the rate had no other process used the CPU: the
// run was CPU-bound, so the others' share would have gone to it. Without
// CPU figures, or when the machine was not saturated, it is the rate.
func (r result) adjustedRPS() float64 {
	if r.CPU == nil || r.CPU.Busy < 90 || r.CPU.Machine <= 0 || r.CPU.Others >= r.CPU.Machine {
		return r.RPS
	}
	return r.RPS * r.CPU.Machine / (r.CPU.Machine - r.CPU.Others)
}

func (r result) line() string {
	s := fmt.Sprintf("%-18s clients=%-4d %9.0f req/s   p50 %7.2f ms   p95 %7.2f ms   p99 %7.2f ms   errors %d/%d",
		r.Mode, r.Clients, r.RPS, r.P50ms, r.P95ms, r.P99ms, r.Errors, r.Requests)
	if r.CPU != nil {
		s += fmt.Sprintf("   cpu/req µs: generator %.0f", r.CPU.Generator)
		for _, k := range sortedKeys(r.CPU.Procs) {
			s += fmt.Sprintf(" %s %.0f", k, r.CPU.Procs[k])
		}
		s += fmt.Sprintf(" softirq %.0f others %.0f machine %.0f (busy %.0f%%)", r.CPU.SoftIRQ, r.CPU.Others, r.CPU.Machine, r.CPU.Busy)
		if r.CPU.TopOthers != "" {
			s += " [others: " + r.CPU.TopOthers + "]"
		}
	}
	return s
}

func main() {
	var err error
	switch {
	case len(os.Args) > 1 && os.Args[1] == "report":
		err = report(os.Args[2:], os.Stdout)
	case len(os.Args) > 1 && os.Args[1] == "scale-report":
		err = scaleReport(os.Args[2:], os.Stdout)
	case len(os.Args) > 1 && os.Args[1] == "pgbench-log":
		err = pgbenchLog(os.Args[2:], os.Stdout)
	case len(os.Args) > 1 && os.Args[1] == "sqlcount":
		err = sqlCount(os.Args[2:], os.Stdout)
	case len(os.Args) > 1 && os.Args[1] == "watch":
		err = watch(os.Args[2:], os.Stdout)
	case len(os.Args) > 1 && os.Args[1] == "idle":
		err = waitIdle(os.Args[2:], os.Stderr)
	default:
		err = drive(os.Args[1:], os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

type config struct {
	url, token, mode, purpose, codesFile, procs string
	statsTo                                     string
	clients                                     int
	duration, warmup, timeout                   time.Duration
	persisted, pass, useHTTP, asJSON            bool
	seed                                        uint64
}

func drive(args []string, stdout io.Writer) error {
	var c config
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.StringVar(&c.url, "url", "http://127.0.0.1:18081/graphql", "GraphQL endpoint (127.0.0.1 only)")
	fs.StringVar(&c.token, "token", "", "API key sent as a bearer token")
	fs.StringVar(&c.mode, "mode", "credit", "credit, applicant, bank, window, subjects or typename; a -suffix is a label (credit-nocache)")
	fs.StringVar(&c.purpose, "purpose", "贷前审查", "purpose variable of the checks")
	fs.StringVar(&c.codesFile, "codes", "", "file of subject codes (for subjects: name fragments), one a line; each request picks one at random")
	fs.IntVar(&c.clients, "clients", 8, "concurrent clients, each with its own keep-alive connection")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "measured time")
	fs.DurationVar(&c.warmup, "warmup", 3*time.Second, "unmeasured time before it")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "per-request time limit")
	fs.BoolVar(&c.persisted, "persisted", false, "send the operation's APQ hash only (registered once with the full text first)")
	fs.BoolVar(&c.pass, "pass", false, "instead of a timed run, send each code once (warms the caches)")
	fs.BoolVar(&c.useHTTP, "http", false, "use net/http's Client (tuned Transport) instead of raw keep-alive connections")
	fs.BoolVar(&c.asJSON, "json", false, "print the result as one JSON line (and the text line on stderr)")
	fs.StringVar(&c.procs, "procs", "", "CPU per request of these processes: NAME=PID or NAME=COMMAND[/ARGUMENT], comma-separated")
	fs.Uint64Var(&c.seed, "seed", 0, "random seed (0: from the clock)")
	fs.StringVar(&c.statsTo, "stats-to", "", "last day of the stats-* modes' period, YYYY-MM-DD (default today in Asia/Shanghai)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	kind, _, _ := strings.Cut(c.mode, "-")
	if strings.HasPrefix(c.mode, "stats-") {
		kind, _, _ = strings.Cut(c.mode[len("stats-"):], "-")
		kind = "stats-" + kind
	}
	op, ok := operations[kind]
	if !ok {
		return fmt.Errorf("-mode %q: want credit, applicant, bank, window, subjects, typename or stats-NAME (optionally with a -label)", c.mode)
	}
	if strings.HasPrefix(kind, "stats-") {
		var err error
		if op, err = statsPeriod(op, c.statsTo); err != nil {
			return fmt.Errorf("-stats-to: %w", err)
		}
	}
	if c.clients < 1 {
		return fmt.Errorf("-clients must be at least 1")
	}
	u, err := url.Parse(c.url)
	if err != nil || u.Scheme != "http" {
		return fmt.Errorf("-url %q: want http://127.0.0.1:PORT/PATH", c.url)
	}
	if host := u.Hostname(); host != "127.0.0.1" && host != "localhost" && host != "::1" {
		return fmt.Errorf("-url %q: loadgen only loads this machine (127.0.0.1)", c.url)
	}
	var codes []string
	if op.needsCode {
		if codes, err = readCodes(c.codesFile); err != nil {
			return err
		}
	}
	sets, err := parseProcs(c.procs)
	if err != nil {
		return err
	}
	if c.seed == 0 {
		c.seed = uint64(time.Now().UnixNano())
	}
	body := newBodies(op, c.purpose, c.persisted)
	newClient := func() client { return newRawClient(u, c.token, c.timeout) }
	if c.useHTTP {
		hc := newHTTPClient(c.clients, c.timeout)
		newClient = func() client { return &httpClient{hc: hc, url: c.url, token: c.token} }
	}
	if c.persisted {
		// Register the operation: the full text with its hash, once.
		code := ""
		if op.needsCode {
			code = codes[0]
		}
		cl := newClient()
		status, resp, err := cl.do(body.register(code))
		cl.close()
		if err != nil || status != http.StatusOK || bytes.Contains(resp, []byte(`"errors"`)) {
			return fmt.Errorf("registering the persisted operation: status %d, %v: %.300s", status, err, resp)
		}
	}

	workers := make([]*worker, c.clients)
	for i := range workers {
		workers[i] = &worker{cl: newClient(), rng: rand.New(rand.NewPCG(c.seed, uint64(i))), codes: codes, body: body}
	}
	var (
		wg        sync.WaitGroup
		next      atomic.Int64 // -pass: the next code to send
		before    cpuSnapshot
		measuring = make(chan struct{})
	)
	start := time.Now()
	measureFrom := start.Add(c.warmup)
	end := measureFrom.Add(c.duration)
	if c.pass {
		measureFrom, end = start, time.Time{}
	}
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer w.cl.close()
			if c.pass {
				w.pass(&next)
			} else {
				w.timed(measureFrom, end)
			}
		}()
	}
	go func() {
		if d := time.Until(measureFrom); d > 0 {
			time.Sleep(d)
		}
		before = takeCPU(sets)
		close(measuring)
	}()
	wg.Wait()
	<-measuring
	after := takeCPU(sets)
	elapsed := c.duration
	if c.pass {
		elapsed = time.Since(start)
	}

	var h hist
	res := result{Mode: c.mode, Clients: c.clients, Persisted: c.persisted, URL: c.url}
	for _, w := range workers {
		h.merge(&w.h)
		res.Errors += w.errors
		if w.errors > 0 && w.firstErr != "" {
			fmt.Fprintf(os.Stderr, "loadgen: %s: first error of a client: %.300s\n", c.mode, w.firstErr)
		}
	}
	res.Requests = int64(h.n)
	res.Seconds = elapsed.Seconds()
	res.RPS = float64(h.n) / elapsed.Seconds()
	res.P50ms = ms(h.quantile(0.50))
	res.P95ms = ms(h.quantile(0.95))
	res.P99ms = ms(h.quantile(0.99))
	res.MaxMs = ms(h.max)
	use := cpuBetween(sets, before, after, res.Requests)
	res.CPU = &use
	if c.pass {
		res.Mode += " (one pass)"
	}
	if c.asJSON {
		b, _ := json.Marshal(res)
		fmt.Fprintln(stdout, string(b))
		fmt.Fprintln(os.Stderr, res.line()) // for whoever watches
	} else {
		fmt.Fprintln(stdout, res.line())
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func readCodes(path string) ([]string, error) {
	if path == "" {
		return nil, errors.New("-codes FILE is required for this mode")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if strings.ContainsAny(l, "\"\\") {
			return nil, fmt.Errorf("%s: %q is not a subject code", path, l)
		}
		codes = append(codes, l)
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("%s holds no code", path)
	}
	return codes, nil
}

// bodies builds request bodies around a code without encoding JSON per
// request: codes are [0-9A-Z] (checked when read).
type bodies struct {
	prefix, suffix, registration, varsTail []byte
	fixed                                  bool
}

func newBodies(op operation, purpose string, persisted bool) *bodies {
	q, _ := json.Marshal(op.query)
	p, _ := json.Marshal(purpose)
	sum := sha256.Sum256([]byte(op.query))
	ext := `"extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(sum[:]) + `"}}`
	opName := ""
	if op.name != "" {
		opName = `"operationName":"` + op.name + `",`
	}
	if !op.needsCode {
		b := &bodies{fixed: true, prefix: []byte(`{` + opName + `"query":` + string(q) + `}`)}
		b.registration = []byte(`{` + opName + `"query":` + string(q) + `,` + ext + `}`)
		if persisted {
			b.prefix = []byte(`{` + opName + ext + `}`)
		}
		return b
	}
	variable := op.variable
	if variable == "" {
		variable = "code"
	}
	extra := ""
	if op.vars != nil {
		extra = op.vars()
	}
	b := &bodies{varsTail: []byte(`","purpose":` + string(p) + extra + `}`)}
	if op.noPurpose {
		b.varsTail = []byte(`"` + extra + `}`)
	}
	b.suffix = b.varsTail
	b.registration = []byte(`{` + opName + `"query":` + string(q) + `,` + ext + `,"variables":{"` + variable + `":"`)
	if persisted {
		b.prefix = []byte(`{` + opName + `"variables":{"` + variable + `":"`)
		b.suffix = []byte(string(b.varsTail) + `,` + ext + `}`)
	} else {
		b.prefix = []byte(`{` + opName + `"query":` + string(q) + `,"variables":{"` + variable + `":"`)
		b.suffix = []byte(string(b.varsTail) + `}`)
	}
	return b
}

func (b *bodies) build(dst []byte, code string) []byte {
	if b.fixed {
		return append(dst[:0], b.prefix...)
	}
	dst = append(append(dst[:0], b.prefix...), code...)
	return append(dst, b.suffix...)
}

func (b *bodies) register(code string) []byte {
	if b.fixed {
		return b.registration
	}
	r := append(append([]byte{}, b.registration...), code...)
	r = append(r, b.varsTail...)
	return append(r, '}')
}

type worker struct {
	cl       client
	rng      *rand.Rand
	codes    []string
	body     *bodies
	buf      []byte
	h        hist
	errors   int64
	firstErr string
}

func (w *worker) one(code string) (time.Time, time.Duration) {
	w.buf = w.body.build(w.buf, code)
	t := time.Now()
	status, resp, err := w.cl.do(w.buf)
	d := time.Since(t)
	if err != nil || status != http.StatusOK || bytes.Contains(resp, []byte(`"errors"`)) {
		w.errors++
		if w.firstErr == "" {
			w.firstErr = fmt.Sprintf("status %d, err %v, body %s", status, err, resp)
		}
	}
	return t, d
}

func (w *worker) code() string {
	if len(w.codes) == 0 {
		return ""
	}
	return w.codes[w.rng.IntN(len(w.codes))]
}

// timed sends requests until end, recording those started at or after from.
func (w *worker) timed(from, end time.Time) {
	for {
		t, d := w.one(w.code())
		if t.Before(from) {
			w.errors = 0 // warm-up errors are not counted
			w.firstErr = ""
			continue
		}
		if t.After(end) {
			return
		}
		w.h.record(d)
	}
}

// pass sends each code once, shared out among the workers.
func (w *worker) pass(next *atomic.Int64) {
	for {
		i := next.Add(1) - 1
		if i >= int64(len(w.codes)) {
			return
		}
		_, d := w.one(w.codes[i])
		w.h.record(d)
	}
}

// client sends one request body and returns the status and body.
type client interface {
	do(body []byte) (status int, resp []byte, err error)
	close()
}

// rawClient is one keep-alive HTTP/1.1 connection: the request is written
// with one system call, the response parsed by net/http.
type rawClient struct {
	addr    string
	head    []byte
	timeout time.Duration
	conn    net.Conn
	br      *bufio.Reader
	wbuf    []byte
	rbuf    bytes.Buffer
}

func newRawClient(u *url.URL, token string, timeout time.Duration) *rawClient {
	path := u.RequestURI()
	head := "POST " + path + " HTTP/1.1\r\nHost: " + u.Host +
		"\r\nContent-Type: application/json\r\nAccept: application/json\r\nUser-Agent: credithub-loadgen\r\n"
	if token != "" {
		head += "Authorization: Bearer " + token + "\r\n"
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return &rawClient{addr: addr, head: []byte(head + "Content-Length: "), timeout: timeout}
}

func (c *rawClient) do(body []byte) (int, []byte, error) {
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", c.addr, c.timeout)
		if err != nil {
			return 0, nil, err
		}
		c.conn = conn
		c.br = bufio.NewReaderSize(conn, 16<<10)
	}
	c.wbuf = append(c.wbuf[:0], c.head...)
	c.wbuf = strconv.AppendInt(c.wbuf, int64(len(body)), 10)
	c.wbuf = append(append(c.wbuf, "\r\n\r\n"...), body...)
	c.conn.SetDeadline(time.Now().Add(c.timeout))
	if _, err := c.conn.Write(c.wbuf); err != nil {
		c.close()
		return 0, nil, err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		c.close()
		return 0, nil, err
	}
	c.rbuf.Reset()
	_, err = c.rbuf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil || resp.Close {
		c.close()
	}
	return resp.StatusCode, c.rbuf.Bytes(), err
}

func (c *rawClient) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// httpClient uses net/http's Client with a Transport that keeps one idle
// connection per client.
type httpClient struct {
	hc         *http.Client
	url, token string
	rbuf       bytes.Buffer
}

func newHTTPClient(clients int, timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: &http.Transport{
		MaxIdleConns:        clients * 2,
		MaxIdleConnsPerHost: clients * 2,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
		DialContext:         (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext,
	}}
}

func (c *httpClient) do(body []byte) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	c.rbuf.Reset()
	_, err = c.rbuf.ReadFrom(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, c.rbuf.Bytes(), err
}

func (c *httpClient) close() {}
