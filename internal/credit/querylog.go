package credit

import "time"

// QueryUse is one read of subjects' records by a bank, an approval window or
// a department: the plan's record of querying and using credit records. One
// use covers every subject the operation read (a company's check reads its
// legal representative's records too).
type QueryUse struct {
	ID          int64     `db:"id"`
	At          time.Time `db:"at"`
	CallerID    string    `db:"caller_id"`
	Institution string    `db:"institution"`
	Role        Role      `db:"role"`
	Purpose     string    `db:"purpose"`
	// SubjectCodes are the subjects read, at least one (the store scans
	// the column itself: it is a PostgreSQL array).
	SubjectCodes []string `db:"-"`
	Operation    string   `db:"operation"`
}
