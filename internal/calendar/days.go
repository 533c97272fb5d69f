package calendar

import "time"

// Date returns the civil date y-m-d as midnight UTC, normalising out-of-range
// values like time.Date. It is the form every result of this package takes.
func Date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dayOf returns the day number of t's civil date in t's own location.
func dayOf(t time.Time) int {
	y, m, d := t.Date()
	return dayNumber(y, m, d)
}

// dayNumber returns the days from 1970-01-01 to y-m-d in the proleptic
// Gregorian calendar. It is Howard Hinnant's days_from_civil: integer
// arithmetic only, several times cheaper than going through time.Date on
// the per-record path.
func dayNumber(y int, m time.Month, d int) int {
	if m <= time.February {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (int(m) + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dayTime returns day number day as midnight UTC.
func dayTime(day int) time.Time {
	return time.Unix(int64(day)*86400, 0).UTC()
}

// isWeekday reports whether day number day is Monday to Friday.
// 1970-01-01, day 0, was a Thursday.
func isWeekday(day int) bool {
	wd := (day + 4) % 7 // 0 = Sunday
	if wd < 0 {
		wd += 7
	}
	return wd != 0 && wd != 6
}

// formatDate formats t's civil date as YYYY-MM-DD for messages.
func formatDate(t time.Time) string {
	y, m, d := t.Date()
	return Date(y, m, d).Format(time.DateOnly)
}
