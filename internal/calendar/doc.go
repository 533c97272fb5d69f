// Package calendar is the official Chinese working-day calendar and the
// working-day arithmetic the hub uses for publication deadlines.
//
// # The rule
//
// A licence or penalty decision must reach the platform within 7 working days
// of the decision, counted from the day after the decision:
//
//	deadline, err := cal.AddWorkingDays(decisionDate, 7)
//
// A working day is Monday to Friday, except the public holidays of the State
// Council's yearly notice (国务院办公厅关于某年部分节假日安排的通知), plus the
// Saturdays and Sundays that the same notice makes working days to pay for a
// long holiday (调休). A Monday-to-Friday count is therefore wrong around the
// Spring Festival and National Day: in 2024 the deadline for a decision of
// Friday 27 September was Saturday 12 October, not Tuesday 8 October.
//
// # Data source
//
// The arrangements change every year by regulation, so they are data with a
// source, never computed. [Official] extracts them, when it is called, from
// github.com/6tail/lunar-go/HolidayUtil, which transcribes the notices: each
// record is a date with an IsWork flag (true for a make-up working day, false
// for a day off). lunar-go v1.4.7 holds the notices for 2002 to 2027. When
// the State Council publishes a new notice, either upgrade lunar-go or load
// the new year from the city's calendar file ([LoadFile], [City]), without a
// code change.
//
// # Coverage
//
// A year counts as covered when its data lists as days off both the first
// day of the lunar year (正月初一, computed with lunar-go's astronomical
// calendar) and 1 October. The national holiday regulation (全国年节及纪念日
// 放假办法) makes both days holidays, so every notice, and any honest
// transcription of one, lists them; a year with only a few stray entries,
// such as the late-December days named by the following year's New Year
// arrangement, is not covered. A date in a year that is not covered is not
// guessed: methods return a [*NoDataError], which matches
// [ErrNoOfficialData] with errors.Is and names the missing year.
//
// The last seven days of December also need the following year: that year's
// notice can move them for its New Year holiday (the 2019 notice made
// Saturday 29 December 2018 a working day). So the final week of the last
// covered year is reported as missing data for the next year.
//
// [Calendar.AddWorkingDaysOrEstimate] is the lenient variant for bulk imports:
// where data is missing it counts Monday to Friday, and says so, so that a
// caller can store a flagged estimate instead of rejecting the record.
//
// # Calendar file
//
// [LoadFile] reads a city's calendar file (CALENDAR_FILE, applied at start
// by [City]), a CSV file with one date per line and the State Council
// notice it comes from:
//
//	# Hypothetical example: lines starting with # are comments.
//	date,kind,notice
//	2028-01-01,HOLIDAY,国办发明电〔2027〕N号
//	2028-01-29,WORKDAY,国办发明电〔2027〕N号
//
// The date is YYYY-MM-DD. HOLIDAY marks a day off and WORKDAY a working day,
// whatever the day of the week; dates not listed follow Monday to Friday. The
// header line is optional, blank lines are skipped, a date may be listed
// only once, and the lines of a year name the same notice (or none; the
// notice column may be left out). To add a year, list every day off and
// make-up working day of its notice, including the Spring Festival and 1
// October, or the year will not count as covered. Entries replace those of
// the calendar they are applied to, so the same file can also correct a
// date. `credithub calendar show YEAR` prints what the hub will count with.
//
// # Dates
//
// Dates are time.Time values. A date argument is the civil date that its
// Date method reports in its own location, so midnight UTC and midnight in
// Asia/Shanghai both work; results are midnight UTC. [Date] builds one.
//
// # Concurrency and cost
//
// A Calendar is immutable once built and safe for concurrent use; the
// package keeps no mutable state. (lunar-go's HolidayUtil.Fix does change
// lunar-go's global data; this package never calls it.) Construction
// precomputes, for every day of the covered range, running counts of
// working days and of days without data, so each query is a binary search
// and a few array reads, without allocation: fit for a call per record in
// imports of millions of rows.
package calendar
