package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"golang.org/x/term"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/seed"
	"github.com/credithub/credithub/internal/store"
)

func (e *environment) seed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	subjects := fs.Int("subjects", 2000, "number of demo subjects (organisations, businesses and their persons)")
	seedValue := fs.Int64("seed", 1, "random seed: the same seed gives the same data")
	today := fs.String("today", "", "the date the demo data is relative to, YYYY-MM-DD (default: today)")
	migrate := fs.Bool("migrate", true, "apply pending migrations first")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: credithub seed [flags]\n\nFills an empty database with deterministic demo data (Dandong, 2106xx).\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *subjects < 1 {
		return fmt.Errorf("--subjects must be at least 1, got %d", *subjects)
	}
	day := credit.DateOf(nowFunc())
	if *today != "" {
		d, err := credit.ParseDate(*today)
		if err != nil {
			return fmt.Errorf("--today: %w", err)
		}
		day = d
	}
	_, db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if *migrate {
		if _, err := db.MigrateUp(ctx); err != nil {
			return err
		}
	}
	return e.runSeed(ctx, db, seed.Options{Subjects: *subjects, Seed: *seedValue, Today: day})
}

// seedIfEmpty seeds n demo subjects when the database has no subject yet;
// a database with subjects is left as it is (the reference data comes with
// the migrations and is the city's to manage).
func (e *environment) seedIfEmpty(ctx context.Context, db *store.DB, n int) error {
	empty, err := db.IsEmpty(ctx)
	if err != nil || !empty {
		return err
	}
	return e.runSeed(ctx, db, seed.Options{Subjects: n, Seed: 1, Today: credit.DateOf(nowFunc())})
}

func (e *environment) runSeed(ctx context.Context, db *store.DB, opts seed.Options) error {
	opts.Progress = e.stderr
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		opts.Terminal = true
	}
	sum, err := seed.Run(ctx, db.SQL(), opts)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, sum)
	return nil
}
