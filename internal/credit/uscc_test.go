package credit

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// refUSCCCheck is an independent reference for the check character: it
// searches the alphabet with strings.IndexByte instead of a table and derives
// the weights as powers of 3 modulo 31 instead of listing them, so a typo in
// either the production table or the weight list shows up as a mismatch.
func refUSCCCheck(body string) byte {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		sum = (sum + strings.IndexByte(alphabet, body[i])*w) % 31
		w = w * 3 % 31
	}
	return alphabet[(31-sum)%31]
}

// withUSCCCheck completes a 17-character body with the reference check
// character.
func withUSCCCheck(body string) string { return body + string(refUSCCCheck(body)) }

const forbiddenMsg = " is not allowed at position 9 (the code alphabet has no I, O, Z, S or V)"

var usccCases = []struct {
	name, in, want, wantErr string
}{
	{"valid", "91350100M000100Y43", "91350100M000100Y43", ""},
	{"valid with letters in body", "91210602MA10QX7K9W", "91210602MA10QX7K9W", ""},
	{"valid with check value 0", "91210602MA0000W190", "91210602MA0000W190", ""},
	{"valid reference-built", withUSCCCheck("12110000MB1234567"), withUSCCCheck("12110000MB1234567"), ""},
	{"lower case normalised", "91210602ma10qx7k9w", "91210602MA10QX7K9W", ""},
	{"surrounding spaces trimmed", " \t91350100M000100Y43  \r\n", "91350100M000100Y43", ""},
	{"wrong check character", "91210602MA10QX7K9X", "", "check character should be W, got X"},
	{"wrong check character lower case", "91210602ma10qx7k9x", "", "check character should be W, got X"},
	{"forbidden Z as check character", "91350100M000100Y4Z", "", "letter Z is not allowed at position 18 (the code alphabet has no I, O, Z, S or V)"},
	{"forbidden I", "91350100I000100Y43", "", "letter I" + forbiddenMsg},
	{"forbidden O", "91350100O000100Y43", "", "letter O" + forbiddenMsg},
	{"forbidden Z", "91350100Z000100Y43", "", "letter Z" + forbiddenMsg},
	{"forbidden S", "91350100S000100Y43", "", "letter S" + forbiddenMsg},
	{"forbidden V", "91350100V000100Y43", "", "letter V" + forbiddenMsg},
	{"forbidden lower-case o", "91350100o000100Y43", "", "letter O" + forbiddenMsg},
	{"forbidden letter before region rule", "91O50100M000100Y43", "", "letter O is not allowed at position 3 (the code alphabet has no I, O, Z, S or V)"},
	{"too short", "91350100M000100Y4", "", "length must be 18 characters, got 17"},
	{"too long", "91350100M000100Y431", "", "length must be 18 characters, got 19"},
	{"empty", "", "", "length must be 18 characters, got 0"},
	{"only spaces", "   ", "", "length must be 18 characters, got 0"},
	{"inner space", "91350100 000100Y43", "", `character " " at position 9 is not allowed`},
	{"hyphen", "91350100-000100Y43", "", `character "-" at position 9 is not allowed`},
	{"non-digit region at 3", "91A50100M000100Y43", "", `positions 3-8 (region code) must be digits, got "A" at position 3`},
	{"non-digit region at 4", "913A0100M000100Y43", "", `positions 3-8 (region code) must be digits, got "A" at position 4`},
	{"lower-case non-digit region", "9135010aM000100Y43", "", `positions 3-8 (region code) must be digits, got "A" at position 8`},
	{"Chinese character", "91中50100M000100Y43", "", `character "中" at position 3 is not allowed`},
	{"full-width digit", "９1350100M000100Y43", "", `character "９" at position 1 is not allowed`},
	{"full-width letter", "91350100Ｍ000100Y43", "", `character "Ｍ" at position 9 is not allowed`},
	{"full-width space not trimmed", "91350100M000100Y43\u3000", "", "length must be 18 characters, got 19"},
	{"invalid UTF-8", "91350100M000100Y4\xff", "", `character "\xff" at position 18 is not allowed`},
}

