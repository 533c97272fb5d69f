package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/export"
	"github.com/credithub/credithub/internal/testenv"
)

func TestExportWritesFilesMarksThemAndSendsNothingTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, dbURL := testenv.DBWithURL(t)
	f := testenv.NewFixtures(t, db)
	const dept = "11210600MB0000001X"
	f.Department(dept, "丹东市市场监督管理局")
	org := f.Subject(testenv.USCC(1), credit.LegalPerson, "丹东导出有限公司")
	f.Licence(org, dept, "2026-11-02")
	f.Penalty(org, dept, "2026-11-03", credit.General, 500000)
	f.Penalty(org, dept, "2026-11-04", credit.Serious, 12345678)

	getenv := func(name string) string {
		if name == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	cli := func(args ...string) (string, string, error) {
		var stdout, stderr bytes.Buffer
		err := run(ctx, append([]string{"export"}, args...), getenv, &stdout, &stderr)
		return stdout.String(), stderr.String(), err
	}
	pending := func() int {
		n := 0
		for _, k := range []credit.RecordKind{credit.RecordKindLicence, credit.RecordKindPenalty} {
			c, err := db.OutboxPending(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			n += c
		}
		return n
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "2026-11-27.csv")
	lics, pens := filepath.Join(dir, "2026-11-27-licences.csv"), filepath.Join(dir, "2026-11-27-penalties.csv")

	// A dry run writes the files and marks nothing.
	if _, stderr, err := cli("--since", "2026-01-01", "--out", out, "--dry-run"); err != nil || !strings.Contains(stderr, "dry run: would export 2 penalties, 1 licences") {
		t.Fatalf("dry run: got %q, %v", stderr, err)
	}
	if n := pending(); n != 3 {
		t.Fatalf("after a dry run: %d pending, want 3", n)
	}

	_, stderr, err := cli("--since", "2026-01-01", "--format", "双公示-csv", "--out", out)
	summary := regexp.MustCompile(`exported 2 penalties, 1 licences to (\S+) and (\S+) \(batch (\S+)\)\n$`).FindStringSubmatch(stderr)
	if err != nil || summary == nil || summary[1] != lics || summary[2] != pens {
		t.Fatalf("got %q, %v; want the summary naming both files", stderr, err)
	}
	if !strings.Contains(stderr, "penalties: 2 written\n") {
		t.Errorf("no progress line in %q", stderr)
	}
	if n := pending(); n != 0 {
		t.Fatalf("after the export: %d pending, want 0", n)
	}
	rows := readCSV(t, pens)
	if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(export.PenaltyColumns, ",") {
		t.Fatalf("penalties file: %v", rows)
	}
	if fk := rows[2][indexOf(rows[0], "CF_NR_FK")]; fk != "12.345678" {
		t.Errorf("123456.78 yuan: got CF_NR_FK %q, want 12.345678 万元", fk)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the directory holds %d files, want the two exports and no temporary file", len(entries))
	}

	// Nothing is left: the next export is two header-only files.
	if _, stderr, err := cli("--since", "2026-01-01", "--out", out); err != nil || !strings.Contains(stderr, "exported 0 penalties, 0 licences") {
		t.Fatalf("second export: got %q, %v", stderr, err)
	}
	if rows := readCSV(t, lics); len(rows) != 1 {
		t.Fatalf("second export's licences: %v, want the header only", rows)
	}

	// A re-send of the penalties as JSON Lines on standard output.
	stdout, stderr, err := cli("--since", "2026-01-01T00:00:00+08:00", "--kind", "penalties", "--format", "jsonl", "--all")
	if err != nil || strings.Count(stdout, "\n") != 2 || !strings.Contains(stdout, `"CF_NR_FK":"0.5"`) ||
		!strings.Contains(stderr, "exported 2 penalties, 0 licences to standard output") {
		t.Fatalf("jsonl re-send: got %q and %q, %v", stdout, stderr, err)
	}

	for _, bad := range [][]string{
		{"--out", out},            // no --since
		{"--since", "yesterday"},  // not a time
		{"--since", "2026-01-01"}, // CSV of both kinds to standard output
		{"--since", "2026-01-01", "--kind", "lists", "--out", out},
		{"--since", "2026-01-01", "--format", "xml", "--out", out},
		{"--since", "2026-01-01", "--out", out, "--mark", "--dry-run"},
	} {
		if _, _, err := cli(bad...); err == nil {
			t.Errorf("%v: want an error", bad)
		}
	}
	if stdout, _, err := cli("--help"); err != nil || !strings.Contains(stdout, "Usage: credithub export --since TIME") {
		t.Errorf("--help: got %v and %q on stdout", err, stdout)
	}
}

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
