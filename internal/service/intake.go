package service

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// Intake of pushed records: authorise, validate (internal/credit), then one
// transaction that registers the subject when it is new, writes the record,
// works out whose cached answers change and appends to the audit log; the
// cache is invalidated after the commit.

// requireWriter fails with FORBIDDEN unless the caller's role writes records.
func (s *Service) requireWriter(ctx context.Context) error {
	_, err := s.authorize(ctx, credit.ActWriteRecords)
	return err
}

// authorizeWrite lets the credit office write any authority's records and a
// department only its own. FORBIDDEN otherwise, naming the caller's
// department only: a record of another (reached by its id) may be one the
// caller cannot see, and who decided it is not for the caller to learn.
func (s *Service) authorizeWrite(ctx context.Context, authority, field string) error {
	if err := s.requireWriter(ctx); err != nil {
		return err
	}
	if c, _ := s.access(ctx); c.Role == credit.RoleDepartment && authority != c.Department {
		return &credit.Error{Code: credit.Forbidden, Field: field, Message: fmt.Sprintf(
			"a DEPARTMENT key of %s may write only records decided by %s", c.Department, c.Department)}
	}
	return nil
}

// write runs fn in one transaction and, after it, invalidates the codes fn
// returned (and the statistics, which every write can change). They are
// invalidated even when the commit reports an error: a COMMIT that failed
// on the way back may still have committed, and an extra invalidation
// costs only a cache miss.
func (s *Service) write(ctx context.Context, fn func(tx *store.DB) (codes []string, err error)) error {
	uncacheable(ctx, "a write")
	var codes []string
	ran := false
	err := s.db.InTx(ctx, func(tx *store.DB) error {
		c, err := fn(tx)
		if err == nil {
			codes, ran = c, true
		}
		return err
	})
	if ran {
		s.invalidate(ctx, codes)
	}
	return err
}

// requireDepartment fails with BAD_USER_INPUT on input.authorityCode unless
// code is a registered department.
func requireDepartment(ctx context.Context, tx *store.DB, code string) error {
	_, err := tx.DepartmentByCode(ctx, code)
	if credit.CodeOf(err) == credit.NotFound {
		return credit.FieldErrorf("input.authorityCode", "%q is not a registered department", code)
	}
	return err
}

// recordDetail is what the audit log keeps about a pushed record.
type recordDetail struct {
	DecisionNo string   `json:"decisionNo"`
	Authority  string   `json:"authority"`
	Subject    string   `json:"subject"`
	Registered []string `json:"registered,omitempty"`
	LegalRep   string   `json:"legalRepresentativeLinked,omitempty"`
	Warnings   []string `json:"warnings,omitempty"`
}

// intakeSubject finds or registers the subject a record is about, from the
// record's own fields when it is new (a department's export is often the
// first the city hears of it), and links the legal representative the
// record names. The rule: the representative is registered as a natural
// person if new, and linked as LEGAL_REPRESENTATIVE from the decision date
// only if the organisation has no legal representative whose role lasts to
// that date or later, so a record fills a gap in the registry and never
// overrides it. It returns the ids whose answers change and fills the
// audit detail. BAD_USER_INPUT when the party's category contradicts the
// registered kind (a person is never an organisation) or the
// representative's ID number belongs to an organisation.
func intakeSubject(ctx context.Context, tx *store.DB, in credit.Intake, decided credit.Date, category credit.SubjectCategory,
	d *recordDetail) (credit.Subject, []int64, error) {
	subj, created, err := tx.EnsureSubject(ctx, in.Subject)
	if err != nil {
		return subj, nil, err
	}
	if created {
		d.Registered = append(d.Registered, subj.Code)
	} else if !subj.Kind.FitsCategory(category) {
		return subj, nil, credit.FieldErrorf("input.party.category",
			"%s does not fit the subject %s, registered as %s: a natural person and an organisation are never the same subject",
			category, subj.Code, subj.Kind)
	}
	ids := []int64{subj.ID}
	if in.LegalRep == nil {
		return subj, ids, nil
	}
	rep, created, err := tx.EnsureSubject(ctx, *in.LegalRep)
	if err != nil {
		return subj, nil, err
	}
	if !rep.Kind.IsPerson() {
		return subj, nil, credit.FieldErrorf("input.party.legalRepresentativeIdNumber",
			"%s is registered as a %s, not a natural person", rep.Code, rep.Kind)
	}
	if created {
		d.Registered = append(d.Registered, rep.Code)
	}
	linked, err := tx.LinkLegalRepresentative(ctx, subj.ID, rep.ID, decided, linkSource(credit.CallerFrom(ctx)))
	if linked {
		d.LegalRep = rep.Code
	}
	return subj, append(ids, rep.ID), err
}

