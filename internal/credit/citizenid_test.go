package credit

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// refCitizenIDCheck is an independent reference for the check character. It
// uses the ISO 7064 MOD 11-2 form, in which the weights are powers of 2 and
// the check value C makes S + C ≡ 1 (mod 11), instead of the weight list and
// the Y → character table of the standard, so a typo in either shows up.
func refCitizenIDCheck(body string) byte {
	sum, w := 0, 2 // weight of digit 17 is 2^1
	for i := 16; i >= 0; i-- {
		sum += int(body[i]-'0') * w
		w = w * 2 % 11
	}
	c := ((1-sum)%11 + 11) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}

// withCitizenIDCheck completes a 17-digit body with the reference check
// character.
func withCitizenIDCheck(body string) string { return body + string(refCitizenIDCheck(body)) }

// testNow is the fixed "now" of the tests: noon on 2025-06-01 in China.
var testNow = time.Date(2025, 6, 1, 4, 0, 0, 0, time.UTC)

var citizenIDCases = []struct {
	name, in, want, wantErr string
}{
	{"valid with X", "11010519491231002X", "11010519491231002X", ""},
	{"valid with Y 0", "210604199009090021", "210604199009090021", ""},
	{"lower-case x normalised", "11010519491231002x", "11010519491231002X", ""},
	{"surrounding spaces trimmed", "  11010519491231002x\t\n", "11010519491231002X", ""},
	{"leap day in leap year", withCitizenIDCheck("11010520000229001"), withCitizenIDCheck("11010520000229001"), ""},
	{"earliest birth date", withCitizenIDCheck("11010519000101001"), withCitizenIDCheck("11010519000101001"), ""},
	{"born today in China", withCitizenIDCheck("11010520250601001"), withCitizenIDCheck("11010520250601001"), ""},
	{"wrong check digit", "110101199003071234", "", "check digit should be 3, got 4"},
	{"X where a digit is due", "11010119900307123X", "", "check digit should be 3, got X"},
	{"digit where X is due", "110105194912310021", "", "check digit should be X, got 1"},
	{"old 15-digit number", "110105491231002", "", "length must be 18 characters, got 15"},
	{"empty", "", "", "length must be 18 characters, got 0"},
	{"too long", "11010519491231002X1", "", "length must be 18 characters, got 19"},
	{"letter in body", "1101A519491231002X", "", `position 5 must be a digit, got "A"`},
	{"x in body", "11010519491231x02X", "", `position 15 must be a digit, got "x"`},
	{"bad check character", "11010519491231002Y", "", `position 18 must be a digit or X, got "Y"`},
	{"Chinese character", "11中10519491231002X", "", `position 3 must be a digit, got "中"`},
	{"full-width digit", "１1010519491231002X", "", `position 1 must be a digit, got "１"`},
	{"full-width X", "11010519491231002Ｘ", "", `position 18 must be a digit or X, got "Ｘ"`},
	{"invalid UTF-8", "1101051949123100\xff1", "", `position 17 must be a digit, got "\xff"`},
	{"February 30", withCitizenIDCheck("11010119900230123"), "", "birth date 19900230 does not exist"},
	{"leap day in non-leap century", withCitizenIDCheck("11010119010229123"), "", "birth date 19010229 does not exist"},
	{"month 13", withCitizenIDCheck("11010119901301123"), "", "birth date 19901301 does not exist"},
	{"day 00", withCitizenIDCheck("11010119900100123"), "", "birth date 19900100 does not exist"},
	{"before 1900", withCitizenIDCheck("11010518991231001"), "", "birth date 18991231 is before 1900-01-01"},
	{"tomorrow in China", withCitizenIDCheck("11010520250602001"), "", "birth date 20250602 is in the future"},
	{"future", withCitizenIDCheck("11010520300101001"), "", "birth date 20300101 is in the future"},
}

func TestNormalizeCitizenIDAt(t *testing.T) {
	for _, tc := range citizenIDCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeCitizenIDAt(tc.in, testNow)
			if got != tc.want || errMessage(err) != tc.wantErr {
				t.Fatalf("NormalizeCitizenIDAt(%q) = %q, %q; want %q, %q", tc.in, got, errMessage(err), tc.want, tc.wantErr)
			}
			if err != nil {
				assertInputError(t, err, "")
			}
		})
	}
}

