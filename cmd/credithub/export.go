package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/export"
	"github.com/credithub/credithub/internal/service"
)

const exportUsage = `Usage: credithub export --since TIME [--format 双公示-csv|jsonl] [--kind licences|penalties]
                        [--out FILE|-] [--all] [--mark|--dry-run]

Writes the licences and penalties that changed since TIME and were not
exported yet, in their latest state, the way the provincial platform takes
them: the 双公示 column names, CF_NR_FK and CF_NR_WFFF in 万元, dates as
YYYY-MM-DD, XDR_LB as 法人及非法人组织/自然人/个体工商户, XK_ZT 1 (valid) or 2
(revoked), and for penalties a last column CF_ZT: 1 in force, 2 revoked,
3 repaired. The changes come from the export outbox, which the database
fills in the same transaction as every accepted write; the rows sent are
marked with the batch name in the same transaction that reads them, so
two exports running at once never send the same change.

TIME is an RFC 3339 time (2026-11-27T09:30:00+08:00) or a date (2026-11-27,
from midnight in Asia/Shanghai). A CSV file holds one kind of record: with
both kinds, --out FILE.csv writes FILE-licences.csv and FILE-penalties.csv.
Files appear only once the export is complete and marked; standard output
gets the records as they stream. Progress goes to standard error, and so
does the summary: "exported N penalties, M licences to FILE (batch B)".

Flags:`

func (e *environment) export(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	since := fs.String("since", "", "export changes written at or after this time (required)")
	format := fs.String("format", string(export.CSV), "双公示-csv (or csv) or jsonl")
	kind := fs.String("kind", "", "only licences or only penalties (default both)")
	out := fs.String("out", "-", `the file to write, "-" for standard output`)
	all := fs.Bool("all", false, "also re-send records exported before (changes since TIME)")
	mark := fs.Bool("mark", true, "mark the exported changes with the batch (the default)")
	dryRun := fs.Bool("dry-run", false, "write the export but mark nothing")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), exportUsage); fs.PrintDefaults() }
	if e.help(fs, args) {
		return nil
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("export takes no arguments, got %q", fs.Args())
	}
	markSet := false
	fs.Visit(func(f *flag.Flag) { markSet = markSet || f.Name == "mark" })
	if *dryRun && markSet && *mark {
		return fmt.Errorf("--mark and --dry-run contradict each other: give one")
	}
	req := service.ExportRequest{All: *all, DryRun: *dryRun || !*mark, Actor: cliUser()}
	var err error
	if *since == "" {
		fs.Usage()
		return fmt.Errorf("export needs --since")
	}
	if req.Since, err = export.ParseSince(*since); err != nil {
		return fmt.Errorf("--since: %w", err)
	}
	if req.Format, err = export.ParseFormat(*format); err != nil {
		return fmt.Errorf("--format: %w", err)
	}
	if *kind != "" {
		k, err := parseKind(*kind)
		if err != nil {
			return err
		}
		req.Kinds = []credit.RecordKind{k}
	}
	files, err := newExportFiles(*out, req.Format, req.Kinds)
	if err != nil {
		return err
	}
	req.Progress = func(k credit.RecordKind, n int64) {
		fmt.Fprintf(e.stderr, "%s: %d written\n", kindName(k), n)
	}
	_, db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := service.New(db, service.WithClock(nowFunc))
	res, err := svc.Export(ctx, req, service.ExportSink{Open: files.open(e.stdout), Close: files.close})
	if err != nil {
		files.discard() // nothing is marked: no file may look like a batch
		return err
	}
	if err := files.publish(); err != nil {
		return err
	}
	if req.DryRun {
		fmt.Fprintf(e.stderr, "dry run: would export %d penalties, %d licences to %s (batch %s, %d changes; nothing marked)\n",
			res.Penalties, res.Licences, files.names(), res.Batch, res.Claimed)
		return nil
	}
	fmt.Fprintf(e.stderr, "exported %d penalties, %d licences to %s (batch %s)\n", res.Penalties, res.Licences, files.names(), res.Batch)
	return nil
}

