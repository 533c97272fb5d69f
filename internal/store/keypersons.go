package store

import (
	"context"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

const keyPersonColumns = `k.id, k.organization_id, k.person_id, k.role, k.since, k.until, k.source`

// KeyPersonsByOrganizations returns the key persons of the given
// organisations, current and past, newest role first.
func (db *DB) KeyPersonsByOrganizations(ctx context.Context, orgIDs []int64) ([]credit.KeyPerson, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
	var out []credit.KeyPerson
	err := db.sel(ctx, &out, `SELECT `+keyPersonColumns+` FROM key_persons k
		WHERE k.organization_id = ANY($1) ORDER BY k.organization_id, k.role, k.since DESC, k.id DESC`, pq.Array(orgIDs))
	return out, err
}

// KeyPersonsByPersons returns the roles the given persons hold or held.
func (db *DB) KeyPersonsByPersons(ctx context.Context, personIDs []int64) ([]credit.KeyPerson, error) {
	db = db.reader(ctx) // the replica when it has replayed every write (replica.go)
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

// HasRecordOn reports whether department decided a licence, a penalty or a
// list entry about subject: what lets it change the subject's key persons.
func (db *DB) HasRecordOn(ctx context.Context, department string, subject int64) (bool, error) {
	var ok bool
	err := db.get(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM licences WHERE subject_id = $1 AND authority_code = $2)
		OR EXISTS (SELECT 1 FROM penalties WHERE subject_id = $1 AND authority_code = $2)
		OR EXISTS (SELECT 1 FROM list_entries WHERE subject_id = $1 AND department_code = $2)`, subject, department)
	return ok, err
}

const requestColumns = `r.id, r.organization_id, r.person_id, r.role, r.since, r.until, r.department_code,
	r.requested_by, r.requested_at, r.status, r.decided_by, r.decided_at, r.reason`

// AddKeyPersonRequest records a link waiting for the credit office; the
// same link already waiting is not asked for twice.
func (db *DB) AddKeyPersonRequest(ctx context.Context, r credit.KeyPersonRequest) (credit.KeyPersonRequest, error) {
	var out credit.KeyPersonRequest
	err := db.get(ctx, &out, `WITH waiting AS (
			SELECT `+requestColumns+` FROM key_person_requests r
			WHERE r.organization_id = $1 AND r.person_id = $2 AND r.role = $3 AND r.since = $4
			  AND r.until IS NOT DISTINCT FROM CAST($5 AS date) AND r.department_code = $6 AND r.status = 'PENDING'),
		added AS (
			INSERT INTO key_person_requests AS r (organization_id, person_id, role, since, until, department_code, requested_by)
			SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM waiting)
			RETURNING `+requestColumns+`)
		SELECT * FROM added UNION ALL SELECT * FROM waiting LIMIT 1`,
		r.OrganizationID, r.PersonID, r.Role, r.Since, r.Until, r.Department, r.RequestedBy)
	return out, err
}

// KeyPersonRequests lists the requests in status, oldest first.
func (db *DB) KeyPersonRequests(ctx context.Context, status credit.RequestStatus, limit int) ([]credit.KeyPersonRequest, error) {
	var out []credit.KeyPersonRequest
	err := db.sel(ctx, &out, `SELECT `+requestColumns+` FROM key_person_requests r WHERE r.status = $1
		ORDER BY r.requested_at, r.id LIMIT $2`, status, limit)
	return out, err
}

// LockKeyPersonRequest reads a request for deciding it; NOT_FOUND if there
// is none.
func (db *DB) LockKeyPersonRequest(ctx context.Context, id int64) (credit.KeyPersonRequest, error) {
	var out credit.KeyPersonRequest
	err := db.get(ctx, &out, `SELECT `+requestColumns+` FROM key_person_requests r WHERE r.id = $1 FOR UPDATE`, id)
	return out, err
}

// DecideKeyPersonRequest records the decision on a pending request.
func (db *DB) DecideKeyPersonRequest(ctx context.Context, id int64, status credit.RequestStatus, by, reason string) (credit.KeyPersonRequest, error) {
	var out credit.KeyPersonRequest
	err := db.get(ctx, &out, `UPDATE key_person_requests r SET status = $2, decided_by = $3, decided_at = now(), reason = $4
		WHERE r.id = $1 RETURNING `+requestColumns, id, status, by, reason)
	return out, err
}
