package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/testenv"
)

func TestSeedPrintsItsSummaryOnce(t *testing.T) {
	t.Parallel()
	dbURL := testenv.NewDatabase(t)
	getenv := func(name string) string {
		if name == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"seed", "--subjects", "20", "--today", "2026-11-27"}, getenv, &stdout, &stderr); err != nil {
		t.Fatalf("seed: %v\n%s", err, stderr.String())
	}
	all := stdout.String() + stderr.String()
	if n := strings.Count(all, "departments,"); n != 1 || !strings.HasPrefix(stdout.String(), "20 subjects (") {
		t.Errorf("the summary appears %d times; stdout %q, stderr %q; want it once, on stdout", n, stdout.String(), stderr.String())
	}
}
