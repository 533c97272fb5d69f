package seed

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// deferIndexesFrom is the number of subjects from which a seed builds the
// secondary indexes, unique constraints and foreign keys of the tables it
// fills after filling them, instead of maintaining them row by row. Below
// it the difference is a fraction of a second either way; above it,
// building an index once from sorted data beats inserting tens of millions
// of random keys into B-trees larger than shared_buffers, and a foreign
// key is checked by one join instead of one look-up per row.
var deferIndexesFrom = 50_000

// deferredDDL is what a large seed drops before its COPYs and creates
// again after them, in the same transaction: a failed seed rolls the drops
// back with everything else, and no other session can see the tables in
// between (the drops hold ACCESS EXCLUSIVE locks until the commit).
type deferredDDL struct {
	drop, create []string
}

// deferIndexes drops the foreign keys, unique constraints and indexes
// (other than primary keys, whose ids the seed assigns in ascending order)
// of the named tables, read from the catalogue so that whatever later
// migrations add is deferred too, and returns the statements that create
// them again: indexes and unique constraints first, then the foreign keys,
// whose checks use the indexes of the tables they reference.
func deferIndexes(ctx context.Context, tx *sql.Tx, tables []string) (deferredDDL, error) {
	var d deferredDDL
	rows, err := tx.QueryContext(ctx, `
		SELECT drop_sql, create_sql FROM (
			SELECT 1 AS phase, format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_sql,
				format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS create_sql,
				c.conname AS name
			FROM pg_constraint c WHERE c.conrelid = ANY(CAST($1 AS regclass[])) AND c.contype = 'u'
			UNION ALL
			SELECT 1, format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text
			FROM pg_index i WHERE i.indrelid = ANY(CAST($1 AS regclass[])) AND NOT i.indisprimary
				AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
			UNION ALL
			SELECT 2, format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
				format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)),
				c.conname
			FROM pg_constraint c WHERE c.conrelid = ANY(CAST($1 AS regclass[])) AND c.contype = 'f') x
		ORDER BY phase, name`, pq.Array(tables))
	if err != nil {
		return d, fmt.Errorf("seed: read the indexes to defer: %w", err)
	}
	defer rows.Close()
	var create []string
	for rows.Next() {
		var dr, cr string
		if err := rows.Scan(&dr, &cr); err != nil {
			return d, fmt.Errorf("seed: read the indexes to defer: %w", err)
		}
		d.drop = append(d.drop, dr)
		create = append(create, cr)
	}
	if err := rows.Err(); err != nil {
		return d, fmt.Errorf("seed: read the indexes to defer: %w", err)
	}
	d.create = create
	// Foreign keys go first, before the unique constraints they might rest on.
	for i := len(d.drop) - 1; i >= 0; i-- {
		if _, err := tx.ExecContext(ctx, d.drop[i]); err != nil {
			return d, fmt.Errorf("seed: %s: %w", d.drop[i], err)
		}
	}
	return d, nil
}

// restore creates again what deferIndexes dropped, reporting each step.
func (d deferredDDL) restore(ctx context.Context, tx *sql.Tx, p *progress) error {
	if len(d.create) == 0 {
		return nil
	}
	// Room to sort a large table's keys in memory; local to the
	// transaction.
	if _, err := tx.ExecContext(ctx, `SET LOCAL maintenance_work_mem = '1GB'`); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	for _, stmt := range d.create {
		start := time.Now()
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("seed: %s: %w", stmt, err)
		}
		short := stmt
		if len(short) > 110 {
			short = short[:110] + "…"
		}
		p.printf("seed: %s (%s)", short, time.Since(start).Round(100*time.Millisecond))
	}
	return nil
}
