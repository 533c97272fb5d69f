package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/credithub/credithub/internal/calendar"
	"github.com/credithub/credithub/internal/credit"
)

// Deadlines of the subject's rights (objections, repairs, reports): the
// working days of the rule in force on the day a stage starts, counted on
// the official calendar from the day after. A deadline that no rule gives
// or that needs a day the calendar does not cover is unknown (nil), and
// nothing is reported late on a guess.

// dueAfter returns the last day of the deadline of rule and scope for a
// stage that starts on from; nil when unknown.
func (s *Service) dueAfter(ctx context.Context, rule credit.RuleKind, scope string, from credit.Date) (*credit.Date, error) {
	book, err := s.ruleBook(ctx)
	if err != nil {
		return nil, err
	}
	n, ok := book.Deadline(rule, scope, from)
	if !ok {
		return nil, nil
	}
	cal, err := s.calendar()
	if err != nil {
		return nil, err
	}
	t, err := cal.AddWorkingDays(from.Time(), n)
	var missing *calendar.NoDataError
	switch {
	case errors.As(err, &missing):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("service: %s/%s from %s: %w", rule, scope, from, err)
	}
	d := credit.DateFromTime(t)
	return &d, nil
}

// lateness says how an item whose current stage is due on due (nil:
// closed or unknown) stands on today.
func (s *Service) lateness(due *credit.Date, today credit.Date) credit.Lateness {
	l := credit.Lateness{DueOn: due}
	if due == nil || !due.Before(today) {
		return l
	}
	l.Overdue = true
	if cal, err := s.calendar(); err == nil {
		if n, err := cal.WorkingDaysBetween(due.Time(), today.Time()); err == nil {
			l.DaysLate = &n
		}
	}
	return l
}
