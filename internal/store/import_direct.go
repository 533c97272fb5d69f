package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"github.com/credithub/credithub/internal/credit"
)

// copyNewRecords writes a chunk's records straight into k.table with one
// COPY, as a plain COPY of finished rows does, when none of their
// decisions is stored yet (the first import of a file). It is the
// upsert's result without its costs: no staging table, and COPY inserts
// rows in batches where INSERT … SELECT … ON CONFLICT inserts them one by
// one with a speculative check each; triggers, foreign keys and indexes
// see the rows as they see any insert, so the outbox rows are the same.
//
// Whether the decisions are new is a guess from the previous chunk (or,
// for the first, one probe): a decision stored meanwhile by a push or
// another import makes the COPY fail on the unique key, and the COPY is
// rolled back to a savepoint, having written nothing; copyNewRecords then
// returns false and the caller upserts the chunk as usual.
func (tx *ImportTx) copyNewRecords(ctx context.Context, k recordKind, order []int, subject []int64,
	key func(int) (string, string, credit.Date), enc encodedRecords) (bool, error) {
	switch tx.sess.stored {
	case storedSome:
		return false, nil
	case storedUnknown:
		stored, err := tx.anyStored(ctx, k, order, key)
		if err != nil || stored {
			return false, err
		}
	}
	if _, err := tx.exec(ctx, `SAVEPOINT import_direct`); err != nil {
		return false, err
	}
	err := tx.copyRaw(ctx, k.table, recordColumns(k), len(order), func(j int, l *copyLine) {
		i := order[j]
		l.int(subject[i])
		l.encoded(enc.text[enc.start[i]:enc.end[i]])
	})
	if err == nil {
		_, err = tx.exec(ctx, `RELEASE SAVEPOINT import_direct`)
		return err == nil, err
	}
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) || pqErr.Code != pqerror.UniqueViolation || pqErr.Constraint != k.constraint {
		return false, fmt.Errorf("store: copy %s: %w", k.table, translate(err))
	}
	// Back to the transaction itself: what follows runs outside the
	// savepoint, as it would have without it.
	if _, err := tx.exec(ctx, `ROLLBACK TO SAVEPOINT import_direct; RELEASE SAVEPOINT import_direct`); err != nil {
		return false, err
	}
	tx.sess.stored = storedSome
	return false, nil
}

// anyStored reports whether any of the chunk's decisions is stored, with
// one index probe per row however large the table (the LIMIT keeps the
// planner from a hash join over the whole table; see movedSQL).
func (tx *ImportTx) anyStored(ctx context.Context, k recordKind, order []int, key func(int) (string, string, credit.Date)) (bool, error) {
	authorities := make([]string, len(order))
	decisions := make([]string, len(order))
	for j, i := range order {
		authorities[j], decisions[j], _ = key(i)
	}
	var stored bool
	err := tx.get(ctx, &stored, `SELECT EXISTS (SELECT 1
		FROM unnest(CAST($1 AS text[]), CAST($2 AS text[])) AS s(authority_code, decision_no)
		CROSS JOIN LATERAL (SELECT 1 FROM `+k.table+` r
			WHERE r.authority_code = s.authority_code AND r.decision_no = s.decision_no LIMIT 1) r)`,
		pq.Array(authorities), pq.Array(decisions))
	return stored, err
}

// subjectsOf returns the distinct subjects of the rows in order.
func subjectsOf(order []int, subject []int64) []int64 {
	seen := make(map[int64]bool, len(order))
	var out []int64
	for _, i := range order {
		if s := subject[i]; !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
