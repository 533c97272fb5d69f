package cache_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/ratelimit"
	"github.com/credithub/credithub/internal/testenv"
)

// On a Redis Cluster a multi-key command or transaction runs only when all
// its keys are in one hash slot. The coherence keys (epoch, write sequence,
// generations) are read and written together, so their builders must put
// them in one slot whatever the prefix and the subject code; two
// deployments' keys, and answers, spread over the cluster.

func TestHashSlotMatchesRedisCluster(t *testing.T) {
	t.Parallel()
	// Values from the Redis Cluster specification and CLUSTER KEYSLOT.
	for key, want := range map[string]int{"123456789": 0x31c3 % 16384, "foo": 12182, "bar": 5061,
		"{user1000}.following": 3443, "{user1000}.followers": 3443, "foo{}{bar}": 8363, "foo{{bar}}zap": 4015} {
		if got := testenv.HashSlot(key); got != want {
			t.Errorf("HashSlot(%q) = %d, want %d", key, got, want)
		}
	}
}

func TestCoherenceKeysOfADeploymentShareOneHashSlot(t *testing.T) {
	t.Parallel()
	codes := []string{"91210602MA0000101W", "210602199001011234", "", "{x}", "a}b{c", "MASKED-1"}
	for i := range 200 {
		sum := sha256.Sum256(fmt.Appendf(nil, "code %d", i))
		codes = append(codes, hex.EncodeToString(sum[:9]))
	}
	slots := map[int]bool{}
	for _, prefix := range []string{"", "credithub:", cache.PrefixFor("7311234567890 credithub"), "credithub-test:0a1b2c:", "x"} {
		c, err := cache.Open(cache.Options{URL: testenv.RedisURL(), Prefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		slot := testenv.HashSlot(c.EpochKey())
		slots[slot] = true
		if s := testenv.HashSlot(c.SeqKey()); s != slot {
			t.Errorf("prefix %q: the sequence %q is in slot %d, the epoch %q in %d", prefix, c.SeqKey(), s, c.EpochKey(), slot)
		}
		for _, code := range codes {
			if s := testenv.HashSlot(c.GenKey(code)); s != slot {
				t.Errorf("prefix %q: the generation %q is in slot %d, the epoch in %d", prefix, c.GenKey(code), s, slot)
			}
		}
		answers := map[int]bool{}
		for i := range 64 {
			answers[testenv.HashSlot(c.Key(fmt.Sprintf("resp:%064x", i)))] = true
		}
		if len(answers) < 32 {
			t.Errorf("prefix %q: 64 answers fall in %d slots; they should spread over the cluster", prefix, len(answers))
		}
	}
	if len(slots) < 4 {
		t.Errorf("5 deployments' coherence keys fall in %d slots; a deployment's tag should be its own", len(slots))
	}
	if _, err := cache.Open(cache.Options{URL: testenv.RedisURL(), Prefix: "a{b}:"}); err == nil {
		t.Error("a prefix with a brace was accepted: it could move the coherence keys' hash slot")
	}
}

// Every command the cache and the rate limiter send, run against one
// Redis, is checked by a hook for the slots of its keys: a future
// multi-key command across slots fails here, without a cluster.
func TestEveryMultiKeyCommandStaysInOneHashSlot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := testenv.Cache(t)
	guard := testenv.NewSlotGuard(t)
	c.AddHook(guard)

	codes := []string{"91210602MA0000101W", "91210602MA0000102X", "210602199001011234"}
	if err := c.Client().Del(ctx, c.EpochKey()).Err(); err != nil { // Redis "lost its keys": a new epoch
		t.Fatal(err)
	}
	g, ok := store(t, c, "resp:a", "answer", codes...)
	if !ok {
		t.Fatal("not stored")
	}
	if body, ok := served(t, c, "resp:a"); !ok || body != "answer" {
		t.Fatalf("got %q %v", body, ok)
	}
	if err := c.Invalidate(ctx, codes...); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.Current(ctx, g); err != nil || ok {
		t.Fatalf("after the invalidation: current %v, %v", ok, err)
	}
	if err := c.InvalidateAll(ctx); err != nil {
		t.Fatal(err)
	}
	apq := c.PersistedQueries(time.Minute)
	apq.Add(ctx, "abc", "{ __typename }")
	if q, ok := apq.Get(ctx, "abc"); !ok || q != "{ __typename }" {
		t.Fatalf("persisted query: got %q %v", q, ok)
	}
	rl := ratelimit.New(c, ratelimit.Limits{Default: 6000})
	for range 3 {
		if d := rl.Allow(ctx, credit.RoleBank, "key-1"); !d.Allowed || d.Degraded {
			t.Fatalf("rate limit: %+v", d)
		}
	}
	// Store's and Current's MGETs and the two invalidation transactions.
	if n := guard.Checked(); n < 4 {
		t.Errorf("the guard saw %d multi-key commands, want at least 4", n)
	}
}
