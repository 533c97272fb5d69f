package main

import (
	"context"
	"flag"
	"fmt"
	"os/user"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
)

const apikeyUsage = `Usage:
  credithub apikey create --role ROLE --institution NAME [--department CODE] [--expires 90d]
      prints the new key once; only its hash is stored
  credithub apikey list
  credithub apikey revoke ID

Roles: WINDOW, BANK, DASHBOARD, DEPARTMENT (needs --department), CREDIT_OFFICE, AUDITOR, ADMIN,
ROUTER (a federation router: forwards its end users' tokens in X-End-User-Authorization).`

func (e *environment) apikey(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, apikeyUsage)
		return fmt.Errorf("apikey needs create, list or revoke")
	}
	if args[0] == "help" || (wantsHelp(args) && args[0] != "create") {
		fmt.Fprintln(e.stdout, apikeyUsage)
		return nil
	}
	switch args[0] {
	case "create":
		return e.apikeyCreate(ctx, args[1:])
	case "list":
		if len(args) > 1 {
			fmt.Fprintln(e.stderr, apikeyUsage)
			return fmt.Errorf("apikey list takes no arguments, got %q", args[1:])
		}
		return e.apikeyList(ctx)
	case "revoke":
		if len(args) != 2 {
			fmt.Fprintln(e.stderr, apikeyUsage)
			return fmt.Errorf("apikey revoke needs the key's ID (see apikey list)")
		}
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			return fmt.Errorf("apikey revoke: %q is not a key ID", args[1])
		}
		_, db, err := e.openDB(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := auth.RevokeKey(ctx, db, id, cliUser(), nowFunc()); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked key %d (servers stop accepting it within a few seconds)\n", id)
		return nil
	}
	fmt.Fprintln(e.stderr, apikeyUsage)
	return fmt.Errorf("unknown apikey command %q", args[0])
}

func (e *environment) apikeyCreate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("apikey create", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	role := fs.String("role", "", "the key's role (required)")
	institution := fs.String("institution", "", "the institution the key is for (required)")
	department := fs.String("department", "", "department code, for DEPARTMENT keys")
	expires := fs.String("expires", "90d", `lifetime such as 90d or 12h; "0" for none`)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), apikeyUsage+"\n\nFlags of create:"); fs.PrintDefaults() }
	if e.help(fs, args) {
		return nil
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	lifetime, err := auth.ParseExpiry(*expires)
	if err != nil {
		return err
	}
	_, db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	key, stored, err := auth.CreateKey(ctx, db, auth.KeySpec{
		Role: credit.Role(*role), Institution: *institution, Department: *department,
		ExpiresIn: lifetime, CreatedBy: cliUser(),
	}, nowFunc())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "created key %d (%s, %s); store it now, it is not shown again:\n", stored.ID, stored.Role, stored.Institution)
	fmt.Fprintln(e.stdout, key)
	return nil
}

func (e *environment) apikeyList(ctx context.Context) error {
	_, db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	keys, err := db.APIKeys(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPREFIX\tROLE\tINSTITUTION\tDEPARTMENT\tEXPIRES\tSTATE")
	now := nowFunc()
	for _, k := range keys {
		dept, exp, state := "-", "never", "active"
		if k.Department != nil {
			dept = *k.Department
		}
		if k.ExpiresAt != nil {
			exp = k.ExpiresAt.Format(time.DateOnly)
			if !now.Before(*k.ExpiresAt) {
				state = "expired"
			}
		}
		if k.RevokedAt != nil {
			state = "revoked " + k.RevokedAt.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%d\t%s…\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Prefix, k.Role, k.Institution, dept, exp, state)
	}
	return tw.Flush()
}

// cliUser names who ran the command, for the audit log.
func cliUser() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}
