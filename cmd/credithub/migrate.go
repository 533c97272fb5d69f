package main

import (
	"context"
	"flag"
	"fmt"
)

func (e *environment) migrate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: credithub migrate up|status\n\n  up      apply every pending migration (embedded in the binary)\n  status  list the migrations and whether each is applied")
	}
	if e.help(fs, args) {
		return nil
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "up" && fs.Arg(0) != "status") {
		fs.Usage()
		return fmt.Errorf("migrate needs up or status")
	}
	_, db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if fs.Arg(0) == "up" {
		applied, err := db.MigrateUp(ctx)
		if err != nil {
			return err
		}
		for _, name := range applied {
			fmt.Fprintln(e.stdout, "applied", name)
		}
		if len(applied) == 0 {
			fmt.Fprintln(e.stdout, "the database is up to date")
		}
		return nil
	}
	status, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	for _, m := range status {
		state := "pending"
		if m.Applied {
			state = "applied"
		}
		fmt.Fprintf(e.stdout, "%05d  %-8s %s\n", m.Version, state, m.Name)
	}
	return nil
}
