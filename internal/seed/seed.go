// Package seed fills an empty, migrated database with demo data: Dandong's
// departments (the reference data a city manages itself; the national
// baseline of rules, list domains and measures comes with the migrations)
// and, on request, realistic demo records: organisations, individual businesses and
// the natural persons who represent them, with five years of licences,
// penalties, list entries and tax credit grades before a given day.
//
// The demo data is deterministic: the same Seed, Subjects and Today give the
// same rows, byte for byte. It is generated in chunks and streamed with COPY
// inside one transaction, so a million subjects need little memory and a
// failed run leaves nothing behind.
package seed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/credithub/credithub/internal/calendar"
	"github.com/credithub/credithub/internal/credit"
)

// Options control a demo seed.
type Options struct {
	// Subjects is the number of subjects to create, about 70% organisations,
	// 15% individual businesses and 15% natural persons. Zero inserts only
	// the reference data.
	Subjects int
	// Seed selects the random data; the same Seed, Subjects and Today give
	// identical rows.
	Seed int64
	// Today is the day the data is relative to: records fall in the five
	// years before it. The zero Date means today in Dandong, which makes the
	// data depend on when it runs.
	Today credit.Date
	// Progress receives progress reports; nil is silent.
	Progress io.Writer
	// Terminal selects a progress bar instead of plain lines.
	Terminal bool
}

// Summary counts the rows a seed wrote, per table, and how long it took.
type Summary struct {
	Departments          int64 // rows in departments after the seed
	Measures             int64 // rows in measures after the seed
	Subjects             int64
	Organizations        int64 // legal persons and unincorporated organisations
	IndividualBusinesses int64
	NaturalPersons       int64
	KeyPersons           int64
	Licences             int64
	Penalties            int64
	TaxCreditGrades      int64
	ListEntries          int64
	ListEntryMeasures    int64
	ListEntryEvents      int64
	Duration             time.Duration
}

// String formats the summary on one line.
func (s Summary) String() string {
	return fmt.Sprintf("%d subjects (%d organisations, %d individual businesses, %d natural persons), "+
		"%d key persons, %d licences, %d penalties, %d tax credit grades, %d list entries "+
		"(%d measures, %d events); %d departments, %d catalogue measures; in %s",
		s.Subjects, s.Organizations, s.IndividualBusinesses, s.NaturalPersons, s.KeyPersons, s.Licences,
		s.Penalties, s.TaxCreditGrades, s.ListEntries, s.ListEntryMeasures, s.ListEntryEvents,
		s.Departments, s.Measures, s.Duration.Round(time.Millisecond))
}

// ErrNotEmpty is returned by Run when the database already has subjects.
var ErrNotEmpty = errors.New("seed: the subjects table is not empty; demo data is only seeded into an empty database")

// firstToday is the earliest Today accepted: persons are born 1950-2000 and
// must be adults when they take a role.
var firstToday = credit.NewDate(2020, 1, 1)

