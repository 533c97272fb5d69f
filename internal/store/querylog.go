package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// QueryUse is one row of query_log (credit.QueryUse).
type QueryUse = credit.QueryUse

// InsertQueryUses writes uses to query_log with one statement (one round
// trip and, outside a transaction, one commit): all of them or none. The
// query-use log's writer calls it for each group of rows whose readers wait
// for them to be durable, so its latency is on the read path.
func (db *DB) InsertQueryUses(ctx context.Context, uses []QueryUse) error {
	if len(uses) == 0 {
		return nil
	}
	rows := make([]queryUseRow, len(uses))
	for i, u := range uses {
		rows[i] = queryUseRow{At: u.At, CallerID: u.CallerID, Institution: u.Institution, Role: string(u.Role),
			Purpose: u.Purpose, SubjectCodes: u.SubjectCodes, Operation: u.Operation}
	}
	doc, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("insert query uses: %w", err)
	}
	// The log changes no answer a replica gives: it does not make reads
	// wait for the replica (unmarked, replica.go).
	_, err = db.unmarked().execPrepared(ctx, `INSERT INTO query_log (at, caller_id, institution, role, purpose, subject_codes, operation)
		SELECT at, caller_id, institution, role, purpose, subject_codes, operation
		FROM json_populate_recordset(NULL::query_log, $1)`, doc)
	if err != nil {
		return fmt.Errorf("insert query uses: %w", err)
	}
	return nil
}

// queryUseRow is a query_log row as json_populate_recordset reads it.
type queryUseRow struct {
	At           time.Time `json:"at"`
	CallerID     string    `json:"caller_id"`
	Institution  string    `json:"institution"`
	Role         string    `json:"role"`
	Purpose      string    `json:"purpose"`
	SubjectCodes []string  `json:"subject_codes"`
	Operation    string    `json:"operation"`
}

// CopyQueryUses writes uses to query_log with one COPY in one transaction
// (db's, if it is in one): all of them or none. Their IDs are ignored.
func (db *DB) CopyQueryUses(ctx context.Context, uses []QueryUse) error {
	if len(uses) == 0 {
		return nil
	}
	// Unmarked, as in InsertQueryUses.
	return db.unmarked().InTx(ctx, func(tx *DB) error {
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
