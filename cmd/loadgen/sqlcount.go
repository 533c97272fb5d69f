package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	_ "github.com/lib/pq"
)

// sqlCount measures, from PostgreSQL's own counters, how many SQL
// statements the server runs per uncached check, for subjects with few
// records and for subjects with many: pg_stat_database.xact_commit of the
// benchmark database grows by a fixed number of protocol transactions per
// statement the server's driver sends (lib/pq sends a statement with
// arguments as Parse+Describe+Sync, then Bind+Execute+Sync: two), which is
// calibrated first with a one-statement query through the same driver.
//
// PostgreSQL publishes a backend's counters up to ten seconds after it
// goes idle, so each phase is followed by -settle before reading. Nothing
// else may use the database meanwhile (the bench's servers idle).
func sqlCount(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("sqlcount", flag.ContinueOnError)
	dbURL := fs.String("db", "", "the benchmark database (the servers' DATABASE_URL)")
	endpoint := fs.String("url", "http://127.0.0.1:18082/graphql", "a --no-cache server")
	token := fs.String("token", "", "a key whose reads are not logged (CREDIT_OFFICE), so that only the check's SQL is counted")
	settle := fs.Duration("settle", 11*time.Second, "wait for PostgreSQL to publish the counters")
	var sets multiFlag
	fs.Var(&sets, "set", "LABEL=FILE of codes to check once each (repeatable; the label may hold spaces)")
	asJSON := fs.Bool("json", false, "print one JSON line")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, err := url.Parse(*endpoint)
	if err != nil {
		return err
	}
	db, err := sql.Open("postgres", *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	// Read without arguments: the simple protocol, one transaction.
	read := func() (int64, error) {
		var n int64
		err := db.QueryRowContext(ctx, `SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`).Scan(&n)
		return n, err
	}
	phase := func(run func() (int, error)) (float64, error) {
		time.Sleep(*settle)
		before, err := read()
		if err != nil {
			return 0, err
		}
		n, err := run()
		if err != nil {
			return 0, err
		}
		time.Sleep(*settle)
		after, err := read()
		if err != nil {
			return 0, err
		}
		// The first read is itself one transaction, counted after it ran.
		return float64(after-before-1) / float64(n), nil
	}

	const calibrations = 200
	perStatement, err := phase(func() (int, error) {
		for i := range calibrations {
			var x int
			if err := db.QueryRowContext(ctx, `SELECT $1::int`, i).Scan(&x); err != nil {
				return 0, err
			}
		}
		return calibrations, nil
	})
	if err != nil {
		return fmt.Errorf("calibrating: %w", err)
	}
	if perStatement < 0.5 {
		return fmt.Errorf("calibrating: %.2f transactions per statement; is something else using the database?", perStatement)
	}
	type setResult struct {
		Name       string  `json:"name"`
		Checks     int     `json:"checks"`
		Statements float64 `json:"statements_per_check"`
	}
	out := struct {
		TransactionsPerStatement float64     `json:"transactions_per_statement"`
		Sets                     []setResult `json:"sets"`
	}{TransactionsPerStatement: perStatement}
	for _, s := range sets {
		i := strings.LastIndexByte(s, '=')
		name, file, ok := s[:max(i, 0)], s[i+1:], i > 0
		if !ok {
			return fmt.Errorf("-set %q: want NAME=FILE", s)
		}
		codes, err := readCodes(file)
		if err != nil {
			return err
		}
		body := newBodies(operations["credit"], "基准测试", false)
		cl := newRawClient(u, *token, 10*time.Second)
		perCheck, err := phase(func() (int, error) {
			defer cl.close()
			var buf []byte
			for _, code := range codes {
				buf = body.build(buf, code)
				status, resp, err := cl.do(buf)
				if err != nil || status != http.StatusOK || strings.Contains(string(resp), `"errors"`) {
					return 0, fmt.Errorf("check of %s: status %d, %v: %.300s", code, status, err, resp)
				}
			}
			return len(codes), nil
		})
		if err != nil {
			return fmt.Errorf("set %s: %w", name, err)
		}
		out.Sets = append(out.Sets, setResult{Name: name, Checks: len(codes), Statements: perCheck / perStatement})
	}
	if *asJSON {
		b, _ := json.Marshal(out)
		fmt.Fprintln(stdout, string(b))
		return nil
	}
	for _, s := range out.Sets {
		fmt.Fprintf(stdout, "%s, %d uncached checks: %.2f SQL statements per check\n", s.Name, s.Checks, s.Statements)
	}
	fmt.Fprintf(stdout, "calibration: %.2f transactions counted per statement sent through lib/pq\n", perStatement)
	return nil
}
