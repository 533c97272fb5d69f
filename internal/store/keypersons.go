package store

import (
	"context"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

const keyPersonColumns = `k.id, k.organization_id, k.person_id, k.role, k.since, k.until`

// KeyPersonsByOrganizations returns the key persons of the given
// organisations, current and past, newest role first.
func (db *DB) KeyPersonsByOrganizations(ctx context.Context, orgIDs []int64) ([]credit.KeyPerson, error) {
	var out []credit.KeyPerson
	err := db.sel(ctx, &out, `SELECT `+keyPersonColumns+` FROM key_persons k
		WHERE k.organization_id = ANY($1) ORDER BY k.organization_id, k.role, k.since DESC, k.id DESC`, pq.Array(orgIDs))
	return out, err
}

// KeyPersonsByPersons returns the roles the given persons hold or held.
func (db *DB) KeyPersonsByPersons(ctx context.Context, personIDs []int64) ([]credit.KeyPerson, error) {
	var out []credit.KeyPerson
	err := db.sel(ctx, &out, `SELECT `+keyPersonColumns+` FROM key_persons k
		WHERE k.person_id = ANY($1) ORDER BY k.person_id, k.since DESC, k.id DESC`, pq.Array(personIDs))
	return out, err
}

// AddKeyPerson records a person's role in an organisation.
func (db *DB) AddKeyPerson(ctx context.Context, k credit.KeyPerson) (int64, error) {
	var id int64
	err := db.get(ctx, &id, `INSERT INTO key_persons (organization_id, person_id, role, since, until)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, k.OrganizationID, k.PersonID, k.Role, k.Since, k.Until)
	return id, err
}
