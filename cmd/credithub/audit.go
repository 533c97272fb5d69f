package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"

	"github.com/credithub/credithub/internal/audit"
)

const auditUsage = `Usage: credithub audit verify [--database-url URL]

  verify  walk the audit log's hash chain from the first row to the last and
          report the first row that was changed, removed or reordered.

          Prints "audit chain intact: N rows, last hash H" and exits 0, or
          "audit chain BROKEN at seq N: reason" and exits 1. Keep the last
          hash somewhere the database's administrators cannot write: a chain
          whose newest rows were cut off is still a valid chain, and only that
          copy shows it.

Flags of verify:`

// progressEvery is how many rows pass between progress lines, so that a
// long run on a large chain shows it is alive without flooding the terminal.
const progressEvery = 100_000

func (e *environment) audit(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dbURL := fs.String("database-url", "", "PostgreSQL to verify (default: $DATABASE_URL)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), auditUsage)
		fs.PrintDefaults()
	}
	if len(args) > 0 && args[0] == "help" {
		args = []string{"--help"}
	}
	if e.help(fs, args) {
		return nil
	}
	if len(args) == 0 {
		fs.Usage()
		return fmt.Errorf("audit needs a command: verify")
	}
	switch args[0] {
	case "verify":
	default:
		fs.Usage()
		return fmt.Errorf("unknown audit command %q", args[0])
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("audit verify takes no arguments, got %q", fs.Args())
	}
	return e.auditVerify(ctx, *dbURL)
}

func (e *environment) auditVerify(ctx context.Context, dbURL string) error {
	env := *e
	if dbURL != "" {
		env.getenv = func(name string) string {
			if name == "DATABASE_URL" {
				return dbURL
			}
			return e.getenv(name)
		}
	}
	_, db, err := env.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var next int64 = progressEvery
	rep, err := audit.Verify(ctx, db, func(checked int64) {
		if checked >= next {
			fmt.Fprintf(e.stderr, "checked %d rows\n", checked)
			next = (checked/progressEvery + 1) * progressEvery
		}
	})
	if err != nil {
		return err
	}
	if !rep.Intact() {
		return fmt.Errorf("audit chain BROKEN at seq %d: %s", rep.Broken.Seq, rep.Broken.Reason)
	}
	fmt.Fprintf(e.stdout, "audit chain intact: %d rows, last hash %s\n", rep.Rows, hex.EncodeToString(rep.LastHash))
	fmt.Fprintf(e.stdout, "last seq %d; %d seqs unused by rolled-back appends\n", rep.LastSeq, rep.Gaps)
	return nil
}
