package credit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
)

func TestCheckRulesWindowFollowsTheCivilCode(t *testing.T) {
	rules := CheckRules{LookbackMonths: 36}
	tests := []struct{ asOf, from string }{
		{"2026-11-27", "2023-11-27"},
		{"2027-02-28", "2024-02-28"}, // 2024-02-29 is inside: its period ends 2027-02-28
		{"2027-03-01", "2024-03-01"},
		{"2028-02-29", "2025-03-01"}, // 2025-02-28's period ended 2028-02-28
		{"2028-02-28", "2025-02-28"},
		{"2026-01-01", "2023-01-01"},
	}
	for _, tt := range tests {
		from, to := rules.Window(MustDate(tt.asOf))
		if from.String() != tt.from || to.String() != tt.asOf {
			t.Errorf("Window(%s) = %s … %s, want %s … %s", tt.asOf, from, to, tt.from, tt.asOf)
		}
	}
}

func TestCheckRulesWindowMatchesEachRecordsPeriod(t *testing.T) {
	// A record decided on d counts on asOf exactly when asOf ≤ d + the
	// look-back (its period's last day), for every pair of days over a
	// span with two leap days, and for month look-backs that clamp.
	for _, months := range []int{36, 12, 1, 13} {
		rules := CheckRules{LookbackMonths: months}
		for asOf := MustDate("2027-12-01"); asOf.Before(MustDate("2028-04-01")); asOf = asOf.AddDays(1) {
			from, to := rules.Window(asOf)
			for d := asOf.AddMonths(-months - 1); !d.After(asOf); d = d.AddDays(1) {
				want := !asOf.After(d.AddMonths(months))
				if got := checkInWindow(d, from, to); got != want {
					t.Fatalf("months %d, asOf %s, decided %s: got counts %v, want %v", months, asOf, d, got, want)
				}
			}
		}
	}
}

func TestCheckRulesForPicksTheRowInForce(t *testing.T) {
	table := []CheckRules{
		{Version: "2017-01-01.1", EffectiveFrom: MustDate("2017-01-01"), LookbackMonths: 36},
		{Version: "2026-04-01.1", EffectiveFrom: MustDate("2026-04-01"), LookbackMonths: 24},
	}
	tests := []struct{ asOf, want string }{
		{"2016-12-31", "2017-01-01.1"}, // before the first row: the earliest rules
		{"2017-01-01", "2017-01-01.1"},
		{"2026-03-31", "2017-01-01.1"},
		{"2026-04-01", "2026-04-01.1"},
		{"2030-01-01", "2026-04-01.1"},
	}
	for _, tt := range tests {
		if got := checkRulesIn(table, MustDate(tt.asOf)).Version; got != tt.want {
			t.Errorf("rules as of %s: got %s, want %s", tt.asOf, got, tt.want)
		}
	}
	if got := CheckRulesFor(MustDate("2026-11-27")); got.Version != "2017-01-01.1" || got.LookbackMonths != 36 {
		t.Errorf("CheckRulesFor(2026-11-27) = %s with %d months, want 2017-01-01.1 with 36", got.Version, got.LookbackMonths)
	}
}

// checkRulesFingerprints holds, for every version ever published, the
// fingerprint of its parameters. Cached answers are keyed by Version, so a
// row whose parameters change under the same Version would serve stale
// answers: change a parameter only in a new row with a new Version, and add
// its fingerprint here.
var checkRulesFingerprints = map[string]string{
	"2017-01-01.1": "a01f6a9a3bf45170",
}

// ckFingerprint hashes every parameter of rules except Version.
func ckFingerprint(rules CheckRules) string {
	rules.Version = ""
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s|%#v", rules.EffectiveFrom, rules)))
	return hex.EncodeToString(sum[:8])
}

func TestCheckRulesVersionChangesWithParameters(t *testing.T) {
	seen := map[string]string{}
	for i, r := range checkRulesTable {
		fp := ckFingerprint(r)
		if want, ok := checkRulesFingerprints[r.Version]; !ok || fp != want {
			t.Errorf("rules %s have fingerprint %s, want %q: a changed parameter needs a new row with a new Version", r.Version, fp, want)
		}
		if v, ok := seen[fp]; ok {
			t.Errorf("rules %s and %s have the same parameters, want one row", v, r.Version)
		}
		seen[fp] = r.Version
		if want := r.EffectiveFrom.String() + "."; len(r.Version) <= len(want) || r.Version[:len(want)] != want {
			t.Errorf("rules version %s, want it to start with its effective date %s", r.Version, want)
		}
		if i > 0 && !checkRulesTable[i-1].EffectiveFrom.Before(r.EffectiveFrom) {
			t.Errorf("rules %s are not after %s, want the table sorted by EffectiveFrom", r.Version, checkRulesTable[i-1].Version)
		}
		if r.LegalBasis == "" || r.LookbackMonths <= 0 || len(r.BadSeverities) == 0 {
			t.Errorf("rules %s lack a legal basis, a look-back or severities", r.Version)
		}
	}
	// The fingerprint sees every parameter: two rows that differ only in
	// one of them must not share a fingerprint, hence not a Version.
	base := checkRulesTable[0]
	changed := []func(*CheckRules){
		func(r *CheckRules) { r.LookbackMonths = 60 },
		func(r *CheckRules) { r.RepairedCounts = !r.RepairedCounts },
		func(r *CheckRules) { r.BadSeverities = []Severity{Serious} },
		func(r *CheckRules) { r.HonouredDomains = []string{"HONOURED_INTEGRITY"} },
		func(r *CheckRules) { r.CautionGeneralPenalties++ },
		func(r *CheckRules) { r.CautionSeriousPenalties++ },
		func(r *CheckRules) { r.CautionTaxGrades = nil },
		func(r *CheckRules) { r.RestrictedTaxGrades = nil },
		func(r *CheckRules) { r.KeyPersonRoles = []KeyPersonRole{LegalRepresentative} },
		func(r *CheckRules) { r.EffectiveFrom = r.EffectiveFrom.AddDays(1) },
	}
	for i, change := range changed {
		r := base
		change(&r)
		if ckFingerprint(r) == ckFingerprint(base) {
			t.Errorf("change %d: got the same fingerprint, want a different one", i)
		}
	}
}
