package service

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/seal"
	"github.com/credithub/credithub/internal/store"
)

// Reports (credit/report.go). A reporter's name and contact are sealed
// with the current report key before the row is written, bound to the
// report's id, and opened only for the credit office, each time with an
// audit row (report.reporter_read) committed before the answer. Reports
// rest on no subject's cached answers, so their steps invalidate nothing;
// every read of them is uncacheable.

// WithReportKeys makes the service seal reporters with keys (REPORT_KEYS).
func WithReportKeys(keys *seal.Keyring) Option {
	return func(s *Service) { s.reportKeys = keys }
}

type reportDetail struct {
	Subject    string              `json:"subject,omitempty"`
	Department string              `json:"department,omitempty"`
	From       credit.ReportStatus `json:"from,omitempty"`
	To         credit.ReportStatus `json:"to,omitempty"`
	Anonymous  bool                `json:"anonymous,omitempty"`
	KeyID      string              `json:"keyId,omitempty"`
}

func reportTarget(id int64) string { return "report:" + itoa64(id) }

// reporterAD binds a sealed reporter to its report.
func reporterAD(id int64) []byte { return []byte("credithub report " + itoa64(id)) }

var referenceEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newReference returns a random report reference: JB and 16 characters.
func newReference() (string, error) {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("service: report reference: %w", err)
	}
	return "JB" + referenceEncoding.EncodeToString(b), nil
}

// SubmitReport records a report from anyone. The reporter, when given, is
// sealed; the receipt's reference is what the reporter asks about it with.
// Errors: FORBIDDEN for AUDITOR and ADMIN; BAD_USER_INPUT naming the field;
// UNAVAILABLE for a report with a reporter when no report key is
// configured (nothing is stored then).
func (s *Service) SubmitReport(ctx context.Context, in credit.ReportInput) (credit.ReportReceipt, error) {
	c, err := s.authorize(ctx, credit.ActSubmitReport)
	if err != nil {
		return credit.ReportReceipt{}, err
	}
	if err := in.Validate(); err != nil {
		return credit.ReportReceipt{}, err
	}
	if in.Reporter != nil && s.reportKeys == nil {
		return credit.ReportReceipt{}, credit.Errorf(credit.Unavailable,
			"this server cannot keep a reporter's contact confidential (no REPORT_KEYS): submit without it, or try later")
	}
	ref, err := newReference()
	if err != nil {
		return credit.ReportReceipt{}, err
	}
	today := s.Today()
	due, err := s.dueAfter(ctx, credit.RuleReportDeadline, credit.ScopeAssign, today)
	if err != nil {
		return credit.ReportReceipt{}, err
	}
	r := credit.Report{Reference: ref, SubjectCode: in.SubjectCode, SubjectName: in.SubjectName, Facts: in.Facts,
		ReceivedAt: s.now(), ReceivedOn: today, ReceivedRole: c.Role, AssignDueOn: due}
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		if r.ID, err = tx.NextReportID(ctx); err != nil {
			return nil, err
		}
		if r.SubjectID, err = tx.SubjectIDByCode(ctx, in.SubjectCode); err != nil {
			return nil, err
		}
		d := reportDetail{Subject: in.SubjectCode, To: credit.ReportReceived, Anonymous: in.Reporter == nil}
		var sealed *seal.Sealed
		if in.Reporter != nil {
			plain, err := json.Marshal(in.Reporter)
			if err != nil {
				return nil, err
			}
			x, err := s.reportKeys.Seal(plain, reporterAD(r.ID))
			if err != nil {
				return nil, err
			}
			sealed, d.KeyID = &x, x.KeyID
		}
		if _, err := tx.InsertReport(ctx, r, in.Evidence, sealed); err != nil {
			return nil, err
		}
		if err := tx.AddReportEvent(ctx, r.ID, nil, credit.ReportReceived, c, "", s.now()); err != nil {
			return nil, err
		}
		return nil, audit.Append(ctx, tx, audit.Event{Actor: c, Action: "report.received", Target: reportTarget(r.ID), Detail: d})
	})
	if err != nil {
		return credit.ReportReceipt{}, err
	}
	return credit.ReportReceipt{Reference: ref, ReceivedAt: r.ReceivedAt, AssignDueOn: due}, nil
}

