package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strings"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/seal"
	"github.com/credithub/credithub/internal/service"
)

const reportsUsage = `Usage: credithub reports newkey [ID] | keys | rekey [--batch N]

The keys that seal reporters' identities (REPORT_KEYS, REPORT_KEY_ID):

  newkey [ID]  print a fresh AES-256 key as ID:BASE64 for REPORT_KEYS
               (ID defaults to kYYYYMMDD); nothing is stored
  keys         how many reports each key sealed, and which keys this
               environment has (the current one marked *)
  rekey        seal every reporter sealed with an older key again with the
               current one, in batches, each with an audit row

Rotation: add the new key to REPORT_KEYS, set REPORT_KEY_ID to it and restart
the servers (old reporters stay readable with the old key, new ones use the
new key); run "credithub reports rekey"; when "credithub reports keys" shows
no report under the old key, remove it from REPORT_KEYS.

Flags:`

func (e *environment) reports(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("reports", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	batch := fs.Int("batch", 500, "reports resealed per transaction (rekey)")
	fs.Usage = func() { fmt.Fprintln(e.stderr, reportsUsage); fs.PrintDefaults() }
	if len(args) == 0 {
		fs.Usage()
		return fmt.Errorf("reports needs a command: newkey, keys or rekey")
	}
	cmd := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	switch cmd {
	case "newkey":
		return e.reportsNewKey(fs.Args())
	case "keys":
		return e.reportsKeys(ctx)
	case "rekey":
		if *batch < 1 {
			return fmt.Errorf("--batch must be at least 1")
		}
		return e.reportsRekey(ctx, *batch)
	}
	fs.Usage()
	return fmt.Errorf("unknown reports command %q", cmd)
}

var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,32}$`)

func (e *environment) reportsNewKey(args []string) error {
	id := "k" + nowFunc().In(credit.Shanghai).Format("20060102")
	if len(args) > 0 {
		id = args[0]
	}
	if !keyIDPattern.MatchString(id) {
		return fmt.Errorf("a key id is 1 to 32 letters, digits, '_', '.' or '-', got %q", id)
	}
	k, err := seal.NewKey()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s:%s\n", id, k)
	return nil
}

func (e *environment) reportsKeys(ctx context.Context) error {
	cfg, db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	keys, err := cfg.ReportKeyring()
	if err != nil {
		return err
	}
	counts, err := db.ReporterKeys(ctx)
	if err != nil {
		return err
	}
	configured := map[string]bool{}
	if keys != nil {
		for _, id := range keys.IDs() {
			configured[id] = true
			mark := " "
			if id == keys.Current() {
				mark = "*"
			}
			n := 0
			for _, c := range counts {
				if c.KeyID == id {
					n = c.Reports
				}
			}
			fmt.Fprintf(e.stdout, "%s %s  %d reports\n", mark, id, n)
		}
	} else {
		fmt.Fprintln(e.stdout, "no REPORT_KEYS in this environment")
	}
	var missing []string
	for _, c := range counts {
		if !configured[c.KeyID] {
			missing = append(missing, fmt.Sprintf("%s (%d reports)", c.KeyID, c.Reports))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("reports are sealed with keys this environment lacks: %s", strings.Join(missing, ", "))
	}
	return nil
}

func (e *environment) reportsRekey(ctx context.Context, batch int) error {
	cfg, db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	keys, err := cfg.ReportKeyring()
	if err != nil {
		return err
	}
	if keys == nil {
		return fmt.Errorf("no REPORT_KEYS: nothing to seal with")
	}
	svc := service.New(db, service.WithClock(nowFunc), service.WithReportKeys(keys))
	n, err := svc.RekeyReporters(ctx, credit.Caller{ID: cliUser(), Role: credit.RoleCreditOffice, Institution: "credithub reports rekey"}, batch)
	fmt.Fprintf(e.stdout, "resealed %d reporters with key %s\n", n, keys.Current())
	return err
}