func TestNormalizeUSCC(t *testing.T) {
	for _, tc := range usccCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeUSCC(tc.in)
			if got != tc.want || errMessage(err) != tc.wantErr {
				t.Fatalf("NormalizeUSCC(%q) = %q, %q; want %q, %q", tc.in, got, errMessage(err), tc.want, tc.wantErr)
			}
			if err != nil {
				assertInputError(t, err, "")
			}
			if valid := ValidUSCC(tc.in); valid != (tc.wantErr == "") {
				t.Fatalf("ValidUSCC(%q) = %v, want %v", tc.in, valid, tc.wantErr == "")
			}
		})
	}
}

func TestValidateUSCCSetsField(t *testing.T) {
	got, err := ValidateUSCC("input.code", "91350100M000100Y4")
	if got != "" || err == nil || err.Error() != "input.code: length must be 18 characters, got 17" {
		t.Fatalf("got %q, %v; want \"\", input.code: length must be 18 characters, got 17", got, err)
	}
	assertInputError(t, err, "input.code")
	if got, err := ValidateUSCC("code", "91350100m000100y43"); got != "91350100M000100Y43" || err != nil {
		t.Fatalf("got %q, %v; want 91350100M000100Y43, <nil>", got, err)
	}
}

func TestCheckUSCCLenient(t *testing.T) {
	cases := []struct {
		name, in, want, wantWarning, wantErr string
	}{
		{"valid has no warning", "91350100M000100Y43", "91350100M000100Y43", "", ""},
		{"bad checksum is a warning", "91210602MA10QX7K9X", "91210602MA10QX7K9X", "check character should be W, got X; stored as pushed", ""},
		{"bad checksum lower case is normalised", " 91210602ma10qx7k9x ", "91210602MA10QX7K9X", "check character should be W, got X; stored as pushed", ""},
		{"forbidden letter is an error", "91350100O000100Y43", "", "", "letter O" + forbiddenMsg},
		{"wrong length is an error", "91350100M000100Y4", "", "", "length must be 18 characters, got 17"},
		{"non-digit region is an error", "913A0100M000100Y43", "", "", `positions 3-8 (region code) must be digits, got "A" at position 4`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, warning, err := CheckUSCCLenient(tc.in)
			if got != tc.want || warning != tc.wantWarning || errMessage(err) != tc.wantErr {
				t.Fatalf("CheckUSCCLenient(%q) = %q, %q, %q; want %q, %q, %q", tc.in, got, warning, errMessage(err), tc.want, tc.wantWarning, tc.wantErr)
			}
		})
	}
}

func TestUSCCCheckChar(t *testing.T) {
	cases := []struct {
		name, in string
		want     byte
		wantErr  string
	}{
		{"digit check", "91350100M000100Y4", '3', ""},
		{"letter check", "91210602MA10QX7K9", 'W', ""},
		{"check value 0", "91210602MA0000W19", '0', ""},
		{"lower case", "91210602ma10qx7k9", 'W', ""},
		{"full code is too long", "91350100M000100Y43", 0, "length must be 17 characters, got 18"},
		{"forbidden letter", "91350100S000100Y4", 0, "letter S" + forbiddenMsg},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := USCCCheckChar(tc.in)
			if got != tc.want || errMessage(err) != tc.wantErr {
				t.Fatalf("USCCCheckChar(%q) = %q, %q; want %q, %q", tc.in, got, errMessage(err), tc.want, tc.wantErr)
			}
		})
	}
}

