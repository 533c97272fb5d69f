package importer

import (
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"time"

	"github.com/credithub/credithub/internal/credit"
)

// ParseDate reads a date as department systems export it: YYYY-MM-DD,
// YYYY/MM/DD (also YYYY/M/D, as Excel writes it) or YYYYMMDD. It rejects
// days that do not exist.
func ParseDate(s string) (credit.Date, error) {
	s = strings.TrimSpace(s)
	var ys, ms, ds string
	switch {
	case len(s) >= 8 && len(s) <= 10 && s[4] == '/':
		ys = s[0:4]
		ms, ds, _ = strings.Cut(s[5:], "/")
		if len(ms) > 2 || len(ds) > 2 {
			ms = ""
		}
	case len(s) == 8:
		ys, ms, ds = s[0:4], s[4:6], s[6:8]
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		ys, ms, ds = s[0:4], s[5:7], s[8:10]
	}
	y, ok1 := digits(ys)
	m, ok2 := digits(ms)
	d, ok3 := digits(ds)
	if !ok1 || !ok2 || !ok3 {
		return credit.Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD", s)
	}
	return civil(s, y, m, d)
}

// civil returns y-m-d if that day exists.
func civil(s string, y, m, d int) (credit.Date, error) {
	if m < 1 || m > 12 || d < 1 || d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return credit.Date{}, fmt.Errorf("%q is not a day that exists", s)
	}
	return credit.NewDate(y, time.Month(m), d), nil
}

// digits reads a non-empty string of ASCII digits.
func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// optionalDate reads an optional date: empty is nil, and so are the ways
// departments write "no end": 长期 and 9999-12-31 (for the columns where
// noEnd is true).
func optionalDate(s string, noEnd bool) (*credit.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" || noEnd && (s == "长期" || s == "9999-12-31" || s == "9999/12/31" || s == "99991231") {
		return nil, nil
	}
	d, err := ParseDate(s)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// categories maps XDR_LB values to subject categories: the standard's
// Chinese names, and the schema's enum values.
var categories = map[string]credit.SubjectCategory{
	"法人及非法人组织": credit.CategoryOrganization, "ORGANIZATION": credit.CategoryOrganization,
	"自然人": credit.CategoryNaturalPerson, "NATURAL_PERSON": credit.CategoryNaturalPerson,
	"个体工商户": credit.CategoryIndividualBusiness, "INDIVIDUAL_BUSINESS": credit.CategoryIndividualBusiness,
}

// parseCategory reads XDR_LB.
func parseCategory(s string) (credit.SubjectCategory, error) {
	if c, ok := categories[strings.TrimSpace(s)]; ok {
		return c, nil
	}
	return "", fmt.Errorf("%q is not one of 法人及非法人组织, 自然人, 个体工商户", s)
}

// parseAmount reads an amount in 万元; empty is 0 with a warning naming
// column, since an export leaves the fine empty where there is none but an
// empty cell may also be a lost value.
func parseAmount(s, column string, warnings *[]string) (credit.Fen, error) {
	if strings.TrimSpace(s) == "" {
		*warnings = append(*warnings, column+": empty, taken as 0")
		return 0, nil
	}
	return credit.ParseWan(s)
}

// fieldReject turns a validation error into a reject of row: the error's
// GraphQL field path is mapped to the CSV column that holds the value, and
// the reason is the error's message, which names the value and the rule.
func fieldReject(row Row, err error, columns map[string]int) *Reject {
	var e *credit.Error
	if errors.As(err, &e) {
		if i, ok := columns[e.Field]; ok {
			return row.Reject(i, e.Message)
		}
	}
	return &Reject{Line: row.Line, Reason: err.Error()}
}

// Seen remembers keys (an authority and a decision number, a subject and a
// year, …) to find the rows of a file that repeat an earlier one. It keeps
// a 128-bit hash of each key, the line that had it first and a value that
// line gave it: about 50 bytes a key however long the key is, so a
// million-row file costs some 50 MB. Two different keys collide with a
// probability of about n²/2¹²⁹, nil in practice.
type Seen struct {
	a, b maphash.Seed
	m    map[[2]uint64]seenKey
}

type seenKey struct {
	line  int32
	value uint64
}

// NewSeen returns an empty Seen.
func NewSeen() *Seen {
	return &Seen{a: maphash.MakeSeed(), b: maphash.MakeSeed(), m: make(map[[2]uint64]seenKey)}
}

// Add records the key made of parts on line and returns 0, or the line
// that had the key first.
func (s *Seen) Add(line int, parts ...string) int {
	first, _ := s.AddValue(line, 0, parts...)
	return first
}

// AddValue is Add that also records value with a new key, and returns the
// value recorded with the key first.
func (s *Seen) AddValue(line int, value uint64, parts ...string) (int, uint64) {
	if first, v, ok := s.Get(parts...); ok {
		return first, v
	}
	s.Put(line, value, parts...)
	return 0, 0
}

// Get returns the line and value recorded with the key made of parts.
func (s *Seen) Get(parts ...string) (line int, value uint64, ok bool) {
	k, ok := s.m[s.key(parts)]
	return int(k.line), k.value, ok
}

// Put records the key made of parts with line and value.
func (s *Seen) Put(line int, value uint64, parts ...string) {
	s.m[s.key(parts)] = seenKey{int32(line), value}
}

// Hash returns a 64-bit hash of parts, to record as a value.
func (s *Seen) Hash(parts ...string) uint64 { return s.key(parts)[0] }

func (s *Seen) key(parts []string) [2]uint64 {
	var ha, hb maphash.Hash
	ha.SetSeed(s.a)
	hb.SetSeed(s.b)
	for _, p := range parts {
		ha.WriteString(p)
		ha.WriteByte(0x1f)
		hb.WriteString(p)
		hb.WriteByte(0x1f)
	}
	return [2]uint64{ha.Sum64(), hb.Sum64()}
}
