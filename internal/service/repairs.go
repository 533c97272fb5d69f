package service

import (
	"context"
	"fmt"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// Credit repair (credit/repair.go): applications, their acceptance and
// decision by the deciding (listing) department, and what a granted repair
// does — publication ends, the checks stop counting the record from the
// repair day, a list entry's measures lift and its open assignments close
// with their departments told — each step in one transaction with its
// event, its audit row and the invalidation of the answers it changes.

type repairDetail struct {
	Kind       credit.RecordKind   `json:"recordKind"`
	Record     int64               `json:"record"`
	Department string              `json:"department"`
	From       credit.RepairStatus `json:"from,omitempty"`
	To         credit.RepairStatus `json:"to"`
	FirstDay   string              `json:"firstAllowed,omitempty"`
	Rule       string              `json:"rule,omitempty"`
	Decision   string              `json:"decisionNo,omitempty"`
	Reason     string              `json:"reason,omitempty"`
	Closed     int                 `json:"closedAssignments,omitempty"`
}

func repairTarget(id int64) string { return "repair:" + itoa64(id) }

// RequestRepair files an application for the repair of a penalty or a
// list entry, with its conditions. Errors: FORBIDDEN for roles other than
// WINDOW, DEPARTMENT (its own records only) and CREDIT_OFFICE;
// BAD_USER_INPUT naming the field for a condition not met, and on
// input.record, with the rule and the first allowed day, before the
// record's minimum period or when its rule provides no repair; NOT_FOUND
// for an unknown record; CONFLICT when the record is not in force or has
// an application under way.
func (s *Service) RequestRepair(ctx context.Context, in credit.RepairInput) (credit.Repair, error) {
	c, err := s.authorize(ctx, credit.ActRequestRepair)
	if err != nil {
		return credit.Repair{}, err
	}
	if err := in.Validate(); err != nil {
		return credit.Repair{}, err
	}
	book, err := s.ruleBook(ctx)
	if err != nil {
		return credit.Repair{}, err
	}
	today := s.Today()
	acceptDue, err := s.dueAfter(ctx, credit.RuleRepairDeadline, credit.ScopeAccept, today)
	if err != nil {
		return credit.Repair{}, err
	}
	r := credit.Repair{RecordKind: in.Record.Kind, RecordID: in.Record.ID, ObligationsPerformed: true,
		EvidenceList: in.Evidence, Commitment: in.Commitment, Statement: in.Statement, RequestedAt: s.now(),
		RequestedOn: today, RequestedBy: c.ID, RequestedRole: c.Role, RequestedInstitution: c.Institution, AcceptDueOn: acceptDue}
	var out credit.Repair
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		var el credit.Eligibility
		switch in.Record.Kind {
		case credit.RecordKindPenalty:
			p, err := tx.PenaltyForUpdate(ctx, in.Record.ID)
			if credit.CodeOf(err) == credit.NotFound {
				return nil, credit.Errorf(credit.NotFound, "no penalty has the id %d", in.Record.ID)
			} else if err != nil {
				return nil, err
			}
			if p.Status != "IN_FORCE" {
				return nil, credit.Errorf(credit.Conflict, "penalty %d is %s: there is nothing to repair", p.ID, p.Status)
			}
			rule, ok := book.Publication(p.Severity, p.DecidedOn)
			if !ok {
				return nil, credit.FieldErrorf("input.record", "no %s rule for %s penalties was in force on %s, the decision date",
					credit.RulePublicationWindow, p.Severity, p.DecidedOn)
			}
			el = credit.PenaltyEligibility(rule, book.KeyInForce(credit.RulePublicationWindow, string(p.Severity), p.DecidedOn), p.DecidedOn)
			sev := p.Severity
			r.SubjectID, r.RecordLabel, r.RecordDate, r.DepartmentCode, r.Severity = p.SubjectID, p.DecisionNo, p.DecidedOn, p.AuthorityCode, &sev
		case credit.RecordKindListEntry:
			row, err := lockEntry(ctx, tx, in.Record.ID)
			if err != nil {
				return nil, err
			}
			if st := row.StatusOn(today); st != credit.EntryActive {
				return nil, credit.Errorf(credit.Conflict, "list entry %d is %s: only an ACTIVE entry is repaired", row.ID, st)
			}
			term, ok := book.ListTerm(row.Domain, row.Kind, row.DecidedOn)
			if !ok {
				return nil, credit.FieldErrorf("input.record", "no %s rule of %s was in force on %s, the decision date",
					credit.RuleListTerm, row.Domain, row.DecidedOn)
			}
			el = credit.EntryEligibility(term, book.KeyInForce(credit.RuleListTerm, row.Domain, row.DecidedOn), row.ListEntry)
			domain := row.Domain
			r.SubjectID, r.RecordLabel, r.RecordDate, r.DepartmentCode, r.Domain = row.SubjectID, row.DecisionNo, row.DecidedOn, row.DepartmentCode, &domain
		}
		if c.Role == credit.RoleDepartment && r.DepartmentCode != c.Department {
			return nil, credit.Errorf(credit.Forbidden, "the %s %d was decided by %s; a DEPARTMENT key of %s takes repair applications for its own records",
				in.Record.Kind, in.Record.ID, r.DepartmentCode, c.Department)
		}
		if err := el.Check("input.record", today); err != nil {
			return nil, err
		}
		r.FirstAllowed, r.RuleKey, r.RuleBasis = el.From, el.RuleKey, el.Basis
		if out, err = tx.InsertRepair(ctx, r); err != nil {
			return nil, err
		}
		if err := s.repairEvent(ctx, tx, out.ID, "", credit.RepairRequested, in.Statement); err != nil {
			return nil, err
		}
		return s.finishWrite(ctx, tx, []int64{r.SubjectID}, "repair.requested", repairTarget(out.ID),
			repairDetail{Kind: r.RecordKind, Record: r.RecordID, Department: r.DepartmentCode, To: credit.RepairRequested,
				FirstDay: el.From.String(), Rule: el.RuleKey})
	})
	out.Lateness = s.lateness(out.StageDue(), today)
	return out, err
}

