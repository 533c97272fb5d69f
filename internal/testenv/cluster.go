package testenv

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/credithub/credithub/internal/cache"
)

// ClusterCache returns a cache on the project's Redis Cluster (RedisCluster)
// with a key prefix of t's own; its keys are deleted when t ends. It skips
// t when the cluster cannot run here (see RedisCluster).
func ClusterCache(t testing.TB) *cache.Cache {
	t.Helper()
	return ClusterCacheWith(t, "credithub-test:"+randomSuffix()+":", time.Second)
}

// ClusterCacheWith is ClusterCache with the given key prefix and command
// timeout; several caches with one prefix are several servers of one
// deployment.
func ClusterCacheWith(t testing.TB, prefix string, timeout time.Duration) *cache.Cache {
	t.Helper()
	seeds := RedisCluster(t)
	c, err := cache.Open(cache.Options{URL: RedisURL(), ClusterAddrs: seeds, Prefix: prefix, Timeout: timeout})
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	if err := c.Ping(context.Background()); err != nil {
		t.Fatalf("testenv: Redis Cluster at %s: %v", strings.Join(seeds, ","), err)
	}
	t.Cleanup(func() {
		if cc, ok := c.Client().(*redis.ClusterClient); ok {
			deleteOnMasters(cc, prefix)
		}
		c.Close()
	})
	return c
}

// deleteOnMasters deletes the keys starting with prefix on every master.
func deleteOnMasters(c *redis.ClusterClient, prefix string) {
	ctx := context.Background()
	_ = c.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
		iter := m.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			m.Del(ctx, iter.Val())
		}
		return nil
	})
}

// ClusterFailover makes a replica of the master that serves key take its
// place (CLUSTER FAILOVER on the replica: the master stops taking writes,
// the replica catches up with it and is promoted, no acknowledged write is
// lost) and waits, at most 15 s, until the cluster serves every slot again
// with the replica as master. It returns the addresses of the old and the
// new master.
func ClusterFailover(t testing.TB, key string) (from, to string) {
	t.Helper()
	seeds := RedisCluster(t)
	ctx := context.Background()
	slot := HashSlot(key)
	master, replica, err := slotNodes(ctx, seeds, slot)
	if err != nil {
		t.Fatalf("testenv: failover of slot %d: %v", slot, err)
	}
	rc := redis.NewClient(&redis.Options{Addr: replica})
	defer rc.Close()
	if err := rc.Do(ctx, "CLUSTER", "FAILOVER").Err(); err != nil {
		t.Fatalf("testenv: CLUSTER FAILOVER on %s: %v", replica, err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		m, _, err := slotNodes(ctx, seeds, slot)
		if err == nil && m == replica && clusterOK(ctx, seeds) {
			return master, replica
		}
		if time.Now().After(deadline) {
			t.Fatalf("testenv: %s did not take slot %d over from %s within 15 s (last: %s, %v)", replica, slot, master, m, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// slotNodes asks the cluster (the first seed that answers) which master
// serves slot, and names one of its replicas that is not failing.
func slotNodes(ctx context.Context, seeds []string, slot int) (master, replica string, err error) {
	var nodes string
	for _, s := range seeds {
		c := redis.NewClient(&redis.Options{Addr: s, DialTimeout: time.Second, ReadTimeout: time.Second})
		nodes, err = c.ClusterNodes(ctx).Result()
		c.Close()
		if err == nil {
			break
		}
	}
	if err != nil {
		return "", "", err
	}
	type node struct{ id, addr, flags, masterID string }
	var all []node
	masterID := ""
	for _, line := range strings.Split(strings.TrimSpace(nodes), "\n") {
		f := strings.Fields(line)
		if len(f) < 8 {
			continue
		}
		n := node{id: f[0], addr: strings.SplitN(f[1], "@", 2)[0], flags: f[2], masterID: f[3]}
		all = append(all, n)
		if !strings.Contains(n.flags, "master") || strings.Contains(n.flags, "fail") {
			continue
		}
		for _, r := range f[8:] {
			lo, hi, found := strings.Cut(r, "-")
			if !found {
				hi = lo
			}
			var a, b int
			if _, err := fmt.Sscan(lo, &a); err != nil {
				continue
			}
			if _, err := fmt.Sscan(hi, &b); err != nil {
				continue
			}
			if a <= slot && slot <= b {
				master, masterID = n.addr, n.id
			}
		}
	}
	if master == "" {
		return "", "", fmt.Errorf("no master serves slot %d", slot)
	}
	for _, n := range all {
		if n.masterID == masterID && strings.Contains(n.flags, "slave") && !strings.Contains(n.flags, "fail") {
			return master, n.addr, nil
		}
	}
	return master, "", fmt.Errorf("master %s of slot %d has no replica", master, slot)
}

// clusterOK reports whether every seed says the cluster serves every slot.
func clusterOK(ctx context.Context, seeds []string) bool {
	for _, s := range seeds {
		c := redis.NewClient(&redis.Options{Addr: s, DialTimeout: time.Second, ReadTimeout: time.Second})
		info, err := c.ClusterInfo(ctx).Result()
		c.Close()
		if err != nil || !strings.Contains(info, "cluster_state:ok") {
			return false
		}
	}
	return true
}

// HashSlot is the Redis Cluster hash slot of key: CRC16 (XMODEM) of the
// key, or of its hash tag — what lies between the first { and the first }
// after it, when that is not empty — modulo 16384.
func HashSlot(key string) int {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			key = key[i+1 : i+1+j]
		}
	}
	var crc uint16
	for k := 0; k < len(key); k++ {
		crc ^= uint16(key[k]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return int(crc) % 16384
}
