package service

import (
	"context"
	"fmt"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// Objections (credit/objection.go). Every step is one transaction: the
// objection's new state and its event, what it does to the record and to
// the joint workflow, and the audit row; the cached answers about the
// record's subject (and those it reaches, store.AffectedCodes) are
// invalidated after the commit, so the next check sets the record aside,
// or counts it again.

// objectionDetail is what the audit log keeps of a step.
type objectionDetail struct {
	Kind        credit.RecordKind      `json:"recordKind"`
	Record      int64                  `json:"record"`
	Subject     string                 `json:"subject,omitempty"`
	Department  string                 `json:"department,omitempty"`
	From        credit.ObjectionStatus `json:"from,omitempty"`
	To          credit.ObjectionStatus `json:"to"`
	Reason      string                 `json:"reason,omitempty"`
	Suspended   int                    `json:"suspendedAssignments,omitempty"`
	Resumed     int                    `json:"resumedAssignments,omitempty"`
	Closed      int                    `json:"closedAssignments,omitempty"`
	Corrections []correctionDetail     `json:"corrections,omitempty"`
	Deleted     string                 `json:"deletedRecord,omitempty"`
}

func objectionTarget(id int64) string { return "objection:" + itoa64(id) }

// keyPersonLabels name a key-person link in answers.
var keyPersonLabels = map[string]string{
	string(credit.LegalRepresentative): "法定代表人任职", string(credit.Principal): "主要负责人任职",
	string(credit.ActualController): "实际控制人任职", string(credit.DirectlyResponsible): "直接责任人员任职",
}

// FileObjection registers a subject's objection against a record. From
// today the record is disputed: the checks set it aside and, for a list
// entry, the open assignments of its joint case are SUSPENDED (their
// departments are told). Errors: FORBIDDEN for roles other than WINDOW and
// CREDIT_OFFICE; BAD_USER_INPUT naming the field (an unknown subject, a
// record about another subject, an unknown field); NOT_FOUND for an
// unknown record; CONFLICT when the record is revoked, never took effect,
// or has an open objection already.
func (s *Service) FileObjection(ctx context.Context, in credit.ObjectionInput) (credit.Objection, error) {
	c, err := s.authorize(ctx, credit.ActFileObjection)
	if err != nil {
		return credit.Objection{}, err
	}
	if err := in.Validate(); err != nil {
		return credit.Objection{}, err
	}
	lc, err := credit.ParseLookupCode("input.subjectCode", in.SubjectCode)
	if err != nil {
		return credit.Objection{}, err
	}
	today := s.Today()
	acceptDue, err := s.dueAfter(ctx, credit.RuleObjectionDeadline, credit.ScopeAccept, today)
	if err != nil {
		return credit.Objection{}, err
	}
	var out credit.Objection
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		subj, err := tx.SubjectByCode(ctx, lc.Code)
		if credit.CodeOf(err) == credit.NotFound {
			return nil, credit.FieldErrorf("input.subjectCode", "no subject is registered with the code %s", lc.Code)
		} else if err != nil {
			return nil, err
		}
		id := in.Record.ID
		if in.Record.Kind == credit.RecordKindTaxGrade {
			id = int64(in.Record.Year)
		}
		rec, err := lockRecord(ctx, tx, in.Record.Kind, id, subj.ID)
		if err != nil {
			return nil, err
		}
		if err := objectable(rec, subj); err != nil {
			return nil, err
		}
		if open, err := tx.OpenObjectionOf(ctx, rec.Kind, rec.ID, subj.ID); err == nil {
			return nil, credit.Errorf(credit.Conflict, "objection %d against this %s is open already (%s)", open.ID, rec.Kind, open.Status)
		} else if credit.CodeOf(err) != credit.NotFound {
			return nil, err
		}
		o := credit.Objection{RecordKind: rec.Kind, RecordID: rec.ID, SubjectID: subj.ID, RecordLabel: rec.Label,
			RecordDate: rec.Date, DepartmentCode: rec.Department, FieldList: in.Fields, Reason: in.Reason,
			EvidenceList: in.Evidence, FiledAt: s.now(), FiledOn: today, FiledBy: c.ID, FiledRole: c.Role,
			FiledInstitution: c.Institution, AcceptDueOn: acceptDue}
		switch rec.Kind {
		case credit.RecordKindKeyPerson:
			o.RecordLabel = keyPersonLabels[rec.Label]
		case credit.RecordKindTaxGrade:
			o.RecordLabel = rec.Label + "年度纳税信用级别"
		}
		if out, err = tx.InsertObjection(ctx, o); err != nil {
			return nil, err
		}
		if err := s.objectionEvent(ctx, tx, out.ID, "", credit.ObjectionFiled, in.Reason); err != nil {
			return nil, err
		}
		d := objectionDetail{Kind: rec.Kind, Record: rec.ID, Subject: subj.Code, Department: deref(rec.Department),
			To: credit.ObjectionFiled, Reason: in.Reason}
		if rec.Kind == credit.RecordKindListEntry {
			if d.Suspended, err = s.suspendEntry(ctx, tx, rec.ID); err != nil {
				return nil, err
			}
		}
		return s.finishWrite(ctx, tx, recordSubjects(rec), "objection.filed", objectionTarget(out.ID), d)
	})
	out.Lateness = s.lateness(out.StageDue(), today)
	return out, err
}