// AcceptRepair accepts a REQUESTED application for decision within
// REPAIR_DEADLINE/DECIDE working days. Errors: FORBIDDEN for roles other
// than DEPARTMENT (the deciding one) and CREDIT_OFFICE; NOT_FOUND;
// CONFLICT unless REQUESTED.
func (s *Service) AcceptRepair(ctx context.Context, id int64) (credit.Repair, error) {
	today := s.Today()
	due, err := s.dueAfter(ctx, credit.RuleRepairDeadline, credit.ScopeDecide, today)
	if err != nil {
		return credit.Repair{}, err
	}
	return s.stepRepair(ctx, id, credit.RepairAccepted, "repair.accepted", "", store.RepairChange{AcceptedOn: &today, DecideDue: due}, nil)
}

// DecideRepair grants an ACCEPTED application, or refuses a REQUESTED or
// ACCEPTED one with the reason. Granted, a penalty becomes REPAIRED today
// (its export row is written by the trigger) and a list entry leaves its
// list as REPAIRED today, its joint case and open assignments closed and
// their departments told. Errors as AcceptRepair; BAD_USER_INPUT for a
// missing decision number or reason; CONFLICT when the record is no longer
// in force.
func (s *Service) DecideRepair(ctx context.Context, id int64, d credit.RepairDecision) (credit.Repair, error) {
	if err := d.Validate(); err != nil {
		return credit.Repair{}, err
	}
	c := credit.CallerFrom(ctx)
	today := s.Today()
	change := store.RepairChange{DecidedOn: &today, DecidedBy: &c.ID}
	if !d.Grant {
		change.RefuseReason = &d.Reason
		return s.stepRepair(ctx, id, credit.RepairRefused, "repair.refused", d.Reason, change, nil)
	}
	change.DecisionNo = &d.DecisionNo
	return s.stepRepair(ctx, id, credit.RepairGranted, "repair.granted", d.DecisionNo, change,
		func(tx *store.DB, r credit.Repair, detail *repairDetail) error {
			detail.Decision = d.DecisionNo
			if today.Before(r.FirstAllowed) { // cannot happen for an application accepted on its rule
				return credit.Errorf(credit.Conflict, "repair %d may be granted from %s", r.ID, r.FirstAllowed)
			}
			if r.RecordKind == credit.RecordKindPenalty {
				p, err := tx.PenaltyForUpdate(ctx, r.RecordID)
				if err != nil {
					return err
				}
				if p.Status != "IN_FORCE" {
					return credit.Errorf(credit.Conflict, "penalty %d is %s meanwhile: there is nothing to repair", p.ID, p.Status)
				}
				return tx.RepairPenalty(ctx, r.RecordID, today)
			}
			row, err := lockEntry(ctx, tx, r.RecordID)
			if err != nil {
				return err
			}
			if err := credit.CheckTransition(row.StatusOn(today), credit.EntryRepaired); err != nil {
				return err
			}
			why := string(credit.ExitRepair)
			e, err := tx.ChangeListEntry(ctx, r.RecordID, store.EntryChange{Status: credit.EntryRepaired, EndedOn: &today,
				ExitDecisionNo: &d.DecisionNo, ExitReason: &why})
			if err != nil {
				return err
			}
			note := fmt.Sprintf("credit repair %d", r.ID)
			if err := s.entryEvent(ctx, tx, e, row.Status, credit.EntryRepaired, &d.DecisionNo, &today, note); err != nil {
				return err
			}
			open, err := tx.AssignmentIDsOfEntry(ctx, r.RecordID, credit.OpenAssignmentStatuses)
			if err != nil {
				return err
			}
			if detail.Closed, err = tx.CloseJointCases(ctx, []int64{r.RecordID}, s.now(), string(credit.EntryRepaired)+": "+note); err != nil {
				return err
			}
			return tx.TellDepartments(ctx, open, s.now())
		})
}