func TestUSCCRegion(t *testing.T) {
	for in, want := range map[string]string{
		"91350100M000100Y43": "350100",
		"91210602MA10QX7K9W": "210602",
		"913A0100M000100Y43": "",
		"91350100M000100Y4":  "",
	} {
		if got := USCCRegion(in); got != want {
			t.Errorf("USCCRegion(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUSCCMatchesReference cross-checks the production checksum against the
// reference on random bodies, and checks that codes built by the reference
// are accepted.
func TestUSCCMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(2015, 32100))
	const digits, alphabet = "0123456789", "0123456789ABCDEFGHJKLMNPQRTUWXY"
	body := make([]byte, 17)
	for range 20000 {
		for i := range body {
			set := alphabet
			if i >= 2 && i < 8 {
				set = digits
			}
			body[i] = set[r.IntN(len(set))]
		}
		got, err := USCCCheckChar(string(body))
		if want := refUSCCCheck(string(body)); got != want || err != nil {
			t.Fatalf("USCCCheckChar(%q) = %q, %v; want %q, <nil>", body, got, err, want)
		}
		code := withUSCCCheck(string(body))
		if norm, err := NormalizeUSCC(strings.ToLower(code)); norm != code || err != nil {
			t.Fatalf("NormalizeUSCC(lower %q) = %q, %v; want %q, <nil>", code, norm, err, code)
		}
	}
}

// TestUSCCSingleSubstitutionDetected proves the property the fuzz target
// relies on. Since 31 is prime and no weight is 0 mod 31, changing position i
// from value a to b changes S by w_i(b-a), which is 0 mod 31 only if a == b;
// the check character is a bijection of the check value, so changing it alone
// is also caught. The arithmetic is checked exhaustively, then every single
// substitution of the valid vectors.
func TestUSCCSingleSubstitutionDetected(t *testing.T) {
	for i, w := range usccWeights {
		for d := 1; d < 31; d++ {
			if w*d%31 == 0 {
				t.Fatalf("weight %d at position %d times difference %d is 0 mod 31; got undetected substitution, want none", w, i+1, d)
			}
		}
	}
	for _, code := range []string{"91350100M000100Y43", "91210602MA10QX7K9W", "91210602MA0000W190"} {
		for i := 0; i < len(code); i++ {
			for j := 0; j < len(usccAlphabet); j++ {
				if c := usccAlphabet[j]; c != code[i] {
					changed := code[:i] + string(c) + code[i+1:]
					if ValidUSCC(changed) {
						t.Fatalf("ValidUSCC(%q) = true (from %q), want false", changed, code)
					}
				}
			}
		}
	}
}

func TestNormalizeUSCCDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _, _ = NormalizeUSCC("91210602MA10QX7K9W") }); n != 0 {
		t.Fatalf("NormalizeUSCC on a normalised code: got %v allocs, want 0", n)
	}
}

func FuzzNormalizeUSCC(f *testing.F) {
	for _, tc := range usccCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeUSCC(s)
		lenient, warning, lerr := CheckUSCCLenient(s)
		if err != nil {
			assertInputError(t, err, "")
			if got != "" || (lerr == nil && warning == "") {
				t.Fatalf("NormalizeUSCC(%q) = %q, %v and lenient = %q, %q, %v; want \"\" and a lenient error or warning", s, got, err, lenient, warning, lerr)
			}
			if lerr == nil && (len(lenient) != 18 || !ValidUSCC(lenient[:17]+string(refUSCCCheck(lenient)))) {
				t.Fatalf("lenient %q with its check character fixed: got invalid, want valid", lenient)
			}
			return
		}
		if lenient != got || warning != "" || lerr != nil {
			t.Fatalf("CheckUSCCLenient(%q) = %q, %q, %v; want %q, \"\", <nil>", s, lenient, warning, lerr, got)
		}
		if len(got) != 18 || !ValidUSCC(got) {
			t.Fatalf("NormalizeUSCC(%q) = %q; got invalid result, want 18 valid characters", s, got)
		}
		if again, err := NormalizeUSCC(got); again != got || err != nil {
			t.Fatalf("NormalizeUSCC(%q) = %q, %v; want idempotent %q", got, again, err, got)
		}
		if c, err := USCCCheckChar(got[:17]); c != got[17] || refUSCCCheck(got) != got[17] || err != nil {
			t.Fatalf("check of %q: got %q (reference %q), want %q", got, c, refUSCCCheck(got), got[17])
		}
		for i := 0; i < 18; i++ {
			for j := 0; j < len(usccAlphabet); j++ {
				if c := usccAlphabet[j]; c != got[i] {
					if changed := got[:i] + string(c) + got[i+1:]; ValidUSCC(changed) {
						t.Fatalf("ValidUSCC(%q) = true after one substitution in %q, want false", changed, got)
					}
				}
			}
		}
	})
}

func BenchmarkNormalizeUSCC(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NormalizeUSCC("91210602MA10QX7K9W"); err != nil {
			b.Fatal(err)
		}
	}
}

// errMessage returns the message of err without its field prefix, or "".
func errMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	if err != nil {
		return "non-*Error: " + err.Error()
	}
	return ""
}

// assertInputError fails unless err is a BAD_USER_INPUT *Error about field.
func assertInputError(t *testing.T, err error, field string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != BadUserInput || e.Field != field || e.Message == "" {
		t.Fatalf("got error %#v, want *Error{Code: BAD_USER_INPUT, Field: %q}", err, field)
	}
}
