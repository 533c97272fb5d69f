package store

import (
	"context"
	"time"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// The life of a list entry: proposal, approval or rejection, exit and
// expiry. Decision fields are never updated; a transition sets the status
// and its own decision's columns and adds a row to list_entry_events.

// EntryRow is a list entry with who proposed and approved it, for the dual
// control of decisions.
type EntryRow struct {
	credit.ListEntry
	ProposedBy string  `db:"proposed_by"`
	ApprovedBy *string `db:"approved_by"`
}

// DomainKind returns the list kind of domain; NOT_FOUND if it is unknown.
func (db *DB) DomainKind(ctx context.Context, domain string) (credit.ListKind, error) {
	var k credit.ListKind
	err := db.get(ctx, &k, `SELECT kind FROM list_domains WHERE code = $1`, domain)
	return k, err
}

// InsertListEntry inserts e as PROPOSED by proposedBy and returns it as
// stored. CONFLICT when the department already has an entry with the
// decision number.
func (db *DB) InsertListEntry(ctx context.Context, e credit.ListEntry, proposedBy string) (credit.ListEntry, error) {
	var out credit.ListEntry
	err := db.get(ctx, &out, `WITH e AS (
			INSERT INTO list_entries (subject_id, kind, domain, department_code, decision_no, decided_on, facts,
				decision_content, starts_on, ends_on, status, use_scope, proposed_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'PROPOSED', $11, $12) RETURNING *)
		SELECT `+listEntryColumns+` FROM e JOIN list_domains d ON d.code = e.domain`,
		e.SubjectID, e.Kind, e.Domain, e.DepartmentCode, e.DecisionNo, e.DecidedOn, e.Facts, e.DecisionContent,
		e.StartsOn, e.EndsOn, e.UseScope, proposedBy)
	return out, err
}

// ListEntryForUpdate returns the entry with id, locked until the
// transaction ends, so that two decisions on it run one after the other;
// NOT_FOUND if there is none.
func (db *DB) ListEntryForUpdate(ctx context.Context, id int64) (EntryRow, error) {
	var out EntryRow
	err := db.get(ctx, &out, `SELECT `+listEntryColumns+`, e.proposed_by, e.approved_by
		FROM list_entries e JOIN list_domains d ON d.code = e.domain
		WHERE e.id = $1 FOR UPDATE OF e`, id)
	return out, err
}

// EntryChange is a transition of a list entry: its new status and, where
// the transition sets them, its approver and exit decision.
type EntryChange struct {
	Status         credit.ListEntryStatus
	ApprovedBy     *string
	EndedOn        *credit.Date
	ExitDecisionNo *string
	ExitReason     *string
}

// ChangeListEntry applies c to the entry with id and returns it; columns c
// leaves nil keep their value. The caller has checked the transition.
func (db *DB) ChangeListEntry(ctx context.Context, id int64, c EntryChange) (credit.ListEntry, error) {
	var out credit.ListEntry
	err := db.get(ctx, &out, `WITH e AS (
			UPDATE list_entries SET status = $2, approved_by = COALESCE($3, approved_by),
				ended_on = COALESCE($4, ended_on), exit_decision_no = COALESCE($5, exit_decision_no),
				exit_reason = COALESCE($6, exit_reason)
			WHERE id = $1 RETURNING *)
		SELECT `+listEntryColumns+` FROM e JOIN list_domains d ON d.code = e.domain`,
		id, c.Status, c.ApprovedBy, c.EndedOn, c.ExitDecisionNo, c.ExitReason)
	return out, err
}

// AddEntryEvent records one transition of an entry.
func (db *DB) AddEntryEvent(ctx context.Context, ev credit.ListEntryEvent) error {
	_, err := db.exec(ctx, `INSERT INTO list_entry_events (entry_id, from_status, to_status, actor, decision_no,
			decided_on, reason, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		ev.EntryID, ev.FromStatus, ev.ToStatus, ev.Actor, ev.DecisionNo, ev.DecidedOn, ev.Reason, ev.At)
	return err
}

// EventsByEntries returns the transitions of the given entries, oldest first.
func (db *DB) EventsByEntries(ctx context.Context, entryIDs []int64) ([]credit.ListEntryEvent, error) {
	var out []credit.ListEntryEvent
	err := db.sel(ctx, &out, `SELECT id, entry_id, from_status, to_status, actor, decision_no, decided_on, reason, at
		FROM list_entry_events WHERE entry_id = ANY($1) ORDER BY entry_id, id`, pq.Array(entryIDs))
	return out, err
}

// ExpiredEntry is an entry the expiry job recorded as EXPIRED.
type ExpiredEntry struct {
	ID             int64       `db:"id"`
	SubjectID      int64       `db:"subject_id"`
	DepartmentCode string      `db:"department_code"`
	DecisionNo     string      `db:"decision_no"`
	Domain         string      `db:"domain"`
	EndsOn         credit.Date `db:"ends_on"`
}

// ExpireEntries records at most limit ACTIVE entries whose last day is
// before today as EXPIRED, each with its event by actor, in one statement.
// Entries another transaction holds are skipped (SKIP LOCKED): the next run
// takes them, and two servers running the job never record one twice.
func (db *DB) ExpireEntries(ctx context.Context, today credit.Date, limit int, actor string, at time.Time) ([]ExpiredEntry, error) {
	var out []ExpiredEntry
	err := db.sel(ctx, &out, `WITH x AS (
			SELECT id FROM list_entries WHERE status = 'ACTIVE' AND ends_on < $1
			ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED),
		u AS (
			UPDATE list_entries e SET status = 'EXPIRED' FROM x WHERE e.id = x.id
			RETURNING e.id, e.subject_id, e.department_code, e.decision_no, e.domain, e.ends_on),
		ev AS (
			INSERT INTO list_entry_events (entry_id, from_status, to_status, actor, reason, at)
			SELECT id, 'ACTIVE', 'EXPIRED', $3, 'the period ended on ' || ends_on, $4 FROM u)
		SELECT id, subject_id, department_code, decision_no, domain, ends_on FROM u ORDER BY id`, today, limit, actor, at)
	return out, err
}
