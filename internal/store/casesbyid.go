package store

import (
	"context"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// CasesByIDs returns the cases with the given ids that dept (empty for
// everyone) is involved in.
func (db *DB) CasesByIDs(ctx context.Context, ids []int64, dept string) ([]credit.JointCase, error) {
	var out []credit.JointCase
	err := db.sel(ctx, &out, `SELECT `+caseColumns+` FROM joint_cases c
		WHERE c.id = ANY($1) AND `+involved("$2"), pq.Array(ids), dept)
	return out, err
}
