package seed

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"

	"github.com/credithub/credithub/internal/credit"
)

// usccChars is the alphabet of the unified social credit code (GB 32100-2015),
// which leaves out I, O, Z, S and V. Random organisation bodies draw from it so
// that every generated character is one the code may contain.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// newCodeSince is the day from which newly registered organisations received
// the "MA…" style codes issued directly as unified social credit codes; older
// ones kept their organisation code (组织机构代码) as positions 9-17.
var newCodeSince = credit.NewDate(2015, 10, 1)

// orgCodeWeights are the GB 11714-1997 weights of the eight body characters of
// an organisation code.
var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// orgCodeCheck returns the GB 11714 check character of an eight-character
// organisation code body: digits count 0-9 and letters A-Z count 10-35, and the
// check value 11 − (Σ value×weight mod 11) is written X for 10 and 0 for 11.
// Positions 9-17 of a USCC are such a code, so a realistic USCC carries it.
func orgCodeCheck(body string) byte {
	sum := 0
	for i := 0; i < 8; i++ {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * orgCodeWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// mustUSCC completes the first 17 characters of a USCC with its check
// character. It panics on a malformed body, which would be a bug in the
// generator rather than a data problem.
func mustUSCC(first17 string) string {
	c, err := credit.USCCCheckChar(first17)
	if err != nil {
		panic(fmt.Sprintf("seed: bad USCC body %q: %v", first17, err))
	}
	return first17 + string(c)
}

// mustCitizenID completes 17 digits of a citizen ID number with its check
// character.
func mustCitizenID(first17 string) string {
	c, err := credit.CitizenIDCheckChar(first17)
	if err != nil {
		panic(fmt.Sprintf("seed: bad citizen ID body %q: %v", first17, err))
	}
	return first17 + string(c)
}

// orgBody returns the nine characters of positions 9-17 of a USCC: a new-style
// "MA" body for organisations registered since October 2015, otherwise an old
// numeric organisation code, each with its GB 11714 check character.
func orgBody(rng *rand.Rand, registered credit.Date) string {
	var b [8]byte
	if registered.Before(newCodeSince) {
		b[0] = byte('1' + rng.IntN(7))
		for i := 1; i < 8; i++ {
			b[i] = byte('0' + rng.IntN(10))
		}
	} else {
		b[0], b[1] = 'M', 'A'
		for i := 2; i < 8; i++ {
			b[i] = usccChars[rng.IntN(len(usccChars))]
		}
	}
	return string(b[:]) + string(orgCodeCheck(string(b[:])))
}

// corruptCheck replaces the check character of a valid code with another
// character of the alphabet, the way some legally issued pre-2016 codes fail
// the checksum.
func corruptCheck(rng *rand.Rand, code string) string {
	for {
		c := usccChars[rng.IntN(len(usccChars))]
		if c != code[17] {
			return code[:17] + string(c)
		}
	}
}

// businessRegNo returns a 15-digit registration number (工商注册号) of the
// pre-USCC system: the issuing region, eight digits and an ISO 7064 MOD 11,10
// check digit.
func businessRegNo(rng *rand.Rand, region string) string {
	b := []byte(region)
	for i := 0; i < 8; i++ {
		b = append(b, byte('0'+rng.IntN(10)))
	}
	p := 10
	for _, c := range b {
		s := (p + int(c-'0')) % 10
		if s == 0 {
			s = 10
		}
		p = s * 2 % 11
	}
	return string(append(b, byte('0'+(11-p)%10)))
}

// citizenIDBody returns the first 17 digits of a citizen ID number: region,
// birth date, two random digits and a sex digit, odd for men and even for
// women.
func citizenIDBody(rng *rand.Rand, region string, birth credit.Date, male bool) string {
	sex := 2 * rng.IntN(5)
	if male {
		sex++
	}
	return fmt.Sprintf("%s%s%02d%d", region, birth.Time().Format("20060102"), rng.IntN(100), sex)
}

// hashSet remembers strings by a 64-bit FNV-1a hash to keep codes and names
// unique in little memory: a million codes take tens of megabytes instead of
// hundreds. A hash collision only makes the generator draw another value, so
// it costs nothing in correctness.
type hashSet map[uint64]struct{}

// add records s and reports whether it was new.
func (h hashSet) add(s string) bool {
	f := fnv.New64a()
	f.Write([]byte(s))
	k := f.Sum64()
	if _, ok := h[k]; ok {
		return false
	}
	h[k] = struct{}{}
	return true
}
