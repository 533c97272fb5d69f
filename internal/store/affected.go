package store

import (
	"context"

	"github.com/lib/pq"
)

// affectedSQL follows the key-person links that carry records from one
// subject's answers into another's:
//
//   - the subjects themselves;
//   - their key persons: a person's check shows the black-list entries of
//     the organisations in which they hold a role (落实到人);
//   - the organisations in which the subjects, or those key persons, hold a
//     role: an organisation's check shows its legal representative's and
//     principals' findings, own and attributed.
//
// Roles count whatever their period, because a check as of a past date
// reads the roles held then. The answer may name more codes than strictly
// change (a penalty shows in no other subject's check today), which costs
// a cache miss; naming fewer would serve a stale answer.
const affectedSQL = `WITH s AS (SELECT DISTINCT unnest(CAST($1 AS bigint[])) AS id),
	people AS (
		SELECT id FROM s
		UNION SELECT k.person_id FROM key_persons k JOIN s ON k.organization_id = s.id),
	orgs AS (
		SELECT k.organization_id AS id FROM key_persons k JOIN people p ON k.person_id = p.id)
SELECT x.code FROM subjects x
WHERE x.id IN (SELECT id FROM people UNION SELECT id FROM orgs)
ORDER BY x.code`

// AffectedCodes returns the codes of the subjects whose cached answers can
// change when the records or key persons of the given subjects change, in
// one statement. Call it inside the writing transaction, after the write, so
// that it sees the links the write made; invalidate the codes after the
// commit.
func (db *DB) AffectedCodes(ctx context.Context, subjectIDs []int64) ([]string, error) {
	var codes []string
	err := db.sel(ctx, &codes, affectedSQL, pq.Array(subjectIDs))
	return codes, err
}
