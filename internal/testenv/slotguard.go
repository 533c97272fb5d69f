package testenv

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
)

// SlotGuard is a go-redis hook that fails t whenever a client sends a
// command a Redis Cluster would refuse for its keys: a multi-key command
// (MGET, DEL of several keys, a script with several KEYS) or a MULTI/EXEC
// transaction whose keys are not all in one hash slot. Plain pipelines may
// span slots: go-redis splits them by node. Which arguments are keys is
// asked of the Redis at RedisURL (COMMAND GETKEYS), so a command added
// later is checked too. It also counts the multi-key commands and
// transactions it saw, so a test can tell it checked something.
type SlotGuard struct {
	t    testing.TB
	keys *redis.Client

	mu      sync.Mutex
	checked int
}

// NewSlotGuard returns a guard failing t; add it to a client with AddHook.
func NewSlotGuard(t testing.TB) *SlotGuard {
	t.Helper()
	opts, err := redis.ParseURL(RedisURL())
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	g := &SlotGuard{t: t, keys: redis.NewClient(opts)}
	t.Cleanup(func() { g.keys.Close() })
	return g
}

// Checked is how many multi-key commands and transactions the guard saw.
func (g *SlotGuard) Checked() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.checked
}

func (g *SlotGuard) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

func (g *SlotGuard) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		g.check(ctx, []redis.Cmder{cmd})
		return next(ctx, cmd)
	}
}

func (g *SlotGuard) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if len(cmds) > 0 && strings.EqualFold(cmds[0].Name(), "multi") {
			g.check(ctx, cmds) // a transaction: one slot for all
		} else {
			for _, cmd := range cmds {
				g.check(ctx, []redis.Cmder{cmd})
			}
		}
		return next(ctx, cmds)
	}
}

// check fails the test if the keys of cmds are in more than one slot.
func (g *SlotGuard) check(ctx context.Context, cmds []redis.Cmder) {
	var keys []string
	for _, cmd := range cmds {
		switch strings.ToLower(cmd.Name()) {
		case "multi", "exec", "ping", "hello", "client", "select", "auth", "cluster", "command":
			continue
		}
		args := append([]any{"COMMAND", "GETKEYS"}, cmd.Args()...)
		ks, err := g.keys.Do(context.WithoutCancel(ctx), args...).StringSlice()
		if err != nil {
			continue // a command without keys
		}
		keys = append(keys, ks...)
	}
	if len(keys) < 2 {
		return
	}
	g.mu.Lock()
	g.checked++
	g.mu.Unlock()
	slot := HashSlot(keys[0])
	for _, k := range keys[1:] {
		if HashSlot(k) != slot {
			g.t.Errorf("testenv: %s spans hash slots (%q in %d, %q in %d): a Redis Cluster refuses it",
				describe(cmds), keys[0], slot, k, HashSlot(k))
			return
		}
	}
}

func describe(cmds []redis.Cmder) string {
	if len(cmds) == 1 {
		return strings.ToUpper(cmds[0].Name())
	}
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = strings.ToUpper(c.Name())
	}
	return fmt.Sprintf("the transaction %s", strings.Join(names, " "))
}
