// Package push delivers the assignments of the joint workflow to the
// implementing departments' live subscriptions (assignmentPushed).
//
// A push is written to push_outbox in the transaction that creates the
// assignment, which also NOTIFYs the channel store.PushChannel with the
// assignment's id. PostgreSQL delivers a notification only when that
// transaction commits, to every listening session: so every server's Hub
// hears of every committed push, and of no rolled-back one.
//
// Subscriptions carry live pushes only. What was pushed while a client was
// not subscribed, while its subscription had been closed for being slow,
// or while a hub's connection was down, is not replayed: the durable view
// is myAssignments, which a client reads when it (re)subscribes.
// push_outbox.delivered_at records the first time a push reached a
// subscriber on some server; rows that stay empty were seen by nobody live.
package push

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// DefaultBuffer is how many pushes a subscriber may have unread before its
// subscription is closed.
const DefaultBuffer = 64

// drainMax bounds how many waiting notifications one delivery loads with a
// single statement.
const drainMax = 100

// Hub listens for committed pushes and fans them out to the subscribers of
// each department in this process. It is safe for concurrent use.
type Hub struct {
	db     *store.DB
	l      *pq.Listener
	log    *slog.Logger
	buffer int
	now    func() time.Time

	mu     sync.Mutex
	subs   map[string]map[*subscriber]struct{}
	closed bool
	done   chan struct{}
}

type subscriber struct {
	ch   chan credit.Assignment
	gone chan struct{}
}

// Option configures a Hub.
type Option func(*Hub)

// WithBuffer sets how many pushes a subscriber may have unread (at least 1).
func WithBuffer(n int) Option {
	return func(h *Hub) {
		if n > 0 {
			h.buffer = n
		}
	}
}

// WithLogger sets the hub's logger.
func WithLogger(l *slog.Logger) Option { return func(h *Hub) { h.log = l } }

// Listen connects a hub to the database at url, on a connection of its own
// (pq.Listener, which reconnects by itself), and starts delivering. It
// returns once the hub listens, so a push committed after it returns
// reaches the hub's subscribers; it gives up when ctx ends first. db loads
// the pushed assignments and records deliveries. Close the hub when done.
func Listen(ctx context.Context, url string, db *store.DB, opts ...Option) (*Hub, error) {
	h := &Hub{db: db, log: slog.Default(), buffer: DefaultBuffer, now: time.Now,
		subs: map[string]map[*subscriber]struct{}{}, done: make(chan struct{})}
	for _, o := range opts {
		o(h)
	}
	h.l = pq.NewListener(url, 100*time.Millisecond, 10*time.Second, h.event)
	listening := make(chan error, 1)
	go func() { listening <- h.l.Listen(store.PushChannel) }()
	select {
	case err := <-listening:
		if err != nil {
			h.l.Close()
			return nil, err
		}
	case <-ctx.Done():
		h.l.Close()
		return nil, ctx.Err()
	}
	go h.run()
	return h, nil
}

func (h *Hub) event(ev pq.ListenerEventType, err error) {
	switch ev {
	case pq.ListenerEventDisconnected, pq.ListenerEventConnectionAttemptFailed:
		h.log.Warn("push hub: lost the database; reconnecting", "event", ev.String(), "err", err)
	case pq.ListenerEventReconnected:
		h.log.Info("push hub: listening again; pushes made meanwhile are in myAssignments, not replayed")
	}
}

// Subscribe returns the pushes to department from now on. The channel is
// closed when ctx ends, when the hub closes, or when the subscriber falls
// more than the buffer behind: the hub never waits for a slow reader, and
// such a client subscribes again and reads myAssignments for what it
// missed.
func (h *Hub) Subscribe(ctx context.Context, department string) <-chan credit.Assignment {
	s := &subscriber{ch: make(chan credit.Assignment, h.buffer), gone: make(chan struct{})}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		close(s.ch)
		return s.ch
	}
	if h.subs[department] == nil {
		h.subs[department] = map[*subscriber]struct{}{}
	}
	h.subs[department][s] = struct{}{}
	h.mu.Unlock()
	go func() {
		select {
		case <-ctx.Done():
			h.mu.Lock()
			h.drop(department, s)
			h.mu.Unlock()
		case <-s.gone:
		}
	}()
	return s.ch
}

// Subscribers returns how many subscriptions department has on this hub.
func (h *Hub) Subscribers(department string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[department])
}

// drop ends a subscription; h.mu is held.
func (h *Hub) drop(department string, s *subscriber) {
	if _, ok := h.subs[department][s]; !ok {
		return
	}
	delete(h.subs[department], s)
	if len(h.subs[department]) == 0 {
		delete(h.subs, department)
	}
	close(s.ch)
	close(s.gone)
}

// Close stops listening and closes every subscription.
func (h *Hub) Close() error {
	err := h.l.Close()
	<-h.done
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for dept, subs := range h.subs {
		for s := range subs {
			h.drop(dept, s)
		}
	}
	return err
}

// run delivers notifications until the listener closes. A nil notification
// follows a reconnection: what was pushed meanwhile is not replayed (see
// the package comment). The periodic ping makes a silently dead connection
// fail, so that the listener reconnects.
func (h *Hub) run() {
	defer close(h.done)
	ping := time.NewTicker(90 * time.Second)
	defer ping.Stop()
	for {
		select {
		case n, ok := <-h.l.Notify:
			if !ok {
				return
			}
			ids := h.appendID(nil, n)
			for open := true; open && len(ids) < drainMax; {
				select {
				case n, ok := <-h.l.Notify:
					if !ok {
						h.deliver(ids)
						return
					}
					ids = h.appendID(ids, n)
				default:
					open = false
				}
			}
			h.deliver(ids)
		case <-ping.C:
			go func() { _ = h.l.Ping() }()
		}
	}
}

func (h *Hub) appendID(ids []int64, n *pq.Notification) []int64 {
	if n == nil {
		return ids
	}
	id, err := strconv.ParseInt(n.Extra, 10, 64)
	if err != nil {
		h.log.Error("push hub: a notification that is not an assignment id", "payload", n.Extra)
		return ids
	}
	return append(ids, id)
}

// deliver loads the pushed assignments in one statement, hands each to the
// subscribers of its department without waiting, and records those that
// reached at least one. A failure is logged: the pushes stay in the outbox
// and in myAssignments.
func (h *Hub) deliver(ids []int64) {
	if len(ids) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	as, err := h.db.AssignmentsByIDs(ctx, ids)
	if err != nil {
		h.log.Error("push hub: load pushed assignments", "ids", ids, "err", err)
		return
	}
	var delivered []int64
	h.mu.Lock()
	for _, a := range as {
		reached := false
		for s := range h.subs[a.DepartmentCode] {
			select {
			case s.ch <- a:
				reached = true
			default:
				h.log.Warn("push hub: a subscriber fell behind; closing its subscription", "department", a.DepartmentCode)
				h.drop(a.DepartmentCode, s)
			}
		}
		if reached {
			delivered = append(delivered, a.ID)
		}
	}
	h.mu.Unlock()
	if len(delivered) == 0 {
		return
	}
	if err := h.db.MarkDelivered(ctx, delivered, h.now()); err != nil && !errors.Is(err, context.Canceled) {
		h.log.Error("push hub: record deliveries", "ids", delivered, "err", err)
	}
}
