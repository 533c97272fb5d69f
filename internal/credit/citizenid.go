package credit

import (
	"sync"
	"time"
	"unicode/utf8"
)

// The citizen ID number (公民身份号码) of GB 11643-1999 is 18 characters: the
// region code of first registration (positions 1-6), the birth date YYYYMMDD
// (7-14), a sequence number whose last digit is odd for men and even for women
// (15-17) and a check character, 0-9 or X (18), from ISO 7064 MOD 11-2.
const citizenIDLen = 18

// Sex is a person's sex as the citizen ID number records it.
type Sex string

// The sexes encoded by the 17th digit of a citizen ID number.
const (
	Male   Sex = "MALE"
	Female Sex = "FEMALE"
)

// citizenIDWeights are the weights of digits 1..17 (2^(18-i) mod 11).
var citizenIDWeights = [citizenIDLen - 1]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// citizenIDCheck maps Y = Σ digit×weight mod 11 to the check character.
const citizenIDCheck = "10X98765432"

// earliestBirth is the earliest birth date accepted: nobody registered in the
// current system was born before 1900, so an earlier date is a typing error.
const earliestBirth = 19000101

// chinaTime returns the Asia/Shanghai location, or a fixed +08:00 zone when the
// host has no time zone database: China has one zone and no daylight saving
// since 1991, so the fixed zone gives the same dates for any living person.
var chinaTime = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
})

// NormalizeCitizenID is NormalizeCitizenIDAt with the current time.
func NormalizeCitizenID(s string) (string, error) {
	return NormalizeCitizenIDAt(s, time.Now())
}

// NormalizeCitizenIDAt returns s as a canonical citizen ID number, or a
// BAD_USER_INPUT *Error with an empty Field that explains the first rule s
// breaks, in this order: length, characters, birth date, check digit. The
// birth date must exist, be no earlier than 1900-01-01 and be no later than
// the date of now in China; now is a parameter so that tests are
// deterministic. Surrounding ASCII white space is trimmed and a lower-case x
// check character becomes X; full-width characters are errors, as for
// NormalizeUSCC. Input that is already canonical is returned without
// allocating.
func NormalizeCitizenIDAt(s string, now time.Time) (string, error) {
	s = trimASCIISpace(s)
	if got := utf8.RuneCountInString(s); got != citizenIDLen {
		return "", FieldErrorf("", "length must be 18 characters, got %d", got)
	}
	if err := checkCitizenIDDigits(s, citizenIDLen-1); err != nil {
		return "", err
	}
	last := s[citizenIDLen-1]
	if last == 'x' {
		last = 'X'
	}
	if last != 'X' && (last < '0' || last > '9') {
		return "", FieldErrorf("", "position 18 must be a digit or X, got %q", shownRune(s[citizenIDLen-1:]))
	}
	date := s[6:14]
	y, m, d := atoi(date[:4]), atoi(date[4:6]), atoi(date[6:])
	if !dateExists(y, m, d) {
		return "", FieldErrorf("", "birth date %s does not exist", date)
	}
	if y*10000+m*100+d < earliestBirth {
		return "", FieldErrorf("", "birth date %s is before 1900-01-01", date)
	}
	ty, tm, td := now.In(chinaTime()).Date()
	if y*10000+m*100+d > ty*10000+int(tm)*100+td {
		return "", FieldErrorf("", "birth date %s is in the future", date)
	}
	if want := citizenIDCheckOf(s[:citizenIDLen-1]); last != want {
		return "", FieldErrorf("", "check digit should be %c, got %c", want, last)
	}
	if last != s[citizenIDLen-1] {
		return s[:citizenIDLen-1] + "X", nil
	}
	return s, nil
}

// ValidateCitizenID is NormalizeCitizenID for the input field named field:
// errors carry that field name so the client can show them next to the right
// box.
func ValidateCitizenID(field, s string) (string, error) {
	id, err := NormalizeCitizenID(s)
	if err != nil {
		return "", withField(err, field)
	}
	return id, nil
}

// ValidCitizenID reports whether s normalises to a valid citizen ID number
// today.
func ValidCitizenID(s string) bool {
	_, err := NormalizeCitizenID(s)
	return err == nil
}

// CitizenIDCheckChar returns the check character for the first 17 digits of
// a citizen ID number. The birth date is not checked because it does not
// change the arithmetic.
func CitizenIDCheckChar(first17 string) (byte, error) {
	first17 = trimASCIISpace(first17)
	if got := utf8.RuneCountInString(first17); got != citizenIDLen-1 {
		return 0, FieldErrorf("", "length must be 17 characters, got %d", got)
	}
	if err := checkCitizenIDDigits(first17, citizenIDLen-1); err != nil {
		return 0, err
	}
	return citizenIDCheckOf(first17), nil
}

// CitizenIDBirthDate returns the birth date (midnight, China time) in a
// normalised ID number, and false if id is not 18 bytes or positions 7-14 are
// not a date that exists. It does not check the rest of the number.
func CitizenIDBirthDate(id string) (time.Time, bool) {
	if len(id) != citizenIDLen || firstNonDigit(id[6:14]) >= 0 {
		return time.Time{}, false
	}
	y, m, d := atoi(id[6:10]), atoi(id[10:12]), atoi(id[12:14])
	if !dateExists(y, m, d) {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, chinaTime()), true
}

// CitizenIDSex returns the sex the 17th digit of a normalised ID number
// records (odd for men, even for women), or "" if id is not 18 bytes or that
// position is not a digit.
func CitizenIDSex(id string) Sex {
	if len(id) != citizenIDLen {
		return ""
	}
	switch c := id[16]; {
	case c < '0' || c > '9':
		return ""
	case (c-'0')%2 == 1:
		return Male
	default:
		return Female
	}
}

// CitizenIDRegion returns the region code of first registration (positions
// 1-6) of a normalised ID number, or "" if id is not 18 bytes with digits
// there. The code is where the number was issued, not where the person lives.
func CitizenIDRegion(id string) string {
	if len(id) != citizenIDLen || firstNonDigit(id[:6]) >= 0 {
		return ""
	}
	return id[:6]
}

// checkCitizenIDDigits checks that the first n characters of s are ASCII
// digits, naming the first one that is not.
func checkCitizenIDDigits(s string, n int) error {
	pos := 0
	for i := 0; i < len(s) && pos < n; {
		pos++
		if c := s[i]; c >= '0' && c <= '9' {
			i++
			continue
		}
		return FieldErrorf("", "position %d must be a digit, got %q", pos, shownRune(s[i:]))
	}
	return nil
}

// shownRune returns the first character of s for an error message; an invalid
// UTF-8 byte is returned as is, so that %q shows it as \x.. rather than as
// U+FFFD.
func shownRune(s string) string {
	_, size := utf8.DecodeRuneInString(s)
	return s[:size]
}

// citizenIDCheckOf computes the check character of 17 ASCII digits.
func citizenIDCheckOf(body string) byte {
	sum := 0
	for i := 0; i < citizenIDLen-1; i++ {
		sum += int(body[i]-'0') * citizenIDWeights[i]
	}
	return citizenIDCheck[sum%11]
}

// dateExists reports whether year y, month m, day d is a date of the
// proleptic Gregorian calendar. It avoids time.Parse to keep validation free
// of allocations.
func dateExists(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// atoi converts a short string of ASCII digits that the caller has checked.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