// AssignReport hands a RECEIVED report to the department that verifies
// it. Errors: FORBIDDEN for roles other than CREDIT_OFFICE; NOT_FOUND;
// BAD_USER_INPUT on department for an unknown one; CONFLICT unless
// RECEIVED.
func (s *Service) AssignReport(ctx context.Context, id int64, department string) (credit.Report, error) {
	if _, err := s.authorize(ctx, credit.ActAssignReport); err != nil {
		return credit.Report{}, err
	}
	if err := cleanText("department", &department, true); err != nil {
		return credit.Report{}, err
	}
	today := s.Today()
	due, err := s.dueAfter(ctx, credit.RuleReportDeadline, credit.ScopeVerify, today)
	if err != nil {
		return credit.Report{}, err
	}
	return s.stepReport(ctx, id, credit.ReportAssigned, "report.assigned", "", func(tx *store.DB, r credit.Report, d *reportDetail) (store.ReportChange, error) {
		if _, err := tx.DepartmentByCode(ctx, department); credit.CodeOf(err) == credit.NotFound {
			return store.ReportChange{}, credit.FieldErrorf("department", "%q is not a registered department", department)
		} else if err != nil {
			return store.ReportChange{}, err
		}
		d.Department = department
		return store.ReportChange{Department: &department, AssignedOn: &today, VerifyDue: due}, nil
	})
}

// VerifyReport records the assigned department's finding: VERIFIED when
// the report is founded, UNFOUNDED otherwise. Errors: FORBIDDEN for roles
// other than DEPARTMENT (the assigned one) and CREDIT_OFFICE; NOT_FOUND;
// BAD_USER_INPUT for empty findings; CONFLICT unless ASSIGNED.
func (s *Service) VerifyReport(ctx context.Context, id int64, founded bool, findings string) (credit.Report, error) {
	c, err := s.authorize(ctx, credit.ActVerifyReport)
	if err != nil {
		return credit.Report{}, err
	}
	if err := cleanText("findings", &findings, true); err != nil {
		return credit.Report{}, err
	}
	to := credit.ReportUnfounded
	if founded {
		to = credit.ReportVerified
	}
	today := s.Today()
	due, err := s.dueAfter(ctx, credit.RuleReportDeadline, credit.ScopeAnswer, today)
	if err != nil {
		return credit.Report{}, err
	}
	return s.stepReport(ctx, id, to, "report."+map[bool]string{true: "verified", false: "unfounded"}[founded], findings,
		func(tx *store.DB, r credit.Report, d *reportDetail) (store.ReportChange, error) {
			if c.Role == credit.RoleDepartment && deref(r.DepartmentCode) != c.Department {
				return store.ReportChange{}, credit.Errorf(credit.Forbidden, "report %d is assigned to %s, not to %s", id, deref(r.DepartmentCode), c.Department)
			}
			return store.ReportChange{VerifiedOn: &today, Outcome: &to, Findings: &findings, AnswerDue: due}, nil
		})
}

// AnswerReport records the credit office's answer to the reporter of a
// verified or unfounded report. Errors: FORBIDDEN for roles other than
// CREDIT_OFFICE; NOT_FOUND; BAD_USER_INPUT for an empty answer; CONFLICT
// unless VERIFIED or UNFOUNDED.
func (s *Service) AnswerReport(ctx context.Context, id int64, answer string) (credit.Report, error) {
	if _, err := s.authorize(ctx, credit.ActAssignReport); err != nil {
		return credit.Report{}, err
	}
	if err := cleanText("answer", &answer, true); err != nil {
		return credit.Report{}, err
	}
	today := s.Today()
	return s.stepReport(ctx, id, credit.ReportAnswered, "report.answered", "",
		func(tx *store.DB, r credit.Report, d *reportDetail) (store.ReportChange, error) {
			return store.ReportChange{AnsweredOn: &today, Answer: &answer}, nil
		})
}

// stepReport runs one transition of report id.
func (s *Service) stepReport(ctx context.Context, id int64, to credit.ReportStatus, action, note string,
	do func(tx *store.DB, r credit.Report, d *reportDetail) (store.ReportChange, error)) (credit.Report, error) {
	c := credit.CallerFrom(ctx)
	today := s.Today()
	var out credit.Report
	err := s.write(ctx, func(tx *store.DB) ([]string, error) {
		r, err := tx.ReportForUpdate(ctx, id)
		if credit.CodeOf(err) == credit.NotFound {
			return nil, credit.Errorf(credit.NotFound, "no report has the id %d", id)
		} else if err != nil {
			return nil, err
		}
		d := reportDetail{Department: deref(r.DepartmentCode), From: r.Status, To: to}
		change, err := do(tx, r, &d)
		if err != nil {
			return nil, err
		}
		if err := credit.CheckReportTransition(r.Status, to); err != nil {
			return nil, err
		}
		change.Status = to
		if out, err = tx.ChangeReport(ctx, id, change); err != nil {
			return nil, err
		}
		from := r.Status
		if err := tx.AddReportEvent(ctx, id, &from, to, c, note, s.now()); err != nil {
			return nil, err
		}
		return nil, audit.Append(ctx, tx, audit.Event{Actor: c, Action: action, Target: reportTarget(id), Detail: d})
	})
	out.Lateness = s.lateness(out.StageDue(), today)
	return out, err
}

