package service

import (
	"context"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/push"
	"github.com/credithub/credithub/internal/store"
)

// The implementing departments' side of the joint workflow (plan §12,
// §15): they read what was pushed to them, respond, record executions and
// feed back. Each step is audited; none changes a check's answer (checks
// read list_entry_measures, fixed at approval), so nothing is invalidated.

// assignmentDetail is what the audit log keeps about a department's step.
type assignmentDetail struct {
	Case       int64  `json:"case"`
	Department string `json:"department"`
	Reason     string `json:"reason,omitempty"`
	DocumentNo string `json:"documentNo,omitempty"`
	ExecutedOn string `json:"executedOn,omitempty"`
	Period     string `json:"period,omitempty"`
}

// validAssignmentStatus reports whether s is a known status.
func validAssignmentStatus(s credit.AssignmentStatus) bool {
	switch s {
	case credit.AssignmentPushed, credit.AssignmentAccepted, credit.AssignmentRejected,
		credit.AssignmentExecuted, credit.AssignmentSuspended, credit.AssignmentClosed:
		return true
	}
	return false
}

// MyAssignments returns the calling department's assignments in status
// (all when empty), newest push first: the durable view of what was pushed,
// whether or not a subscription saw it. Errors: FORBIDDEN for roles other
// than DEPARTMENT; BAD_USER_INPUT on status for an unknown one.
func (s *Service) MyAssignments(ctx context.Context, status credit.AssignmentStatus) ([]credit.Assignment, error) {
	uncacheable(ctx, "the joint workflow")
	c, err := s.authorize(ctx, credit.ActReadAssignments)
	if err != nil {
		return nil, err
	}
	if status != "" && !validAssignmentStatus(status) {
		return nil, credit.FieldErrorf("status", "%q is not an assignment status", status)
	}
	return s.db.AssignmentsOfDepartment(ctx, c.Department, status)
}

// AssignmentPushed subscribes to the assignments pushed to department from
// now on, through hub (see package push for what a subscription does and
// does not carry). A DEPARTMENT subscribes to its own pushes; the credit
// office to any department's. Errors: FORBIDDEN for other roles and
// departments; BAD_USER_INPUT on department for an unknown one;
// UNAVAILABLE when the server runs no hub.
func (s *Service) AssignmentPushed(ctx context.Context, hub *push.Hub, department string) (<-chan credit.Assignment, error) {
	c, err := s.authorize(ctx, credit.ActSubscribePushes)
	if err != nil {
		return nil, err
	}
	if c.Role == credit.RoleDepartment && department != c.Department {
		return nil, credit.Errorf(credit.Forbidden, "a DEPARTMENT key of %s may subscribe only to its own pushes, not to %s",
			c.Department, department)
	}
	if hub == nil {
		return nil, credit.Errorf(credit.Unavailable, "this server does not deliver live pushes; read myAssignments")
	}
	if _, err := s.db.DepartmentByCode(ctx, department); credit.CodeOf(err) == credit.NotFound {
		return nil, credit.FieldErrorf("department", "%q is not a registered department", department)
	} else if err != nil {
		return nil, err
	}
	return hub.Subscribe(ctx, department), nil
}

// AcceptAssignment records that the calling department will implement a
// pushed assignment. Errors: FORBIDDEN for roles other than DEPARTMENT and
// for a department the assignment was not pushed to; NOT_FOUND for an
// unknown id; CONFLICT unless it is PUSHED and its entry is in force.
func (s *Service) AcceptAssignment(ctx context.Context, id int64) (credit.Assignment, error) {
	return s.respond(ctx, id, credit.AssignmentAccepted, "")
}

// RejectAssignment records that the calling department refuses a pushed
// assignment, for reason, which the credit office reviews. Errors as
// AcceptAssignment, and BAD_USER_INPUT on reason when it is empty.
func (s *Service) RejectAssignment(ctx context.Context, id int64, reason string) (credit.Assignment, error) {
	return s.respond(ctx, id, credit.AssignmentRejected, reason)
}

func (s *Service) respond(ctx context.Context, id int64, to credit.AssignmentStatus, reason string) (credit.Assignment, error) {
	c, err := s.authorize(ctx, credit.ActRespondAssignment)
	if err != nil {
		return credit.Assignment{}, err
	}
	if err := cleanText("reason", &reason, to == credit.AssignmentRejected); err != nil {
		return credit.Assignment{}, err
	}
	var out credit.Assignment
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		a, _, err := s.ownAssignment(ctx, tx, c, id)
		if err != nil {
			return nil, err
		}
		if err := a.Status.Respond(); err != nil {
			return nil, err
		}
		var why *string
		if reason != "" {
			why = &reason
		}
		if out, err = tx.RespondAssignment(ctx, id, to, s.now(), c.ID, why); err != nil {
			return nil, err
		}
		return nil, audit.Append(ctx, tx, audit.Event{Actor: c, Action: "assignment." + string(to), Target: assignmentTarget(id),
			Detail: assignmentDetail{Case: a.CaseID, Department: a.DepartmentCode, Reason: reason}})
	})
	return out, err
}

