package main

import (
	"context"
	"fmt"
	"time"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/config"
	"github.com/credithub/credithub/internal/store"
)

// openCache connects to Redis with the deployment's key prefix: REDIS_PREFIX,
// or one derived from the database's identity, so that two hubs on two
// databases that share a Redis never see each other's answers, counters or
// persisted queries, while every server (and the import and reference
// commands) of one deployment shares them. With REDIS_CLUSTER_ADDRS it is a
// Redis Cluster. With DATABASE_REPLICA_URL it also sends db's hot reads to
// the replica, with the cache as the write position board.
func openCache(ctx context.Context, cfg config.Config, db *store.DB, timeout time.Duration) (*cache.Cache, string, error) {
	prefix := cfg.RedisPrefix
	if prefix == "" {
		id, err := db.Identity(ctx)
		if err != nil {
			return nil, "", fmt.Errorf("the database's identity (for the Redis key prefix; set REDIS_PREFIX to name one): %w", err)
		}
		prefix = cache.PrefixFor(id)
	}
	c, err := cache.Open(cache.Options{URL: cfg.RedisURL, ClusterAddrs: cfg.RedisClusterAddrs, Prefix: prefix, Timeout: timeout})
	if err != nil {
		return nil, "", err
	}
	// Every process that invalidates the cache records its writes'
	// positions on the same board before it does, so that no server fills
	// the cache from a replica that has not replayed them.
	if cfg.DatabaseReplicaURL != "" {
		if err := db.UseReplica(ctx, cfg.DatabaseReplicaURL, store.ReplicaOptions{
			MaxConns: cfg.DBMaxConns, MaxLag: cfg.ReplicaMaxLag, Board: c,
		}); err != nil {
			c.Close()
			return nil, "", err
		}
	}
	return c, prefix, nil
}
