package credit

import (
	"fmt"
	"strconv"
	"strings"
)

// Fen is an exact amount of money in fen (0.01 yuan). Money is never a float.
type Fen int64

// fenPerWan is how many fen make one 万元 (10,000 yuan), the unit in which the
// 双公示 standard carries CF_NR_FK and CF_NR_WFFF.
const fenPerWan = 1_000_000

// String formats the amount in yuan with two decimals, e.g. "2000.00".
func (f Fen) String() string {
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	return fmt.Sprintf("%s%d.%02d", sign, f/100, f%100)
}

// Wan formats the amount in 万元 with as many decimals as it needs (at most
// six), the way the 双公示 export carries it: 2000 yuan is "0.2".
func (f Fen) Wan() string {
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	s := fmt.Sprintf("%s%d.%06d", sign, f/fenPerWan, f%fenPerWan)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// ParseWan converts an amount in 万元 ("0.2", "12.5", "3") to exact fen. It
// accepts at most six decimals (one fen) and rejects negatives, exponents and
// anything that is not a plain decimal number.
func ParseWan(s string) (Fen, error) {
	return parseDecimal(s, 6, "万元")
}

// ParseYuan converts an amount in yuan ("2000", "2000.5", "2000.00") to fen.
func ParseYuan(s string) (Fen, error) {
	return parseDecimal(s, 2, "yuan")
}

// parseDecimal reads a non-negative decimal with at most scale fractional
// digits and returns it multiplied by 10^scale, then converted to fen.
func parseDecimal(s string, scale int, unit string) (Fen, error) {
	s = strings.TrimSpace(s)
	intPart, frac, hasDot := strings.Cut(s, ".")
	if s == "" || intPart == "" && frac == "" || hasDot && frac == "" {
		return 0, fmt.Errorf("%q is not an amount in %s", s, unit)
	}
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("amount %q must not be negative", s)
	}
	if len(frac) > scale {
		return 0, fmt.Errorf("amount %q has more than %d decimals (finer than one fen)", s, scale)
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return 0, fmt.Errorf("%q is not an amount in %s", s, unit)
			}
		}
	}
	if intPart == "" {
		intPart = "0"
	}
	frac += strings.Repeat("0", scale-len(frac))
	whole, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil || len(intPart) > 12 {
		return 0, fmt.Errorf("amount %q is too large", s)
	}
	// scale 6 (万元) → fen is ×1; scale 2 (yuan) → fen is ×1 as well.
	return Fen(whole), nil
}