// Reporter opens the reporter of report id for the credit office: nil for
// an anonymous report. The read is in the audit log (report.reporter_read),
// committed before the reporter is returned. Errors: FORBIDDEN for roles
// other than CREDIT_OFFICE; NOT_FOUND; UNAVAILABLE when the key that sealed
// it is not configured on this server.
func (s *Service) Reporter(ctx context.Context, id int64) (*credit.Reporter, error) {
	uncacheable(ctx, "a reporter's identity")
	c, err := s.authorize(ctx, credit.ActReadReporter)
	if err != nil {
		return nil, err
	}
	var out *credit.Reporter
	err = s.db.InTx(ctx, func(tx *store.DB) error {
		sealed, ok, err := tx.SealedReporter(ctx, id)
		if credit.CodeOf(err) == credit.NotFound {
			return credit.Errorf(credit.NotFound, "no report has the id %d", id)
		} else if err != nil || !ok {
			return err
		}
		if s.reportKeys == nil {
			return credit.Errorf(credit.Unavailable, "this server has no REPORT_KEYS to open reporters with")
		}
		plain, err := s.reportKeys.Open(sealed, reporterAD(id))
		if errors.Is(err, seal.ErrUnknownKey) {
			return credit.Errorf(credit.Unavailable, "the key %q that sealed this reporter is not configured on this server", sealed.KeyID)
		} else if err != nil {
			return fmt.Errorf("service: reporter of report %d: %w", id, err)
		}
		out = &credit.Reporter{}
		if err := json.Unmarshal(plain, out); err != nil {
			return fmt.Errorf("service: reporter of report %d: %w", id, err)
		}
		return audit.Append(ctx, tx, audit.Event{Actor: c, Action: "report.reporter_read", Target: reportTarget(id),
			Detail: reportDetail{KeyID: sealed.KeyID}})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReportPage is one page of a search of reports.
type ReportPage struct {
	Reports     []credit.Report
	HasNextPage bool
	TotalCount  int
}

// Reports searches reports, newest first: the credit office all of them,
// a department those assigned to it. The subjects' codes they show are
// recorded as read. Errors as Objections.
func (s *Service) Reports(ctx context.Context, f credit.ReportFilter, first int, after string) (ReportPage, error) {
	uncacheable(ctx, "reports")
	dept, err := s.objectionView(ctx, credit.ActReadReports, "filter.department", f.Department)
	if err != nil {
		return ReportPage{}, err
	}
	afterID, err := pageArgs(first, after)
	if err != nil {
		return ReportPage{}, err
	}
	today := s.today(ctx)
	rows, n, err := s.db.Reports(ctx, store.ReportQuery{Filter: f, Department: dept, Today: today, AfterID: afterID, Limit: first + 1})
	if err != nil {
		return ReportPage{}, err
	}
	p := ReportPage{TotalCount: n}
	if len(rows) > first {
		rows, p.HasNextPage = rows[:first], true
	}
	codes := make([]string, 0, len(rows))
	for i := range rows {
		rows[i].Lateness = s.lateness(rows[i].StageDue(), today)
		codes = append(codes, rows[i].SubjectCode)
	}
	p.Reports = rows
	return p, s.noteRead(ctx, "", codes...)
}

// RekeyReporters seals again, with the current report key, every reporter
// sealed with another key, in transactions of at most batch reports each
// with one audit row (report.rekeyed). It returns how many it resealed.
// Run it after making a new key current (README "Reports"); the old key
// may be removed from REPORT_KEYS once `credithub reports keys` shows no
// report sealed with it.
func (s *Service) RekeyReporters(ctx context.Context, actor credit.Caller, batch int) (int, error) {
	if s.reportKeys == nil {
		return 0, fmt.Errorf("no REPORT_KEYS configured")
	}
	total := 0
	for {
		n := 0
		err := s.db.InTx(ctx, func(tx *store.DB) error {
			rows, err := tx.ReportersSealedWithout(ctx, s.reportKeys.Current(), batch)
			if err != nil || len(rows) == 0 {
				return err
			}
			from := map[string]int{}
			for _, r := range rows {
				x, _, err := s.reportKeys.Reseal(seal.Sealed{KeyID: r.KeyID, Nonce: r.Nonce, Ciphertext: r.Sealed}, reporterAD(r.ID))
				if err != nil {
					return fmt.Errorf("report %d: %w", r.ID, err)
				}
				if err := tx.ResealReporter(ctx, r.ID, x); err != nil {
					return err
				}
				from[r.KeyID]++
			}
			n = len(rows)
			return audit.Append(ctx, tx, audit.Event{Actor: actor, Action: "report.rekeyed",
				Target: fmt.Sprintf("reports:%d-%d", rows[0].ID, rows[len(rows)-1].ID),
				Detail: map[string]any{"to": s.reportKeys.Current(), "from": from, "reports": n}})
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < batch {
			return total, nil
		}
	}
}