// ownAssignment locks assignment id for a step of department caller c:
// NOT_FOUND, FORBIDDEN for another department's, CONFLICT when the entry
// behind it is no longer in force (past its end before the expiry job has
// recorded it, or ended by a decision that closed it meanwhile).
func (s *Service) ownAssignment(ctx context.Context, tx *store.DB, c credit.Caller, id int64) (credit.Assignment, credit.ListEntry, error) {
	a, e, err := tx.AssignmentForUpdate(ctx, id)
	switch {
	case credit.CodeOf(err) == credit.NotFound:
		return a, e, credit.Errorf(credit.NotFound, "no assignment has the id %d", id)
	case err != nil:
		return a, e, err
	case a.DepartmentCode != c.Department:
		return a, e, credit.Errorf(credit.Forbidden, "assignment %d was pushed to %s, not to %s", id, a.DepartmentCode, c.Department)
	}
	// A closed assignment says so itself (Respond, Execute).
	if st := e.StatusOn(s.Today()); st != credit.EntryActive && a.Status != credit.AssignmentClosed {
		return a, e, credit.Errorf(credit.Conflict, "the list entry behind assignment %d is %s: its measures no longer apply", id, st)
	}
	return a, e, nil
}

// RecordExecution records that the calling department executed an
// accepted assignment by its document docNo on day on. Errors: FORBIDDEN
// and NOT_FOUND as AcceptAssignment; CONFLICT when the assignment is not
// accepted, is closed (the entry left the list) or suspended (objection),
// when the entry is no longer in force, or for a document number recorded
// already; BAD_USER_INPUT on docNo (empty), date (missing, in the future or
// before the entry is in force) or note.
func (s *Service) RecordExecution(ctx context.Context, assignmentID int64, docNo string, on credit.Date, note string) (credit.Execution, error) {
	c, err := s.authorize(ctx, credit.ActRecordExecution)
	if err != nil {
		return credit.Execution{}, err
	}
	if err := cleanText("docNo", &docNo, true); err != nil {
		return credit.Execution{}, err
	}
	if err := cleanText("note", &note, false); err != nil {
		return credit.Execution{}, err
	}
	today := s.Today()
	switch {
	case on.IsZero():
		return credit.Execution{}, credit.FieldErrorf("date", "is required")
	case on.After(today):
		return credit.Execution{}, credit.FieldErrorf("date", "%s is after today (%s)", on, today)
	}
	var out credit.Execution
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		a, e, err := s.ownAssignment(ctx, tx, c, assignmentID)
		if err != nil {
			return nil, err
		}
		if err := a.Status.Execute(); err != nil {
			return nil, err
		}
		if on.Before(e.StartsOn) {
			return nil, credit.FieldErrorf("date", "%s is before the list entry is in force (from %s)", on, e.StartsOn)
		}
		out, err = tx.AddExecution(ctx, credit.Execution{AssignmentID: assignmentID, DocumentNo: docNo, ExecutedOn: on,
			Note: note, RecordedAt: s.now(), RecordedBy: c.ID})
		if err != nil {
			return nil, err
		}
		return nil, audit.Append(ctx, tx, audit.Event{Actor: c, Action: "assignment.executed", Target: assignmentTarget(assignmentID),
			Detail: assignmentDetail{Case: a.CaseID, Department: a.DepartmentCode, DocumentNo: docNo, ExecutedOn: on.String()}})
	})
	return out, err
}

// SubmitFeedback records the calling department's feedback on a case for
// a quarter such as 2026Q4, at most once per quarter. Errors: FORBIDDEN for
// roles other than DEPARTMENT and for a department holding no assignment
// in the case; NOT_FOUND for an unknown case; BAD_USER_INPUT on period (not
// a quarter, a future one, or one before the case opened) or text (empty);
// CONFLICT for a second feedback on the same quarter.
func (s *Service) SubmitFeedback(ctx context.Context, caseID int64, period, text string) (credit.Feedback, error) {
	c, err := s.authorize(ctx, credit.ActSubmitFeedback)
	if err != nil {
		return credit.Feedback{}, err
	}
	if err := cleanText("period", &period, true); err != nil {
		return credit.Feedback{}, err
	}
	if err := cleanText("text", &text, true); err != nil {
		return credit.Feedback{}, err
	}
	var out credit.Feedback
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		jc, err := tx.JointCaseByID(ctx, caseID)
		if credit.CodeOf(err) == credit.NotFound {
			return nil, credit.Errorf(credit.NotFound, "no joint case has the id %d", caseID)
		} else if err != nil {
			return nil, err
		}
		holds, err := tx.HoldsAssignment(ctx, caseID, c.Department)
		if err != nil {
			return nil, err
		}
		if !holds {
			return nil, credit.Errorf(credit.Forbidden, "%s holds no assignment in joint case %d", c.Department, caseID)
		}
		if err := credit.CheckFeedbackPeriod("period", period, credit.DateOf(jc.OpenedAt), s.Today()); err != nil {
			return nil, err
		}
		out, err = tx.AddFeedback(ctx, credit.Feedback{CaseID: caseID, DepartmentCode: c.Department, Period: period,
			Text: text, SubmittedAt: s.now(), SubmittedBy: c.ID})
		if err != nil {
			return nil, err
		}
		return nil, audit.Append(ctx, tx, audit.Event{Actor: c, Action: "feedback.submitted", Target: "joint_case:" + itoa64(caseID),
			Detail: assignmentDetail{Case: caseID, Department: c.Department, Period: period}})
	})
	return out, err
}

