package credit

import "strings"

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

// Masked returns the subject as a caller with access a may see it: a
// natural person's code and name masked, and their address withheld.
func (a Access) Masked(s Subject) Subject {
	if s.Kind != NaturalPerson || (a.IDMask == ShowFullID && !a.MaskNames) {
		return s
	}
	s.Code = MaskID(s.Code, a.IDMask)
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
