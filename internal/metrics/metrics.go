// Package metrics has the Prometheus collectors of the hub's process and
// pools: PostgreSQL's connection pool (database/sql's statistics), Redis'
// (go-redis' pool statistics) and the build. Each family is there from the
// first scrape, at 0 where nothing happened yet. Request, cache and
// rate-limit metrics live with the code that counts them.
package metrics

import (
	"database/sql"
	"runtime"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Sources are what the collectors read.
type Sources struct {
	// DB is the PostgreSQL pool (store.DB.SQL()).
	DB *sql.DB
	// Redis is the cache's client (cache.Cache.Client()); nil: no Redis
	// families.
	Redis PoolStatser
	// QueryLog is the query-use log; nil: no credithub_query_log families.
	QueryLog QueryLogStatser
	// Replica is the database's read router (store.DB with a replica);
	// nil: no replica families.
	Replica ReplicaStatser
	// Version and Revision are the binary's version and commit (set at
	// build time; Revision defaults to the commit the Go toolchain stamped).
	Version, Revision string
}

// Register adds the collectors to reg.
func Register(reg prometheus.Registerer, s Sources) error {
	cs := []prometheus.Collector{NewBuildInfo(s.Version, s.Revision)}
	if s.DB != nil {
		// client_golang's collector over sql.DBStats: go_sql_open_connections,
		// go_sql_in_use_connections, go_sql_idle_connections,
		// go_sql_wait_count_total, go_sql_wait_duration_seconds_total, … with
		// db_name="credithub".
		cs = append(cs, collectors.NewDBStatsCollector(s.DB, "credithub"))
	}
	if s.Redis != nil {
		cs = append(cs, NewRedisPool(s.Redis))
	}
	if s.QueryLog != nil {
		cs = append(cs, NewQueryLog(s.QueryLog))
	}
	if s.Replica != nil {
		cs = append(cs, NewReplica(s.Replica))
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// NewBuildInfo returns credithub_build_info, always 1, whose labels say
// which build runs: version, revision (the commit given, else the one the
// Go toolchain stamped, else "unknown") and goversion.
func NewBuildInfo(version, revision string) prometheus.Collector {
	if bi, ok := debug.ReadBuildInfo(); ok && revision == "" {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				revision = s.Value
			}
		}
	}
	if version == "" {
		version = "dev"
	}
	if revision == "" {
		revision = "unknown"
	}
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        "credithub_build_info",
		Help:        "Always 1; the labels say which build of the hub runs.",
		ConstLabels: prometheus.Labels{"version": version, "revision": revision, "goversion": runtime.Version()},
	}, func() float64 { return 1 })
}
