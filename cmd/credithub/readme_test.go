package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/testenv"
)

// The README's table of rules is what `credithub rules show --all
// --markdown` prints for the migrations' baseline, so the documentation
// cannot drift from the data. To update it, run the command on a freshly
// migrated database and paste its output between the markers.
func TestREADMERulesTableIsGenerated(t *testing.T) {
	t.Parallel()
	_, dbURL := testenv.DBWithURL(t)
	getenv := func(name string) string {
		if name == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"rules", "show", "--all", "--markdown"}, getenv, &stdout, &stderr); err != nil {
		t.Fatalf("rules show: %v\n%s", err, stderr.String())
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- rules:begin (credithub rules show --all --markdown) -->\n", "<!-- rules:end -->"
	s := string(readme)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no rules table between %q and %q", begin, end)
	}
	if got := s[i+len(begin) : j]; got != stdout.String() {
		t.Errorf("README.md's rules table differs from `credithub rules show --all --markdown`; replace it with:\n%s", stdout.String())
	}
}
