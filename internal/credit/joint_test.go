package credit

import "testing"

func TestQuartersOfFeedback(t *testing.T) {
	for _, tc := range []struct{ day, quarter, start, end string }{
		{"2026-01-01", "2026Q1", "2026-01-01", "2026-03-31"},
		{"2026-06-30", "2026Q2", "2026-04-01", "2026-06-30"},
		{"2026-08-15", "2026Q3", "2026-07-01", "2026-09-30"},
		{"2026-12-31", "2026Q4", "2026-10-01", "2026-12-31"},
	} {
		d := MustDate(tc.day)
		if q, s, e := Quarter(d), QuarterStart(d), QuarterEnd(d); q != tc.quarter || s.String() != tc.start || e.String() != tc.end {
			t.Errorf("%s: got %s %s %s, want %s %s %s", tc.day, q, s, e, tc.quarter, tc.start, tc.end)
		}
		if p, err := ParseQuarter("period", tc.quarter); err != nil || p.String() != tc.start {
			t.Errorf("ParseQuarter(%s): got %s %v, want %s", tc.quarter, p, err, tc.start)
		}
	}
	for _, bad := range []string{"", "2026Q5", "2026Q0", "2026-Q1", "26Q1", "2026q1", "0999Q1", "２０２６Q1"} {
		if _, err := ParseQuarter("period", bad); CodeOf(err) != BadUserInput {
			t.Errorf("ParseQuarter(%q): got %v, want BAD_USER_INPUT", bad, err)
		}
	}
}

func TestFeedbackPeriodRunsFromTheCaseToTheCurrentQuarter(t *testing.T) {
	opened, today := MustDate("2026-02-10"), MustDate("2026-05-20")
	for _, tc := range []struct {
		period string
		ok     bool
	}{{"2025Q4", false}, {"2026Q1", true}, {"2026Q2", true}, {"2026Q3", false}} {
		err := CheckFeedbackPeriod("period", tc.period, opened, today)
		if (err == nil) != tc.ok {
			t.Errorf("%s: got %v, want ok %v", tc.period, err, tc.ok)
		}
	}
}

func TestAssignmentStatusesAllowTheirSteps(t *testing.T) {
	for _, tc := range []struct {
		s                      AssignmentStatus
		open, respond, execute bool
	}{
		{AssignmentPushed, true, true, false},
		{AssignmentAccepted, true, false, true},
		{AssignmentExecuted, true, false, true},
		{AssignmentSuspended, true, false, false},
		{AssignmentRejected, false, false, false},
		{AssignmentClosed, false, false, false},
	} {
		if tc.s.Open() != tc.open || (tc.s.Respond() == nil) != tc.respond || (tc.s.Execute() == nil) != tc.execute {
			t.Errorf("%s: open %v respond %v execute %v, want %v %v %v", tc.s, tc.s.Open(), tc.s.Respond(), tc.s.Execute(),
				tc.open, tc.respond, tc.execute)
		}
	}
	for _, from := range []ListEntryStatus{EntryProposed, EntryActive, EntryRejected, EntryExited, EntryExpired, EntryRepaired, EntryRevoked} {
		for _, to := range []ListEntryStatus{EntryProposed, EntryActive, EntryRejected, EntryExited, EntryExpired, EntryRepaired, EntryRevoked} {
			allowed := (from == EntryProposed && (to == EntryActive || to == EntryRejected)) ||
				(from == EntryActive && (to == EntryExited || to == EntryExpired || to == EntryRepaired || to == EntryRevoked))
			if err := CheckTransition(from, to); (err == nil) != allowed || (err != nil && CodeOf(err) != Conflict) {
				t.Errorf("%s → %s: got %v, want allowed %v", from, to, err, allowed)
			}
		}
	}
}

func TestJointStatsRatesAreNullWithoutPushes(t *testing.T) {
	r := JointStatsRow{Pushed: 4, Accepted: 3, Executed: 2, FedBack: 1}
	if *r.AcceptedPercent() != 75 || *r.ExecutedPercent() != 50 || *r.FedBackPercent() != 25 {
		t.Errorf("rates of %+v: %v %v %v", r, *r.AcceptedPercent(), *r.ExecutedPercent(), *r.FedBackPercent())
	}
	if (JointStatsRow{}).ExecutedPercent() != nil {
		t.Errorf("a row without pushes has a rate")
	}
}

func TestCaseMeasuresAreTheCataloguesOrANamedSubset(t *testing.T) {
	catalogue := []Measure{{ID: 1, Code: "A", ImplementingDepartment: "D1"}, {ID: 2, Code: "B"}, {ID: 3, Code: "C", ImplementingDepartment: "D3"}}
	isDept := func(c string) bool { return c == "D1" || c == "D2" || c == "D3" }
	all, err := ChooseCaseMeasures(catalogue, nil, isDept)
	if err != nil || len(all) != 3 || all[0].Department != "D1" || all[1].Department != "" {
		t.Fatalf("by default: got %+v %v, want every measure with the catalogue's department", all, err)
	}
	some, err := ChooseCaseMeasures(catalogue, []CaseMeasureInput{{Code: "C"}, {Code: "B", Department: "D2"}}, isDept)
	if err != nil || len(some) != 2 || some[0].Measure.ID != 3 || some[0].Department != "D3" || some[1].Department != "D2" {
		t.Fatalf("named: got %+v %v", some, err)
	}
	none, err := ChooseCaseMeasures(catalogue, []CaseMeasureInput{}, isDept)
	if err != nil || len(none) != 0 {
		t.Errorf("an empty list applies no measure: got %+v %v", none, err)
	}
	for _, tc := range []struct {
		name  string
		in    []CaseMeasureInput
		field string
	}{
		{"a measure of another domain", []CaseMeasureInput{{Code: "A"}, {Code: "TAX_EXIT_BAN"}}, "measures[1].code"},
		{"a measure named twice", []CaseMeasureInput{{Code: "A"}, {Code: "A"}}, "measures[1].code"},
		{"an unknown department", []CaseMeasureInput{{Code: "B", Department: "D9"}}, "measures[0].department"},
	} {
		_, err := ChooseCaseMeasures(catalogue, tc.in, isDept)
		if e, ok := err.(*Error); !ok || e.Code != BadUserInput || e.Field != tc.field {
			t.Errorf("%s: got %v, want BAD_USER_INPUT on %s", tc.name, err, tc.field)
		}
	}
}
