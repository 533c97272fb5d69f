package service

import (
	"context"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/ratelimit"
)

// Request is one GraphQL operation as the hub serves it, created once by
// the transport (HTTP or a WebSocket operation) and passed down the
// pipeline: authenticate → limit → cache → execute → log → answer. It holds
// what every stage needs: who asks and may see what, the day the answer is
// for, and what the execution read — the subjects whose records it shows,
// with the purpose each was read for (the query-use log), and whether the
// answer rests only on data the cache's generations cover.
type Request struct {
	Caller credit.Caller
	Access credit.Access
	// Day is "today" for the whole request, fixed when it arrived, so that
	// an answer computed across midnight is one day's answer.
	Day     credit.Date
	Arrived time.Time
	// Operation is the GraphQL operation's name (or "anonymous operation").
	Operation string

	mu sync.Mutex
	// reads are the subjects read, by purpose, in the order first read.
	reads    []Read
	readIdx  map[string]int             // purpose → index in reads
	readSeen map[string]map[string]bool // purpose → codes
	// dependsOn are generations the answer rests on besides the subjects
	// it read (allRecords for a statistic); they are not logged.
	dependsOn map[string]bool
	// uncacheable says why the answer may not be stored whole ("" if it may).
	uncacheable string
	// logged is set once the reads are in the query-use log.
	logged bool
	// snapshot is what Redis said before the execution read PostgreSQL
	// (the cache stage), for storing the answer.
	snapshot cache.Snapshot
	// quota is the rate limit's decision on this request.
	quota ratelimit.Decision
}

// Read is what one request read for one purpose.
type Read struct {
	Purpose string   `json:"p,omitempty"`
	Codes   []string `json:"c"`
}

type requestKey struct{}

// NewRequest starts a request of caller now.
func (s *Service) NewRequest(caller credit.Caller) *Request {
	now := s.now()
	a := credit.AccessOf(caller.Role)
	if a.IDMask != credit.ShowFullID {
		a.Refs = s.entityRefs(context.Background())
	}
	return &Request{Caller: caller, Access: a, Day: credit.DateOf(now), Arrived: now,
		Operation: "anonymous operation"}
}

// WithRequest returns ctx carrying r (and r's caller).
func WithRequest(ctx context.Context, r *Request) context.Context {
	return context.WithValue(credit.WithCaller(ctx, r.Caller), requestKey{}, r)
}

// RequestFrom returns the request of ctx, or nil outside the pipeline.
func RequestFrom(ctx context.Context) *Request {
	r, _ := ctx.Value(requestKey{}).(*Request)
	return r
}

// SetOperation names the request's operation once it is parsed.
func (r *Request) SetOperation(name string) {
	if name == "" {
		name = "anonymous operation"
	}
	r.mu.Lock()
	r.Operation = name
	r.mu.Unlock()
}

// OperationName is the operation's name ("anonymous operation" before the
// document is parsed, or when it has none).
func (r *Request) OperationName() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.Operation
}

// Read records that the request showed the records of the subjects with
// codes, for purpose.
func (r *Request) Read(purpose string, codes ...string) {
	if len(codes) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.readIdx == nil {
		r.readIdx, r.readSeen = map[string]int{}, map[string]map[string]bool{}
	}
	i, ok := r.readIdx[purpose]
	if !ok {
		i = len(r.reads)
		r.readIdx[purpose] = i
		r.reads = append(r.reads, Read{Purpose: purpose})
		r.readSeen[purpose] = map[string]bool{}
	}
	seen := r.readSeen[purpose]
	for _, c := range codes {
		if c != "" && !seen[c] {
			seen[c] = true
			r.reads[i].Codes = append(r.reads[i].Codes, c)
		}
	}
}

// Reads returns what the request read, by purpose, each group's codes sorted.
func (r *Request) Reads() []Read {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Read, len(r.reads))
	for i, rd := range r.reads {
		codes := append([]string(nil), rd.Codes...)
		sort.Strings(codes)
		out[i] = Read{Purpose: rd.Purpose, Codes: codes}
	}
	return out
}

// ReadCodes returns every subject the request read, once each, sorted:
// what a cached answer rests on.
func (r *Request) ReadCodes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, rd := range r.reads {
		for _, c := range rd.Codes {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	sort.Strings(out)
	return out
}

// DependOn records that the answer rests on the generation code besides
// the subjects it read.
func (r *Request) DependOn(code string) {
	r.mu.Lock()
	if r.dependsOn == nil {
		r.dependsOn = map[string]bool{}
	}
	r.dependsOn[code] = true
	r.mu.Unlock()
}

// generations returns every generation the answer rests on, once each,
// sorted: the subjects it read and what it depends on besides.
func (r *Request) generations() []string {
	codes := r.ReadCodes()
	r.mu.Lock()
	for c := range r.dependsOn {
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	r.mu.Unlock()
	sort.Strings(codes)
	return codes
}

// countsEveryRecord records that the answer of ctx's request is a
// statistic: it rests on every record, so any write makes it stale.
func countsEveryRecord(ctx context.Context) {
	if r := RequestFrom(ctx); r != nil {
		r.DependOn(allRecords)
	}
}

// Uncacheable records that the answer rests on data the generations do not
// cover (a search, a list of entries, the query-use log, a write), so it
// is never stored whole.
func (r *Request) Uncacheable(why string) {
	r.mu.Lock()
	if r.uncacheable == "" {
		r.uncacheable = why
	}
	r.mu.Unlock()
}

// Cacheable reports whether the answer may be stored whole, and if not why.
func (r *Request) Cacheable() (bool, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.uncacheable == "", r.uncacheable
}

// uncacheable marks the request of ctx (if any) as not cacheable.
func uncacheable(ctx context.Context, why string) {
	if r := RequestFrom(ctx); r != nil {
		r.Uncacheable(why)
	}
}

// today is the request's day, or the service's today outside a request.
func (s *Service) today(ctx context.Context) credit.Date {
	if r := RequestFrom(ctx); r != nil {
		return r.Day
	}
	return s.Today()
}
