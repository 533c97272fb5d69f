package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
)

const referenceUsage = `Usage: credithub reference export [FILE|-]
       credithub reference import [--dry-run] [--no-cache] FILE

The reference data a city manages itself, as one reviewed JSON file: its
departments (code = the authority's unified social credit code, name,
parent), the list domains, every version of the joint measure catalogue and
every dated rule with its legal basis.

  export  writes the stored reference data (to standard output with - or
          no FILE), in a stable order so that two exports diff line by line.
  import  diffs FILE against the database, prints the differences, and
          applies them in one transaction with one audit row
          (reference.imported, with the file's SHA-256), then makes every
          cached answer unservable; running servers reload the rules within
          seconds. Nothing is applied when any row cannot be: a rule in force
          (from today or earlier) never changes, a new row of an existing
          rule starts after today, a measure version is never edited (add the
          next version), and departments and list domains are never removed.

Flags:`

func (e *environment) reference(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("reference", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dryRun := fs.Bool("dry-run", false, "import: print the differences and apply nothing")
	noCache := fs.Bool("no-cache", false, "import: do not make cached answers in Redis unservable (only when no server uses it)")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), referenceUsage); fs.PrintDefaults() }
	if len(args) > 0 && args[0] == "help" {
		args = []string{"--help"}
	}
	if e.help(fs, args) {
		return nil
	}
	if len(args) == 0 {
		fs.Usage()
		return fmt.Errorf("reference needs a command: export or import")
	}
	cmd := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	switch {
	case cmd == "export" && fs.NArg() <= 1:
	case cmd == "import" && fs.NArg() == 1:
	default:
		fs.Usage()
		return fmt.Errorf("reference export [FILE] or reference import FILE")
	}
	cfg, db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	opts := []service.Option{service.WithClock(nowFunc)}
	if cmd == "import" && !*noCache && !*dryRun {
		// The deployment's own key prefix: a reference change must move the
		// epoch the servers read, not one under the default prefix.
		redis, _, err := openCache(ctx, cfg, db, time.Second)
		if err != nil {
			return err
		}
		defer redis.Close()
		opts = append(opts, service.WithCache(redis))
	}
	svc := service.New(db, opts...)
	ctx = credit.WithCaller(ctx, credit.Caller{ID: cliUser(), Role: credit.RoleCreditOffice, Institution: "credithub reference"})

	if cmd == "export" {
		ref, err := svc.ExportReference(ctx)
		if err != nil {
			return err
		}
		out, err := encodeReference(ref)
		if err != nil {
			return err
		}
		if fs.NArg() == 0 || fs.Arg(0) == "-" {
			_, err = e.stdout.Write(out)
			return err
		}
		if err := os.WriteFile(fs.Arg(0), out, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "exported %d departments, %d list domains, %d measure versions and %d rules to %s\n",
			len(ref.Departments), len(ref.Domains), len(ref.Measures), len(ref.Rules), fs.Arg(0))
		return nil
	}

	raw, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	var next credit.Reference
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&next); err != nil {
		return credit.Errorf(credit.BadUserInput, "%s is not a reference file: %v", fs.Arg(0), err)
	}
	changes, err := svc.ImportReference(ctx, next, raw, *dryRun)
	for _, c := range changes {
		fmt.Fprintln(e.stdout, c)
	}
	if err != nil {
		return err
	}
	switch {
	case len(changes) == 0:
		fmt.Fprintln(e.stdout, "no changes: the database already holds this reference data")
	case *dryRun:
		fmt.Fprintf(e.stdout, "%d changes; nothing applied (--dry-run)\n", len(changes))
	default:
		fmt.Fprintf(e.stdout, "applied %d changes\n", len(changes))
	}
	return nil
}

// encodeReference writes ref as indented JSON, without escaping the
// characters a reviewer reads (Chinese text, <, >, &).
func encodeReference(ref credit.Reference) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(ref); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
