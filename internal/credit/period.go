package credit

// Periods. Every period the hub counts — list terms and their extensions,
// penalty publication windows and repair minimums, the checks' look-back —
// is a period of the PRC Civil Code:
//
//   - art. 201: a period counted in years, months or days starts on the day
//     after the event that starts it (the start day is not counted);
//   - art. 202: a period counted in years or months ends on the day of its
//     last month that corresponds to the start day, or on that month's last
//     day when it has no corresponding day.
//
// So a period of n months from day D runs from D+1 through PeriodEnd(D, n):
// 36 months from 2024-01-10 run through 2027-01-10, 12 months from
// 2024-02-29 through 2025-02-28, one month from 2026-01-31 through
// 2026-02-28. PeriodEnd is the one function that computes it; nothing else
// in the hub adds months to a date for a legal period.

// PeriodEnd returns the last day of a period of months counted from start
// (Civil Code arts. 201–202): the corresponding day months later, clamped
// to the last day of that month. A negative count looks back the same way.
func PeriodEnd(start Date, months int) Date { return start.AddMonths(months) }

// PeriodStartReaching returns the earliest day D whose period of months,
// counted from D, still includes day: PeriodEnd(D, months) is on or after
// day, and for every earlier D it is before. It is the inverse the
// look-back windows need: a record decided on D counts on day when
// D ≥ PeriodStartReaching(day, months).
func PeriodStartReaching(day Date, months int) Date {
	from := day.AddMonths(-months)
	// When day has no corresponding day in from's month (day 29 February,
	// from 28 February years earlier), AddMonths clamped: a period counted
	// from that day ended before day.
	if PeriodEnd(from, months).Before(day) {
		from = from.AddDays(1)
	}
	return from
}
