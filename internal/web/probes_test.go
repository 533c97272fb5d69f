package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
	"github.com/credithub/credithub/internal/web"
)

// quiet discards the access log of tests that are not about it.
var quiet = slog.New(slog.DiscardHandler)

// get sends a GET through h and returns the response.
func get(t *testing.T, h http.Handler, path string) (int, http.Header, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Header(), rec.Body.String()
}

// graphQLStub stands for graph.NewHandler: it answers with the request id
// it sees in its context.
var graphQLStub = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"data":{"requestId":"`+web.RequestID(r.Context())+`"}}`)
})

func TestUnknownPathsAnswer404AndGraphiQLOnlyAtTheRoot(t *testing.T) {
	t.Parallel()
	h := web.New(web.Options{Log: quiet, GraphQL: graphQLStub, GraphiQL: true})
	for _, p := range []string{"/anything", "/readyz/", "/livez/x", "/graphql/x", "/index.html", "/graphiql/", "/graphiql/missing.js", "/metrics"} {
		if code, _, body := get(t, h, p); code != http.StatusNotFound {
			t.Errorf("GET %s: got %d %.60q, want 404", p, code, body)
		}
	}
	code, hdr, page := get(t, h, "/")
	if code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: got %d %s, want the GraphiQL page", code, hdr.Get("Content-Type"))
	}
	// Every script and stylesheet comes from the binary, and the integrity
	// the page demands matches the bytes served, so the page renders
	// offline instead of staying blank.
	refs := regexp.MustCompile(`(?s)(?:src|href)="([^"]+)"\s+integrity="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(refs) != 4 {
		t.Fatalf("got %d scripts and stylesheets with integrity, want 4 (GraphiQL js and css, React, ReactDOM):\n%s", len(refs), page)
	}
	for _, ref := range refs {
		if !strings.HasPrefix(ref[1], "/graphiql/") {
			t.Errorf("the page loads %s from elsewhere than the binary", ref[1])
			continue
		}
		code, hdr, body := get(t, h, ref[1])
		sum := sha256.Sum256([]byte(body))
		if code != http.StatusOK || "sha256-"+base64.StdEncoding.EncodeToString(sum[:]) != html.UnescapeString(ref[2]) {
			t.Errorf("GET %s: got %d, %d bytes not matching %s", ref[1], code, len(body), ref[2])
		}
		if hdr.Get("Cache-Control") == "" {
			t.Errorf("GET %s has no Cache-Control", ref[1])
		}
	}
	if strings.Contains(page, "https://") {
		t.Errorf("the page refers to the internet: %s", regexp.MustCompile(`https://[^"' ]+`).FindString(page))
	}
	if code, _, _ := get(t, h, "/graphiql/LICENSE.graphiql"); code != http.StatusOK {
		t.Errorf("the vendored licence is not served: %d", code)
	}
}

func TestGraphiQLOffServesNeitherPageNorFiles(t *testing.T) {
	t.Parallel()
	h := web.New(web.Options{Log: quiet, GraphQL: graphQLStub, GraphiQL: false})
	for _, p := range []string{"/", "/graphiql/graphiql.min.js"} {
		if code, _, _ := get(t, h, p); code != http.StatusNotFound {
			t.Errorf("GET %s with GraphiQL off: got %d, want 404", p, code)
		}
	}
	if code, _, body := get(t, h, "/graphql"); code != http.StatusOK || !strings.Contains(body, "requestId") {
		t.Errorf("/graphql: got %d %q, want the GraphQL handler", code, body)
	}
}

func TestLivezAnswersWithoutDependencies(t *testing.T) {
	t.Parallel()
	h := web.New(web.Options{Log: quiet, GraphQL: graphQLStub}) // no database at all
	if code, _, body := get(t, h, "/livez"); code != http.StatusOK || body != "ok\n" {
		t.Fatalf("got %d %q, want 200 ok", code, body)
	}
	if code, _, _ := get(t, h, "/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("readyz without a database: got %d, want 503", code)
	}
}

