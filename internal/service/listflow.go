package service

import (
	"context"
	"slices"
	"strings"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// The life of a list entry (plan §16: written procedures, little
// discretion, traceable): the deciding department proposes, a person of the
// credit office other than the proposer approves or rejects, and the entry
// leaves by an exit decision or at its end. Each transition is checked
// against credit.CheckTransition, recorded as an event and audited in the
// transaction that makes it; nothing is deleted or edited in place.

// cleanText trims *p and rejects NUL (which neither text columns nor the
// audit log's jsonb can store) and, when required, emptiness, naming field.
func cleanText(field string, p *string, required bool) error {
	*p = strings.TrimSpace(*p)
	switch {
	case strings.ContainsRune(*p, 0):
		return credit.FieldErrorf(field, "contains a NUL character, which is not allowed in text")
	case required && *p == "":
		return credit.FieldErrorf(field, "must not be empty")
	}
	return nil
}

// entryDetail is what the audit log keeps about a list decision.
type entryDetail struct {
	DecisionNo string                 `json:"decisionNo"`
	Department string                 `json:"department"`
	Subject    string                 `json:"subject,omitempty"`
	Domain     string                 `json:"domain"`
	From       credit.ListEntryStatus `json:"from,omitempty"`
	To         credit.ListEntryStatus `json:"to"`
	Reason     string                 `json:"reason,omitempty"`
	ExitNo     string                 `json:"exitDecisionNo,omitempty"`
	Case       int64                  `json:"case,omitempty"`
	Measures   []string               `json:"measures,omitempty"`
	Closed     int                    `json:"closedAssignments,omitempty"`
}

// ProposeListEntry records the calling department's decision to put a
// subject on a list, as PROPOSED, awaiting the credit office. Only a
// DEPARTMENT proposes, and always as the deciding department: the office
// decides on proposals and must not be the one that makes them (it
// proposes its own lists, such as 诚信典型, through a key of its own
// department). The start defaults to the decision date and the end to the
// domain's period in force on that date. Errors: FORBIDDEN for other
// roles; BAD_USER_INPUT naming the field for an unknown subject or domain,
// a broken period rule, an end before today (the entry would never be in
// force) or empty facts; CONFLICT when the department already has an entry
// with the decision number.
func (s *Service) ProposeListEntry(ctx context.Context, in credit.ListEntryInput) (credit.ListEntry, error) {
	c, err := s.authorize(ctx, credit.ActProposeListEntry)
	if err != nil {
		return credit.ListEntry{}, err
	}
	lc, err := credit.ParseLookupCode("input.subjectCode", in.SubjectCode)
	if err != nil {
		return credit.ListEntry{}, err
	}
	for _, t := range []struct {
		field string
		p     *string
	}{{"input.domain", &in.Domain}, {"input.decisionNumber", &in.DecisionNo}, {"input.facts", &in.Facts},
		{"input.decisionContent", &in.DecisionContent}} {
		if err := cleanText(t.field, t.p, false); err != nil {
			return credit.ListEntry{}, err
		}
	}
	switch in.UseScope {
	case "", credit.ScopePublic, credit.ScopeShared, credit.ScopeAuthorized:
	default:
		return credit.ListEntry{}, credit.FieldErrorf("input.useScope", "must be PUBLIC, SHARED or AUTHORIZED, got %q", in.UseScope)
	}
	if in.DecidedOn.IsZero() {
		return credit.ListEntry{}, credit.FieldErrorf("input.decidedOn", "is required")
	}
	today := s.Today()
	var out credit.ListEntry
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		subj, err := tx.SubjectByCode(ctx, lc.Code)
		switch {
		case credit.CodeOf(err) == credit.NotFound && lc.ChecksumOnly:
			return nil, lc.Err
		case credit.CodeOf(err) == credit.NotFound:
			return nil, credit.FieldErrorf("input.subjectCode", "no subject is registered with the code %s", lc.Code)
		case err != nil:
			return nil, err
		}
		p, err := s.domainPeriod(ctx, tx, in.Domain, in.DecidedOn)
		if err != nil {
			return nil, err
		}
		if err := in.Validate(today, p); err != nil {
			return nil, err
		}
		if in.EndsOn != nil && in.EndsOn.Before(today) {
			return nil, credit.FieldErrorf("input.endsOn", "the entry would end on %s, before today (%s), and never be in force", *in.EndsOn, today)
		}
		out, err = tx.InsertListEntry(ctx, credit.ListEntry{SubjectID: subj.ID, Kind: in.Kind, Domain: in.Domain,
			DepartmentCode: c.Department, DecisionNo: in.DecisionNo, DecidedOn: in.DecidedOn, Facts: in.Facts,
			DecisionContent: in.DecisionContent, StartsOn: *in.StartsOn, EndsOn: in.EndsOn, UseScope: in.UseScope}, c.ID)
		if err != nil {
			return nil, err
		}
		if err := s.entryEvent(ctx, tx, out, "", credit.EntryProposed, &in.DecisionNo, &in.DecidedOn, ""); err != nil {
			return nil, err
		}
		// A proposal is in force nowhere, so no cached answer changes.
		return nil, audit.Append(ctx, tx, audit.Event{Actor: c, Action: "list_entry.proposed", Target: entryTarget(out.ID),
			Detail: entryDetail{DecisionNo: out.DecisionNo, Department: out.DepartmentCode, Subject: subj.Code, Domain: out.Domain,
				To: credit.EntryProposed}})
	})
	return out, err
}

