package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/credithub/credithub/internal/credit"
)

// The two hot checks. Each answer is computed from one SQL statement by
// the pure rules in internal/credit; the subjects it shows are recorded on
// the request (query-use log, and what a cached response rests on: the
// pipeline's cache stage stores responses made of checks like any other
// subject read).

// CreditCheck answers a bank's check of the subject with code as of asOf
// (today when zero). FORBIDDEN for roles other than BANK and CREDIT_OFFICE;
// BAD_USER_INPUT for an invalid code, a missing purpose or a future date;
// NOT_FOUND for a code no subject has.
//
// read, when it asks for the relations of the check's subject (its legal
// representative, …), is answered by the check's own statement; the nodes
// read come back with the answer.
func (s *Service) CreditCheck(ctx context.Context, code string, asOf credit.Date, purpose string, read *credit.SubjectRead) (*credit.CreditCheck, map[int64]*credit.SubjectNode, error) {
	return runCheck(ctx, s, checkCredit, code, asOf, purpose, "", read, credit.EvaluateCredit)
}

// ApplicantCheck answers an approval window's check of the subject with
// code as of asOf (today when zero), with the same errors as CreditCheck
// for roles other than WINDOW and CREDIT_OFFICE. The matter applied for is
// recorded with the purpose in the query-use log.
func (s *Service) ApplicantCheck(ctx context.Context, code, matter string, asOf credit.Date, purpose string, read *credit.SubjectRead) (*credit.ApplicantCheck, map[int64]*credit.SubjectNode, error) {
	if n := utf8.RuneCountInString(strings.TrimSpace(matter)); n > MaxPurposeLength {
		return nil, nil, credit.FieldErrorf("matter", "must be at most %d characters, got %d", MaxPurposeLength, n)
	}
	return runCheck(ctx, s, checkApplicant, code, asOf, purpose, strings.TrimSpace(matter), read, credit.EvaluateApplicant)
}

type checkKind string

const (
	checkCredit    checkKind = "credit"
	checkApplicant checkKind = "applicant"
)

var checkActions = map[checkKind]credit.Action{
	checkCredit:    credit.ActCreditCheck,
	checkApplicant: credit.ActApplicantCheck,
}

// runCheck runs one check: authorise, validate, read the records in one
// statement, record the subjects shown, mask, and evaluate.
func runCheck[T any](ctx context.Context, s *Service, kind checkKind, code string, asOf credit.Date, purpose, matter string,
	read *credit.SubjectRead, evaluate func(credit.CheckRecords, credit.CheckRules) T) (*T, map[int64]*credit.SubjectNode, error) {
	if _, err := s.authorize(ctx, checkActions[kind]); err != nil {
		return nil, nil, err
	}
	_, a := s.access(ctx)
	purpose, err := s.checkPurpose(ctx, purpose)
	if err != nil {
		return nil, nil, err
	}
	if purpose == "" {
		return nil, nil, credit.FieldErrorf("purpose", "must say why the check is made")
	}
	if matter != "" { // the matter applied for is logged with the purpose
		purpose += "（事项：" + matter + "）"
	}
	lc, err := credit.ParseLookupCode("code", code)
	if err != nil {
		return nil, nil, err
	}
	today := s.today(ctx)
	if asOf.IsZero() {
		asOf = today
	}
	if asOf.After(today) {
		return nil, nil, credit.FieldErrorf("asOf", "must not be after today (%s), got %s", today, asOf)
	}
	book, err := s.ruleBook(ctx)
	if err != nil {
		return nil, nil, err
	}
	rules := book.CheckRules(asOf)
	since, _ := rules.Window(asOf)
	read = readable(read, a)
	r, nodes, err := s.db.CheckRecords(ctx, lc.Code, asOf, since, read, s.view(ctx), today)
	if credit.CodeOf(err) == credit.NotFound {
		if lc.ChecksumOnly {
			return nil, nil, lc.Err
		}
		return nil, nil, credit.Errorf(credit.NotFound, "no subject is registered with the code %s", lc.Code)
	}
	if err != nil {
		return nil, nil, err
	}
	if err := s.noteRead(ctx, purpose, readCodes(r)...); err != nil {
		return nil, nil, err
	}
	maskRecords(&r, a)
	answer := evaluate(r, rules)
	if len(nodes) > 0 {
		s.shown(ctx, purpose, a, nodes)
	}
	return &answer, nodes, nil
}

// maskRecords masks the persons in a check's records as access a requires.
func maskRecords(r *credit.CheckRecords, a credit.Access) {
	r.Subject = a.Masked(r.Subject)
	for i := range r.KeyPersons {
		r.KeyPersons[i].Person = a.Masked(r.KeyPersons[i].Person)
	}
}

// readCodes are the subjects whose records a check shows: the subject and
// the key persons whose findings it reports (each read is logged).
func readCodes(r credit.CheckRecords) []string {
	codes := []string{r.Subject.Code}
	for _, k := range r.KeyPersons {
		codes = append(codes, k.Person.Code)
	}
	return codes
}
