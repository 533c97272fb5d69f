package seed

import (
	"fmt"
	"strings"

	"github.com/credithub/credithub/internal/credit"
)

// idType is the 证件类型 the 双公示 export writes for a citizen ID number.
const idType = "身份证"

// party returns the 行政相对人 columns of a record about s decided on day d,
// as a department would push them: the USCC always, the legacy numbers
// sometimes, and the legal representative in office on that day.
func (g *generator) party(s *subject, d credit.Date) []any {
	row := make([]any, 0, 48)
	if s.kind == credit.NaturalPerson {
		return append(row, s.name, string(s.category), "", "", "", "", "", "", "", "", "", idType, s.code)
	}
	var l credit.LegacyIdentifiers
	if g.chance(0.3) {
		l = s.legacy
	}
	rep := s.repOn(d)
	return append(row, s.name, string(s.category), s.code, l.BusinessRegNo, l.OrganizationCode, l.TaxRegNo,
		l.PublicInstitutionNo, l.SocialOrgNo, rep.name, idType, rep.code, "", "")
}

// recordWarnings returns the warnings of a record about s: the same one as
// the subject's when its code fails the checksum.
func recordWarnings(s *subject) string {
	if s.warning == "" {
		return noWarnings
	}
	return `{"XDR_SHXYM: ` + s.warning + `"}`
}

// source returns the department that pushed a record: mostly the deciding
// department itself, sometimes the credit office that collects for it.
func (g *generator) source(d deptKey) *department {
	if g.chance(0.2) {
		return &departments[creditOffice]
	}
	return &departments[d]
}

// scope draws a use scope: mostly public.
func (g *generator) scope() string {
	switch n := g.rng.IntN(100); {
	case n < 88:
		return string(credit.ScopePublic)
	case n < 96:
		return string(credit.ScopeShared)
	default:
		return string(credit.ScopeAuthorized)
	}
}

// window returns the days on which s can have records: the five years
// before today, from its registration on.
func (g *generator) window(s *subject) (lo, hi credit.Date, ok bool) {
	lo, hi = maxDate(g.from, s.registered), g.today.AddDays(-1)
	return lo, hi, !lo.After(hi)
}

// scaled returns n in proportion to the part of the five-year window the
// subject existed, rounding at random so that the mean is right.
func (g *generator) scaled(n int, lo, hi credit.Date) int {
	full := max(1, days(g.from, hi))
	return (n*days(lo, hi) + g.rng.IntN(full)) / full
}

// licences adds about five licences per organisation, fewer for individual
// businesses and for organisations registered inside the window.
func (g *generator) licences(b *batch, s *subject) {
	lo, hi, ok := g.window(s)
	if !ok {
		return
	}
	n := 1 + g.rng.IntN(11)
	if s.kind == credit.IndividualBusiness {
		n = g.rng.IntN(4)
	}
	ks := kindsFor(g.licenceCache, s.sec, len(licenceKinds), func(i int) bool { return licenceKinds[i].Sectors&s.sec != 0 })
	for range g.scaled(n, lo, hi) {
		k := &licenceKinds[ks[g.rng.IntN(len(ks))]]
		decided := g.decisionDay(lo, hi)
		dept := &departments[k.Dept]
		no := fmt.Sprintf("%s许〔%d〕%d号", dept.Abbr, decided.Year(), g.next(k.Dept, "许", decided.Year()))
		licenceNo := ""
		if k.Cert != "" {
			g.licenceSerial++
			licenceNo = fmt.Sprintf("%s%s%08d", k.NoPrefix, s.code[2:8], g.licenceSerial)
		}
		var validUntil any
		if k.Years > 0 {
			validUntil = decided.AddMonths(12 * k.Years).AddDays(-1)
		}
		status, revoked := "VALID", ""
		if g.chance(0.02) {
			status, revoked = "REVOKED", pick(g.rng, []string{"被许可人申请注销", "以欺骗手段取得许可，依法撤销", "许可有效期届满未延续，依法注销"})
		}
		remarks := ""
		if g.chance(0.1) {
			remarks = "延续"
		}
		src := g.source(k.Dept)
		deadline, received := g.timeliness(decided)
		row := append(g.party(s, decided), k.Doc, no, k.Category, k.Cert, licenceNo, pick(g.rng, k.Contents),
			decided, decided, validUntil, dept.Name, dept.Code, status, src.Name, src.Code, remarks, g.scope(),
			deadline, received, revoked, recordWarnings(s), received, received)
		b.rows[tLicences] = append(b.rows[tLicences], append([]any{g.nextID(tLicences), s.id}, row...))
	}
}

// penalties adds penalties to about 40% of organisations (about three each),
// fewer to individual businesses, one to the natural persons it is called
// for, and a serious one before a black-list entry that follows a penalty.
func (g *generator) penalties(b *batch, s *subject, e *plannedEntry) {
	lo, hi, ok := g.window(s)
	if !ok {
		return
	}
	if e != nil && e.penaltyDept >= 0 {
		if ks := g.deptPenalties[e.penaltyDept]; len(ks) > 0 {
			d := g.decisionDay(maxDate(lo, e.decided.AddDays(-15-g.rng.IntN(75))), e.decided)
			if !d.After(e.decided) {
				g.penalty(b, s, &penaltyKinds[ks[g.rng.IntN(len(ks))]], d, credit.Serious)
			}
		}
	}
	n := 0
	switch {
	case s.kind == credit.NaturalPerson:
		n = 1
	case s.kind == credit.IndividualBusiness:
		if g.chance(0.2) {
			n = 1 + g.rng.IntN(3)
		}
	case g.chance(0.4):
		n = 1 + g.rng.IntN(5)
	}
	if n == 0 {
		return
	}
	ks := kindsFor(g.penaltyCache, s.sec, len(penaltyKinds), func(i int) bool {
		if s.sec == 0 {
			return penaltyKinds[i].Persons
		}
		return penaltyKinds[i].Sectors&s.sec != 0
	})
	for range n {
		sev := []credit.Severity{credit.Minor, credit.General, credit.Serious}[g.pickWeighted([]int{30, 55, 15})]
		g.penalty(b, s, &penaltyKinds[ks[g.rng.IntN(len(ks))]], g.decisionDay(lo, hi), sev)
	}
}

