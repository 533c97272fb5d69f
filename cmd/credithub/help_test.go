package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestEveryCommandPrintsItsUsageOnHelpAndExitsZero asks every command and
// subcommand for --help and -h with DATABASE_URL pointing at a port where
// nothing listens: help must not touch the database (apikey list --help
// used to list the keys), goes to standard output and is no error.
func TestEveryCommandPrintsItsUsageOnHelpAndExitsZero(t *testing.T) {
	t.Parallel()
	getenv := func(name string) string {
		switch name {
		case "DATABASE_URL":
			return "postgres://postgres@127.0.0.1:18299/credithub_ops_none?sslmode=disable&connect_timeout=1"
		case "REDIS_URL":
			return "redis://127.0.0.1:18298/0"
		}
		return ""
	}
	for _, tc := range []struct {
		args []string
		want string // in the usage
	}{
		{[]string{"help"}, "credithub serve"},
		{[]string{"serve"}, "Usage: credithub serve"},
		{[]string{"migrate"}, "Usage: credithub migrate"},
		{[]string{"migrate", "up"}, "Usage: credithub migrate"},
		{[]string{"migrate", "status"}, "Usage: credithub migrate"},
		{[]string{"seed"}, "Usage: credithub seed"},
		{[]string{"apikey"}, "credithub apikey create"},
		{[]string{"apikey", "create"}, "Flags of create"},
		{[]string{"apikey", "list"}, "credithub apikey list"},
		{[]string{"apikey", "revoke"}, "credithub apikey revoke"},
		{[]string{"apikey", "revoke", "7"}, "credithub apikey revoke"},
		{[]string{"audit"}, "Usage: credithub audit verify"},
		{[]string{"audit", "verify"}, "Usage: credithub audit verify"},
		{[]string{"export"}, "Usage: credithub export"},
		{[]string{"export", "--since", "2026-11-01"}, "Usage: credithub export"},
		{[]string{"import"}, "Usage: credithub import"},
		{[]string{"import", "licences"}, "Usage: credithub import"},
		{[]string{"import", "penalties", "file.csv"}, "Usage: credithub import"},
		{[]string{"import", "subjects"}, "Usage: credithub import"},
		{[]string{"import", "tax-grades"}, "Usage: credithub import"},
		{[]string{"operations"}, "credithub operations add"},
		{[]string{"operations", "add"}, "credithub operations add"},
		{[]string{"operations", "add", "--name", "check", "check.graphql"}, "credithub operations add"},
		{[]string{"operations", "list"}, "credithub operations list"},
		{[]string{"operations", "remove"}, "credithub operations remove"},
		{[]string{"reference"}, "Usage: credithub reference export"},
		{[]string{"reference", "export"}, "Usage: credithub reference export"},
		{[]string{"reference", "import", "ref.json"}, "Usage: credithub reference export"},
		{[]string{"rules"}, "Usage: credithub rules show"},
		{[]string{"rules", "show"}, "Usage: credithub rules show"},
		{[]string{"calendar"}, "Usage: credithub calendar show"},
		{[]string{"calendar", "show", "2026"}, "Usage: credithub calendar show"},
		{[]string{"version"}, "Usage: credithub version"},
	} {
		for _, flag := range []string{"--help", "-h", "-help"} {
			args := append(append([]string(nil), tc.args...), flag)
			if tc.args[0] == "help" {
				args = []string{flag}
			}
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), args, getenv, &stdout, &stderr)
			if err != nil || !strings.Contains(stdout.String(), tc.want) || stderr.Len() != 0 {
				t.Errorf("credithub %s: got error %v, stdout %.80q, stderr %.200q; want the usage on stdout and no error",
					strings.Join(args, " "), err, stdout.String(), stderr.String())
			}
		}
	}
	// Mistakes still fail, with the usage on standard error.
	for _, args := range [][]string{{}, {"nonsense"}, {"migrate"}, {"apikey"}, {"apikey", "list", "extra"}, {"operations"}, {"reference"}, {"rules"}, {"calendar"}, {"audit", "check"}, {"import", "penalties"}} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, getenv, &stdout, &stderr); err == nil || !strings.Contains(stderr.String(), "Usage") {
			t.Errorf("credithub %s: got %v, stderr %.80q; want an error and the usage on stderr", strings.Join(args, " "), err, stderr.String())
		}
	}
}