// domainPeriod returns the LIST_TERM rule of domain in force on decided,
// or BAD_USER_INPUT naming input.domain (unknown) or input.decidedOn (no
// rule in force yet).
func (s *Service) domainPeriod(ctx context.Context, tx *store.DB, domain string, decided credit.Date) (credit.DomainPeriod, error) {
	kind, err := tx.DomainKind(ctx, domain)
	if credit.CodeOf(err) == credit.NotFound {
		return credit.DomainPeriod{}, credit.FieldErrorf("input.domain", "%q is not a list domain", domain)
	} else if err != nil {
		return credit.DomainPeriod{}, err
	}
	book, err := s.ruleBook(ctx)
	if err != nil {
		return credit.DomainPeriod{}, err
	}
	p, ok := book.ListTerm(domain, kind, decided)
	if !ok {
		return p, credit.FieldErrorf("input.decidedOn", "no %s rule of %s was in force on %s", credit.RuleListTerm, domain, decided)
	}
	return p, nil
}

// ApproveListEntry approves a proposed entry and opens its joint case. The
// case applies the measures named in measures, or when measures is nil
// every catalogue measure for the entry's kind and domain (the latest
// version of each in force on the decision date), each with the
// department named or the catalogue's (credit.ChooseCaseMeasures). They
// are recorded as triggered (list_entry_measures, which the checks read)
// and each with a department is pushed as one assignment to it (outbox
// and NOTIFY, in this transaction); a measure no city department
// implements is recorded, not pushed. The subject's, its key persons' and
// their organisations' cached checks are invalidated after the commit.
// Errors: FORBIDDEN for roles other than CREDIT_OFFICE and, by dual
// control, for the person who proposed the entry; NOT_FOUND for an unknown
// id; BAD_USER_INPUT naming measures[i] for a measure not of the domain or
// an unknown department; CONFLICT unless the entry is PROPOSED, or when
// its period has ended meanwhile.
func (s *Service) ApproveListEntry(ctx context.Context, id int64, measures []credit.CaseMeasureInput) (credit.ListEntry, credit.JointCase, error) {
	c, err := s.authorize(ctx, credit.ActDecideListEntry)
	if err != nil {
		return credit.ListEntry{}, credit.JointCase{}, err
	}
	var out credit.ListEntry
	var jc credit.JointCase
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		row, err := s.decidable(ctx, tx, c, id, credit.EntryActive)
		if err != nil {
			return nil, err
		}
		if today := s.Today(); row.EndsOn != nil && row.EndsOn.Before(today) {
			return nil, credit.Errorf(credit.Conflict, "list entry %d ended on %s; it can no longer be approved", id, *row.EndsOn)
		}
		if out, err = tx.ChangeListEntry(ctx, id, store.EntryChange{Status: credit.EntryActive, ApprovedBy: &c.ID}); err != nil {
			return nil, err
		}
		if err := s.entryEvent(ctx, tx, out, row.Status, credit.EntryActive, nil, nil, ""); err != nil {
			return nil, err
		}
		catalogue, err := tx.TriggeredMeasures(ctx, out.Kind, out.Domain, out.DecidedOn)
		if err != nil {
			return nil, err
		}
		depts, err := tx.Departments(ctx)
		if err != nil {
			return nil, err
		}
		applied, err := credit.ChooseCaseMeasures(catalogue, measures, func(code string) bool {
			return slices.ContainsFunc(depts, func(d credit.Department) bool { return d.Code == code })
		})
		if err != nil {
			return nil, err
		}
		if jc, _, err = tx.OpenJointCase(ctx, out, applied, s.now(), c.ID); err != nil {
			return nil, err
		}
		d := entryDetail{DecisionNo: out.DecisionNo, Department: out.DepartmentCode, Domain: out.Domain,
			From: row.Status, To: credit.EntryActive, Case: jc.ID}
		for _, m := range applied {
			out.Measures = append(out.Measures, m.Measure)
			d.Measures = append(d.Measures, m.Measure.Code+"@"+m.Department)
		}
		return s.finishWrite(ctx, tx, []int64{out.SubjectID}, "list_entry.approved", entryTarget(id), d)
	})
	return out, jc, err
}

