package seed

import (
	"fmt"
	"time"

	"github.com/credithub/credithub/internal/credit"
)

// domainSpec says how entries of a list domain are generated: who decides
// them, how often, on what facts, and whether a serious penalty by the same
// department precedes them.
type domainSpec struct {
	code    string
	kind    credit.ListKind
	dept    deptKey
	weight  int // share among the entries of its kind
	facts   []string
	content string
	exit    string // reason of an exit decision
	penalty bool   // follows a serious penalty by dept
}

var blackListDomains = []domainSpec{
	{"COURT_ENFORCEMENT_DISHONESTY", credit.Black, deptCourt, 35, []string{"有履行能力而拒不履行生效法律文书确定的义务", "违反财产报告制度，拒不报告财产", "以虚假诉讼、虚假仲裁或者隐匿、转移财产等方法规避执行"}, "纳入失信被执行人名单", "被执行人已履行生效法律文书确定的全部义务", false},
	{"MAJOR_TAX_VIOLATION", credit.Black, deptTax, 15, []string{"采取虚假纳税申报手段少缴应纳税款100万元以上，且占各税种应纳税总额10%以上", "虚开增值税专用发票", "欠缴税款，采取转移或者隐匿财产的手段妨碍追缴欠缴的税款"}, "确定为重大税收违法失信主体并向社会公布", "已缴清税款、滞纳金和罚款，经申请提前停止公布", true},
	{"MARKET_SERIOUS_VIOLATION", credit.Black, deptMarket, 15, []string{"因生产销售不符合食品安全标准的食品受到较重行政处罚", "因提交虚假材料骗取市场主体登记受到较重行政处罚", "因侵犯商标专用权受到较重行政处罚"}, "列入市场监督管理严重违法失信名单", "已履行行政处罚决定规定的义务并提交信用修复申请", true},
	{"WAGE_ARREARS", credit.Black, deptHRSS, 8, []string{"克扣、无故拖欠农民工工资达到认定拒不支付劳动报酬罪数额标准", "因拖欠农民工工资违法行为引发群体性事件"}, "列入拖欠农民工工资失信联合惩戒对象名单", "已清偿拖欠的农民工工资", true},
	{"SAFETY_PRODUCTION", credit.Black, deptEmergency, 6, []string{"发生较大生产安全责任事故", "未依法取得安全生产许可擅自从事生产经营活动且拒不整改"}, "列入安全生产严重失信主体名单", "已完成整改并履行行政处罚决定", true},
	{"ENVIRONMENT", credit.Black, deptEnv, 8, []string{"通过暗管、渗井等逃避监管的方式排放水污染物", "篡改、伪造自动监测数据"}, "认定为环境保护领域严重失信主体", "已完成整改并履行行政处罚决定", true},
	{"FOOD_AND_DRUG", credit.Black, deptMarket, 5, []string{"在食品中添加非食用物质", "生产销售假药"}, "认定为食品药品领域严重失信主体", "已履行行政处罚决定并完成整改", true},
	{"GOVERNMENT_PROCUREMENT", credit.Black, deptFinance, 3, []string{"在政府采购活动中提供虚假材料谋取中标", "与采购人、其他供应商恶意串通"}, "列入政府采购严重违法失信行为记录名单", "禁止参加政府采购活动期限届满", false},
	{"CUSTOMS", credit.Black, deptCustoms, 2, []string{"走私违法行为被海关行政处罚", "拖欠应缴税款且超过三个月仍未缴纳"}, "认定为海关失信企业", "经海关信用修复，重新认定企业信用等级", true},
	{"PUBLIC_RESOURCE_TRADING", credit.Black, deptPRT, 3, []string{"在工程建设项目招标投标活动中串通投标", "以他人名义投标或者以其他方式弄虚作假骗取中标"}, "列入公共资源交易领域严重失信主体名单", "已履行相关义务并完成信用修复", false},
}

var redListDomains = []domainSpec{
	{"A_GRADE_TAXPAYER", credit.Red, deptTax, 60, []string{"年度纳税信用评价为A级"}, "列入纳税信用A级纳税人名单", "", false},
	{"HONOURED_INTEGRITY", credit.Red, deptDRC, 35, []string{"诚实守信、依法经营，获评丹东市诚信示范企业", "获评丹东市守合同重信用企业"}, "列入丹东市诚信典型红名单", "", false},
	{"CUSTOMS_ADVANCED_CERTIFIED", credit.Red, deptCustoms, 5, []string{"经海关认证为高级认证企业"}, "认定为海关高级认证企业", "", false},
}

// plannedEntry is what the records and tax grades of a listed subject need
// to know about its entry: the domain, the decision date and the department
// whose serious penalty preceded it.
type plannedEntry struct {
	domain      string
	decided     credit.Date
	penaltyDept deptKey // -1 when no penalty precedes the entry
}

