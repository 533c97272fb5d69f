package service

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// The outcome of verification: CONFIRMED leaves the record as it is,
// CORRECTED changes its fields in place and keeps each change
// (record_corrections), REVOKED_RECORD revokes it (a licence or penalty
// becomes REVOKED, a list entry leaves its list as REVOKED and its
// assignments close; a key-person link or a tax grade made in error is
// removed, the audit row keeping what it said). The export triggers send a
// corrected or revoked licence or penalty upward.

// correctionDetail is one change as the audit log keeps it.
type correctionDetail struct {
	Field string  `json:"field"`
	Old   *string `json:"old"`
	New   *string `json:"new"`
}

// DecideObjection decides an objection UNDER_VERIFICATION. Errors:
// FORBIDDEN for roles other than DEPARTMENT and CREDIT_OFFICE, and for a
// department that does not verify it; NOT_FOUND; BAD_USER_INPUT naming the
// field of a decision or change that breaks a rule; CONFLICT unless UNDER
// VERIFICATION, or when a list entry to revoke is no longer ACTIVE.
func (s *Service) DecideObjection(ctx context.Context, id int64, d credit.Decision) (credit.Objection, error) {
	c, err := s.authorize(ctx, credit.ActVerifyObjection)
	if err != nil {
		return credit.Objection{}, err
	}
	if !d.Outcome.IsOutcome() { // the rest is checked with the record's kind
		return credit.Objection{}, credit.FieldErrorf("input.outcome", "must be CORRECTED, CONFIRMED or REVOKED_RECORD, got %q", d.Outcome)
	}
	d.Answer, d.DecisionNo = strings.TrimSpace(d.Answer), strings.TrimSpace(d.DecisionNo)
	today := s.Today()
	change := store.ObjectionChange{ClosedOn: &today, DecidedBy: &c.ID, Answer: &d.Answer}
	if d.DecisionNo != "" {
		change.DecisionNo = &d.DecisionNo
	}
	return s.stepObjection(ctx, id, d.Outcome, "objection."+strings.ToLower(string(d.Outcome)), d.Answer, change,
		func(tx *store.DB, o credit.Objection, detail *objectionDetail) error {
			if err := d.Validate(o.RecordKind); err != nil {
				return err
			}
			switch d.Outcome {
			case credit.ObjectionCorrected:
				cs, err := s.correct(ctx, tx, o, d.Changes)
				for _, x := range cs {
					detail.Corrections = append(detail.Corrections, correctionDetail{x.Field, x.OldValue, x.NewValue})
				}
				return err
			case credit.ObjectionRevokedRecord:
				return s.revokeObjected(ctx, tx, o, d, detail)
			}
			return nil
		})
}

// correct applies changes to o's record and keeps them; the record's
// cross-field rules are checked after (a licence's validity, a penalty's
// end and publication window, a tax grade's score band).
func (s *Service) correct(ctx context.Context, tx *store.DB, o credit.Objection, changes []credit.FieldChange) ([]credit.Correction, error) {
	c := credit.CallerFrom(ctx)
	var out []credit.Correction
	keep := func(field string, old, new *string) {
		out = append(out, credit.Correction{ObjectionID: o.ID, RecordKind: o.RecordKind, RecordID: o.RecordID,
			SubjectID: o.SubjectID, Field: field, OldValue: old, NewValue: new, CorrectedBy: c.ID, CorrectedRole: c.Role,
			CorrectedAt: s.now()})
	}
	set := func(f credit.CorrectableField, path string, stored any, shown *string) error {
		old, err := tx.FieldText(ctx, o.RecordKind, o.RecordID, o.SubjectID, f.Column)
		if err != nil {
			return err
		}
		old = f.Shown(old)
		if same(old, shown) {
			return credit.FieldErrorf(path, "%s is %s already: a correction changes a value", f.Name, show(old))
		}
		if err := tx.SetField(ctx, o.RecordKind, o.RecordID, o.SubjectID, f.Column, stored); err != nil {
			if credit.CodeOf(err) == credit.BadUserInput {
				return credit.FieldErrorf(path, "%s %s breaks a rule of the record: %s", f.Name, show(shown), err.Error())
			}
			return err
		}
		keep(f.Name, old, shown)
		return nil
	}
	severity := false
	for i, ch := range changes {
		f, _ := credit.FieldOf(o.RecordKind, ch.Field)
		path := fmt.Sprintf("input.changes[%d].value", i)
		stored, shown, err := f.Parse(path, ch.Value)
		if err != nil {
			return out, err
		}
		if err := set(f, path, stored, shown); err != nil {
			return out, err
		}
		severity = severity || ch.Field == "severity"
	}
	if err := s.checkCorrected(ctx, tx, o, severity, set); err != nil {
		return out, err
	}
	return out, tx.InsertCorrections(ctx, out)
}