// lockRecord locks the record an objection is about; NOT_FOUND names it.
func lockRecord(ctx context.Context, tx *store.DB, kind credit.RecordKind, id, subjectID int64) (store.RecordInfo, error) {
	rec, err := tx.LockRecord(ctx, kind, id, subjectID)
	if credit.CodeOf(err) == credit.NotFound {
		if kind == credit.RecordKindTaxGrade {
			return rec, credit.Errorf(credit.NotFound, "the subject has no tax credit grade for %d", id)
		}
		return rec, credit.Errorf(credit.NotFound, "no %s has the id %d", kind, id)
	}
	return rec, err
}

// objectable checks that subj may object to rec, and that rec stands.
func objectable(rec store.RecordInfo, subj credit.Subject) error {
	if rec.SubjectID != subj.ID && !(rec.Kind == credit.RecordKindKeyPerson && rec.OtherSubjectID == subj.ID) {
		return credit.FieldErrorf("input.subjectCode", "the %s %d is not about %s: a subject objects to its own records", rec.Kind, rec.ID, subj.Code)
	}
	switch {
	case rec.Status == "REVOKED":
		return credit.Errorf(credit.Conflict, "the %s %d is revoked already", rec.Kind, rec.ID)
	case rec.Kind == credit.RecordKindListEntry && (rec.Status == string(credit.EntryProposed) || rec.Status == string(credit.EntryRejected)):
		return credit.Errorf(credit.Conflict, "list entry %d is %s: it never took effect", rec.ID, rec.Status)
	}
	return nil
}

// recordSubjects are the subjects whose answers a record's objection
// changes.
func recordSubjects(rec store.RecordInfo) []int64 {
	if rec.OtherSubjectID != 0 {
		return []int64{rec.SubjectID, rec.OtherSubjectID}
	}
	return []int64{rec.SubjectID}
}

// AcceptObjection accepts a FILED objection: the verifying department has
// OBJECTION_DEADLINE/VERIFY working days from today. Errors: FORBIDDEN for
// roles other than CREDIT_OFFICE; NOT_FOUND; CONFLICT unless FILED.
func (s *Service) AcceptObjection(ctx context.Context, id int64) (credit.Objection, error) {
	if _, err := s.authorize(ctx, credit.ActAcceptObjection); err != nil {
		return credit.Objection{}, err
	}
	today := s.Today()
	due, err := s.dueAfter(ctx, credit.RuleObjectionDeadline, credit.ScopeVerify, today)
	if err != nil {
		return credit.Objection{}, err
	}
	return s.stepObjection(ctx, id, credit.ObjectionAccepted, "objection.accepted", "",
		store.ObjectionChange{AcceptedOn: &today, VerifyDue: due}, nil)
}

// RefuseObjection refuses a FILED objection for reason; the record counts
// again from today and a list entry's assignments resume. Errors as
// AcceptObjection, and BAD_USER_INPUT on reason when it is empty.
func (s *Service) RefuseObjection(ctx context.Context, id int64, reason string) (credit.Objection, error) {
	if _, err := s.authorize(ctx, credit.ActAcceptObjection); err != nil {
		return credit.Objection{}, err
	}
	if err := cleanText("reason", &reason, true); err != nil {
		return credit.Objection{}, err
	}
	today := s.Today()
	return s.stepObjection(ctx, id, credit.ObjectionRefused, "objection.refused", reason,
		store.ObjectionChange{ClosedOn: &today, RefuseReason: &reason}, nil)
}

// StartObjectionVerification records that the verifying department (the
// record's deciding one; the credit office where there is none) took up
// an ACCEPTED objection. Errors: FORBIDDEN for roles other than
// DEPARTMENT and CREDIT_OFFICE, and for a department that does not verify
// it; NOT_FOUND; CONFLICT unless ACCEPTED.
func (s *Service) StartObjectionVerification(ctx context.Context, id int64) (credit.Objection, error) {
	if _, err := s.authorize(ctx, credit.ActVerifyObjection); err != nil {
		return credit.Objection{}, err
	}
	today := s.Today()
	return s.stepObjection(ctx, id, credit.ObjectionUnderVerification, "objection.verification_started", "",
		store.ObjectionChange{VerificationStartedOn: &today}, nil)
}