// Run inserts the reference data and opts.Subjects demo subjects with their
// records into an empty, migrated database, in one transaction. It refuses
// (ErrNotEmpty) when the subjects table has rows, and afterwards moves the id
// sequences past the ids it assigned and analyses the tables.
func Run(ctx context.Context, db *sql.DB, opts Options) (Summary, error) {
	start := time.Now()
	if opts.Subjects < 0 {
		return Summary{}, fmt.Errorf("seed: subjects must not be negative, got %d", opts.Subjects)
	}
	if opts.Today.IsZero() {
		opts.Today = credit.DateOf(time.Now())
	}
	if opts.Today.Before(firstToday) || opts.Today.Year() > calendar.MaxYear {
		return Summary{}, fmt.Errorf("seed: today must be between %s and %d-12-31, got %s", firstToday, calendar.MaxYear, opts.Today)
	}
	cal, err := calendar.Official()
	if err != nil {
		return Summary{}, fmt.Errorf("seed: %w", err)
	}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return Summary{}, fmt.Errorf("seed: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	// The lock makes a concurrent seed wait and then see the subjects of
	// the first, instead of both passing the emptiness check.
	if _, err := tx.ExecContext(ctx, `LOCK TABLE subjects IN EXCLUSIVE MODE`); err != nil {
		return Summary{}, fmt.Errorf("seed: lock subjects: %w", err)
	}
	var nonEmpty bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM subjects)`).Scan(&nonEmpty); err != nil {
		return Summary{}, fmt.Errorf("seed: check that subjects is empty: %w", err)
	}
	if nonEmpty {
		return Summary{}, ErrNotEmpty
	}
	if err := insertDepartments(ctx, tx); err != nil {
		return Summary{}, err
	}
	r, err := loadRules(ctx, tx)
	if err != nil {
		return Summary{}, err
	}

	var deferred deferredDDL
	if opts.Subjects >= deferIndexesFrom {
		names := []string{"export_outbox"}
		for _, t := range tables {
			names = append(names, t.name)
		}
		if deferred, err = deferIndexes(ctx, tx, names); err != nil {
			return Summary{}, err
		}
	}
	p := newProgress(opts.Progress, opts.Terminal, opts.Subjects)
	g := newGenerator(opts.Seed, opts.Today, cal, r)
	err = generate(ctx, tx, g, opts.Subjects, p)
	p.finish()
	if err != nil {
		return Summary{}, err
	}
	if err := deferred.restore(ctx, tx, p); err != nil {
		return Summary{}, err
	}
	if err := setSequences(ctx, tx, g.ids); err != nil {
		return Summary{}, err
	}
	var sum Summary
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM departments), (SELECT count(*) FROM measures)`).
		Scan(&sum.Departments, &sum.Measures); err != nil {
		return Summary{}, fmt.Errorf("seed: count reference data: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Summary{}, fmt.Errorf("seed: commit: %w", err)
	}
	if opts.Subjects > 0 {
		// Fresh statistics, so that the first queries after a seed get
		// good plans instead of waiting for autovacuum.
		names := make([]string, len(tables))
		for i, t := range tables {
			names[i] = t.name
		}
		if _, err := db.ExecContext(ctx, "ANALYZE "+strings.Join(names, ", ")); err != nil {
			return Summary{}, fmt.Errorf("seed: analyze: %w", err)
		}
	}

	sum.Subjects = g.count[tSubjects]
	sum.Organizations, sum.IndividualBusinesses, sum.NaturalPersons = g.orgs, g.shops, g.persons
	sum.KeyPersons = g.count[tKeyPersons]
	sum.Licences = g.count[tLicences]
	sum.Penalties = g.count[tPenalties]
	sum.TaxCreditGrades = g.count[tTaxGrades]
	sum.ListEntries = g.count[tListEntries]
	sum.ListEntryMeasures = g.count[tEntryMeasures]
	sum.ListEntryEvents = g.count[tEntryEvents]
	sum.Duration = time.Since(start)
	// The summary is the caller's to print (credithub seed writes it to
	// standard output); printing it here too showed it twice.
	return sum, nil
}

// generate produces the demo data in chunks on one goroutine and copies
// them on the calling one, so that generating a chunk overlaps with
// PostgreSQL writing the previous one. The channel holds one chunk, which
// bounds memory to about three chunks.
func generate(ctx context.Context, tx *sql.Tx, g *generator, total int, p *progress) error {
	ctx, cancel := context.WithCancel(ctx)
	batches := make(chan *batch, 1)
	go func() {
		defer close(batches)
		for done := 0; done < total; {
			n := min(chunkSize, total-done)
			b := g.chunk(n)
			done += n
			b.done = done
			select {
			case batches <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	// On an early return, stop the generator and wait until it has
	// finished, so that the caller may read g afterwards.
	defer func() {
		cancel()
		for range batches {
		}
	}()
	for b := range batches {
		if err := copyBatch(ctx, tx, b); err != nil {
			return err
		}
		p.update(b.done, b.counts)
	}
	return ctx.Err()
}