// checkCorrected checks the rules between a corrected record's fields and
// recomputes what follows from them.
func (s *Service) checkCorrected(ctx context.Context, tx *store.DB, o credit.Objection, severity bool,
	set func(credit.CorrectableField, string, any, *string) error) error {
	read := func(column string) (*string, error) {
		return tx.FieldText(ctx, o.RecordKind, o.RecordID, o.SubjectID, column)
	}
	switch o.RecordKind {
	case credit.RecordKindPenalty:
		decided, err := read("decided_on")
		if err != nil {
			return err
		}
		until, err := read("valid_until")
		if err != nil {
			return err
		}
		if until != nil && *until < *decided { // ISO dates compare as text
			return credit.FieldErrorf("input.changes", "validUntil %s is before the decision date %s", *until, *decided)
		}
		if !severity {
			return nil
		}
		// The publication window follows the severity, by the rule in
		// force on the decision date, as RecordPenalty computes it.
		sev, err := read("severity")
		if err != nil {
			return err
		}
		scope, err := read("use_scope")
		if err != nil {
			return err
		}
		book, err := s.ruleBook(ctx)
		if err != nil {
			return err
		}
		day := credit.MustDate(*decided)
		rule, ok := book.Publication(credit.Severity(*sev), day)
		if !ok {
			return credit.FieldErrorf("input.changes", "no publication rule for %s penalties was in force on %s", *sev, day)
		}
		publicUntil, repairableFrom := rule.Window(day, credit.UseScope(*scope))
		for _, f := range credit.DerivedFields[credit.RecordKindPenalty] {
			v := publicUntil
			if f.Name == credit.FieldRepairableFrom {
				v = &repairableFrom
			}
			var shown *string
			var stored any
			if v != nil {
				str := v.String()
				shown, stored = &str, *v
			}
			old, err := read(f.Column)
			if err != nil {
				return err
			}
			if !same(old, shown) {
				if err := set(f, "input.changes", stored, shown); err != nil {
					return err
				}
			}
		}
	case credit.RecordKindTaxGrade:
		grade, err := read("grade")
		if err != nil {
			return err
		}
		score, err := read("score")
		if err != nil || score == nil {
			return err
		}
		book, err := s.ruleBook(ctx)
		if err != nil {
			return err
		}
		bands, ok := book.TaxBands(int(o.RecordID))
		h, perr := strconv.ParseFloat(*score, 64)
		if ok && perr == nil {
			if why := bands.Fits(credit.TaxGrade(*grade), int(h*100+0.5)); why != "" {
				return credit.FieldErrorf("input.changes", "%s", why)
			}
		}
	}
	return nil
}

// revokeObjected revokes the record of an objection decided
// REVOKED_RECORD.
func (s *Service) revokeObjected(ctx context.Context, tx *store.DB, o credit.Objection, d credit.Decision, detail *objectionDetail) error {
	reason := fmt.Sprintf("异议%d核实认定错误：%s", o.ID, d.Answer)
	switch o.RecordKind {
	case credit.RecordKindPenalty:
		_, err := tx.RevokePenalty(ctx, o.RecordID, reason)
		return err
	case credit.RecordKindLicence:
		_, err := tx.RevokeLicence(ctx, o.RecordID, reason)
		return err
	case credit.RecordKindListEntry:
		row, err := lockEntry(ctx, tx, o.RecordID)
		if err != nil {
			return err
		}
		today := s.Today()
		if err := credit.CheckTransition(row.StatusOn(today), credit.EntryRevoked); err != nil {
			return err
		}
		why := string(credit.ExitError)
		e, err := tx.ChangeListEntry(ctx, o.RecordID, store.EntryChange{Status: credit.EntryRevoked, EndedOn: &today,
			ExitDecisionNo: &d.DecisionNo, ExitReason: &why})
		if err != nil {
			return err
		}
		if err := s.entryEvent(ctx, tx, e, row.Status, credit.EntryRevoked, &d.DecisionNo, &today, reason); err != nil {
			return err
		}
		open, err := tx.AssignmentIDsOfEntry(ctx, o.RecordID, credit.OpenAssignmentStatuses)
		if err != nil {
			return err
		}
		if detail.Closed, err = tx.CloseJointCases(ctx, []int64{o.RecordID}, s.now(), string(credit.EntryRevoked)+": "+reason); err != nil {
			return err
		}
		return tx.TellDepartments(ctx, open, s.now())
	}
	row, err := tx.RecordRow(ctx, o.RecordKind, o.RecordID, o.SubjectID)
	if err != nil {
		return err
	}
	detail.Deleted = string(row)
	return tx.DeleteRecord(ctx, o.RecordKind, o.RecordID, o.SubjectID)
}

func same(a, b *string) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func show(v *string) string {
	if v == nil {
		return "empty"
	}
	return strconv.Quote(*v)
}
