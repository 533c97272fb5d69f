package testenv

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The engines beyond the shared PostgreSQL and Redis — a Redis Cluster and
// a PostgreSQL streaming replica — are started by the project's scripts
// (scripts/redis-cluster.sh, scripts/pg-replica.sh) on loopback ports, once
// per test binary when they are not running already, and left running for
// the other test binaries of the same `make test`, which stops them at the
// end when tests started them (the scripts' --if-marked). A test that needs
// one skips, saying why, when the engine cannot start here (redis-server or
// pg_basebackup missing, the primary not accepting replication); with
// CREDITHUB_REQUIRE_ENGINES=1 it fails instead.

var (
	clusterOnce  sync.Once
	clusterSeeds []string
	clusterErr   error

	replicaOnce sync.Once
	replicaURL  string
	replicaErr  error
)

// RedisCluster returns the seed addresses (host:port) of the project's
// Redis Cluster of three masters and three replicas (scripts/redis-cluster.sh,
// ports 18401-18406 unless REDIS_CLUSTER_PORTS says otherwise), starting it
// when it is not running. Tests share the cluster: keep keys under a prefix
// of the test's own and delete them. It skips t only where redis-server or
// redis-cli is not installed (and not under `make test`).
func RedisCluster(t testing.TB) []string {
	t.Helper()
	clusterOnce.Do(func() {
		for _, tool := range []string{"redis-server", "redis-cli"} {
			if _, err := exec.LookPath(tool); err != nil {
				clusterErr = &engineMissing{fmt.Sprintf("%s is not installed (Debian: redis-server, redis-tools)", tool)}
				return
			}
		}
		if _, clusterErr = runScript("redis-cluster.sh", "start", "REDIS_CLUSTER_MARK=test"); clusterErr != nil {
			return
		}
		var out string
		if out, clusterErr = runScript("redis-cluster.sh", "seeds"); clusterErr == nil {
			clusterSeeds = strings.Split(strings.TrimSpace(out), ",")
		}
	})
	// Redis comes with the project (scripts/services.sh installs it): a
	// cluster that does not start where redis-server is installed is a
	// failure, and under `make test` (REQUIRE_BROWSER=1) so is a missing
	// redis-server.
	var missing *engineMissing
	if clusterErr != nil && (!errors.As(clusterErr, &missing) || os.Getenv("REQUIRE_BROWSER") == "1") {
		t.Fatalf("testenv: Redis Cluster: %v", clusterErr)
	}
	skipOrFail(t, "Redis Cluster", clusterErr)
	return clusterSeeds
}

// PGReplica returns the server URL (database postgres) of a streaming
// replica of the test server (ServerURL), made with pg_basebackup by
// scripts/pg-replica.sh on port 18450 unless PG_REPLICA_PORT says
// otherwise, starting it when it is not running.
func PGReplica(t testing.TB) string {
	t.Helper()
	replicaOnce.Do(func() {
		if _, err := exec.LookPath("pg_basebackup"); err != nil {
			replicaErr = &engineMissing{"pg_basebackup is not installed (Debian: postgresql)"}
			return
		}
		u, err := url.Parse(ServerURL())
		if err != nil {
			replicaErr = err
			return
		}
		port := u.Port()
		if port == "" {
			port = "5432"
		}
		if _, replicaErr = runScript("pg-replica.sh", "start", "PG_REPLICA_MARK=test",
			"PG_REPLICA_PRIMARY="+u.Hostname()+":"+port); replicaErr != nil {
			return
		}
		var out string
		if out, replicaErr = runScript("pg-replica.sh", "url"); replicaErr == nil {
			replicaURL = strings.TrimSpace(out)
		}
	})
	skipOrFail(t, "PostgreSQL replica", replicaErr)
	return replicaURL
}

// ReplicaOf returns the URL of primaryURL's database on the replica
// (PGReplica): the same database, read-only, as far as the replica has
// replayed. A database created a moment ago exists there only once the
// replica has replayed its creation (WaitReplayed).
func ReplicaOf(t testing.TB, primaryURL string) string {
	t.Helper()
	r, err := url.Parse(PGReplica(t))
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	p, err := url.Parse(primaryURL)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	r.Path = p.Path
	return r.String()
}

// engineMissing is an engine this machine cannot run: a reason to skip.
type engineMissing struct{ why string }

func (e *engineMissing) Error() string { return e.why }

// skipOrFail skips t when the engine could not start (or fails it with
// CREDITHUB_REQUIRE_ENGINES=1).
func skipOrFail(t testing.TB, engine string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CREDITHUB_REQUIRE_ENGINES") == "1" {
		t.Fatalf("testenv: %s: %v", engine, err)
	}
	var missing *engineMissing
	if errors.As(err, &missing) {
		t.Skipf("testenv: no %s here: %v", engine, err)
	}
	t.Skipf("testenv: the %s could not start (CREDITHUB_REQUIRE_ENGINES=1 makes this a failure): %v", engine, err)
}

// runScript runs scripts/NAME from the module's root with extra environment
// variables and returns its standard output; its standard error is in the
// error when it fails.
func runScript(name, arg string, env ...string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	// A first pg_basebackup copies the whole primary: allow for a large one.
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(root, "scripts", name), arg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("scripts/%s %s: %w: %s", name, arg, err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// moduleRoot is the directory of go.mod above the working directory (a
// test runs in its package's directory).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testenv: no go.mod above the working directory")
		}
		dir = parent
	}
}

// WaitReplayed waits, at most 30 s, until the replica has replayed the
// primary's WAL up to where the primary had written it when called (its
// pg_current_wal_lsn, compared with the replica's pg_last_wal_replay_lsn),
// and returns that position.
func WaitReplayed(t testing.TB, primary, replica *sql.DB) string {
	t.Helper()
	ctx := context.Background()
	var lsn string
	if err := primary.QueryRowContext(ctx, `SELECT CAST(pg_current_wal_lsn() AS text)`).Scan(&lsn); err != nil {
		t.Fatalf("testenv: the primary's WAL position: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var done bool
		err := replica.QueryRowContext(ctx, `SELECT pg_last_wal_replay_lsn() >= CAST($1 AS pg_lsn)`, lsn).Scan(&done)
		if err == nil && done {
			return lsn
		}
		if time.Now().After(deadline) {
			t.Fatalf("testenv: the replica has not replayed %s within 30 s (last error: %v)", lsn, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
