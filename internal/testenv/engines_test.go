package testenv

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"
	"github.com/redis/go-redis/v9"
)

// The scripts' engines really are what they claim: a cluster that spreads
// keys over three masters and answers through go-redis's ClusterClient, and
// a replica that replays the primary's writes and refuses its own.

func TestRedisClusterServesWritesAndReadsAcrossMasters(t *testing.T) {
	seeds := RedisCluster(t)
	ctx := context.Background()
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: seeds})
	defer c.Close()
	prefix := "credithub-test:" + randomSuffix() + ":"
	t.Cleanup(func() {
		_ = c.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
			iter := m.Scan(ctx, 0, prefix+"*", 1000).Iterator()
			for iter.Next(ctx) {
				m.Del(ctx, iter.Val())
			}
			return nil
		})
	})

	const n = 300
	for i := range n {
		if err := c.Set(ctx, fmt.Sprintf("%s%d", prefix, i), i, 0).Err(); err != nil {
			t.Fatalf("SET through the cluster: %v", err)
		}
	}
	for i := range n {
		got, err := c.Get(ctx, fmt.Sprintf("%s%d", prefix, i)).Int()
		if err != nil || got != i {
			t.Fatalf("GET %d: got %d, %v; want %d", i, got, err, i)
		}
	}
	// The keys are spread over the masters: each holds some of them.
	// ForEachMaster calls the function on every master at once.
	var mu sync.Mutex
	var masters, holding int
	err := c.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
		keys, err := m.Keys(ctx, prefix+"*").Result()
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		masters++
		if len(keys) > 0 {
			holding++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if masters != 3 || holding != 3 {
		t.Errorf("got %d masters, %d of them holding keys; want 3 and 3", masters, holding)
	}
	// A multi-key command works within one hash slot ({tag}) and is refused
	// across slots, as a real cluster does.
	tagged := []string{prefix + "{s1}a", prefix + "{s1}b"}
	if err := c.MSet(ctx, tagged[0], "1", tagged[1], "2").Err(); err != nil {
		t.Fatalf("MSET in one slot: %v", err)
	}
	if vals, err := c.MGet(ctx, tagged...).Result(); err != nil || vals[0] != "1" || vals[1] != "2" {
		t.Fatalf("MGET in one slot: got %v, %v", vals, err)
	}
	m, err := c.MasterForKey(ctx, prefix+"0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.MGet(ctx, prefix+"0", prefix+"1", prefix+"2", prefix+"3").Err(); err == nil ||
		(!strings.Contains(err.Error(), "CROSSSLOT") && !strings.Contains(err.Error(), "MOVED")) {
		t.Errorf("MGET across slots on one node: got %v, want CROSSSLOT or MOVED", err)
	}
}

func TestPGReplicaReplaysThePrimarysWrites(t *testing.T) {
	primaryURL, replicaURL := ReplicatedDatabase(t)
	ctx := context.Background()
	primary, err := sql.Open("postgres", primaryURL)
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Close()
	server, err := sql.Open("postgres", PGReplica(t))
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()

	if _, err := primary.ExecContext(ctx, `CREATE TABLE replica_probe (id int PRIMARY KEY, note text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := primary.ExecContext(ctx, `INSERT INTO replica_probe VALUES (1, 'written on the primary')`); err != nil {
		t.Fatal(err)
	}
	lsn := WaitReplayed(t, primary, server)

	replica, err := sql.Open("postgres", replicaURL)
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close()
	var inRecovery bool
	var replayed string
	if err := replica.QueryRowContext(ctx, `SELECT pg_is_in_recovery(), CAST(pg_last_wal_replay_lsn() AS text)`).
		Scan(&inRecovery, &replayed); err != nil {
		t.Fatal(err)
	}
	if !inRecovery {
		t.Fatalf("the replica at %s is not in recovery: it is a primary", replicaURL)
	}
	var ahead bool
	if err := replica.QueryRowContext(ctx, `SELECT CAST($1 AS pg_lsn) >= CAST($2 AS pg_lsn)`, replayed, lsn).Scan(&ahead); err != nil || !ahead {
		t.Fatalf("replayed %s, want at least the primary's %s (%v)", replayed, lsn, err)
	}
	var note string
	if err := replica.QueryRowContext(ctx, `SELECT note FROM replica_probe WHERE id = 1`).Scan(&note); err != nil {
		t.Fatalf("reading the primary's write on the replica: %v", err)
	}
	if note != "written on the primary" {
		t.Errorf("got %q on the replica, want the primary's row", note)
	}
	// A later write shows up only once replayed: the row is not there
	// before the primary writes it, and is after its LSN is replayed.
	if _, err := primary.ExecContext(ctx, `UPDATE replica_probe SET note = 'second write' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	WaitReplayed(t, primary, server)
	if err := replica.QueryRowContext(ctx, `SELECT note FROM replica_probe WHERE id = 1`).Scan(&note); err != nil || note != "second write" {
		t.Errorf("after replay: got %q, %v; want the second write", note, err)
	}
	// And it is read-only.
	_, err = replica.ExecContext(ctx, `INSERT INTO replica_probe VALUES (2, 'written on the replica')`)
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) || pqErr.Code != pqerror.ReadOnlySQLTransaction {
		t.Errorf("writing on the replica: got %v, want read_only_sql_transaction", err)
	}
}

// HashSlot, which the key-builder tests use without a cluster, agrees with
// the cluster itself.
func TestHashSlotAgreesWithClusterKeyslot(t *testing.T) {
	seeds := RedisCluster(t)
	c := redis.NewClient(&redis.Options{Addr: seeds[0]})
	defer c.Close()
	for _, k := range []string{"foo", "credithub:0a1b2c3d4e5f:{9f8e7d6c}:gen:91210602MA0000101W",
		"credithub:0a1b2c3d4e5f:resp:ab12", "foo{}{bar}", "foo{{bar}}zap", "a{b}c{d}", "汉字{代码}"} {
		want, err := c.ClusterKeySlot(context.Background(), k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if got := HashSlot(k); int64(got) != want {
			t.Errorf("HashSlot(%q) = %d, CLUSTER KEYSLOT says %d", k, got, want)
		}
	}
}
