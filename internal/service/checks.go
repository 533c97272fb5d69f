package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/credithub/credithub/internal/credit"
)

// The two hot checks. Each answer is computed from one SQL statement by
// the pure rules in internal/credit, and cached in Redis per (subject, as-of
// date, rule version, role) with generation counters, so that it is never
// served after a write that changes it (see internal/cache).

// CreditCheck answers a bank's check of the subject with code as of asOf
// (today when zero). FORBIDDEN for roles other than BANK and CREDIT_OFFICE;
// BAD_USER_INPUT for an invalid code, a missing purpose or a future date;
// NOT_FOUND for a code no subject has.
func (s *Service) CreditCheck(ctx context.Context, code string, asOf credit.Date, purpose string) (*credit.CreditCheck, error) {
	return runCheck(ctx, s, checkCredit, code, asOf, purpose, credit.EvaluateCredit)
}

// ApplicantCheck answers an approval window's check of the subject with
// code as of asOf (today when zero), with the same errors as CreditCheck
// for roles other than WINDOW and CREDIT_OFFICE. The matter applied for is
// recorded with the purpose in the query-use log.
func (s *Service) ApplicantCheck(ctx context.Context, code, matter string, asOf credit.Date, purpose string) (*credit.ApplicantCheck, error) {
	if m := strings.TrimSpace(matter); m != "" && strings.TrimSpace(purpose) != "" {
		purpose = strings.TrimSpace(purpose) + "（事项：" + m + "）"
	}
	return runCheck(ctx, s, checkApplicant, code, asOf, purpose, credit.EvaluateApplicant)
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

// runCheck runs one check: authorise, validate, then answer from the cache
// or compute with evaluate and cache the answer.
func runCheck[T any](ctx context.Context, s *Service, kind checkKind, code string, asOf credit.Date, purpose string,
	evaluate func(credit.CheckRecords, credit.CheckRules) T) (*T, error) {
	if _, err := s.authorize(ctx, checkActions[kind]); err != nil {
		return nil, err
	}
	c, a := s.access(ctx)
	purpose, err := s.checkPurpose(ctx, purpose)
	if err != nil {
		return nil, err
	}
	if purpose == "" {
		return nil, credit.FieldErrorf("purpose", "must say why the check is made")
	}
	setPurpose(ctx, purpose)
	lc, err := credit.ParseLookupCode("code", code)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	if asOf.IsZero() {
		asOf = today
	}
	if asOf.After(today) {
		return nil, credit.FieldErrorf("asOf", "must not be after today (%s), got %s", today, asOf)
	}
	book, err := s.ruleBook(ctx)
	if err != nil {
		return nil, err
	}
	rules := book.CheckRules(asOf)
	key := fmt.Sprintf("check:%s:%s:%s:%s:%s", kind, lc.Code, asOf, rules.Version, c.Role)

	answer, err := cached(ctx, s, key, lc.Code, ttlFor(asOf, today, s.now()), func() (T, []string, error) {
		var none T
		since, _ := rules.Window(asOf)
		r, err := s.db.CheckRecords(ctx, lc.Code, asOf, since)
		if credit.CodeOf(err) == credit.NotFound {
			if lc.ChecksumOnly {
				return none, nil, lc.Err
			}
			return none, nil, credit.Errorf(credit.NotFound, "no subject is registered with the code %s", lc.Code)
		}
		if err != nil {
			return none, nil, err
		}
		reads := readCodes(r)
		maskRecords(&r, a)
		return evaluate(r, rules), reads, nil
	})
	if err != nil {
		return nil, err
	}
	return &answer, nil
}

// ttlFor bounds how long an answer is cached: an answer for today never
// survives midnight (its key names the date, and it expires then); one for
// a past date lives an hour (writes still invalidate it at once).
func ttlFor(asOf, today credit.Date, now time.Time) time.Duration {
	if asOf != today {
		return time.Hour
	}
	y, m, d := now.In(credit.Shanghai).Date()
	midnight := time.Date(y, m, d+1, 0, 0, 0, 0, credit.Shanghai)
	return midnight.Sub(now)
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
