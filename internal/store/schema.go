package store

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/lib/pq"
)

// SchemaState compares the migrations applied to the database with the
// ones embedded in this binary.
type SchemaState struct {
	// Embedded counts the migrations this binary carries; Applied those of
	// them that the database has.
	Embedded, Applied int
	// Pending lists the embedded versions the database lacks: the binary
	// must not serve until they are applied.
	Pending []int64
	// Unknown lists versions the database has and this binary does not
	// know (a newer binary migrated it; forward-only migrations keep the
	// older binary working, so this alone is no reason to stop).
	Unknown []int64
}

// Current reports whether every embedded migration is applied.
func (s SchemaState) Current() bool { return len(s.Pending) == 0 }

// SchemaState reads goose's version table (the serving role may read it)
// without locking or creating anything, so that a readiness probe can ask
// every few seconds. A database never migrated has every version pending.
func (db *DB) SchemaState(ctx context.Context) (SchemaState, error) {
	p, err := db.provider(nil)
	if err != nil {
		return SchemaState{}, err
	}
	applied := map[int64]bool{}
	var rows []struct {
		Version int64 `db:"version_id"`
		Applied bool  `db:"is_applied"`
	}
	// The latest row of a version says whether it is applied (older goose
	// recorded a down migration as a row with is_applied false).
	err = db.ext.SelectContext(ctx, &rows, `SELECT DISTINCT ON (version_id) version_id, is_applied
		FROM goose_db_version WHERE version_id > 0 ORDER BY version_id, id DESC`)
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code.Name() == "undefined_table" {
		err = nil
	}
	if err != nil {
		return SchemaState{}, fmt.Errorf("read applied migrations: %w", err)
	}
	for _, r := range rows {
		applied[r.Version] = r.Applied
	}
	var st SchemaState
	known := map[int64]bool{}
	for _, src := range p.ListSources() {
		known[src.Version] = true
		st.Embedded++
		if applied[src.Version] {
			st.Applied++
		} else {
			st.Pending = append(st.Pending, src.Version)
		}
	}
	for v, ok := range applied {
		if ok && !known[v] {
			st.Unknown = append(st.Unknown, v)
		}
	}
	sort.Slice(st.Unknown, func(i, j int) bool { return st.Unknown[i] < st.Unknown[j] })
	return st, nil
}