// RejectListEntry rejects a proposed entry for reason. Errors as
// ApproveListEntry, and BAD_USER_INPUT on reason when it is empty.
func (s *Service) RejectListEntry(ctx context.Context, id int64, reason string) (credit.ListEntry, error) {
	c, err := s.authorize(ctx, credit.ActDecideListEntry)
	if err != nil {
		return credit.ListEntry{}, err
	}
	if err := cleanText("reason", &reason, true); err != nil {
		return credit.ListEntry{}, err
	}
	var out credit.ListEntry
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		row, err := s.decidable(ctx, tx, c, id, credit.EntryRejected)
		if err != nil {
			return nil, err
		}
		if out, err = tx.ChangeListEntry(ctx, id, store.EntryChange{Status: credit.EntryRejected}); err != nil {
			return nil, err
		}
		if err := s.entryEvent(ctx, tx, out, row.Status, credit.EntryRejected, nil, nil, reason); err != nil {
			return nil, err
		}
		// A rejected proposal was never in force: no cached answer changes.
		return nil, audit.Append(ctx, tx, audit.Event{Actor: c, Action: "list_entry.rejected", Target: entryTarget(id),
			Detail: entryDetail{DecisionNo: out.DecisionNo, Department: out.DepartmentCode, Domain: out.Domain,
				From: row.Status, To: credit.EntryRejected, Reason: reason}})
	})
	return out, err
}

// decidable locks entry id for the credit office's decision to move it to
// status: NOT_FOUND, FORBIDDEN for its proposer (dual control), CONFLICT
// for a transition the state machine does not allow.
func (s *Service) decidable(ctx context.Context, tx *store.DB, c credit.Caller, id int64, to credit.ListEntryStatus) (store.EntryRow, error) {
	row, err := lockEntry(ctx, tx, id)
	if err != nil {
		return row, err
	}
	if row.ProposedBy == c.ID {
		return row, credit.Errorf(credit.Forbidden,
			"dual control: %s proposed list entry %d and may not decide on it; another person of the credit office does", c.ID, id)
	}
	return row, credit.CheckTransition(row.StatusOn(s.Today()), to)
}

func lockEntry(ctx context.Context, tx *store.DB, id int64) (store.EntryRow, error) {
	row, err := tx.ListEntryForUpdate(ctx, id)
	if credit.CodeOf(err) == credit.NotFound {
		return row, credit.Errorf(credit.NotFound, "no list entry has the id %d", id)
	}
	return row, err
}

