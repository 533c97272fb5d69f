// Command credithub is the city's credit hub: one binary that serves the
// GraphQL API and runs the jobs around it (migrate, seed, …).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// version and commit are set at build time with -ldflags
// "-X main.version=… -X main.commit=…" (make build does).
var (
	version = "dev"
	commit  = ""
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "credithub:", err)
		os.Exit(1)
	}
}

const usage = `credithub — the city's joint credit reward and punishment hub

Usage:
  credithub serve [flags]            serve GraphQL on LISTEN_ADDR (/graphql, probes, /metrics, GraphiQL at /)
  credithub migrate up|status        apply or list the database migrations
  credithub seed [--subjects N] [--seed S]
                                     fill an empty database with demo data
  credithub apikey create|list|revoke
                                     manage API keys for institutions
  credithub operations add|list|remove
                                     the persisted operations PERSISTED_ONLY_ROLES may run
  credithub audit verify             check the audit log's hash chain
  credithub export --since TIME [--format 双公示-csv|jsonl] [--kind K] [--out FILE|-] [--dry-run]
                                     write changed records for the provincial platform and mark them
  credithub import licences|penalties|subjects|tax-grades FILE.csv
                                     import a department's CSV file (see README "Bulk import")
  credithub reference export [FILE] | import [--dry-run] FILE
                                     the city's departments, list domains, measure catalogue and rules
  credithub rules show [--as-of DAY] [--all] [--markdown]
                                     the rules in force with their legal basis
  credithub calendar show YEAR       the official calendar of a year, as the hub counts working days
  credithub reports newkey|keys|rekey
                                     the keys that seal reporters' identities (REPORT_KEYS)
  credithub version                  print the version

Configuration comes from the environment:
  DATABASE_URL     PostgreSQL (default postgres://postgres@127.0.0.1:5432/credithub?sslmode=disable)
  DB_MAX_CONNS     PostgreSQL pool size (default 4; small is faster on few cores)
  REDIS_URL        Redis (default redis://127.0.0.1:6379/0)
  REDIS_CLUSTER_ADDRS
                   a Redis Cluster's seed nodes, host:port,... (instead of REDIS_URL's server)
  LISTEN_ADDR      address to serve on (default 127.0.0.1:8080)
  CREDITHUB_ENV    development (default) or production
  REQUEST_TIMEOUT  per-request time limit (default 10s)
  LOG_FORMAT       text (default) or json; LOG_LEVEL debug, info (default), warn or error
  GRAPHIQL         on or off (default on, off in production)
  CORS_ORIGINS     browser origins allowed to call /graphql, comma-separated (default none)
  OTEL_EXPORTER_OTLP_ENDPOINT
                   send traces to this OTLP/HTTP collector (default: tracing off)
  (README.md lists every setting.)
  CALENDAR_FILE    the city's calendar file (holidays, make-up working days, notices)
  REPORT_KEYS      id:base64 AES-256 keys sealing reporters' identities; REPORT_KEY_ID the current one

Run "credithub COMMAND --help" for a command's flags.
`

// run is the whole program, with its dependencies passed in so that tests
// can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command given")
	}
	env := &environment{getenv: getenv, stdout: stdout, stderr: stderr}
	switch args[0] {
	case "serve":
		return env.serve(ctx, args[1:])
	case "migrate":
		return env.migrate(ctx, args[1:])
	case "seed":
		return env.seed(ctx, args[1:])
	case "audit":
		return env.audit(ctx, args[1:])
	case "apikey":
		return env.apikey(ctx, args[1:])
	case "operations":
		return env.operations(ctx, args[1:])
	case "export":
		return env.export(ctx, args[1:])
	case "import":
		return env.importCmd(ctx, args[1:])
	case "reference":
		return env.reference(ctx, args[1:])
	case "rules":
		return env.rules(ctx, args[1:])
	case "calendar":
		return env.calendar(ctx, args[1:])
	case "reports":
		return env.reports(ctx, args[1:])
	case "version", "--version":
		if wantsHelp(args[1:]) {
			fmt.Fprintln(stdout, "Usage: credithub version\n\nPrints the version of this binary.")
			return nil
		}
		fmt.Fprintln(stdout, "credithub", version)
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// environment is what every subcommand gets from main.
type environment struct {
	getenv         func(string) string
	stdout, stderr io.Writer
}

// wantsHelp reports whether args ask for a command's usage: -h, -help or
// --help anywhere before a "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// help prints fs's usage (which must write to fs.Output()) to standard
// output when args ask for it, and reports whether they did: asking for
// help is not a mistake, so it goes to stdout and the command exits 0
// without touching the database.
func (e *environment) help(fs *flag.FlagSet, args []string) bool {
	if !wantsHelp(args) {
		return false
	}
	fs.SetOutput(e.stdout)
	fs.Usage()
	fs.SetOutput(e.stderr)
	return true
}

// nowFunc is the clock of the commands.
var nowFunc = time.Now