// TestNormalizeCitizenIDAtUsesChinaDate checks that "today" is the date in
// China, not in the zone of the now the caller passes: 20:00 UTC on 31 May is
// already 1 June in Beijing.
func TestNormalizeCitizenIDAtUsesChinaDate(t *testing.T) {
	id := withCitizenIDCheck("11010520250601001")
	now := time.Date(2025, 5, 31, 20, 0, 0, 0, time.UTC)
	if got, err := NormalizeCitizenIDAt(id, now); got != id || err != nil {
		t.Fatalf("NormalizeCitizenIDAt(%q, %v) = %q, %v; want %q, <nil>", id, now, got, err, id)
	}
}

func TestValidCitizenIDUsesToday(t *testing.T) {
	for in, want := range map[string]bool{
		"11010519491231002X": true,
		"210604199009090021": true,
		"110101199003071234": false,
		withCitizenIDCheck("110105" + time.Now().AddDate(1, 0, 0).Format("20060102") + "001"): false,
	} {
		if got := ValidCitizenID(in); got != want {
			t.Errorf("ValidCitizenID(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestValidateCitizenIDSetsField(t *testing.T) {
	got, err := ValidateCitizenID("input.idNumber", "110101199003071234")
	if got != "" || err == nil || err.Error() != "input.idNumber: check digit should be 3, got 4" {
		t.Fatalf("got %q, %v; want \"\", input.idNumber: check digit should be 3, got 4", got, err)
	}
	assertInputError(t, err, "input.idNumber")
	if got, err := ValidateCitizenID("id", "11010519491231002x"); got != "11010519491231002X" || err != nil {
		t.Fatalf("got %q, %v; want 11010519491231002X, <nil>", got, err)
	}
}

func TestCitizenIDCheckChar(t *testing.T) {
	cases := []struct {
		name, in string
		want     byte
		wantErr  string
	}{
		{"X", "11010519491231002", 'X', ""},
		{"Y 0 gives 1", "21060419900909002", '1', ""},
		{"digit", "11010119900307123", '3', ""},
		{"too short", "1101051949123100", 0, "length must be 17 characters, got 16"},
		{"letter", "1101051949123100X", 0, `position 17 must be a digit, got "X"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CitizenIDCheckChar(tc.in)
			if got != tc.want || errMessage(err) != tc.wantErr {
				t.Fatalf("CitizenIDCheckChar(%q) = %q, %q; want %q, %q", tc.in, got, errMessage(err), tc.want, tc.wantErr)
			}
		})
	}
}

func TestCitizenIDSex(t *testing.T) {
	for d := 0; d <= 9; d++ {
		id := withCitizenIDCheck("1101051949123100" + strconv.Itoa(d))
		want := Female
		if d%2 == 1 {
			want = Male
		}
		if got := CitizenIDSex(id); got != want {
			t.Errorf("CitizenIDSex(%q) = %q, want %q", id, got, want)
		}
	}
	if got := CitizenIDSex("110105491231002"); got != "" {
		t.Errorf("CitizenIDSex(15 digits) = %q, want \"\"", got)
	}
}

func TestCitizenIDBirthDateAndRegion(t *testing.T) {
	got, ok := CitizenIDBirthDate("11010519491231002X")
	if want := time.Date(1949, 12, 31, 0, 0, 0, 0, chinaTime()); !ok || !got.Equal(want) {
		t.Fatalf("CitizenIDBirthDate = %v, %v; want %v, true", got, ok, want)
	}
	for _, in := range []string{"110101199002301234", "110105491231002", "110105abcd1231002X"} {
		if got, ok := CitizenIDBirthDate(in); ok {
			t.Errorf("CitizenIDBirthDate(%q) = %v, true; want false", in, got)
		}
	}
	if got := CitizenIDRegion("11010519491231002X"); got != "110105" {
		t.Errorf("CitizenIDRegion = %q, want 110105", got)
	}
	if got := CitizenIDRegion("1101A519491231002X"); got != "" {
		t.Errorf("CitizenIDRegion(non-digit) = %q, want \"\"", got)
	}
}

// TestCitizenIDMatchesReference cross-checks the production check character
// against the reference on random bodies with real birth dates.
func TestCitizenIDMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1999, 11643))
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 20000 {
		birth := start.AddDate(0, 0, r.IntN(45000)).Format("20060102")
		body := strconv.Itoa(100000+r.IntN(900000)) + birth + strconv.Itoa(100+r.IntN(900))
		got, err := CitizenIDCheckChar(body)
		if want := refCitizenIDCheck(body); got != want || err != nil {
			t.Fatalf("CitizenIDCheckChar(%q) = %q, %v; want %q, <nil>", body, got, err, want)
		}
		if id := withCitizenIDCheck(body); !ValidCitizenID(id) {
			t.Fatalf("ValidCitizenID(%q) = false, want true", id)
		}
	}
}

// TestCitizenIDSingleSubstitutionDetected proves the property the fuzz target
// relies on: 11 is prime and no weight is 0 mod 11, so changing digit i by d
// (1 ≤ |d| ≤ 9) changes Y by w_i·d ≢ 0; the check table is a bijection on
// 0..10, so changing the check character alone is also caught.
func TestCitizenIDSingleSubstitutionDetected(t *testing.T) {
	for i, w := range citizenIDWeights {
		for d := 1; d <= 9; d++ {
			if w*d%11 == 0 {
				t.Fatalf("weight %d at position %d times difference %d is 0 mod 11; got undetected substitution, want none", w, i+1, d)
			}
		}
	}
	seen := map[rune]bool{}
	for _, c := range citizenIDCheck {
		seen[c] = true
	}
	if len(seen) != 11 {
		t.Fatalf("check table %q: got %d distinct characters, want 11", citizenIDCheck, len(seen))
	}
	for _, id := range []string{"11010519491231002X", "210604199009090021"} {
		assertSubstitutionsRejected(t, id)
	}
}

// assertSubstitutionsRejected fails if any single substitution of a valid id
// by another allowed character is accepted.
func assertSubstitutionsRejected(t *testing.T, id string) {
	t.Helper()
	for i := 0; i < 18; i++ {
		set := "0123456789"
		if i == 17 {
			set += "X"
		}
		for j := 0; j < len(set); j++ {
			if c := set[j]; c != id[i] {
				changed := id[:i] + string(c) + id[i+1:]
				if _, err := NormalizeCitizenIDAt(changed, testNow); err == nil {
					t.Fatalf("NormalizeCitizenIDAt(%q) accepted one substitution in %q, want error", changed, id)
				}
			}
		}
	}
}

func TestNormalizeCitizenIDDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _, _ = NormalizeCitizenID("11010519491231002X") }); n != 0 {
		t.Fatalf("NormalizeCitizenID on a normalised number: got %v allocs, want 0", n)
	}
}

func FuzzNormalizeCitizenID(f *testing.F) {
	for _, tc := range citizenIDCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeCitizenIDAt(s, testNow)
		if err != nil {
			assertInputError(t, err, "")
			if got != "" {
				t.Fatalf("NormalizeCitizenIDAt(%q) = %q, %v; want \"\" with the error", s, got, err)
			}
			return
		}
		// testNow is in the past, so what it accepts is valid today too.
		if len(got) != 18 || !ValidCitizenID(got) {
			t.Fatalf("NormalizeCitizenIDAt(%q) = %q; got invalid result, want 18 valid characters", s, got)
		}
		if again, err := NormalizeCitizenIDAt(got, testNow); again != got || err != nil {
			t.Fatalf("NormalizeCitizenIDAt(%q) = %q, %v; want idempotent %q", got, again, err, got)
		}
		if c, err := CitizenIDCheckChar(got[:17]); c != got[17] || refCitizenIDCheck(got) != got[17] || err != nil {
			t.Fatalf("check of %q: got %q (reference %q), want %q", got, c, refCitizenIDCheck(got), got[17])
		}
		birth, ok := CitizenIDBirthDate(got)
		if !ok || birth.Year() < 1900 || birth.After(testNow) || CitizenIDSex(got) == "" || len(CitizenIDRegion(got)) != 6 {
			t.Fatalf("parts of %q: got birth %v %v, sex %q, region %q; want all set", got, birth, ok, CitizenIDSex(got), CitizenIDRegion(got))
		}
		assertSubstitutionsRejected(t, got)
	})
}

func BenchmarkNormalizeCitizenID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NormalizeCitizenID("11010519491231002X"); err != nil {
			b.Fatal(err)
		}
	}
}
