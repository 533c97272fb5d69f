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

// The engines beyond the shared PostgreSQL and Redis — a Redis Cluster, and
// a PostgreSQL streaming replica of a small primary of the tests' own — are
// started by the project's scripts (scripts/redis-cluster.sh,
// scripts/pg-primary.sh, scripts/pg-replica.sh) on loopback ports, once
// per test binary when they are not running already, and left running for
// the other test binaries of the same `make test`, which stops them at the
// end when tests started them (the scripts' --if-marked). A test that needs
// one skips, saying why, when the engine cannot start here (redis-server or
// pg_basebackup missing, the primary not accepting replication); with
// CREDITHUB_REQUIRE_ENGINES=1 it fails instead. The PostgreSQL pair is
// stricter: it skips only when PostgreSQL's programs are not installed,
// and fails when they are and the pair does not start.

var (
	clusterOnce  sync.Once
	clusterSeeds []string
	clusterErr   error

	primaryOnce sync.Once
	primaryURL  string
	primaryErr  error

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

// PGPrimary returns the server URL (database postgres) of the tests' own
// small PostgreSQL primary (scripts/pg-primary.sh, port 18451 unless
// PG_PRIMARY_PORT says otherwise), starting it when it is not running. The
// replica streams from it, not from the shared server: pg_basebackup copies
// every database of its primary, and the shared server may hold large
// benchmark databases.
func PGPrimary(t testing.TB) string {
	t.Helper()
	primaryOnce.Do(func() {
		if _, err := exec.LookPath("pg_basebackup"); err != nil {
			primaryErr = &engineMissing{"the PostgreSQL server programs are not installed (Debian: postgresql)"}
			return
		}
		if _, primaryErr = runScript("pg-primary.sh", "start", "PG_PRIMARY_MARK=test"); primaryErr != nil {
			return
		}
		var out string
		if out, primaryErr = runScript("pg-primary.sh", "url"); primaryErr == nil {
			primaryURL = strings.TrimSpace(out)
		}
	})
	skipOrFail(t, "PostgreSQL primary of the tests' own", strict(primaryErr))
	return primaryURL
}

// PGReplica returns the server URL (database postgres) of a streaming
// replica of the tests' own primary (PGPrimary), made with pg_basebackup by
// scripts/pg-replica.sh on port 18450 unless PG_REPLICA_PORT says
// otherwise, starting it when it is not running.
func PGReplica(t testing.TB) string {
	t.Helper()
	primary := PGPrimary(t)
	replicaOnce.Do(func() {
		u, err := url.Parse(primary)
		if err != nil {
			replicaErr = err
			return
		}
		if _, replicaErr = runScript("pg-replica.sh", "start", "PG_REPLICA_MARK=test",
			"PG_REPLICA_PRIMARY="+u.Host); replicaErr != nil {
			return
		}
		var out string
		if out, replicaErr = runScript("pg-replica.sh", "url"); replicaErr != nil {
			return
		}
		replicaURL = strings.TrimSpace(out)
		replicaErr = sameSystem(primary, replicaURL)
	})
	skipOrFail(t, "PostgreSQL replica", strict(replicaErr))
	return replicaURL
}

// sameSystem checks that the server at replica is a copy of primary: a
// replica someone started by hand on the port may stream from another.
func sameSystem(primary, replica string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var ids [2]string
	for i, u := range []string{primary, replica} {
		db, err := sql.Open("postgres", u)
		if err != nil {
			return err
		}
		err = db.QueryRowContext(ctx, `SELECT CAST(system_identifier AS text) FROM pg_control_system()`).Scan(&ids[i])
		db.Close()
		if err != nil {
			return fmt.Errorf("system identifier of %s: %w", u, err)
		}
	}
	if ids[0] != ids[1] {
		return fmt.Errorf("the server at %s is not a replica of %s (system %s, not %s); stop it (scripts/pg-replica.sh stop)", replica, primary, ids[1], ids[0])
	}
	return nil
}

// ReplicatedDatabase creates a fresh migrated database for t on the tests'
// own primary (PGPrimary), waits until the replica (PGReplica) has
// replayed its creation, and returns its URL on each.
func ReplicatedDatabase(t testing.TB) (primaryURL, replicaURL string) {
	t.Helper()
	server := PGReplica(t)
	primaryURL = newDatabaseOn(t, PGPrimary(t))
	replicaURL = ReplicaOf(t, primaryURL)
	p, err := sql.Open("postgres", PGPrimary(t))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	r, err := sql.Open("postgres", server)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	WaitReplayed(t, p, r)
	return primaryURL, replicaURL
}

// ReplicaOf returns the URL of primaryURL's database (on PGPrimary) on the
// replica (PGReplica): the same database, read-only, as far as the replica
// has replayed. A database created a moment ago exists there only once the
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

// strict turns a failure to start an engine that is installed into one
// that fails the test (engineBroken), leaving "not installed" a skip.
func strict(err error) error {
	var missing *engineMissing
	if err == nil || errors.As(err, &missing) {
		return err
	}
	return &engineBroken{err}
}

// engineBroken is an installed engine that did not start: a failure.
type engineBroken struct{ err error }

func (e *engineBroken) Error() string { return e.err.Error() }
func (e *engineBroken) Unwrap() error { return e.err }

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
	var broken *engineBroken
	if os.Getenv("CREDITHUB_REQUIRE_ENGINES") == "1" || errors.As(err, &broken) {
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