// penalty adds one penalty of kind k decided on day decided.
func (g *generator) penalty(b *batch, s *subject, k *penaltyKind, decided credit.Date, sev credit.Severity) {
	dept := &departments[k.Dept]
	no := fmt.Sprintf("%s罚〔%d〕%d号", dept.Abbr, decided.Year(), g.next(k.Dept, "罚", decided.Year()))
	fine, confiscated := g.amounts(sev, k.Exact)
	var cats, content []string
	if fine == 0 && confiscated == 0 || sev == credit.Minor && g.chance(0.3) {
		cats, content = append(cats, "警告"), append(content, "警告")
	}
	if fine > 0 {
		cats, content = append(cats, "罚款"), append(content, "罚款人民币"+fine.String()+"元")
	}
	if confiscated > 0 {
		cats, content = append(cats, "没收违法所得、没收非法财物"), append(content, "没收违法所得人民币"+confiscated.String()+"元")
	}
	suspended := ""
	if sev == credit.Serious && k.Licence != "" && g.chance(0.3) {
		suspended = "《" + k.Licence + "》"
		cats = append(cats, "暂扣或者吊销许可证、暂扣或者吊销执照")
		content = append(content, "吊销"+suspended)
	} else if sev == credit.Serious && g.chance(0.08) {
		cats, content = append(cats, "责令停产停业"), append(content, "责令停产停业整顿三个月")
	}
	occurred := decided.AddDays(-30 - g.rng.IntN(150))
	facts := fmt.Sprintf("经查，当事人于%d年%d月%d日%s。", occurred.Year(), occurred.Time().Month(), occurred.Time().Day(), k.Facts)
	validUntil := decided.AddMonths(12)
	if sev == credit.Serious {
		validUntil = decided.AddMonths(36)
	}

	var publicUntil, repairable, repairedOn any
	scope := g.scope()
	status, revoked := "IN_FORCE", ""
	if rule, ok := g.rules.publicationFor(sev, decided); ok {
		if !rule.PublishedByDefault {
			// In principle not published: shared between departments
			// unless the department marks it public.
			scope = string(credit.ScopeShared)
			if g.chance(0.1) {
				scope = string(credit.ScopePublic)
			}
		}
		until, rep := rule.Window(decided, credit.UseScope(scope))
		pub := credit.PeriodEnd(decided, rule.MaxMonths) // the end of the window, published or not
		repairable = rep
		if until != nil {
			publicUntil = *until
		}
		// Credit repair ends publication early, so it falls between the
		// minimum period and the end of publication.
		last := minDate(g.today.AddDays(-1), pub.AddDays(-1))
		if sev != credit.Minor && !rep.After(last) && g.chance(0.15) {
			status, repairedOn = "REPAIRED", g.between(rep, last)
		}
	}
	if status == "IN_FORCE" && g.chance(0.01) {
		status, revoked = "REVOKED", pick(g.rng, []string{"经行政复议，原处罚决定被撤销", "经行政诉讼，原处罚决定被判决撤销", "原处罚决定认定事实不清，依法撤销"})
	}
	src := g.source(k.Dept)
	deadline, received := g.timeliness(decided)
	row := append(g.party(s, decided), no, k.Violation, facts, k.Basis, strings.Join(cats, "；"),
		strings.Join(content, "；"), int64(fine), int64(confiscated), suspended, decided, validUntil, publicUntil,
		dept.Name, dept.Code, src.Name, src.Code, "", string(sev), repairable, status, repairedOn, scope,
		deadline, received, revoked, recordWarnings(s), received, received)
	b.rows[tPenalties] = append(b.rows[tPenalties], append([]any{g.nextID(tPenalties), s.id}, row...))
}

// amounts returns a fine and a confiscation for a severity: minor penalties
// are a warning or up to 2,000 yuan, general ones 2,000-200,000, serious ones
// 200,000-5,000,000. Fines computed from a sum (such as 50% of unpaid tax)
// come to the fen; others are round.
func (g *generator) amounts(sev credit.Severity, exact bool) (fine, confiscated credit.Fen) {
	var yuan, round int64
	switch sev {
	case credit.Minor:
		if g.chance(0.4) {
			return 0, 0
		}
		yuan, round = 100*(1+g.rng.Int64N(20)), 100
	case credit.General:
		yuan, round = g.logUniform(2_000, 200_000), 100
	default:
		yuan, round = g.logUniform(200_000, 5_000_000), 1000
	}
	fine = credit.Fen(yuan * 100)
	if exact && sev != credit.Minor {
		fine += credit.Fen(g.rng.IntN(100))
	} else {
		fine = credit.Fen(max(yuan/round, 1) * round * 100)
	}
	if sev != credit.Minor && g.chance(0.15) {
		confiscated = credit.Fen(g.logUniform(1_000, 2_000_000)*100 + g.rng.Int64N(100))
	}
	return fine, confiscated
}
