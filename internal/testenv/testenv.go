// Package testenv gives each test a real, migrated PostgreSQL database of
// its own, and a Redis key prefix of its own, so that tests run in parallel
// against the real services and never see each other's data.
package testenv

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/migrations"
)

// ServerURL is the PostgreSQL server tests use (TEST_DATABASE_URL), with
// any database name; make test sets nothing and gets the local server.
func ServerURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// templates are the migrated template databases, one per server.
var templates = struct {
	sync.Mutex
	byServer map[string]*template
}{byServer: map[string]*template{}}

type template struct {
	once sync.Once
	name string
	err  error
}

// DBWithURL is DB that also returns the database's URL (for tools that
// open their own connection, such as a LISTEN hub).
func DBWithURL(t testing.TB) (*store.DB, string) {
	t.Helper()
	url := NewDatabase(t)
	db, err := store.Open(context.Background(), url, 4)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, url
}

// DB returns a connection to a fresh database created for t from a migrated
// template, dropped when t ends.
func DB(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), NewDatabase(t), 4)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// NewDatabase creates a fresh migrated database for t and returns its URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	return newDatabaseOn(t, ServerURL())
}

// newDatabaseOn is NewDatabase on the server of the URL server.
func newDatabaseOn(t testing.TB, server string) string {
	t.Helper()
	templates.Lock()
	tm := templates.byServer[server]
	if tm == nil {
		tm = &template{}
		templates.byServer[server] = tm
	}
	templates.Unlock()
	tm.once.Do(func() { tm.name, tm.err = ensureTemplate(server) })
	if tm.err != nil {
		t.Fatalf("testenv: migrated template database: %v", tm.err)
	}
	admin := adminDB(t, server)
	name := "credithub_test_" + randomSuffix()
	if _, err := admin.Exec(`CREATE DATABASE ` + pq.QuoteIdentifier(name) + ` TEMPLATE ` + pq.QuoteIdentifier(tm.name)); err != nil {
		t.Fatalf("testenv: create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + pq.QuoteIdentifier(name) + ` WITH (FORCE)`); err != nil {
			t.Errorf("testenv: drop database %s: %v", name, err)
		}
		admin.Close()
	})
	return withDatabase(server, name)
}

func adminDB(t testing.TB, server string) *sql.DB {
	t.Helper()
	db, err := sql.Open("postgres", server)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	return db
}

// ensureTemplate builds (once per migration set, shared by every test
// process) a template database with every migration applied. Its name
// carries a hash of the migrations, so a changed migration builds a new one.
func ensureTemplate(server string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	hash, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "credithub_template_" + hash
	admin, err := sql.Open("postgres", server)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", fmt.Errorf("connect to %s: %w (is PostgreSQL running? make test starts it)", server, err)
	}
	defer conn.Close()
	// Test binaries of several packages run at once: one builds, the others wait.
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(4242)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(4242)`)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		stampTemplate(ctx, conn, name)
		return name, nil
	}
	if err := dropStaleTemplates(ctx, conn); err != nil {
		return "", err
	}
	building := name + "_building"
	if _, err := conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(building)+` WITH (FORCE)`); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(building)+
		` TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`); err != nil {
		return "", err
	}
	db, err := store.Open(ctx, withDatabase(server, building), 1)
	if err != nil {
		return "", err
	}
	_, err = db.MigrateUp(ctx)
	db.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+pq.QuoteIdentifier(building)+` RENAME TO `+pq.QuoteIdentifier(name)); err != nil {
		return "", err
	}
	stampTemplate(ctx, conn, name)
	return name, nil
}

// dropStaleTemplates drops the templates of other migration sets that
// nobody has built or used for a day. Several checkouts (branches, CI) may
// test against one server at once, each with its own migrations: a template
// another checkout is using must not vanish under it, so a template is
// stamped with the time it was last used (a comment) and only old ones go.
func dropStaleTemplates(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, `SELECT d.datname FROM pg_database d
		LEFT JOIN pg_shdescription c ON c.objoid = d.oid AND c.classoid = 'pg_database'::regclass
		WHERE d.datname LIKE 'credithub\_template\_%'
		  AND COALESCE(CAST(NULLIF(c.description, '') AS timestamptz), '-infinity') < now() - interval '1 day'`)
	if err != nil {
		return err
	}
	var stale []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		stale = append(stale, n)
	}
	rows.Close()
	for _, n := range stale {
		// Not FORCE: a template in use right now stays.
		_, _ = conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(n))
	}
	return nil
}

// stampTemplate records that the template name is in use now.
func stampTemplate(ctx context.Context, conn *sql.Conn, name string) {
	_, _ = conn.ExecContext(ctx, `COMMENT ON DATABASE `+pq.QuoteIdentifier(name)+` IS `+
		pq.QuoteLiteral(time.Now().UTC().Format(time.RFC3339)))
}

func migrationsHash() (string, error) {
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := fs.ReadFile(migrations.FS, n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

func withDatabase(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomSuffix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}
