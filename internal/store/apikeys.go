package store

import (
	"context"
	"time"

	"github.com/credithub/credithub/internal/credit"
)

// APIKey is a stored API key: everything but the key itself.
type APIKey struct {
	ID          int64       `db:"id"`
	Prefix      string      `db:"prefix"`
	Hash        []byte      `db:"hash"`
	Role        credit.Role `db:"role"`
	Institution string      `db:"institution"`
	Department  *string     `db:"department_code"`
	ExpiresAt   *time.Time  `db:"expires_at"`
	RevokedAt   *time.Time  `db:"revoked_at"`
	CreatedAt   time.Time   `db:"created_at"`
	CreatedBy   string      `db:"created_by"`
}

const apiKeyColumns = `id, prefix, hash, role, institution, department_code, expires_at, revoked_at, created_at, created_by`

// CreateAPIKey stores a key's hash and attributes and returns its id.
// BAD_USER_INPUT if the department does not exist.
func (db *DB) CreateAPIKey(ctx context.Context, k APIKey) (int64, error) {
	var id int64
	err := db.get(ctx, &id, `INSERT INTO api_keys (prefix, hash, role, institution, department_code, expires_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		k.Prefix, k.Hash, k.Role, k.Institution, k.Department, k.ExpiresAt, k.CreatedBy)
	return id, err
}

// APIKeyByHash returns the key with this hash; NOT_FOUND if there is none.
func (db *DB) APIKeyByHash(ctx context.Context, hash []byte) (APIKey, error) {
	var k APIKey
	err := db.get(ctx, &k, `SELECT `+apiKeyColumns+` FROM api_keys WHERE hash = $1`, hash)
	return k, err
}

// APIKeys lists every key, newest first.
func (db *DB) APIKeys(ctx context.Context) ([]APIKey, error) {
	var out []APIKey
	err := db.sel(ctx, &out, `SELECT `+apiKeyColumns+` FROM api_keys ORDER BY id DESC`)
	return out, err
}

// RevokeAPIKey revokes key id at time at; NOT_FOUND if there is no such
// key, CONFLICT if it was already revoked.
func (db *DB) RevokeAPIKey(ctx context.Context, id int64, at time.Time) error {
	var revoked *time.Time
	if err := db.get(ctx, &revoked, `SELECT revoked_at FROM api_keys WHERE id = $1 FOR UPDATE`, id); err != nil {
		return err
	}
	if revoked != nil {
		return credit.Errorf(credit.Conflict, "key %d was already revoked on %s", id, revoked.Format(time.RFC3339))
	}
	_, err := db.exec(ctx, `UPDATE api_keys SET revoked_at = $2 WHERE id = $1`, id, at)
	return err
}