// listEntries puts about 3% of organisations (and 1% of individual
// businesses, on the court list) on a black list and 5% of organisations on
// a red list, with the measures and events of each entry.
func (g *generator) listEntries(b *batch, s *subject) *plannedEntry {
	var spec *domainSpec
	switch r := g.rng.Float64(); {
	case s.kind == credit.IndividualBusiness:
		if r < 0.01 {
			spec = &blackListDomains[0]
		}
	case r < 0.03:
		spec = &blackListDomains[g.pickWeighted(g.blackWeights)]
	case r < 0.08:
		spec = &redListDomains[g.pickWeighted(g.redWeights)]
	}
	if spec == nil {
		return nil
	}
	first, ok := g.rules.earliestPeriod(spec.code)
	if !ok {
		return nil
	}
	lo := maxDate(maxDate(g.from, first), s.registered.AddDays(180))
	hi := g.today.AddDays(-1)
	if lo.After(hi) {
		return nil
	}
	if spec.code == "A_GRADE_TAXPAYER" {
		// The tax bureau publishes the A list each April for the year
		// before; an A-grade taxpayer tends to stay one, so it has an
		// entry for each of its last one to three years.
		decided := g.workday(credit.NewDate(hi.Year(), time.April, 10+g.rng.IntN(14)))
		if decided.After(hi) {
			decided = decided.AddMonths(-12)
		}
		years := 1 + g.rng.IntN(3)
		start := decided.AddMonths(-12 * (years - 1))
		for start.Before(lo) && years > 0 {
			start, years = start.AddMonths(12), years-1
		}
		if years == 0 {
			return nil
		}
		for y := range years {
			g.entry(b, s, spec, g.workday(start.AddMonths(12*y)), false)
		}
		return &plannedEntry{domain: spec.code, decided: start, penaltyDept: -1}
	}
	// A few entries are still waiting for the credit office's approval.
	proposed := g.chance(0.03)
	decided := g.decisionDay(lo, hi)
	if proposed {
		decided = g.decisionDay(maxDate(lo, hi.AddDays(-20)), hi)
	}
	g.entry(b, s, spec, decided, proposed)
	e := &plannedEntry{domain: spec.code, decided: decided, penaltyDept: -1}
	if spec.penalty {
		e.penaltyDept = spec.dept
	}
	return e
}

// entry writes a list entry decided on day decided (proposed for that day,
// if it is still proposed), its measures and events.
func (g *generator) entry(b *batch, s *subject, spec *domainSpec, decided credit.Date, proposed bool) {
	dept := &departments[spec.dept]
	id := g.nextID(tListEntries)
	y := decided.Year()
	no := fmt.Sprintf("%s信〔%d〕%d号", dept.Abbr, y, g.next(spec.dept, "列入", y))
	if spec.dept == deptCourt {
		no = fmt.Sprintf("（%d）%s执%d号", y, dept.Abbr, g.next(spec.dept, "执", y))
	}
	proposer, approver := g.staff(spec.dept)
	proposedAt := g.at(decided.AddDays(-1-g.rng.IntN(7)), 9, 17)
	facts := "当事人" + pick(g.rng, spec.facts)

	status := credit.EntryActive
	var endsOn, endedOn, exitNo, exitReason, approvedBy any
	period, _ := g.rules.periodFor(spec.code, spec.kind, decided)
	ends := credit.Date{}
	if period.PeriodMonths != nil {
		ends = credit.PeriodEnd(decided, *period.PeriodMonths)
		endsOn = ends
	}
	last := g.today.AddDays(-1)
	if !ends.IsZero() {
		last = minDate(last, ends)
	}
	// Most entries are still active or ran their course; some ended early
	// by an exit decision, by credit repair where the domain allows it
	// after its minimum period, or by revocation.
	var ended credit.Date
	r := g.rng.IntN(100)
	repairFrom := credit.Date{}
	if period.RepairAfterMonths != nil {
		repairFrom = credit.PeriodEnd(decided, *period.RepairAfterMonths)
	}
	switch {
	case proposed:
		status = credit.EntryProposed
	case spec.kind == credit.Red && r < 5 && days(decided, last) > 60:
		status, ended = credit.EntryRevoked, g.between(decided.AddDays(60), last)
		exitReason = "发生失信行为，撤销红名单认定"
	case spec.kind == credit.Red:
		// Red entries otherwise stay active until they expire.
	case r >= 13 && r < 25 && !repairFrom.IsZero() && !repairFrom.After(last):
		status, ended = credit.EntryRepaired, g.between(repairFrom, last)
		exitReason = "完成信用修复：已纠正失信行为、履行相关义务并作出信用承诺"
	case r < 25 && days(decided, last) > 30:
		status, ended = credit.EntryExited, g.between(decided.AddDays(30), last)
		exitReason = spec.exit
	case r < 27 && days(decided, last) > 30:
		status, ended = credit.EntryRevoked, g.between(decided.AddDays(30), last)
		exitReason = "列入依据被依法撤销"
	}
	if status == credit.EntryActive && !ends.IsZero() && ends.Before(g.today) {
		status = credit.EntryExpired
	}
	if status != credit.EntryProposed {
		approvedBy = approver
	}
	if !ended.IsZero() {
		endedOn = ended
		issuer := spec.dept
		if status == credit.EntryRepaired {
			issuer = creditOffice
		}
		exitNo = fmt.Sprintf("%s移〔%d〕%d号", departments[issuer].Abbr, ended.Year(), g.next(issuer, "移出", ended.Year()))
		if issuer == deptCourt {
			exitNo = fmt.Sprintf("（%d）%s执恢%d号", ended.Year(), departments[issuer].Abbr, g.next(issuer, "执恢", ended.Year()))
		}
	}
	b.add(tListEntries, id, s.id, string(spec.kind), spec.code, dept.Code, no, decided, facts, spec.content,
		decided, endsOn, string(status), string(credit.ScopePublic), proposer, approvedBy, endedOn, exitNo,
		exitReason, proposedAt)

	b.add(tEntryEvents, g.nextID(tEntryEvents), id, nil, string(credit.EntryProposed), proposer, nil, nil, "提请列入："+facts, proposedAt)
	if status == credit.EntryProposed {
		return
	}
	for _, m := range g.rules.measuresFor(spec.kind, spec.code, decided) {
		b.add(tEntryMeasures, id, m)
	}
	b.add(tEntryEvents, g.nextID(tEntryEvents), id, string(credit.EntryProposed), string(credit.EntryActive),
		approver, no, decided, "审核通过，"+spec.content, g.at(decided, 9, 17))
	switch {
	case !ended.IsZero():
		b.add(tEntryEvents, g.nextID(tEntryEvents), id, string(credit.EntryActive), string(status), approver,
			exitNo, ended, exitReason, g.at(ended, 9, 17))
	case status == credit.EntryExpired:
		b.add(tEntryEvents, g.nextID(tEntryEvents), id, string(credit.EntryActive), string(credit.EntryExpired),
			"system:expiry", nil, ends.AddDays(1), "公示期限届满，自动移出", g.at(ends.AddDays(1), 0, 1))
	}
}