// stepObjection runs one transition of objection id to status: lock, the
// verifying department's check where the step is the department's, the
// state machine, the change, the event, then do (what the step does to the
// record, filling the audit detail), the assignments of a list entry
// resumed when the objection closes, and the audit row.
func (s *Service) stepObjection(ctx context.Context, id int64, to credit.ObjectionStatus, action, note string,
	change store.ObjectionChange, do func(tx *store.DB, o credit.Objection, d *objectionDetail) error) (credit.Objection, error) {
	var out credit.Objection
	today := s.Today()
	err := s.write(ctx, func(tx *store.DB) ([]string, error) {
		o, err := tx.ObjectionForUpdate(ctx, id)
		if credit.CodeOf(err) == credit.NotFound {
			return nil, credit.Errorf(credit.NotFound, "no objection has the id %d", id)
		} else if err != nil {
			return nil, err
		}
		if to == credit.ObjectionUnderVerification || to.IsOutcome() {
			if err := s.verifies(ctx, o); err != nil {
				return nil, err
			}
		}
		if err := credit.CheckObjectionTransition(o.Status, to); err != nil {
			return nil, err
		}
		d := objectionDetail{Kind: o.RecordKind, Record: o.RecordID, Department: deref(o.DepartmentCode),
			From: o.Status, To: to, Reason: note}
		// The record's subjects, read before a revocation may delete it.
		subjects := []int64{o.SubjectID}
		if rec, err := tx.LockRecord(ctx, o.RecordKind, o.RecordID, o.SubjectID); err == nil {
			subjects = recordSubjects(rec)
		} else if credit.CodeOf(err) != credit.NotFound {
			return nil, err
		}
		if do != nil {
			if err := do(tx, o, &d); err != nil {
				return nil, err
			}
		}
		change.Status = to
		if out, err = tx.ChangeObjection(ctx, id, change); err != nil {
			return nil, err
		}
		if err := s.objectionEvent(ctx, tx, id, o.Status, to, note); err != nil {
			return nil, err
		}
		// A closed objection lifts the suspension, unless the entry was
		// revoked (its assignments are closed then).
		if !to.Open() && o.RecordKind == credit.RecordKindListEntry && to != credit.ObjectionRevokedRecord {
			if d.Resumed, err = s.resumeEntry(ctx, tx, o.RecordID); err != nil {
				return nil, err
			}
		}
		return s.finishWrite(ctx, tx, subjects, action, objectionTarget(id), d)
	})
	out.Lateness = s.lateness(out.StageDue(), today)
	return out, err
}

// verifies fails with FORBIDDEN unless the caller verifies objection o: the
// credit office always; a department for the records it decided.
func (s *Service) verifies(ctx context.Context, o credit.Objection) error {
	c := credit.CallerFrom(ctx)
	if c.Role != credit.RoleDepartment {
		return nil
	}
	if o.DepartmentCode == nil || *o.DepartmentCode != c.Department {
		return credit.Errorf(credit.Forbidden, "objection %d is verified by %s, not by %s", o.ID, verifierName(o), c.Department)
	}
	return nil
}

func verifierName(o credit.Objection) string {
	if o.DepartmentCode == nil {
		return "the credit office"
	}
	return *o.DepartmentCode
}

// suspendEntry suspends the open assignments of entry's joint case and
// tells their departments; it returns how many it suspended.
func (s *Service) suspendEntry(ctx context.Context, tx *store.DB, entryID int64) (int, error) {
	if _, err := tx.SuspendAssignments(ctx, entryID); err != nil {
		return 0, err
	}
	ids, err := tx.AssignmentIDsOfEntry(ctx, entryID, []credit.AssignmentStatus{credit.AssignmentSuspended})
	if err != nil {
		return 0, err
	}
	return len(ids), tx.TellDepartments(ctx, ids, s.now())
}

// resumeEntry ends the suspension of entry's assignments and tells their
// departments; it returns how many it resumed.
func (s *Service) resumeEntry(ctx context.Context, tx *store.DB, entryID int64) (int, error) {
	ids, err := tx.AssignmentIDsOfEntry(ctx, entryID, []credit.AssignmentStatus{credit.AssignmentSuspended})
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	if _, err := tx.ResumeAssignments(ctx, entryID); err != nil {
		return 0, err
	}
	return len(ids), tx.TellDepartments(ctx, ids, s.now())
}

// objectionEvent records a transition by the caller in ctx.
func (s *Service) objectionEvent(ctx context.Context, tx *store.DB, id int64, from, to credit.ObjectionStatus, note string) error {
	c := credit.CallerFrom(ctx)
	ev := credit.ObjectionEvent{ObjectionID: id, ToStatus: to, Actor: c.ID, Role: string(c.Role), Note: note, At: s.now()}
	if from != "" {
		ev.FromStatus = &from
	}
	return tx.AddObjectionEvent(ctx, ev)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// objectionView returns the department the caller's reads of objections
// are limited to ("" for all). FORBIDDEN for roles that read none, and on
// field for a department filtering by another's.
func (s *Service) objectionView(ctx context.Context, act credit.Action, field, asked string) (string, error) {
	c, err := s.authorize(ctx, act)
	if err != nil || c.Role != credit.RoleDepartment {
		return "", err
	}
	if asked != "" && asked != c.Department {
		return "", &credit.Error{Code: credit.Forbidden, Field: field,
			Message: fmt.Sprintf("a DEPARTMENT key of %s sees only its own, not %s's", c.Department, asked)}
	}
	return c.Department, nil
}
