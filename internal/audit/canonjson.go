package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// maxExponent bounds the exponent of a number in a detail: writing 1e1000000
// out in full would take a megabyte. Numbers read back from jsonb never have
// one (PostgreSQL prints numerics in full).
const maxExponent = 1000

// CanonicalJSON returns the canonical form of the JSON value in data, the
// form the hash covers. jsonb does not keep the text it was given: it drops
// whitespace, reorders object keys, keeps the last of duplicate keys, turns
// escapes into characters and prints 1e2 as 100. The canonical form is the
// same for every text jsonb treats as equal:
//
//   - no whitespace;
//   - object keys sorted by their UTF-8 bytes, the last of duplicates kept;
//   - strings escaped only where JSON requires it: \" and \\, \b \t \n \f \r,
//     other characters below U+0020 as \u00xx (lower-case hex), everything
//     else as UTF-8 (invalid UTF-8 becomes U+FFFD);
//   - numbers as exact plain decimals: an optional minus sign, the integer
//     digits without leading zeros, and a fraction without trailing zeros,
//     without exponent ("1e2" → "100", "1.50" → "1.5", "-0" → "0"). jsonb
//     stores numbers as exact numerics, so this, unlike RFC 8785's
//     binary-float form, never rounds.
//
// Strings containing NUL are rejected because jsonb rejects them.
func CanonicalJSON(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("invalid JSON: more than one value")
	}
	var b bytes.Buffer
	if err := writeCanonical(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeCanonical(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case json.Number:
		n, err := canonicalNumber(string(v))
		if err != nil {
			return err
		}
		b.WriteString(n)
	case string:
		return writeString(b, v)
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeCanonical(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeString(b, k); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := writeCanonical(b, v[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("unexpected JSON value of type %T", v)
	}
	return nil
}

func writeString(b *bytes.Buffer, s string) error {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	// Ranging over a string yields U+FFFD for invalid UTF-8, which is what
	// encoding/json decoded it to already.
	for _, r := range s {
		switch {
		case r == 0:
			return errors.New("a string contains NUL, which jsonb cannot store")
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[r>>4])
			b.WriteByte(hex[r&0xf])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return nil
}

// canonicalNumber rewrites a JSON number (already validated by the decoder)
// as an exact plain decimal.
func canonicalNumber(s string) (string, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > maxExponent || e < -maxExponent {
			return "", fmt.Errorf("number %s: exponent out of range ±%d", s, maxExponent)
		}
		mant, exp = s[:i], e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	// point is where the decimal point falls within digits.
	point := len(intPart) + exp
	trimmed := strings.TrimLeft(digits, "0")
	point -= len(digits) - len(trimmed)
	digits = strings.TrimRight(trimmed, "0")
	if digits == "" {
		return "0", nil
	}
	var out string
	switch {
	case point <= 0:
		out = "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		out = digits + strings.Repeat("0", point-len(digits))
	default:
		out = digits[:point] + "." + digits[point:]
	}
	if neg {
		out = "-" + out
	}
	return out, nil
}
