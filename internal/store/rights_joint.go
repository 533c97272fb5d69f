package store

import (
	"context"
	"time"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// What objections and repairs do to the joint workflow: the assignments of
// a disputed entry are suspended and resumed (SuspendAssignments,
// ResumeAssignments), those of a repaired entry closed (CloseJointCases),
// and the implementing departments are told of each change the way they
// are told of a push: a push_outbox row and a NOTIFY, so that their
// assignmentPushed subscriptions receive the assignment in its new status
// and myAssignments shows it.

// AssignmentIDsOfEntry returns the ids of the assignments of entry's case
// in one of statuses.
func (db *DB) AssignmentIDsOfEntry(ctx context.Context, entryID int64, statuses []credit.AssignmentStatus) ([]int64, error) {
	var ids []int64
	err := db.sel(ctx, &ids, `SELECT a.id FROM assignments a JOIN joint_cases c ON c.id = a.case_id
		WHERE c.entry_id = $1 AND a.status = ANY(CAST($2 AS assignment_status[])) ORDER BY a.id`,
		entryID, pq.Array(statuses))
	return ids, err
}

// TellDepartments pushes the assignments with ids again to their
// departments: one outbox row each and a NOTIFY that the subscription hubs
// hear when the transaction commits.
func (db *DB) TellDepartments(ctx context.Context, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := db.exec(ctx, `INSERT INTO push_outbox (assignment_id, department_code, created_at)
		SELECT id, department_code, $2 FROM assignments WHERE id = ANY($1)`, pq.Array(ids), at); err != nil {
		return err
	}
	_, err := db.exec(ctx, `SELECT pg_notify($1, CAST(id AS text)) FROM unnest(CAST($2 AS bigint[])) AS id`,
		PushChannel, pq.Array(ids))
	return err
}
