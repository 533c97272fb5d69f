package store

import (
	"context"
	"time"

	"github.com/credithub/credithub/internal/credit"
)

// PersistedOperation is an operation of the operator's allow-list.
type PersistedOperation struct {
	Hash    string    `db:"hash"`
	Name    string    `db:"name"`
	Query   string    `db:"query"`
	AddedAt time.Time `db:"added_at"`
	AddedBy string    `db:"added_by"`
}

// PersistedOperation returns the allow-listed operation with hash;
// NOT_FOUND if there is none.
func (db *DB) PersistedOperation(ctx context.Context, hash string) (PersistedOperation, error) {
	var op PersistedOperation
	err := db.get(ctx, &op, `SELECT hash, name, query, added_at, added_by FROM persisted_operations WHERE hash = $1`, hash)
	return op, err
}

// PersistedOperations lists the allow-list, by name then hash.
func (db *DB) PersistedOperations(ctx context.Context) ([]PersistedOperation, error) {
	var out []PersistedOperation
	err := db.sel(ctx, &out, `SELECT hash, name, query, added_at, added_by FROM persisted_operations ORDER BY name, hash`)
	return out, err
}

// AddPersistedOperation adds op to the allow-list; adding one that is there
// already updates its name.
func (db *DB) AddPersistedOperation(ctx context.Context, op PersistedOperation) error {
	_, err := db.exec(ctx, `INSERT INTO persisted_operations (hash, name, query, added_by) VALUES ($1, $2, $3, $4)
		ON CONFLICT (hash) DO UPDATE SET name = EXCLUDED.name`, op.Hash, op.Name, op.Query, op.AddedBy)
	return err
}

// RemovePersistedOperation removes the operation with hash; NOT_FOUND if
// there is none.
func (db *DB) RemovePersistedOperation(ctx context.Context, hash string) error {
	res, err := db.exec(ctx, `DELETE FROM persisted_operations WHERE hash = $1`, hash)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return credit.Errorf(credit.NotFound, "no installed operation has the hash %s", hash)
	}
	return nil
}
