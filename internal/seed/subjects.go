package seed

import (
	"fmt"

	"github.com/credithub/credithub/internal/credit"
)

// The mix of subjects: organisations and individual businesses in per cent;
// the rest are natural persons, the key persons of the organisations.
const (
	orgShare        = 70
	individualShare = 15
)

// earliestRegistration is the first registration date of a demo organisation.
var earliestRegistration = credit.NewDate(1993, 1, 1)

// person is a natural person subject.
type person struct {
	id    int64
	code  string
	name  string
	adult credit.Date // 18th birthday: no role before it
}

// span is a person's tenure in a role; a zero until means it lasts.
type span struct {
	p            *person
	since, until credit.Date
}

// subject is what records and list entries need to know about their subject.
type subject struct {
	id         int64
	code       string
	kind       credit.SubjectKind
	category   credit.SubjectCategory
	name       string
	registered credit.Date
	sec        sector
	legacy     credit.LegacyIdentifiers
	warning    string // why the code was stored although it fails the checksum
	reps       []span // legal representatives (for individual businesses the operator), in order
}

// repOn returns the legal representative on day d, or nil for a person.
func (s *subject) repOn(d credit.Date) *person {
	for _, r := range s.reps {
		if !d.Before(r.since) && (r.until.IsZero() || !d.After(r.until)) {
			return r.p
		}
	}
	if len(s.reps) > 0 {
		return s.reps[len(s.reps)-1].p
	}
	return nil
}

// orgType is a kind of organisation: its subject kind, the first two
// characters of its USCC (registration authority and type) and how it is
// named.
type orgType struct {
	kind   credit.SubjectKind
	prefix string
	weight int // per mille of organisations
	name   func(g *generator, d *district) (string, sector)
}

var orgTypes = []orgType{
	{credit.LegalPerson, "91", 869, func(g *generator, d *district) (string, sector) { return companyName(g.rng, d) }},
	{credit.LegalPerson, "93", 25, func(g *generator, d *district) (string, sector) { return cooperativeName(g.rng, d) }},
	{credit.LegalPerson, "52", 18, func(g *generator, d *district) (string, sector) { return privateNonEnterpriseName(g.rng, d) }},
	{credit.LegalPerson, "51", 8, func(g *generator, d *district) (string, sector) { return socialOrgName(g.rng, d) }},
	{credit.UnincorporatedOrganization, "91", 45, func(g *generator, d *district) (string, sector) { return branchName(g.rng, d) }},
	{credit.UnincorporatedOrganization, "91", 15, func(g *generator, d *district) (string, sector) { return partnershipName(g.rng, d) }},
	{credit.UnincorporatedOrganization, "91", 20, func(g *generator, d *district) (string, sector) { return soleProprietorshipName(g.rng, d) }},
}

var orgTypeWeights = func() []int {
	w := make([]int, len(orgTypes))
	for i, t := range orgTypes {
		w[i] = t.weight
	}
	return w
}()

// chunk generates n subjects with everything about them.
func (g *generator) chunk(n int) *batch {
	b := &batch{}
	orgs, shops := n*orgShare/100, n*individualShare/100
	if n-orgs-shops < 1 { // organisations need at least one person
		if orgs > 0 {
			orgs--
		} else if shops > 0 {
			shops--
		}
	}
	people := make([]*person, n-orgs-shops)
	for i := range people {
		people[i] = g.newPerson(b)
	}
	for i := 0; i < orgs+shops; i++ {
		s := g.newOrganization(b, people, i >= orgs)
		entry := g.listEntries(b, s)
		g.licences(b, s)
		g.penalties(b, s, entry)
		g.taxGrades(b, s, entry)
	}
	for _, p := range people {
		if g.chance(0.03) {
			g.penalties(b, &subject{id: p.id, code: p.code, kind: credit.NaturalPerson,
				category: credit.CategoryNaturalPerson, name: p.name, registered: p.adult}, nil)
		}
	}
	for t := range numTables {
		g.count[t] += int64(len(b.rows[t]))
	}
	b.counts = g.count
	return b
}