// parseKind reads --kind.
func parseKind(s string) (credit.RecordKind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "licences", "licence", "licenses", "license":
		return credit.RecordKindLicence, nil
	case "penalties", "penalty":
		return credit.RecordKindPenalty, nil
	}
	return "", fmt.Errorf("--kind: %q is not licences or penalties", s)
}

func kindName(k credit.RecordKind) string {
	if k == credit.RecordKindLicence {
		return "licences"
	}
	return "penalties"
}

// exportFiles are the files an export writes: written under temporary
// names next to their final ones, synced before the marks commit, renamed
// after. A file therefore appears only when its batch is marked, and a
// failed export leaves none (nor any mark).
type exportFiles struct {
	stdout bool
	final  map[credit.RecordKind]string
	order  []string
	temps  map[string]*os.File // by final name
}

// newExportFiles plans the files for out: "-" is standard output; a CSV
// export of both kinds into FILE.ext goes to FILE-licences.ext and
// FILE-penalties.ext, since a CSV file holds one header.
func newExportFiles(out string, f export.Format, kinds []credit.RecordKind) (*exportFiles, error) {
	both := len(kinds) != 1
	if out == "-" {
		if f == export.CSV && both {
			return nil, fmt.Errorf("a CSV file holds one kind of record: give --kind, or --out FILE.csv for FILE-licences.csv and FILE-penalties.csv")
		}
		return &exportFiles{stdout: true}, nil
	}
	x := &exportFiles{final: map[credit.RecordKind]string{}, temps: map[string]*os.File{}}
	for _, k := range []credit.RecordKind{credit.RecordKindLicence, credit.RecordKindPenalty} {
		if !both && kinds[0] != k {
			continue
		}
		name := out
		if f == export.CSV && both {
			ext := filepath.Ext(out)
			name = strings.TrimSuffix(out, ext) + "-" + kindName(k) + ext
		}
		if _, seen := x.temps[name]; !seen {
			x.temps[name] = nil
			x.order = append(x.order, name)
		}
		x.final[k] = name
	}
	return x, nil
}

// open returns the sink's Open: the temporary file of kind's final name,
// created on first use (JSON Lines of both kinds share one).
func (x *exportFiles) open(stdout io.Writer) func(credit.RecordKind) (io.Writer, error) {
	return func(k credit.RecordKind) (io.Writer, error) {
		if x.stdout {
			return stdout, nil
		}
		name := x.final[k]
		if f := x.temps[name]; f != nil {
			return f, nil
		}
		f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		x.temps[name] = f
		return f, nil
	}
}

// close syncs and closes the temporary files: after it, the data is on
// disk, and only then may the marks commit.
func (x *exportFiles) close() error {
	for _, name := range x.order {
		f := x.temps[name]
		if f == nil {
			continue
		}
		if err := f.Sync(); err != nil {
			return fmt.Errorf("export: write %s: %w", name, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("export: write %s: %w", name, err)
		}
	}
	return nil
}

// publish gives the temporary files their final names, once the marks are
// committed. A rename that fails leaves the batch in the temporary file,
// which the error names.
func (x *exportFiles) publish() error {
	for _, name := range x.order {
		f := x.temps[name]
		if f == nil {
			continue
		}
		if err := os.Rename(f.Name(), name); err != nil {
			return fmt.Errorf("export: the batch is marked and written to %s, but could not be renamed: %w", f.Name(), err)
		}
		x.temps[name] = nil
	}
	return nil
}

// discard removes the temporary files of a failed export.
func (x *exportFiles) discard() {
	for _, name := range x.order {
		if f := x.temps[name]; f != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}
}

func (x *exportFiles) names() string {
	if x.stdout {
		return "standard output"
	}
	return strings.Join(x.order, " and ")
}
