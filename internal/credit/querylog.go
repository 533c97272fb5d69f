package credit

import "time"

// QueryUse is one read of a subject's records by a bank, an approval window
// or a department: the plan's record of querying and using credit records.
type QueryUse struct {
	ID          int64     `db:"id"`
	At          time.Time `db:"at"`
	CallerID    string    `db:"caller_id"`
	Institution string    `db:"institution"`
	Role        Role      `db:"role"`
	Purpose     string    `db:"purpose"`
	SubjectCode string    `db:"subject_code"`
	Operation   string    `db:"operation"`
}
