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
// records and for subjects with many. pg_stat_database.xact_commit of the
// benchmark database counts one transaction per Sync of the extended query
// protocol: through lib/pq a prepared statement's execution is one
// (Bind+Execute+Sync), an unprepared statement with arguments two
// (Parse+Describe+Sync, then Bind+Execute+Sync). Both are calibrated
// first, through the same driver. Every statement costs at least one, so
// about one transaction per check is exactly one prepared statement.
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
	// Read without arguments: the simple protocol, one transaction, which
	// the next reading counts.
	read := func() (int64, error) {
		var n int64
		err := db.QueryRowContext(ctx, `SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`).Scan(&n)
		return n, err
	}
	time.Sleep(*settle)
	last, err := read()
	if err != nil {
		return err
	}
	// phase runs run, which makes n of something, and returns the
	// transactions counted per one.
	phase := func(run func() (int, error)) (float64, error) {
		n, err := run()
		if err != nil {
			return 0, err
		}
		time.Sleep(*settle)
		now, err := read()
		if err != nil {
			return 0, err
		}
		d := now - last - 1
		last = now
		return float64(d) / float64(n), nil
	}

	const calibrations = 200
	unprepared, err := phase(func() (int, error) {
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
	var stmt *sql.Stmt
	prepared, err := phase(func() (int, error) {
		if stmt, err = db.PrepareContext(ctx, `SELECT $1::int + 1`); err != nil {
			return 0, err
		}
		for i := range calibrations {
			var x int
			if err := stmt.QueryRowContext(ctx, i).Scan(&x); err != nil {
				return 0, err
			}
		}
		return calibrations, nil
	})
	if err != nil {
		return fmt.Errorf("calibrating: %w", err)
	}
	stmt.Close()
	if prepared < 0.5 || unprepared < prepared {
		return fmt.Errorf("calibrating: %.2f transactions per prepared statement, %.2f per unprepared one; is something else using the database?", prepared, unprepared)
	}
	type setResult struct {
		Name         string  `json:"name"`
		Checks       int     `json:"checks"`
		Transactions float64 `json:"transactions_per_check"`
	}
	out := struct {
		Prepared   float64     `json:"transactions_per_prepared_statement"`
		Unprepared float64     `json:"transactions_per_unprepared_statement"`
		Sets       []setResult `json:"sets"`
	}{Prepared: prepared, Unprepared: unprepared}
	for _, s := range sets {
		i := strings.LastIndexByte(s, '=')
		name, file, ok := s[:max(i, 0)], s[i+1:], i > 0
		if !ok {
			return fmt.Errorf("-set %q: want LABEL=FILE", s)
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
		out.Sets = append(out.Sets, setResult{Name: name, Checks: len(codes), Transactions: perCheck})
	}
	if *asJSON {
		b, _ := json.Marshal(out)
		fmt.Fprintln(stdout, string(b))
		return nil
	}
	for _, s := range out.Sets {
		fmt.Fprintf(stdout, "%s, %d uncached checks: %.2f transactions per check\n", s.Name, s.Checks, s.Transactions)
	}
	fmt.Fprintf(stdout, "calibration through lib/pq: %.2f transactions per prepared statement, %.2f per unprepared one\n",
		prepared, unprepared)
	return nil
}
