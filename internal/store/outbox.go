package store

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// The export outbox (migration 00006). Triggers on licences and penalties
// write one row per changed record in the writer's transaction; an export
// claims the pending rows under a batch name, streams the claimed records'
// latest state and commits the claim with the file, all in one
// transaction. Run the methods here inside InTx.

// OutboxSelection says which records an export sends.
type OutboxSelection struct {
	// Batch is the batch the export claimed its rows under (ClaimOutbox).
	Batch string
	// Since is the earliest outbox time the export looks at.
	Since time.Time
	// All also sends records whose outbox rows since Since were sent by an
	// earlier batch: a re-send, e.g. after the platform lost a file.
	All bool
}

// ClaimOutbox marks every pending outbox row of kinds written at or after
// since as exported at by batch, and returns how many it marked. Rows
// another transaction holds (a concurrent export's claim) are skipped, not
// waited for (FOR UPDATE SKIP LOCKED), so two exporters never claim the same
// row; the claim stays invisible to others until the transaction commits,
// and a rollback (a failed write, a dry run) releases it.
func (db *DB) ClaimOutbox(ctx context.Context, batch string, at, since time.Time, kinds []credit.RecordKind) (int64, error) {
	res, err := db.exec(ctx, `UPDATE export_outbox o SET exported_at = $1, export_batch = $2
		WHERE o.id IN (
			SELECT p.id FROM export_outbox p
			WHERE p.exported_at IS NULL AND p.at >= $3 AND p.record_kind = ANY($4)
			FOR UPDATE SKIP LOCKED)`, at, batch, since, pq.Array(kinds))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: claim outbox: %w", err)
	}
	return n, nil
}

// outboxRecordsSQL selects, in id order, the latest state of each record of
// table that sel covers: each record once however many outbox rows it has.
func outboxRecordsSQL(columns, table, kind string, all bool) string {
	covered := `o.export_batch = $1`
	if all {
		covered = `(o.export_batch = $1 OR o.at >= $2)`
	}
	return `SELECT ` + columns + ` FROM ` + table + ` r
		WHERE r.id IN (SELECT o.record_id FROM export_outbox o WHERE o.record_kind = '` + kind + `' AND ` + covered + `)
		ORDER BY r.id`
}

var (
	outboxLicencesSQL     = outboxRecordsSQL(licenceColumns, "licences", "LICENCE", false)
	outboxLicencesAllSQL  = outboxRecordsSQL(licenceColumns, "licences", "LICENCE", true)
	outboxPenaltiesSQL    = outboxRecordsSQL(penaltyColumns, "penalties", "PENALTY", false)
	outboxPenaltiesAllSQL = outboxRecordsSQL(penaltyColumns, "penalties", "PENALTY", true)
)

func outboxArgs(sel OutboxSelection) []any {
	if sel.All {
		return []any{sel.Batch, sel.Since}
	}
	return []any{sel.Batch}
}

// OutboxLicences calls fn with each licence sel covers, in id order, as
// the rows arrive: one row is in memory at a time, whatever the count.
// It stops at fn's first error and returns it.
func (db *DB) OutboxLicences(ctx context.Context, sel OutboxSelection, fn func(credit.Licence) error) error {
	q := outboxLicencesSQL
	if sel.All {
		q = outboxLicencesAllSQL
	}
	return db.stream(ctx, q, outboxArgs(sel), func(scan func(any) error) error {
		var l credit.Licence
		if err := scan(&l); err != nil {
			return translate(err)
		}
		return fn(l)
	})
}

// OutboxPenalties is OutboxLicences for penalties.
func (db *DB) OutboxPenalties(ctx context.Context, sel OutboxSelection, fn func(credit.Penalty) error) error {
	q := outboxPenaltiesSQL
	if sel.All {
		q = outboxPenaltiesAllSQL
	}
	return db.stream(ctx, q, outboxArgs(sel), func(scan func(any) error) error {
		var p credit.Penalty
		if err := scan(&p); err != nil {
			return translate(err)
		}
		return fn(p)
	})
}

// stream runs query and calls row for each result row with a function
// that scans it into a struct; row's own errors come back unchanged. lib/pq
// reads rows off the connection as Next asks for them, so nothing
// accumulates; inside a transaction the connection is busy until the rows
// are closed.
func (db *DB) stream(ctx context.Context, query string, args []any, row func(scan func(any) error) error) error {
	db.stats.statements.Add(1)
	rows, err := db.ext.QueryxContext(ctx, query, args...)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.StructScan); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return translate(err)
	}
	return translate(rows.Close())
}

// OutboxPending counts the outbox rows of kind not yet exported; the
// export's tests and an operator's look at the backlog use it.
func (db *DB) OutboxPending(ctx context.Context, kind credit.RecordKind) (int, error) {
	var n int
	err := db.get(ctx, &n, `SELECT count(*) FROM export_outbox WHERE exported_at IS NULL AND record_kind = $1`, kind)
	return n, err
}