// pushed is what a push of a licence or a penalty has in common, after
// validation.
type pushed struct {
	kind, table           string // "licence", "licences"
	authority, decisionNo string
	decided               credit.Date
	category              credit.SubjectCategory
	intake                credit.Intake
}

// recordBase is what the hub adds to a pushed record: its subject, its
// publication deadline, when it was received and its warnings.
type recordBase struct {
	subjectID  int64
	deadline   *credit.Date
	receivedAt time.Time
	warnings   []string
}

// record runs a validated push in one transaction: the decision's lock,
// the authority's existence, the subject (intakeSubject), then upsert,
// which writes the record and returns its id and what the upsert did,
// then the affected codes and the audit row. It reports whether the record
// existed.
func (s *Service) record(ctx context.Context, p pushed,
	upsert func(tx *store.DB, b recordBase) (int64, store.Upsert, error)) (bool, error) {
	deadline, warning, err := s.publicationDeadline(ctx, p.decided)
	if err != nil {
		return false, err
	}
	b := recordBase{deadline: deadline, receivedAt: s.now(), warnings: appendNonEmpty(p.intake.Warnings, warning)}
	var up store.Upsert
	err = s.write(ctx, func(tx *store.DB) ([]string, error) {
		if err := tx.LockDecision(ctx, p.table, p.authority, p.decisionNo); err != nil {
			return nil, err
		}
		if err := requireDepartment(ctx, tx, p.authority); err != nil {
			return nil, err
		}
		detail := recordDetail{DecisionNo: p.decisionNo, Authority: p.authority, Warnings: b.warnings}
		subj, ids, err := intakeSubject(ctx, tx, p.intake, p.decided, p.category, &detail)
		if err != nil {
			return nil, err
		}
		detail.Subject, b.subjectID = subj.Code, subj.ID
		var id int64
		if id, up, err = upsert(tx, b); err != nil {
			return nil, err
		}
		action := p.kind + ".recorded"
		if up.Updated {
			action = p.kind + ".updated"
		}
		return s.finishWrite(ctx, tx, appendPrevious(ids, up), action, p.kind+":"+itoa64(id), detail)
	})
	return up.Updated, err
}

// RecordLicence records a licence pushed by its deciding authority: a new
// decision number of the authority inserts it, a known one updates it
// (updated true), never a second row, also under concurrent pushes. An
// unregistered subject is registered from the record (see intakeSubject).
// The payload's warnings are the stored licence's Warnings. Errors:
// FORBIDDEN for roles other than CREDIT_OFFICE and DEPARTMENT, and for a
// department writing another authority's record; BAD_USER_INPUT with the
// field for a broken rule or an unknown authority. A rejected record writes
// nothing.
func (s *Service) RecordLicence(ctx context.Context, in credit.LicenceInput) (credit.Licence, bool, error) {
	in.AuthorityCode = strings.TrimSpace(in.AuthorityCode)
	if err := s.authorizeWrite(ctx, in.AuthorityCode, "input.authorityCode"); err != nil {
		return credit.Licence{}, false, err
	}
	intake, err := in.Validate(s.Today())
	if err != nil {
		return credit.Licence{}, false, err
	}
	if in.UseScope == "" {
		in.UseScope = credit.ScopePublic
	}
	var out credit.Licence
	updated, err := s.record(ctx, pushed{"licence", "licences", in.AuthorityCode, in.DecisionNo, in.DecidedOn, in.Party.Category, intake},
		func(tx *store.DB, b recordBase) (int64, store.Upsert, error) {
			var up store.Upsert
			var err error
			out, up, err = tx.UpsertLicence(ctx, credit.Licence{
				SubjectID: b.subjectID, RecordParty: in.Party, DocumentName: in.DocumentName, DecisionNo: in.DecisionNo,
				Category: in.Category, CertificateName: in.CertificateName, LicenceNo: in.LicenceNo, Content: in.Content,
				DecidedOn: in.DecidedOn, ValidFrom: in.ValidFrom, ValidUntil: in.ValidUntil,
				AuthorityName: in.AuthorityName, AuthorityCode: in.AuthorityCode, SourceName: in.SourceName,
				SourceCode: in.SourceCode, Remarks: in.Remarks, UseScope: in.UseScope,
				PublicationDeadline: b.deadline, ReceivedAt: b.receivedAt, WarningList: b.warnings,
			})
			return out.ID, up, err
		})
	return out, updated, err
}