// newPerson adds a natural person born 1950-2000 and registered in Dandong.
func (g *generator) newPerson(b *batch) *person {
	d := pickDistrict(g.rng)
	male := g.chance(0.62) // most legal representatives are men
	birth := g.between(credit.NewDate(1950, 1, 1), credit.NewDate(2000, 12, 31))
	var code string
	for {
		code = mustCitizenID(citizenIDBody(g.rng, d.Code, birth, male))
		if g.codes.add(code) {
			break
		}
	}
	p := &person{id: g.nextID(tSubjects), code: code, name: personName(g.rng, male), adult: birth.AddMonths(18 * 12)}
	created := g.at(g.from, 0, 8)
	b.add(tSubjects, p.id, p.code, string(credit.NaturalPerson), p.name, string(credit.SubjectActive), nil,
		address(g.rng, d), "", "", "", "", "", noWarnings, created, created)
	g.persons++
	return p
}

// pickPerson draws a person of the chunk other than those in not, or nil
// after a few tries (a chunk may have only one person).
func (g *generator) pickPerson(people []*person, not ...*person) *person {
	for range 8 {
		p := people[g.rng.IntN(len(people))]
		ok := true
		for _, q := range not {
			ok = ok && p != q
		}
		if ok {
			return p
		}
	}
	return nil
}

// registration draws a registration date in [lo, hi], weighted towards
// recent years as Dandong's register is: half of today's entities were
// registered after 2016.
func (g *generator) registration(lo, hi credit.Date) credit.Date {
	var d credit.Date
	switch n := g.rng.IntN(10); {
	case n < 2:
		d = g.between(earliestRegistration, credit.NewDate(2008, 12, 31))
	case n < 5:
		d = g.between(credit.NewDate(2009, 1, 1), credit.NewDate(2016, 12, 31))
	default:
		d = g.between(credit.NewDate(2017, 1, 1), hi)
	}
	if d.Before(lo) || d.After(hi) {
		d = g.between(lo, hi)
	}
	return d
}

// newOrganization adds an organisation (or an individual business) with its
// legal representatives and other key persons.
func (g *generator) newOrganization(b *batch, people []*person, individual bool) *subject {
	d := pickDistrict(g.rng)
	rep := g.pickPerson(people)
	hi := g.today.AddDays(-14)
	lo := maxDate(earliestRegistration, rep.adult)
	s := &subject{kind: credit.IndividualBusiness, category: credit.CategoryIndividualBusiness}
	prefix := "92"
	if !individual {
		t := orgTypes[g.pickWeighted(orgTypeWeights)]
		s.kind, s.category, prefix = t.kind, credit.CategoryOrganization, t.prefix
		s.name, s.sec = g.uniqueName(func() (string, sector) { return t.name(g, d) })
	} else {
		s.name, s.sec = shopName(g.rng, d, rep.name)
	}
	switch prefix {
	case "93": // the law on farmers' cooperatives took effect in July 2007
		lo = maxDate(lo, credit.NewDate(2007, 7, 1))
	case "52": // private non-enterprise units were registered from 1998
		lo = maxDate(lo, credit.NewDate(1998, 10, 25))
	}
	s.registered = g.registration(lo, hi)
	// About 0.5% of organisations carry a legally issued pre-2016 code that
	// fails the checksum.
	legacyBad := !individual && g.chance(0.005) && lo.Before(newCodeSince)
	if legacyBad && !s.registered.Before(newCodeSince) {
		s.registered = g.between(lo, newCodeSince.AddDays(-1))
	}
	s.reps = []span{{p: rep, since: s.registered}}
	// Some organisations changed their legal representative: the past one
	// held the role from registration to the day before the change.
	if past := g.pickPerson(people, rep); !individual && past != nil && g.chance(0.15) && !past.adult.After(s.registered) {
		change := g.between(maxDate(s.registered.AddDays(180), rep.adult), g.today.AddDays(-30))
		if !change.After(g.today.AddDays(-30)) {
			s.reps = []span{{p: past, since: s.registered, until: change.AddDays(-1)}, {p: rep, since: change}}
		}
	}
	body := orgBody(g.rng, s.registered)
	for {
		s.code = mustUSCC(prefix + d.Code + body)
		if legacyBad {
			s.code = corruptCheck(g.rng, s.code)
		}
		if g.codes.add(s.code) {
			break
		}
		body = orgBody(g.rng, s.registered)
	}
	warnings := noWarnings
	if legacyBad {
		_, s.warning, _ = credit.CheckUSCCLenient(s.code)
		warnings = "{\"" + s.warning + "\"}"
	}
	if s.registered.Before(newCodeSince) && (legacyBad || g.chance(0.6)) {
		s.legacy = g.legacyIdentifiers(prefix, d, body)
	}
	s.id = g.nextID(tSubjects)
	status := credit.SubjectActive
	switch n := g.rng.IntN(1000); {
	case n < 10:
		status = credit.SubjectSuspended
	case n < 25:
		status = credit.SubjectRevoked
	case n < 50:
		status = credit.SubjectDeregistered
	}
	created := g.at(maxDate(s.registered, g.from), 0, 8)
	b.add(tSubjects, s.id, s.code, string(s.kind), s.name, string(status), s.registered, address(g.rng, d),
		s.legacy.BusinessRegNo, s.legacy.OrganizationCode, s.legacy.TaxRegNo, s.legacy.PublicInstitutionNo,
		s.legacy.SocialOrgNo, warnings, created, created)
	for _, r := range s.reps {
		g.addRole(b, s, r, credit.LegalRepresentative)
	}
	if individual {
		g.shops++
	} else {
		g.orgs++
		g.otherRoles(b, s, people)
	}
	return s
}

