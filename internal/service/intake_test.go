package service

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/calendar"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

func TestPublicationDeadlineCountsOfficialWorkingDays(t *testing.T) {
	t.Parallel()
	s := New(testenv.DB(t))
	for _, tc := range []struct{ decided, want string }{
		{"2024-09-27", "2024-10-12"}, // National Day: Oct 1-7 off, Sep 29 and Oct 12 worked
		{"2025-01-24", "2025-02-10"}, // Spring Festival 2025: Jan 28-Feb 4 off, Jan 26 and Feb 8 worked
		{"2026-06-01", "2026-06-10"}, // an ordinary fortnight
	} {
		got, warning, err := s.publicationDeadline(context.Background(), credit.MustDate(tc.decided))
		if err != nil || got == nil || got.String() != tc.want || warning != "" {
			t.Errorf("%s: got %v %q %v, want %s", tc.decided, got, warning, err, tc.want)
		}
	}
}

func TestPublicationDeadlineOfAnUncoveredYearIsFlaggedNotGuessed(t *testing.T) {
	t.Parallel()
	entries, err := calendar.OfficialEntries()
	if err != nil {
		t.Fatal(err)
	}
	entries = slices.DeleteFunc(entries, func(e calendar.Entry) bool { return e.Date.Year() == 2026 })
	cal, err := calendar.New(entries)
	if err != nil {
		t.Fatal(err)
	}
	s := New(testenv.DB(t), WithCalendar(cal))
	got, warning, err := s.publicationDeadline(context.Background(), credit.MustDate("2026-03-02"))
	if err != nil || got != nil || !strings.Contains(warning, "2026") || strings.Contains(warning, "about") {
		t.Fatalf("got %v %q %v, want no deadline and a warning naming 2026, without an estimate", got, warning, err)
	}
	got, warning, err = s.publicationDeadline(context.Background(), credit.MustDate("2016-05-27"))
	if err != nil || got != nil || !strings.Contains(warning, "DISCLOSURE_DEADLINE") {
		t.Fatalf("before the 7-working-day rule: got %v %q %v, want no deadline and a warning naming the rule", got, warning, err)
	}
}

func TestAffectedCodesFollowKeyPersonLinks(t *testing.T) {
	t.Parallel()
	db := testenv.DB(t)
	f := testenv.NewFixtures(t, db)
	org, rep, other := testenv.USCC(1), testenv.CitizenID(1), testenv.USCC(2)
	lone, loneRep := testenv.USCC(3), testenv.CitizenID(3)
	ids := map[string]int64{}
	for code, kind := range map[string]credit.SubjectKind{org: credit.LegalPerson, other: credit.LegalPerson,
		lone: credit.LegalPerson, rep: credit.NaturalPerson, loneRep: credit.NaturalPerson} {
		ids[code] = f.Subject(code, kind, "名称")
	}
	f.KeyPerson(ids[org], ids[rep], credit.LegalRepresentative, "2020-01-01", "")
	f.KeyPerson(ids[other], ids[rep], credit.Principal, "2015-01-01", "2019-12-31") // a past role counts too
	f.KeyPerson(ids[lone], ids[loneRep], credit.LegalRepresentative, "2020-01-01", "")

	for _, tc := range []struct {
		name    string
		subject string
		want    []string
	}{
		{"an organisation: itself, its key persons and their other organisations", org, []string{org, other, rep}},
		{"a person: itself and the organisations it holds roles in", rep, []string{org, other, rep}},
		{"an unrelated organisation", lone, []string{lone, loneRep}},
	} {
		got, err := db.AffectedCodes(context.Background(), []int64{ids[tc.subject]})
		slices.Sort(tc.want)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v %v, want %v", tc.name, got, err, tc.want)
		}
	}
}
