package store

import (
	"context"
	"fmt"
	"time"
)

// auditChainLock is the pg_advisory_xact_lock key that serialises appends to
// audit_log: "audit" in ASCII, so that it is recognisable in pg_locks.
const auditChainLock int64 = 0x6175646974

// AuditRow is one row of audit_log as stored. Detail is the jsonb text as
// PostgreSQL returns it, which is not byte-for-byte what was written: the
// hash covers its canonical form (internal/audit).
type AuditRow struct {
	Seq         int64     `db:"seq"`
	At          time.Time `db:"at"`
	Actor       string    `db:"actor"`
	Role        string    `db:"role"`
	Institution string    `db:"institution"`
	Action      string    `db:"action"`
	Target      string    `db:"target"`
	Detail      []byte    `db:"detail"`
	PrevHash    []byte    `db:"prev_hash"`
	Hash        []byte    `db:"hash"`
}

// AppendAudit appends row to audit_log as the next link of the chain, inside
// db's transaction when there is one (so that the row commits or rolls back
// with the write it records) and in a transaction of its own otherwise.
//
// It takes the chain lock, which it holds until that transaction ends, then
// fills in row's Seq (the identity's next value), At (the database clock) and
// PrevHash (the last row's hash, nil when the log is empty), calls seal to
// complete the link (a genesis PrevHash and the Hash), and inserts the row. Appends therefore queue behind
// one another until each commits: call it as late in a transaction as
// possible. It returns the row as inserted.
//
// It must run under READ COMMITTED (the default): a REPEATABLE READ snapshot
// taken before the lock could miss the last row; the unique prev_hash
// constraint then fails the append rather than fork the chain.
func (db *DB) AppendAudit(ctx context.Context, row AuditRow, seal func(*AuditRow) error) (AuditRow, error) {
	err := db.InTx(ctx, func(tx *DB) error {
		if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock($1)`, auditChainLock); err != nil {
			return fmt.Errorf("lock the audit chain: %w", err)
		}
		// A statement of its own, after the lock: under READ COMMITTED its
		// snapshot sees the row that the previous holder committed.
		var head struct {
			Seq      int64     `db:"seq"`
			At       time.Time `db:"at"`
			PrevHash []byte    `db:"prev_hash"`
		}
		err := tx.get(ctx, &head, `SELECT nextval(pg_get_serial_sequence('audit_log', 'seq')) AS seq,
			clock_timestamp() AS at,
			(SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS prev_hash`)
		if err != nil {
			return fmt.Errorf("read the audit chain head: %w", err)
		}
		row.Seq, row.At, row.PrevHash = head.Seq, head.At, head.PrevHash
		if err := seal(&row); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO audit_log
			(seq, at, actor, role, institution, action, target, detail, prev_hash, hash)
			OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			row.Seq, row.At, row.Actor, row.Role, row.Institution, row.Action, row.Target, string(row.Detail),
			row.PrevHash, row.Hash)
		if err != nil {
			return fmt.Errorf("append audit row: %w", err)
		}
		return nil
	})
	return row, err
}

// AuditRows returns at most limit rows of audit_log with seq > afterSeq, in
// seq order. Verification pages through the chain with it in constant
// memory.
func (db *DB) AuditRows(ctx context.Context, afterSeq int64, limit int) ([]AuditRow, error) {
	var out []AuditRow
	err := db.sel(ctx, &out, `SELECT seq, at, actor, role, institution, action, target, detail, prev_hash, hash
		FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`, afterSeq, limit)
	return out, err
}