// staff returns the proposer (from the deciding department) and approver
// (from the credit office) of an entry: always two different people.
func (g *generator) staff(d deptKey) (proposer, approver string) {
	p := 1 + g.rng.IntN(4)
	a := 1 + g.rng.IntN(3)
	if d == creditOffice && a == p {
		a = p%3 + 1 // a stays in 1..3 and differs from p
	}
	proposer = fmt.Sprintf("staff:dd-%s-%02d", departments[d].Staff, p)
	approver = fmt.Sprintf("staff:dd-%s-%02d", departments[creditOffice].Staff, a)
	return proposer, approver
}

// taxGrades gives about 60% of organisations a tax credit grade for each of
// the last three assessment years they existed in: A for A-grade taxpayers,
// D from the year before a major tax violation was listed, otherwise mostly
// B.
func (g *generator) taxGrades(b *batch, s *subject, e *plannedEntry) {
	aGrade := e != nil && e.domain == "A_GRADE_TAXPAYER"
	dGrade := e != nil && e.domain == "MAJOR_TAX_VIOLATION"
	if s.kind == credit.IndividualBusiness || !aGrade && !dGrade && !g.chance(0.6) {
		return
	}
	// Grades of year Y are published in April of Y+1.
	last := g.today.Year() - 1
	if g.today.Before(credit.NewDate(g.today.Year(), time.May, 1)) {
		last--
	}
	for y := last - 2; y <= last; y++ {
		if s.registered.Year() > y {
			continue
		}
		grade := credit.GradeB
		switch r := g.rng.IntN(100); {
		case aGrade:
			grade = credit.GradeA
		case dGrade && y >= e.decided.Year()-1:
			grade = credit.GradeD
		case s.registered.Year() >= y-1 && r < 60:
			grade = credit.GradeM // newly established
		case r < 22:
			grade = credit.GradeC
		case r < 25 && !dGrade:
			grade = credit.GradeD
		}
		var score any
		switch grade {
		case credit.GradeA:
			score = g.score(9000, 10000)
		case credit.GradeB:
			score = g.score(7000, 9000)
		case credit.GradeC:
			score = g.score(4000, 7000)
		case credit.GradeD:
			score = g.score(0, 4000)
		}
		b.add(tTaxGrades, s.id, y, string(grade), score, credit.NewDate(y+1, time.April, 1+g.rng.IntN(25)))
	}
}

// score returns a score in [lo, hi) hundredths as numeric(5,2) text.
func (g *generator) score(lo, hi int) string {
	v := lo + g.rng.IntN(hi-lo)
	return fmt.Sprintf("%d.%02d", v/100, v%100)
}
