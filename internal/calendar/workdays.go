package calendar

import (
	"errors"
	"slices"
	"time"
)

// IsWorkingDay reports whether d is a working day on the official calendar.
// It returns a *NoDataError when d's year, or for the last week of December
// the following year, is not covered.
func (c *Calendar) IsWorkingDay(d time.Time) (bool, error) {
	day := dayOf(d)
	if err := c.checkData(day, day); err != nil {
		return false, err
	}
	i := day - c.base
	return c.working[i+1] != c.working[i], nil
}

// AddWorkingDays returns the n-th working day counted from the day after d,
// as midnight UTC; the publication deadline of a decision is
// AddWorkingDays(decision, 7). The decision day itself is never counted, so a
// decision taken on a holiday or a weekend starts the count the same way as
// one taken on a working day. It returns ErrInvalidCount when n < 1 and a
// *NoDataError when a day it would have to count is not covered.
func (c *Calendar) AddWorkingDays(d time.Time, n int) (time.Time, error) {
	if n < 1 {
		return time.Time{}, ErrInvalidCount
	}
	if n >= len(c.working) {
		// More working days than table days: the search below must fail,
		// and int32(n) must not overflow.
		n = len(c.working)
	}
	from := dayOf(d) + 1 // first day counted
	i := from - c.base
	if i < 0 || i >= len(c.working)-1 {
		return time.Time{}, c.noData(from)
	}
	// The n-th working day is table day q-1 for the least q > i with
	// working[q] >= working[i]+n. BinarySearch on working[i+1:] returns
	// k = q-(i+1), or the slice length when no such q exists, which
	// checkData then reports as missing data.
	k, _ := slices.BinarySearch(c.working[i+1:], c.working[i]+int32(n))
	last := c.base + i + k // table day q-1
	if err := c.checkData(from, last); err != nil {
		return time.Time{}, err
	}
	return dayTime(last), nil
}

// WorkingDaysBetween returns the number of working days in (from, to]: the
// days after from up to and including to. It is the count overdue statistics
// need: a record published on day p was late when
// WorkingDaysBetween(decision, p) > 7. When to is before from the result is
// the negated count of (to, from], so that for n ≥ 1
// WorkingDaysBetween(d, AddWorkingDays(d, n)) == n and swapping the
// arguments negates the result. It returns a *NoDataError when a day of the
// interval is not covered.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) (int, error) {
	a, b := dayOf(from), dayOf(to)
	sign := 1
	if b < a {
		a, b, sign = b, a, -1
	}
	if a == b {
		return 0, nil
	}
	if err := c.checkData(a+1, b); err != nil {
		return 0, err
	}
	i, j := a+1-c.base, b-c.base
	return sign * int(c.working[j+1]-c.working[i]), nil
}

// AddWorkingDaysOrEstimate is AddWorkingDays for callers that must store a
// value even when the official data is missing, such as bulk imports that
// flag rather than reject. When AddWorkingDays succeeds it returns its result
// and estimated false. When data is missing it counts the covered days by the
// official calendar and every other day as Monday to Friday, and returns
// estimated true: such a date is a guess and must be stored as one and
// recomputed once the year's notice is loaded. It still returns
// ErrInvalidCount when n < 1.
func (c *Calendar) AddWorkingDaysOrEstimate(d time.Time, n int) (t time.Time, estimated bool, err error) {
	t, err = c.AddWorkingDays(d, n)
	if err == nil || errors.Is(err, ErrInvalidCount) {
		return t, false, err
	}
	day := dayOf(d)
	for n > 0 {
		day++
		w := isWeekday(day)
		if c.decided(day) {
			i := day - c.base
			w = c.working[i+1] != c.working[i]
		} else {
			estimated = true
		}
		if w {
			n--
		}
	}
	return dayTime(day), estimated, nil
}

// decided reports whether day is in the table and has official data.
func (c *Calendar) decided(day int) bool {
	i := day - c.base
	return i >= 0 && i < len(c.missing)-1 && c.missing[i+1] == c.missing[i]
}

// checkData returns nil when every day of [first, last] has official data,
// and otherwise a *NoDataError for the earliest day that has none.
func (c *Calendar) checkData(first, last int) error {
	n := len(c.missing) - 1 // table days
	i, j := first-c.base, last-c.base
	if i < 0 || i >= n {
		return c.noData(first)
	}
	end := min(j, n-1)
	if c.missing[end+1] != c.missing[i] {
		// The earliest missing day is table day q-1 for the least q > i with
		// missing[q] > missing[i].
		k, _ := slices.BinarySearch(c.missing[i+1:end+2], c.missing[i]+1)
		return c.noData(c.base + i + k)
	}
	if j >= n {
		return c.noData(c.base + n)
	}
	return nil
}

// noData builds the error for day number day, which has no official data.
func (c *Calendar) noData(day int) error {
	y := c.missingYear(day)
	if y == 0 { // cannot happen for a day the table marks missing
		y = dayTime(day).Year()
	}
	return &NoDataError{Year: y}
}