// stepRepair runs one transition of application id (see stepObjection).
func (s *Service) stepRepair(ctx context.Context, id int64, to credit.RepairStatus, action, note string,
	change store.RepairChange, do func(tx *store.DB, r credit.Repair, d *repairDetail) error) (credit.Repair, error) {
	c, err := s.authorize(ctx, credit.ActDecideRepair)
	if err != nil {
		return credit.Repair{}, err
	}
	today := s.Today()
	var out credit.Repair
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		r, err := tx.RepairForUpdate(ctx, id)
		if credit.CodeOf(err) == credit.NotFound {
			return nil, credit.Errorf(credit.NotFound, "no repair application has the id %d", id)
		} else if err != nil {
			return nil, err
		}
		if c.Role == credit.RoleDepartment && r.DepartmentCode != c.Department {
			return nil, credit.Errorf(credit.Forbidden, "repair %d is decided by %s, not by %s", id, r.DepartmentCode, c.Department)
		}
		if err := credit.CheckRepairTransition(r.Status, to); err != nil {
			return nil, err
		}
		d := repairDetail{Kind: r.RecordKind, Record: r.RecordID, Department: r.DepartmentCode, From: r.Status, To: to, Reason: note}
		if do != nil {
			if err := do(tx, r, &d); err != nil {
				return nil, err
			}
		}
		change.Status = to
		if out, err = tx.ChangeRepair(ctx, id, change); err != nil {
			return nil, err
		}
		if err := s.repairEvent(ctx, tx, id, r.Status, to, note); err != nil {
			return nil, err
		}
		return s.finishWrite(ctx, tx, []int64{r.SubjectID}, action, repairTarget(id), d)
	})
	out.Lateness = s.lateness(out.StageDue(), today)
	return out, err
}

func (s *Service) repairEvent(ctx context.Context, tx *store.DB, id int64, from, to credit.RepairStatus, note string) error {
	c := credit.CallerFrom(ctx)
	ev := credit.RepairEvent{RepairID: id, ToStatus: to, Actor: c.ID, Role: string(c.Role), Note: note, At: s.now()}
	if from != "" {
		ev.FromStatus = &from
	}
	return tx.AddRepairEvent(ctx, ev)
}

// RepairPage is one page of a search of repair applications.
type RepairPage struct {
	Repairs     []credit.Repair
	HasNextPage bool
	TotalCount  int
}

// Repairs searches repair applications, newest first: the credit office
// and dashboards all of them, a department those it decides. Errors as
// Objections.
func (s *Service) Repairs(ctx context.Context, f credit.RepairFilter, first int, after string) (RepairPage, error) {
	uncacheable(ctx, "repair applications")
	dept, err := s.objectionView(ctx, credit.ActReadRepairs, "filter.department", f.Department)
	if err != nil {
		return RepairPage{}, err
	}
	afterID, err := pageArgs(first, after)
	if err != nil {
		return RepairPage{}, err
	}
	if f.SubjectCode != "" {
		lc, err := credit.ParseLookupCode("filter.subjectCode", f.SubjectCode)
		if err != nil {
			return RepairPage{}, err
		}
		f.SubjectCode = lc.Code
	}
	today := s.today(ctx)
	rows, n, err := s.db.Repairs(ctx, store.RepairQuery{Filter: f, Department: dept, Today: today, AfterID: afterID, Limit: first + 1})
	if err != nil {
		return RepairPage{}, err
	}
	p := RepairPage{TotalCount: n}
	if len(rows) > first {
		rows, p.HasNextPage = rows[:first], true
	}
	for i := range rows {
		rows[i].Lateness = s.lateness(rows[i].StageDue(), today)
	}
	p.Repairs = rows
	return p, nil
}