func assignmentTarget(id int64) string { return "assignment:" + itoa64(id) }

// JointCasePage is one page of joint cases.
type JointCasePage struct {
	Cases       []credit.JointCase
	HasNextPage bool
	Filter      credit.JointCaseFilter
}

// JointCases returns the cases matching f, newest first, for the office and
// the dashboards. Errors: FORBIDDEN for other roles; BAD_USER_INPUT for a
// page size over MaxPageSize, a foreign cursor or openedTo before
// openedFrom.
func (s *Service) JointCases(ctx context.Context, f credit.JointCaseFilter, p credit.Page) (JointCasePage, error) {
	uncacheable(ctx, "the joint workflow")
	if _, err := s.authorize(ctx, credit.ActListJointCases); err != nil {
		return JointCasePage{}, err
	}
	if err := checkFirst("first", p.First); err != nil {
		return JointCasePage{}, err
	}
	after, err := decodeIDCursor("after", "c", p.After)
	if err != nil {
		return JointCasePage{}, err
	}
	if !f.OpenedTo.IsZero() && f.OpenedTo.Before(f.OpenedFrom) {
		return JointCasePage{}, credit.FieldErrorf("filter.openedTo", "%s is before openedFrom (%s)", f.OpenedTo, f.OpenedFrom)
	}
	cases, err := s.db.JointCases(ctx, f, after, p.First+1)
	if err != nil {
		return JointCasePage{}, err
	}
	page := JointCasePage{Cases: cases, Filter: f}
	if len(cases) > p.First {
		page.Cases, page.HasNextPage = cases[:p.First], true
	}
	return page, nil
}

// CountJointCases counts the cases a (checked) filter matches.
func (s *Service) CountJointCases(ctx context.Context, f credit.JointCaseFilter) (int, error) {
	uncacheable(ctx, "the joint workflow")
	if _, err := s.authorize(ctx, credit.ActListJointCases); err != nil {
		return 0, err
	}
	return s.db.CountJointCases(ctx, f)
}

// JointCaseCursor returns the cursor of a case in the list of joint cases.
func JointCaseCursor(id int64) string { return idCursor("c", id) }

// The batches of the loaders under jointCase and listEntry.jointCase: one
// statement each, every key gets an entry; a DEPARTMENT sees the cases it
// initiated or holds an assignment in. FORBIDDEN for roles other than
// CREDIT_OFFICE, DASHBOARD and DEPARTMENT.

// CasesByEntries returns the joint case of each entry, nil when it has none.
func (s *Service) CasesByEntries(ctx context.Context, entryIDs []int64) (map[int64]*credit.JointCase, error) {
	uncacheable(ctx, "the joint workflow")
	dept, err := s.jointView(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.CasesByEntries(ctx, entryIDs, dept)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*credit.JointCase, len(entryIDs))
	for _, id := range entryIDs {
		out[id] = nil
	}
	for i := range rows {
		out[rows[i].EntryID] = &rows[i]
	}
	return out, nil
}

// AssignmentsByCases returns each case's assignments.
func (s *Service) AssignmentsByCases(ctx context.Context, caseIDs []int64) (map[int64][]credit.Assignment, error) {
	uncacheable(ctx, "the joint workflow")
	dept, err := s.jointView(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.AssignmentsByCases(ctx, caseIDs, dept)
	return group(caseIDs, rows, err, func(a credit.Assignment) int64 { return a.CaseID })
}

// ExecutionsByAssignments returns each assignment's executions.
func (s *Service) ExecutionsByAssignments(ctx context.Context, assignmentIDs []int64) (map[int64][]credit.Execution, error) {
	uncacheable(ctx, "the joint workflow")
	dept, err := s.jointView(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.ExecutionsByAssignments(ctx, assignmentIDs, dept)
	return group(assignmentIDs, rows, err, func(x credit.Execution) int64 { return x.AssignmentID })
}

// FeedbackByCases returns each case's feedback.
func (s *Service) FeedbackByCases(ctx context.Context, caseIDs []int64) (map[int64][]credit.Feedback, error) {
	uncacheable(ctx, "the joint workflow")
	dept, err := s.jointView(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.FeedbackByCases(ctx, caseIDs, dept)
	return group(caseIDs, rows, err, func(f credit.Feedback) int64 { return f.CaseID })
}
