package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/credithub/credithub/internal/calendar"
	"github.com/credithub/credithub/internal/config"
)

const calendarUsage = `Usage: credithub calendar show YEAR

Prints the official working-day calendar of YEAR as the hub counts with it:
the official calendar (State Council notices as lunar-go transcribes them)
with the city's calendar file (CALENDAR_FILE) applied. For each day off and
make-up working day its date, weekday and kind; whether the year is covered;
the notice the calendar file names for it. A deadline that needs a day of a
year that is not covered stays unknown: add the year's notice to the
calendar file (date,kind,notice lines; see README "Calendar").`

func (e *environment) calendar(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("calendar show", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprintln(e.stderr, calendarUsage) }
	if len(args) == 0 || args[0] != "show" {
		fs.Usage()
		return fmt.Errorf("calendar needs a command: show YEAR")
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("calendar show needs a year")
	}
	year, err := strconv.Atoi(fs.Arg(0))
	if err != nil || year < calendar.MinYear || year > calendar.MaxYear {
		return fmt.Errorf("%q is not a year from %d to %d", fs.Arg(0), calendar.MinYear, calendar.MaxYear)
	}
	cfg, err := config.Load(e.getenv)
	if err != nil {
		return err
	}
	cal, notices, err := calendar.City(cfg.CalendarFile)
	if err != nil {
		return err
	}
	entries, covered := cal.Year(year)
	source := "the official calendar (lunar-go)"
	if n, ok := notices[year]; ok {
		source = fmt.Sprintf("the calendar file %s, notice %s", cfg.CalendarFile, n)
	}
	if !covered {
		years := cal.Years()
		fmt.Fprintf(e.stdout, "%d: NOT COVERED: the calendar has official data for %d–%d; working days of %d are unknown "+
			"and deadlines that need them stay empty until its notice is in the calendar file (CALENDAR_FILE)\n",
			year, years[0], years[len(years)-1], year)
		if len(entries) == 0 {
			return nil
		}
	} else {
		working := 0
		for d := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
			if ok, err := cal.IsWorkingDay(d); err == nil && ok {
				working++
			}
		}
		fmt.Fprintf(e.stdout, "%d: covered, from %s; %d working days\n", year, source, working)
	}
	for _, en := range entries {
		fmt.Fprintf(e.stdout, "%s %s %s\n", en.Date.Format(time.DateOnly), en.Date.Weekday().String()[:3], en.Kind)
	}
	return nil
}
