package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
)

const rulesUsage = `Usage: credithub rules show [--as-of YYYY-MM-DD] [--all] [--markdown]

Prints the rules in force on a day (today by default), one row per rule and
scope, with its validity, parameters and legal basis; --all prints every
row, past and future. --markdown prints one Markdown table: the README's
table of rules is this command's output for the migrations' baseline.

Flags:`

func (e *environment) rules(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("rules show", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	asOf := fs.String("as-of", "", "the day, YYYY-MM-DD (default: today)")
	all := fs.Bool("all", false, "every row, past and future")
	markdown := fs.Bool("markdown", false, "one Markdown table")
	fs.Usage = func() { fmt.Fprintln(e.stderr, rulesUsage); fs.PrintDefaults() }
	if len(args) == 0 || args[0] != "show" {
		fs.Usage()
		return fmt.Errorf("rules needs a command: show")
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	day := credit.DateOf(nowFunc())
	if *asOf != "" {
		d, err := credit.ParseDate(*asOf)
		if err != nil {
			return fmt.Errorf("--as-of: %w", err)
		}
		day = d
	}
	_, db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := service.New(db, service.WithClock(nowFunc))
	ctx = credit.WithCaller(ctx, credit.Caller{ID: cliUser(), Role: credit.RoleCreditOffice, Institution: "credithub rules"})
	rows, err := svc.Rules(ctx, day, *all)
	if err != nil {
		return err
	}
	if *markdown {
		fmt.Fprint(e.stdout, credit.RulesMarkdown(rows))
		return nil
	}
	for _, r := range rows {
		until := ""
		if u := r.Until(); u != nil {
			until = " until " + u.String()
		}
		fmt.Fprintf(e.stdout, "%s%s  %s\n    %s\n", r.Key(), until, r.Parameters(), r.LegalBasis)
		if r.Note != "" {
			fmt.Fprintf(e.stdout, "    %s\n", r.Note)
		}
	}
	return nil
}
