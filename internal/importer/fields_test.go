package importer

import (
	"testing"

	"github.com/credithub/credithub/internal/credit"
)

func TestParseDateReadsTheFormsDepartmentsExport(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2024-03-05", "2024-03-05"},
		{"2024/03/05", "2024-03-05"},
		{"2024/3/5", "2024-03-05"},
		{"2024/12/31", "2024-12-31"},
		{"20240305", "2024-03-05"},
		{" 2024-03-05 ", "2024-03-05"},
		{"2024-02-29", "2024-02-29"},
	} {
		got, err := ParseDate(tc.in)
		if err != nil || got.String() != tc.want {
			t.Errorf("ParseDate(%q): got %v, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

func TestParseDateRejectsOtherFormsAndDaysThatDoNotExist(t *testing.T) {
	for _, in := range []string{"", "2024-02-30", "2023-02-29", "2024-13-01", "2024-1-5", "2024/003/05", "2024.03.05",
		"20240230", "24-03-05", "2024/3/", "2024-03-05T00:00", "２０２４-03-05", "长期"} {
		if got, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q): got %v, want an error", in, got)
		}
	}
}

func TestOptionalDateTakesLongTermAsNoEnd(t *testing.T) {
	for _, tc := range []struct {
		in    string
		noEnd bool
		want  string // "" for nil
		fails bool
	}{
		{"", true, "", false},
		{"长期", true, "", false},
		{"9999-12-31", true, "", false},
		{"9999-12-31", false, "9999-12-31", false},
		{"2028-05-31", true, "2028-05-31", false},
		{"长期", false, "", true},
		{"2028-02-30", true, "", true},
	} {
		got, err := optionalDate(tc.in, tc.noEnd)
		gotS := ""
		if got != nil {
			gotS = got.String()
		}
		if (err != nil) != tc.fails || gotS != tc.want {
			t.Errorf("optionalDate(%q, %v): got %q, %v; want %q (error %v)", tc.in, tc.noEnd, gotS, err, tc.want, tc.fails)
		}
	}
}

func TestParseCategoryTakesTheStandardNames(t *testing.T) {
	for in, want := range map[string]credit.SubjectCategory{
		"法人及非法人组织": credit.CategoryOrganization, "自然人": credit.CategoryNaturalPerson,
		"个体工商户": credit.CategoryIndividualBusiness, " 自然人 ": credit.CategoryNaturalPerson,
		"ORGANIZATION": credit.CategoryOrganization,
	} {
		if got, err := parseCategory(in); err != nil || got != want {
			t.Errorf("parseCategory(%q): got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "企业", "法人", "organization"} {
		if got, err := parseCategory(in); err == nil {
			t.Errorf("parseCategory(%q): got %q, want an error", in, got)
		}
	}
}

func TestParseAmountIsExactAndWarnsWhenEmpty(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    string
		warning bool
	}{
		{"0.2", "2000.00", false},
		{"0.012", "120.00", false},
		{"12.5", "125000.00", false},
		{"0.000001", "0.01", false},
		{"0", "0.00", false},
		{"", "0.00", true},
		{"  ", "0.00", true},
	} {
		var warnings []string
		got, err := parseAmount(tc.in, "CF_NR_FK", &warnings)
		if err != nil || got.String() != tc.want || (len(warnings) == 1) != tc.warning {
			t.Errorf("parseAmount(%q): got %s, %v, warnings %q; want %s, warning %v", tc.in, got, err, warnings, tc.want, tc.warning)
		}
	}
	for _, in := range []string{"1,000", "-1", "0.0000001", "1e3", "二万", "0.2万元"} {
		var warnings []string
		if got, err := parseAmount(in, "CF_NR_FK", &warnings); err == nil {
			t.Errorf("parseAmount(%q): got %s, want an error", in, got)
		}
	}
}

func TestParseScoreReadsHundredths(t *testing.T) {
	for in, want := range map[string]int{"95.5": 9550, "85": 8500, "55.25": 5525, "0": 0, "100": 10000, "100.00": 10000} {
		if got, err := parseScore(in); err != nil || got != want {
			t.Errorf("parseScore(%q): got %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"100.01", "101", "-1", "9.555", "abc", ".5", "1,5"} {
		if got, err := parseScore(in); err == nil {
			t.Errorf("parseScore(%q): got %d, want an error", in, got)
		}
	}
}

func TestSeenFindsTheFirstLineOfAKey(t *testing.T) {
	s := NewSeen()
	if got := s.Add(2, "A", "1"); got != 0 {
		t.Fatalf("first Add: got %d, want 0", got)
	}
	if got := s.Add(5, "A", "1"); got != 2 {
		t.Errorf("repeated key: got %d, want line 2", got)
	}
	// The parts are separated: ("A1", "") is another key than ("A", "1").
	if got := s.Add(6, "A1", ""); got != 0 {
		t.Errorf("other key: got %d, want 0", got)
	}
	if first, v := s.AddValue(7, 9, "v"); first != 0 || v != 0 {
		t.Errorf("AddValue new: got %d, %d", first, v)
	}
	if first, v := s.AddValue(8, 3, "v"); first != 7 || v != 9 {
		t.Errorf("AddValue repeated: got %d, %d; want 7, 9", first, v)
	}
}