// otherRoles adds principals, actual controllers and directly responsible
// persons to some organisations.
func (g *generator) otherRoles(b *batch, s *subject, people []*person) {
	rep := s.reps[len(s.reps)-1].p
	role := func(r credit.KeyPersonRole, p *person, mayEnd bool) {
		if p == nil {
			return
		}
		since := g.between(maxDate(s.registered, p.adult), g.today.AddDays(-7))
		if since.Before(p.adult) || since.Before(s.registered) {
			return
		}
		sp := span{p: p, since: since}
		if mayEnd && g.chance(0.2) && days(since, g.today) > 120 {
			sp.until = g.between(since.AddDays(90), g.today.AddDays(-1))
		}
		g.addRole(b, s, sp, r)
	}
	if g.chance(0.20) {
		role(credit.Principal, g.pickPerson(people, rep), false)
	}
	if g.chance(0.08) {
		p := rep
		if g.chance(0.5) {
			p = g.pickPerson(people, rep)
		}
		role(credit.ActualController, p, false)
	}
	if g.chance(0.15) {
		first := g.pickPerson(people, rep)
		role(credit.DirectlyResponsible, first, true)
		if g.chance(0.4) {
			role(credit.DirectlyResponsible, g.pickPerson(people, rep, first), true)
		}
	}
}

// addRole writes a key_persons row.
func (g *generator) addRole(b *batch, s *subject, sp span, r credit.KeyPersonRole) {
	var until any
	if !sp.until.IsZero() {
		until = sp.until
	}
	b.add(tKeyPersons, g.nextID(tKeyPersons), s.id, sp.p.id, string(r), sp.since, until, g.at(maxDate(sp.since, g.from), 8, 18))
}

// uniqueName draws names until one is new; after a few collisions it keeps
// the last, as a real register has a few namesakes across regions.
func (g *generator) uniqueName(gen func() (string, sector)) (string, sector) {
	name, sec := gen()
	for i := 0; i < 8 && !g.names.add(name); i++ {
		name, sec = gen()
	}
	return name, sec
}

// legacyIdentifiers returns the pre-USCC registration numbers of an
// organisation whose USCC embeds its old organisation code body.
func (g *generator) legacyIdentifiers(prefix string, d *district, body string) credit.LegacyIdentifiers {
	l := credit.LegacyIdentifiers{OrganizationCode: body[:8] + "-" + body[8:]}
	switch prefix {
	case "51":
		l.SocialOrgNo = fmt.Sprintf("辽丹社证字第%04d号", 1+g.rng.IntN(9999))
	case "52":
		l.SocialOrgNo = fmt.Sprintf("辽丹民证字第%04d号", 1+g.rng.IntN(9999))
	case "92":
		l.OrganizationCode = "" // individual businesses had no organisation code
		l.BusinessRegNo = businessRegNo(g.rng, d.Code)
	default:
		l.BusinessRegNo = businessRegNo(g.rng, d.Code)
		l.TaxRegNo = d.Code + body
	}
	return l
}
