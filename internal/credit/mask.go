package credit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"strings"
)

// MaskName masks a person's name to its first character: 张三 → 张*,
// 欧阳娜娜 → 欧***. The surname alone identifies nobody.
func MaskName(name string) string {
	runes := []rune(name)
	if len(runes) <= 1 {
		return name
	}
	return string(runes[0]) + strings.Repeat("*", len(runes)-1)
}

// MaskID masks an identity document number as m says. Numbers of other
// lengths (passports, legacy documents) keep only their last four either way.
func MaskID(id string, m IDMask) string {
	n := len(id)
	switch {
	case m == ShowFullID || n == 0:
		return id
	case n <= 4:
		return strings.Repeat("*", n)
	case m == ShowRegionAndLastFour && n == 18:
		return id[:4] + strings.Repeat("*", n-8) + id[n-4:]
	}
	return strings.Repeat("*", n-4) + id[n-4:]
}

// EntityRefs make the opaque references that stand in for a person's code
// when the caller may not see it. The code is the key other graphs join a
// subject on (federation's @key), so it must never be a masked value: a
// masked number handed to another subgraph joins nothing or, worse, the
// wrong person. A reference joins nothing by construction, is the same for
// the same person (answers stay cacheable and comparable), and reveals
// nothing: it is keyed (HMAC-SHA256 under a secret of the deployment), so
// it cannot be reversed by trying every ID number.
type EntityRefs struct{ key []byte }

// MaskedRefPrefix starts every opaque reference; no code starts with it.
const MaskedRefPrefix = "MASKED-"

// NewEntityRefs returns references under key (the deployment's secret).
func NewEntityRefs(key []byte) EntityRefs { return EntityRefs{key: key} }

// Of is the reference standing in for code. Without a key (the secret
// could not be read) every person gets the same reference, MASKED-: still
// never joinable, never revealing.
func (r EntityRefs) Of(code string) string {
	if len(r.key) == 0 {
		return MaskedRefPrefix
	}
	m := hmac.New(sha256.New, r.key)
	m.Write([]byte(code))
	return MaskedRefPrefix + base32.StdEncoding.EncodeToString(m.Sum(nil)[:15])
}

// IsMaskedRef reports whether code is an opaque reference, not a code.
func IsMaskedRef(code string) bool { return strings.HasPrefix(code, MaskedRefPrefix) }

// Masked returns the subject as a caller with access a may see it: a
// natural person's code replaced by an opaque reference (its masked
// number in MaskedCode), the name masked, and the address withheld.
func (a Access) Masked(s Subject) Subject {
	if s.Kind != NaturalPerson || (a.IDMask == ShowFullID && !a.MaskNames) {
		return s
	}
	if a.IDMask != ShowFullID {
		s.MaskedCode = MaskID(s.Code, a.IDMask)
		s.Code = a.Refs.Of(s.Code)
	}
	if a.MaskNames {
		s.Name = MaskName(s.Name)
	}
	s.Address = ""
	return s
}

// MaskedParty returns a record's party as a caller with access a may see it.
func (a Access) MaskedParty(p RecordParty) RecordParty {
	p.LegalRepIDNo = MaskID(p.LegalRepIDNo, a.IDMask)
	p.IDNo = MaskID(p.IDNo, a.IDMask)
	if a.MaskNames {
		p.LegalRepName = MaskName(p.LegalRepName)
		if p.Category == CategoryNaturalPerson {
			p.Name = MaskName(p.Name)
		}
	}
	return p
}
