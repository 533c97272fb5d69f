package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/credithub/credithub/internal/calendar"
	"github.com/credithub/credithub/internal/credit"
)

// The rules in force and the official calendar, as the service holds them.
//
// The rule book is read from the database once and kept in memory. Every
// change of reference data moves reference_revision in its transaction;
// a server that changed it reloads at once, and every server checks the
// revision in the background at most every ruleRecheck and reloads when it
// moved, so a change made elsewhere (another server, `credithub reference
// import`) is applied within seconds. Answers never depend on the delay:
// a row in force never changes (credit.ValidateRuleChange), so a book a
// few seconds old gives the same answer for every day up to today.

// ruleRecheck is how often a server looks for a newer revision.
const ruleRecheck = 2 * time.Second

// ruleBooks is the service's rule book and when its revision was checked.
type ruleBooks struct {
	mu       sync.Mutex // serialises reloads
	book     atomic.Pointer[credit.RuleBook]
	checked  atomic.Int64 // time.Now().UnixNano() of the last check
	checking atomic.Bool
}

// WithCalendar makes the service count working days on cal (an official
// calendar with the city's calendar file applied) instead of the official
// calendar as lunar-go transcribes it.
func WithCalendar(cal *calendar.Calendar) Option {
	return func(s *Service) { s.cal = cal }
}

// officialCalendar is the official working-day calendar, built once (about
// 15 ms) on first use and shared by services without WithCalendar.
var officialCalendar = sync.OnceValues(calendar.Official)

// calendar returns the working-day calendar the service counts on.
func (s *Service) calendar() (*calendar.Calendar, error) {
	if s.cal != nil {
		return s.cal, nil
	}
	cal, err := officialCalendar()
	if err != nil {
		return nil, fmt.Errorf("service: official calendar: %w", err)
	}
	return cal, nil
}

// ruleBook returns the rules in force, reading them on first use and
// starting a background check of the revision when the last one is older
// than ruleRecheck.
func (s *Service) ruleBook(ctx context.Context) (*credit.RuleBook, error) {
	if b := s.rules.book.Load(); b != nil {
		if time.Since(time.Unix(0, s.rules.checked.Load())) > ruleRecheck && s.rules.checking.CompareAndSwap(false, true) {
			go s.refreshRules()
		}
		return b, nil
	}
	return s.ReloadRules(ctx)
}

// refreshRules reloads the rules when the stored revision moved.
func (s *Service) refreshRules() {
	defer s.rules.checking.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rev, err := s.db.ReferenceRevision(ctx)
	if err != nil {
		s.log.Warn("rules: checking the reference revision", "err", err)
		return
	}
	if b := s.rules.book.Load(); b != nil && b.Revision == rev {
		s.rules.checked.Store(time.Now().UnixNano())
		return
	}
	if _, err := s.ReloadRules(ctx); err != nil {
		s.log.Warn("rules: reloading", "err", err)
	}
}

// ReloadRules reads the rules from the database now and makes them the
// ones the service answers with (unless a newer revision is loaded
// already). Tests that change rules with SQL call it; changes through the
// service reload by themselves.
func (s *Service) ReloadRules(ctx context.Context) (*credit.RuleBook, error) {
	s.rules.mu.Lock()
	defer s.rules.mu.Unlock()
	rows, rev, err := s.db.RuleRows(ctx)
	if err != nil {
		return nil, err
	}
	b, err := credit.NewRuleBook(rows, rev)
	if err != nil {
		// Rows the book refuses never pass an import; this is a database
		// changed by hand.
		return nil, fmt.Errorf("service: the rules stored in the database: %w", errors.New(err.Error()))
	}
	if cur := s.rules.book.Load(); cur != nil && cur.Revision > rev {
		b = cur
	} else {
		s.rules.book.Store(b)
	}
	s.rules.checked.Store(time.Now().UnixNano())
	return b, nil
}

// publicationDeadline returns the last day on which a record decided on
// decided had to reach the platform: the DISCLOSURE_DEADLINE rule in force
// on the decision date, counted on the official calendar from the day
// after. When no rule was in force, or the calendar has no official data
// for a day the count needs, the deadline is unknown: it is stored as NULL
// with a warning saying why, never guessed.
func (s *Service) publicationDeadline(ctx context.Context, decided credit.Date) (*credit.Date, string, error) {
	book, err := s.ruleBook(ctx)
	if err != nil {
		return nil, "", err
	}
	cal, err := s.calendar()
	if err != nil {
		return nil, "", err
	}
	return deadlineOn(book, cal, decided)
}

// deadlineOn is publicationDeadline with the book and calendar given, for
// imports that compute it for every row.
func deadlineOn(book *credit.RuleBook, cal *calendar.Calendar, decided credit.Date) (*credit.Date, string, error) {
	days, ok := book.DisclosureDays(decided)
	if !ok {
		return nil, fmt.Sprintf("publication deadline unknown: no %s rule was in force on %s", credit.RuleDisclosureDeadline, decided), nil
	}
	due, err := cal.AddWorkingDays(decided.Time(), days)
	if err == nil {
		d := credit.DateFromTime(due)
		return &d, "", nil
	}
	var missing *calendar.NoDataError
	if !errors.As(err, &missing) {
		return nil, "", fmt.Errorf("service: publication deadline of %s: %w", decided, err)
	}
	return nil, fmt.Sprintf("publication deadline unknown: the official calendar has no data for %d; "+
		"it stays empty until that year's State Council notice is in the calendar file", missing.Year), nil
}
