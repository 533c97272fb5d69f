package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/seed"
	"github.com/credithub/credithub/internal/testenv"
)

func TestImportThroughTheCommandLine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, dbURL := testenv.DBWithURL(t)
	if err := seed.Departments(ctx, db.SQL()); err != nil {
		t.Fatal(err)
	}
	getenv := func(name string) string {
		if name == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	cli := func(args ...string) (string, string, error) {
		var stdout, stderr bytes.Buffer
		err := run(ctx, args, getenv, &stdout, &stderr)
		return stdout.String(), stderr.String(), err
	}
	dir := t.TempDir()
	copyFile := func(name string) string {
		b, err := os.ReadFile(filepath.Join("../../testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	sample, gbk := copyFile("penalties-sample.csv"), copyFile("penalties-gbk.csv")
	rejectsPath := filepath.Join(dir, "penalties-sample.rejects.csv")

	out, _, err := cli("import", "penalties", "--no-cache", sample)
	want := "penalties: 22 rows: 13 accepted (13 new, 0 updated, 0 unchanged), 9 rejected → " + rejectsPath + "; "
	if err != nil || !strings.HasPrefix(out, want) || !strings.Contains(out, "registered 19 subjects, linked 7 legal representatives, 3 rows stored with warnings") {
		t.Fatalf("first import: got %q, %v; want it to start %q", out, err, want)
	}
	got, err := os.ReadFile(rejectsPath)
	if err != nil {
		t.Fatal(err)
	}
	expected, _ := os.ReadFile("../../testdata/penalties-sample.expected-rejects.csv")
	if !bytes.Equal(got, expected) {
		t.Errorf("reject file:\n%s\nwant\n%s", got, expected)
	}

	// The GBK export of the same rows, flags after the file.
	out, _, err = cli("import", "penalties", gbk, "--no-cache", "--rejects", filepath.Join(dir, "gbk.rejects.csv"))
	if err != nil || !strings.HasPrefix(out, "penalties: 22 rows: 13 accepted (0 new, 0 updated, 13 unchanged), 9 rejected → ") ||
		!strings.Contains(out, "gb18030") {
		t.Errorf("GBK import: got %q, %v", out, err)
	}

	// A file without bad rows leaves no reject file, and removes a stale one.
	b, _ := os.ReadFile(sample)
	good := filepath.Join(dir, "good.csv")
	if err := os.WriteFile(good, []byte(strings.Join(strings.SplitN(string(b), "\r\n", 4)[:3], "\r\n")+"\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "good.rejects.csv")
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err = cli("import", "penalties", "--no-cache", good)
	if err != nil || !strings.HasPrefix(out, "penalties: 2 rows: 2 accepted (0 new, 0 updated, 2 unchanged), 0 rejected; ") {
		t.Errorf("good file: got %q, %v", out, err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale reject file: got %v, want it removed", err)
	}

	out, _, err = cli("audit", "verify")
	// The first import's chunk registered subjects: a row for them and one
	// for its records; the re-runs registered nothing: one row each.
	if err != nil || !strings.HasPrefix(out, "audit chain intact: 4 rows") {
		t.Errorf("audit: got %q, %v; want one row per committed step that wrote", out, err)
	}
	for _, bad := range [][]string{
		{"import", "penalties"},
		{"import", "fines", sample},
		{"import", "licences", "--no-cache", sample},
		{"import", "penalties", "--no-cache", "--department", "NOPE", sample},
	} {
		if _, _, err := cli(bad...); err == nil {
			t.Errorf("%v: got no error", bad)
		} else if len(bad) > 3 && credit.CodeOf(err) != credit.BadUserInput {
			t.Errorf("%v: got %v, want BAD_USER_INPUT", bad, err)
		}
	}
}
