// Package interop_test runs tools from outside Go against a real hub
// started in this process (graph.NewHandler behind internal/web, on a real
// PostgreSQL and Redis): the graphql-http audit suite and an Apollo
// federation gateway with a second subgraph, both from npm (test/node,
// installed by scripts/node-deps.sh). Checks the hub does not pass yet are
// written as tests that skip with "needs the new pipeline: …", so that
// they can be turned on as the pipeline lands.
package interop_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/ratelimit"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
	"github.com/credithub/credithub/internal/web"
)

// hub is one hub server on a loopback port.
type hub struct {
	url  string // the GraphQL endpoint
	db   *store.DB
	keys map[credit.Role]string
	// keyIDs are the keys' caller IDs ("key:7"), as the query-use log has them.
	keyIDs map[credit.Role]string
	org    string // a legal person's code
	rep    string // its legal representative's citizen ID number
}

const dept = "11210600MB0000001X"

// startHub serves a hub on a fresh database with an organisation and its
// legal representative; production turns introspection off as
// CREDITHUB_ENV=production does.
func startHub(t *testing.T, production bool) *hub {
	t.Helper()
	ctx := context.Background()
	db := testenv.DB(t)
	redis := testenv.Cache(t)
	f := testenv.NewFixtures(t, db)
	f.Department(dept, "丹东市市场监督管理局")
	h := &hub{db: db, keys: map[credit.Role]string{}, keyIDs: map[credit.Role]string{}, org: testenv.USCC(15), rep: testenv.CitizenID(15)}
	org := f.Subject(h.org, credit.LegalPerson, "丹东联邦测试有限公司")
	person := f.Subject(h.rep, credit.NaturalPerson, "王小明")
	f.KeyPerson(org, person, credit.LegalRepresentative, "2020-01-01", "")
	authn, err := auth.New(ctx, db, auth.JWTConfig{}, production)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []credit.Role{credit.RoleCreditOffice, credit.RoleDashboard, credit.RoleBank, credit.RoleRouter} {
		key, stored, err := auth.CreateKey(ctx, db, auth.KeySpec{Role: role, Institution: "互通测试 " + string(role)}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		h.keys[role], h.keyIDs[role] = key, fmt.Sprintf("key:%d", stored.ID)
	}
	// The audit sends a few dozen requests as PUBLIC, whose default limit is 60 a minute.
	limits := ratelimit.Limits{Default: 100000, ByRole: map[credit.Role]int{credit.RolePublic: 100000}}
	uses := audit.NewQueryLog(db, audit.QueryLogOptions{})
	t.Cleanup(func() { uses.Close(context.Background()) })
	svc := service.New(db, service.WithCache(redis), service.WithPersistedQueries(redis), service.WithRateLimits(redis, limits),
		service.WithQueryLog(uses))
	log := slog.New(slog.DiscardHandler)
	gql := graph.NewHandler(svc, graph.HandlerOptions{Auth: authn, Log: log, Introspection: !production, Production: production,
		Timeout: 10 * time.Second})
	// The global provider: a no-op until trace_test.go installs one.
	srv := httptest.NewServer(web.New(web.Options{GraphQL: gql, DB: db, Redis: redis, Log: log, TracerProvider: otel.GetTracerProvider()}))
	t.Cleanup(srv.Close)
	h.url = srv.URL + web.PathGraphQL
	return h
}

var nodeDeps struct {
	once sync.Once
	err  error
	out  []byte
}

// node runs script (in test/node) with env and stdin, and returns its
// standard output. It skips the test when Node.js is not installed, and
// installs the npm packages (scripts/node-deps.sh) when they are missing.
func node(t *testing.T, script string, env []string, stdin []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: the npm tools of this test cannot run (scripts/node-deps.sh installs Node.js as root; make test runs it)")
	}
	dir, err := filepath.Abs("../node")
	if err != nil {
		t.Fatal(err)
	}
	nodeDeps.once.Do(func() {
		nodeDeps.out, nodeDeps.err = exec.Command("../../scripts/node-deps.sh").CombinedOutput()
	})
	if nodeDeps.err != nil {
		t.Fatalf("scripts/node-deps.sh: %v\n%s", nodeDeps.err, nodeDeps.out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append(env, "APOLLO_TELEMETRY_DISABLED=true", "NO_COLOR=1")...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, stderr.String())
	}
	if s := strings.TrimSpace(stderr.String()); s != "" {
		t.Logf("node %s wrote to stderr:\n%s", script, s)
	}
	return out
}