func readiness(t *testing.T, h http.Handler, path string) (int, web.Readiness) {
	t.Helper()
	code, hdr, body := get(t, h, path)
	var r web.Readiness
	if err := json.Unmarshal([]byte(body), &r); err != nil || hdr.Get("Content-Type") != "application/json" {
		t.Fatalf("%s: %v %s in %q", path, err, hdr.Get("Content-Type"), body)
	}
	return code, r
}

func TestReadyzWhenPostgresIsMigratedWhetherOrNotRedisAnswers(t *testing.T) {
	t.Parallel()
	db, dbURL := testenv.DBWithURL(t)
	deadRedis, err := cache.Open(cache.Options{URL: "redis://127.0.0.1:18299/0", Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer deadRedis.Close()
	for _, tc := range []struct {
		name  string
		db    *store.DB
		redis *cache.Cache
		want  string
	}{
		{"Redis up", db, testenv.Cache(t), "ok"},
		{"Redis down", db, deadRedis, "unavailable"},
		{"as the serving role", openAsApp(t, dbURL), nil, "not configured"},
	} {
		h := web.New(web.Options{Log: quiet, GraphQL: graphQLStub, DB: tc.db, Redis: tc.redis})
		for _, path := range []string{"/readyz", "/healthz"} {
			code, r := readiness(t, h, path)
			m := r.Postgres.Migrations
			if code != http.StatusOK || r.Status != "ready" || r.Postgres.Status != "ok" || m == nil ||
				m.Applied != m.Embedded || m.Embedded == 0 || len(m.Pending) != 0 || r.Redis.Status != tc.want {
				t.Errorf("%s %s: got %d %+v %+v, want 200 ready, every migration applied, Redis %s", tc.name, path, code, r, m, tc.want)
			}
		}
	}
}

func TestReadyzRefusesAPendingMigrationAndAnUnreachableDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	h := web.New(web.Options{Log: quiet, GraphQL: graphQLStub, DB: db})
	var latest int64
	if err := db.SQL().QueryRowContext(ctx, `SELECT max(version_id) FROM goose_db_version`).Scan(&latest); err != nil {
		t.Fatal(err)
	}
	// As if this binary carried one migration more than the database has.
	if _, err := db.SQL().ExecContext(ctx, `DELETE FROM goose_db_version WHERE version_id = $1`, latest); err != nil {
		t.Fatal(err)
	}
	code, r := readiness(t, h, "/readyz")
	if code != http.StatusServiceUnavailable || r.Status != "not ready" || r.Postgres.Status != "migrations pending" ||
		r.Postgres.Migrations == nil || len(r.Postgres.Migrations.Pending) != 1 || r.Postgres.Migrations.Pending[0] != latest {
		t.Errorf("one migration pending: got %d %+v %+v, want 503 naming version %d", code, r, r.Postgres.Migrations, latest)
	}
	// A database never migrated: goose's table does not even exist.
	if _, err := db.SQL().ExecContext(ctx, `DROP TABLE goose_db_version`); err != nil {
		t.Fatal(err)
	}
	code, r = readiness(t, h, "/healthz")
	if code != http.StatusServiceUnavailable || r.Postgres.Migrations == nil || r.Postgres.Migrations.Applied != 0 ||
		len(r.Postgres.Migrations.Pending) != r.Postgres.Migrations.Embedded {
		t.Errorf("never migrated: got %d %+v %+v, want 503 with every migration pending", code, r, r.Postgres.Migrations)
	}
	db.Close()
	code, r = readiness(t, h, "/readyz")
	if code != http.StatusServiceUnavailable || r.Postgres.Status != "unreachable" {
		t.Errorf("closed pool: got %d %+v, want 503 unreachable", code, r)
	}
}

// openAsApp connects to dbURL as credithub_app, the role the server runs
// as in production, which may read goose's table but not write it.
func openAsApp(t *testing.T, dbURL string) *store.DB {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User("credithub_app")
	db, err := store.Open(context.Background(), u.String(), 1)
	if err != nil {
		t.Fatalf("connect as credithub_app: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
