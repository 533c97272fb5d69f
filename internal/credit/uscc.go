package credit

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The unified social credit code (统一社会信用代码) of GB 32100-2015 is 18
// characters: a registration department and organisation type (positions 1-2),
// the administrative region code (3-8), the organisation body (9-17) and a
// check character (18). The alphabet leaves out I, O, Z, S and V because clerks
// confuse them with 1, 0, 2, 5 and U.
const (
	usccLen      = 18
	usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	// usccForbidden lists the upper-case letters the alphabet leaves out; a
	// clerk who typed one gets a message naming it rather than a generic one.
	usccForbidden = "IOZSV"
)

// usccWeights are the weights of positions 1..17 (3^(i-1) mod 31).
var usccWeights = [usccLen - 1]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccValue maps an upper-case ASCII byte to its value in the alphabet, or -1.
// A table keeps the hot path free of searches and allocations.
var usccValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(usccAlphabet); i++ {
		t[usccAlphabet[i]] = int8(i)
	}
	return t
}()

// NormalizeUSCC returns s as a canonical unified social credit code, or a
// BAD_USER_INPUT *Error with an empty Field that explains the first rule s
// breaks. The rules are checked in this order: length, alphabet, region code,
// check character. Surrounding ASCII white space is trimmed and lower-case
// letters are upper-cased, because both come from copying and typing;
// full-width characters (including the full-width space) are errors rather
// than silently converted, because they mean the text came through an input
// method and deserve a second look. Already-canonical input is returned
// without allocating.
func NormalizeUSCC(s string) (string, error) {
	code, err := checkUSCCStructure(s)
	if err != nil {
		return "", err
	}
	if want := usccCheck(code); code[usccLen-1] != want {
		return "", FieldErrorf("", "check character should be %c, got %c", want, code[usccLen-1])
	}
	return code, nil
}

// ValidateUSCC is NormalizeUSCC for the input field named field: errors carry
// that field name so the client can show them next to the right box.
func ValidateUSCC(field, s string) (string, error) {
	code, err := NormalizeUSCC(s)
	if err != nil {
		return "", withField(err, field)
	}
	return code, nil
}

// ValidUSCC reports whether s normalises to a valid unified social credit
// code.
func ValidUSCC(s string) bool {
	_, err := NormalizeUSCC(s)
	return err == nil
}

// CheckUSCCLenient validates a code pushed by a department. Structural
// problems (length, characters outside the alphabet, a non-digit region code)
// are errors, but a wrong check character alone only yields a warning and the
// normalised code: some codes legally issued before the standard took full
// effect in 2016 fail the checksum, and the hub must store what the issuing
// authority registered rather than reject it.
func CheckUSCCLenient(s string) (normalized string, warning string, err error) {
	code, err := checkUSCCStructure(s)
	if err != nil {
		return "", "", err
	}
	if want := usccCheck(code); code[usccLen-1] != want {
		warning = fmt.Sprintf("check character should be %c, got %c; stored as pushed", want, code[usccLen-1])
	}
	return code, warning, nil
}

// USCCCheckChar returns the check character for the first 17 characters of a
// code. Lower-case letters are accepted. Positions 3-8 are not required to be
// digits: the checksum is defined for any characters of the alphabet, and a
// caller building test data or repairing a code needs it regardless.
func USCCCheckChar(first17 string) (byte, error) {
	body, err := normalizeUSCCChars(first17, usccLen-1)
	if err != nil {
		return 0, err
	}
	return usccCheckOf(body), nil
}

// USCCRegion returns the administrative region code (positions 3-8) of a
// normalised code, or "" if code is not 18 bytes with digits there.
func USCCRegion(code string) string {
	if len(code) != usccLen || firstNonDigit(code[2:8]) >= 0 {
		return ""
	}
	return code[2:8]
}

// checkUSCCStructure applies every rule but the checksum and returns the
// normalised code. Like every helper here it returns error, not *Error, so
// that a nil result can never become a non-nil interface holding a nil
// pointer.
func checkUSCCStructure(s string) (string, error) {
	code, err := normalizeUSCCChars(s, usccLen)
	if err != nil {
		return "", err
	}
	if i := firstNonDigit(code[2:8]); i >= 0 {
		return "", FieldErrorf("", "positions 3-8 (region code) must be digits, got %q at position %d", code[2+i:3+i], 3+i)
	}
	return code, nil
}

// normalizeUSCCChars trims s, checks that it has n characters, all in the
// alphabet after upper-casing, and returns it upper-cased. It allocates only
// when there is a lower-case letter to convert.
func normalizeUSCCChars(s string, n int) (string, error) {
	s = trimASCIISpace(s)
	// Count runes, not bytes: a clerk counts "中" as one character.
	if got := utf8.RuneCountInString(s); got != n {
		return "", FieldErrorf("", "length must be %d characters, got %d", n, got)
	}
	lower := false
	pos := 0
	for i := 0; i < len(s); {
		pos++
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			shown := fmt.Sprintf("%q", string(r))
			if r == utf8.RuneError && size == 1 {
				shown = fmt.Sprintf("%q", s[i:i+1]) // show the raw byte, not U+FFFD
			}
			return "", FieldErrorf("", "character %s at position %d is not allowed", shown, pos)
		}
		i++
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
			lower = true
		}
		if usccValue[c] >= 0 {
			continue
		}
		if 'A' <= c && c <= 'Z' && strings.IndexByte(usccForbidden, c) >= 0 {
			return "", FieldErrorf("", "letter %c is not allowed at position %d (the code alphabet has no I, O, Z, S or V)", c, pos)
		}
		return "", FieldErrorf("", "character %q at position %d is not allowed", s[i-1:i], pos)
	}
	if !lower {
		return s, nil
	}
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b), nil
}

// usccCheck returns the check character that the first 17 characters of the
// normalised code call for.
func usccCheck(code string) byte { return usccCheckOf(code[:usccLen-1]) }

// usccCheckOf computes the check character of 17 normalised characters.
func usccCheckOf(body string) byte {
	sum := 0
	for i := 0; i < usccLen-1; i++ {
		sum += int(usccValue[body[i]]) * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31]
}

// trimASCIISpace trims ASCII white space only; see NormalizeUSCC for why
// full-width spaces are kept (and then rejected).
func trimASCIISpace(s string) string {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' }
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// firstNonDigit returns the index of the first byte of s that is not an ASCII
// digit, or -1.
func firstNonDigit(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return i
		}
	}
	return -1
}

// withField sets the Field of the *Error err (which the validators always
// return fresh, so mutating it is safe) and returns it.
func withField(err error, field string) error {
	if e, ok := err.(*Error); ok {
		e.Field = field
	}
	return err
}