// ExitListEntry records the decision by which an active entry leaves its
// list: EXITED (obligations fulfilled, court deletion), REPAIRED (credit
// repair, not before the domain allows it) or REVOKED (made in error). The
// entry is not in force from the exit decision's date; its case closes and
// so do its open assignments, refusing further executions; cached checks
// are invalidated after the commit. Errors: FORBIDDEN for roles other than
// CREDIT_OFFICE and the deciding DEPARTMENT; NOT_FOUND for an unknown id;
// BAD_USER_INPUT naming the field of the exit decision; CONFLICT unless the
// entry is ACTIVE today (an entry past its end has EXPIRED).
func (s *Service) ExitListEntry(ctx context.Context, id int64, in credit.ExitInput) (credit.ListEntry, error) {
	c, err := s.authorize(ctx, credit.ActExitListEntry)
	if err != nil {
		return credit.ListEntry{}, err
	}
	if err := cleanText("input.decisionNumber", &in.DecisionNo, false); err != nil {
		return credit.ListEntry{}, err
	}
	if err := cleanText("input.note", &in.Note, false); err != nil {
		return credit.ListEntry{}, err
	}
	today := s.Today()
	var out credit.ListEntry
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		row, err := lockEntry(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if c.Role == credit.RoleDepartment && row.DepartmentCode != c.Department {
			// Not naming the deciding department: the entry may not even be
			// visible to this department.
			return nil, credit.Errorf(credit.Forbidden, "a DEPARTMENT key of %s may end only the entries its department decided", c.Department)
		}
		// An entry decided before any term rule of its domain (older
		// data) has no minimum before repair.
		book, err := s.ruleBook(ctx)
		if err != nil {
			return nil, err
		}
		p, _ := book.ListTerm(row.Domain, row.Kind, row.DecidedOn)
		status, err := in.Validate(today, row.ListEntry, p)
		if err != nil {
			return nil, err
		}
		if err := credit.CheckTransition(row.StatusOn(today), status); err != nil {
			return nil, err
		}
		reason := string(in.Reason)
		out, err = tx.ChangeListEntry(ctx, id, store.EntryChange{Status: status, EndedOn: &in.DecidedOn,
			ExitDecisionNo: &in.DecisionNo, ExitReason: &reason})
		if err != nil {
			return nil, err
		}
		note := reason
		if in.Note != "" {
			note += ": " + in.Note
		}
		if err := s.entryEvent(ctx, tx, out, row.Status, status, &in.DecisionNo, &in.DecidedOn, note); err != nil {
			return nil, err
		}
		closed, err := tx.CloseJointCases(ctx, []int64{id}, s.now(), string(status)+": "+reason)
		if err != nil {
			return nil, err
		}
		return s.finishWrite(ctx, tx, []int64{out.SubjectID}, "list_entry.exited", entryTarget(id),
			entryDetail{DecisionNo: out.DecisionNo, Department: out.DepartmentCode, Domain: out.Domain,
				From: row.Status, To: status, Reason: note, ExitNo: in.DecisionNo, Closed: closed})
	})
	return out, err
}

// expiryActor is who records expiries: the scheduled job, not a person.
var expiryActor = credit.Caller{ID: "system:expiry", Role: "SYSTEM", Institution: "credithub"}

// expiryBatch bounds one expiry transaction, so that a backlog (the first
// run over old data) neither holds locks for long nor builds a huge one.
const expiryBatch = 200

// ExpireListEntries is the scheduled job that records as EXPIRED every
// ACTIVE entry whose last day is before today, with an event and an audit
// row each, closes their cases and open assignments and invalidates the
// cached checks they appear in. Reads treat such entries as expired
// already (credit.ListEntry.StatusOn, InForceOn), so the job only records
// what is true; it is safe to run on several servers at once. It returns
// how many entries it recorded. It is not exposed to callers and needs no
// caller in ctx.
func (s *Service) ExpireListEntries(ctx context.Context) (int, error) {
	total := 0
	for {
		var n int
		err := s.write(ctx, func(tx *store.DB) ([]string, error) {
			rows, err := tx.ExpireEntries(ctx, s.Today(), expiryBatch, expiryActor.ID, s.now())
			if err != nil || len(rows) == 0 {
				return nil, err
			}
			n = len(rows)
			ids, subjects := make([]int64, n), make([]int64, n)
			for i, r := range rows {
				ids[i], subjects[i] = r.ID, r.SubjectID
			}
			if _, err := tx.CloseJointCases(ctx, ids, s.now(), string(credit.EntryExpired)); err != nil {
				return nil, err
			}
			codes, err := tx.AffectedCodes(ctx, subjects)
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				if err := audit.Append(ctx, tx, audit.Event{Actor: expiryActor, Action: "list_entry.expired", Target: entryTarget(r.ID),
					Detail: entryDetail{DecisionNo: r.DecisionNo, Department: r.DepartmentCode, Domain: r.Domain, From: credit.EntryActive,
						To: credit.EntryExpired, Reason: "the period ended on " + r.EndsOn.String()}}); err != nil {
					return nil, err
				}
			}
			return codes, nil
		})
		if err != nil {
			return total, err
		}
		if total += n; n < expiryBatch {
			return total, nil
		}
	}
}

// entryEvent records the transition of e from (empty for its proposal) to
// status by the caller in ctx, with its decision where it has one.
func (s *Service) entryEvent(ctx context.Context, tx *store.DB, e credit.ListEntry, from, to credit.ListEntryStatus,
	decisionNo *string, decidedOn *credit.Date, reason string) error {
	ev := credit.ListEntryEvent{EntryID: e.ID, ToStatus: to, Actor: credit.CallerFrom(ctx).ID,
		DecisionNo: decisionNo, DecidedOn: decidedOn, Reason: reason, At: s.now()}
	if from != "" {
		ev.FromStatus = &from
	}
	return tx.AddEntryEvent(ctx, ev)
}

func entryTarget(id int64) string { return "list_entry:" + itoa64(id) }
