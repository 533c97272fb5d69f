package seed

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
)

// The organisation code bodies of DOMAIN.md's valid USCCs carry correct
// GB 11714 check characters, which makes them test vectors for orgCodeCheck.
func TestOrgCodeCheckMatchesTheStandardExamples(t *testing.T) {
	for _, code := range []string{"91350100M000100Y43", "91210602MA10QX7K9W"} {
		if got := orgCodeCheck(code[8:16]); got != code[16] {
			t.Errorf("orgCodeCheck(%s) = %c, want %c", code[8:16], got, code[16])
		}
	}
}

func TestGeneratedCodesAreValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		reg := credit.NewDate(2000+i%25, 3, 1)
		code := mustUSCC("91210603" + orgBody(rng, reg))
		if !credit.ValidUSCC(code) || orgCodeCheck(code[8:16]) != code[16] {
			t.Fatalf("%s is not a valid USCC with a valid organisation code", code)
		}
		bad := corruptCheck(rng, code)
		if _, warning, err := credit.CheckUSCCLenient(bad); err != nil || warning == "" {
			t.Fatalf("corrupted %s: %q, %v; want a checksum warning only", bad, warning, err)
		}
		birth := credit.NewDate(1950+i%51, time.Month(1+i%12), 1+i%28)
		id := mustCitizenID(citizenIDBody(rng, "210682", birth, i%2 == 1))
		if _, err := credit.NormalizeCitizenIDAt(id, credit.NewDate(2026, 1, 1).Time()); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if want := map[bool]credit.Sex{true: credit.Male, false: credit.Female}[i%2 == 1]; credit.CitizenIDSex(id) != want {
			t.Fatalf("%s: sex %s, want %s", id, credit.CitizenIDSex(id), want)
		}
		if reg := businessRegNo(rng, "210602"); len(reg) != 15 || reg[:6] != "210602" {
			t.Fatalf("business registration number %s", reg)
		}
	}
}
