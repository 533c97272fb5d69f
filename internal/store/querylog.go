package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// QueryUse is one row of query_log (credit.QueryUse).
type QueryUse = credit.QueryUse

// CopyQueryUses writes uses to query_log with one COPY in one transaction
// (db's, if it is in one): all of them or none. Their IDs are ignored.
func (db *DB) CopyQueryUses(ctx context.Context, uses []QueryUse) error {
	if len(uses) == 0 {
		return nil
	}
	return db.InTx(ctx, func(tx *DB) error {
		db.stats.statements.Add(1)
		// InTx hands fn a DB whose ext is the transaction; COPY needs the
		// *sql.Tx underneath to prepare the copy-in statement.
		stmt, err := tx.ext.(*sqlx.Tx).PrepareContext(ctx,
			`COPY query_log (at, caller_id, institution, role, purpose, subject_codes, operation) FROM STDIN`)
		if err != nil {
			return fmt.Errorf("copy query uses: %w", translate(err))
		}
		defer stmt.Close()
		for _, u := range uses {
			if _, err := stmt.ExecContext(ctx, u.At, u.CallerID, u.Institution, u.Role, u.Purpose, pq.Array(u.SubjectCodes), u.Operation); err != nil {
				return fmt.Errorf("copy query uses: %w", translate(err))
			}
		}
		// The final Exec without arguments ends the stream and reports what
		// PostgreSQL found wrong with the data.
		if _, err := stmt.ExecContext(ctx); err != nil {
			return fmt.Errorf("copy query uses: %w", translate(err))
		}
		return nil
	})
}

// QueryLogForSubject returns the latest limit reads of the subject with
// code, newest first.
func (db *DB) QueryLogForSubject(ctx context.Context, code string, limit int) ([]QueryUse, error) {
	var rows []struct {
		QueryUse
		Codes pq.StringArray `db:"subject_codes"`
	}
	err := db.sel(ctx, &rows, `SELECT id, at, caller_id, institution, role, purpose, subject_codes, operation
		FROM query_log WHERE subject_codes @> ARRAY[$1::text] ORDER BY at DESC, id DESC LIMIT $2`, code, limit)
	out := make([]QueryUse, len(rows))
	for i, r := range rows {
		out[i] = r.QueryUse
		out[i].SubjectCodes = r.Codes
	}
	return out, err
}