// RecordPenalty records a penalty as RecordLicence records a licence. Its
// publication window comes from the publication rule in force on the
// decision date, read in the same transaction: it is published until
// decidedOn + max months, may be repaired from decidedOn + min months, and
// without a given use scope is PUBLIC, or SHARED for a severity that is in
// principle not published (MINOR). Errors as RecordLicence, and
// BAD_USER_INPUT on input.decidedOn when no rule was in force on that date.
func (s *Service) RecordPenalty(ctx context.Context, in credit.PenaltyInput) (credit.Penalty, bool, error) {
	in.AuthorityCode = strings.TrimSpace(in.AuthorityCode)
	if err := s.authorizeWrite(ctx, in.AuthorityCode, "input.authorityCode"); err != nil {
		return credit.Penalty{}, false, err
	}
	book, err := s.ruleBook(ctx)
	if err != nil {
		return credit.Penalty{}, false, err
	}
	if in.Severity == "" && !in.DecidedOn.IsZero() {
		// The department did not state it: the PENALTY_SEVERITY rule in
		// force on the decision date derives it.
		if rule, ok := book.Severity(in.DecidedOn); ok {
			in.Severity = rule.Derive(in.Category, in.Party.Category, in.Fine, in.Confiscated)
		}
	}
	intake, err := in.Validate(s.Today())
	if err != nil {
		return credit.Penalty{}, false, err
	}
	var out credit.Penalty
	updated, err := s.record(ctx, pushed{"penalty", "penalties", in.AuthorityCode, in.DecisionNo, in.DecidedOn, in.Party.Category, intake},
		func(tx *store.DB, b recordBase) (int64, store.Upsert, error) {
			rule, ok := book.Publication(in.Severity, in.DecidedOn)
			if !ok {
				return 0, store.Upsert{}, credit.FieldErrorf("input.decidedOn",
					"%s: no publication rule for %s penalties was in force on that date", in.DecidedOn, in.Severity)
			}
			if in.UseScope == "" {
				in.UseScope = rule.DefaultScope()
			}
			publicUntil, repairableFrom := rule.Window(in.DecidedOn, in.UseScope)
			var up store.Upsert
			out, up, err = tx.UpsertPenalty(ctx, credit.Penalty{
				SubjectID: b.subjectID, RecordParty: in.Party, DecisionNo: in.DecisionNo, ViolationType: in.ViolationType,
				Facts: in.Facts, LegalBasis: in.LegalBasis, Category: in.Category, Content: in.Content, Fine: in.Fine,
				Confiscated: in.Confiscated, SuspendedLicence: in.SuspendedLicence, DecidedOn: in.DecidedOn,
				ValidUntil: in.ValidUntil, PublicUntil: publicUntil, AuthorityName: in.AuthorityName,
				AuthorityCode: in.AuthorityCode, SourceName: in.SourceName, SourceCode: in.SourceCode,
				Remarks: in.Remarks, Severity: in.Severity, RepairableFrom: &repairableFrom, UseScope: in.UseScope,
				PublicationDeadline: b.deadline, ReceivedAt: b.receivedAt, WarningList: b.warnings,
			})
			return out.ID, up, err
		})
	return out, updated, err
}

// finishWrite ends a record's transaction: it works out whose cached
// answers change (seeing the write) and appends the audit row last, as
// the audit chain's lock asks.
func (s *Service) finishWrite(ctx context.Context, tx *store.DB, ids []int64, action, target string, detail any) ([]string, error) {
	codes, err := tx.AffectedCodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	return codes, audit.Append(ctx, tx, audit.Event{Actor: credit.CallerFrom(ctx), Action: action, Target: target, Detail: detail})
}

// appendPrevious adds the subject an updated record was about before, when
// the update moved it to another subject.
func appendPrevious(ids []int64, up store.Upsert) []int64 {
	if up.PreviousSubjectID != 0 && up.PreviousSubjectID != ids[0] {
		ids = append(ids, up.PreviousSubjectID)
	}
	return ids
}

func appendNonEmpty(xs []string, s string) []string {
	out := append([]string{}, xs...)
	if s != "" {
		out = append(out, s)
	}
	return out
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
