package credit

import (
	"fmt"
	"slices"
	"strings"
)

// The sentences of the reasons. They are read to applicants at the counter,
// so they are plain Chinese with the dates, counts and decision numbers the
// answer rests on, and never a person's name or ID number.

// checkCNDate formats d the way a decision writes it: 2026年11月27日.
func checkCNDate(d Date) string {
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Time().Month()), d.Time().Day())
}

// checkRefNames lists the decision numbers of refs: "X号、Y号".
func checkRefNames(refs []RecordRef) string {
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = r.DecisionNo
		if names[i] == "" {
			names[i] = fmt.Sprintf("记录%d", r.ID)
		}
	}
	return strings.Join(names, "、")
}

// checkEntryLabel names entry e's list and decision: 失信被执行人（文号）.
func checkEntryLabel(e ListEntry) string {
	name := e.DomainName
	if name == "" {
		name = e.Domain
	}
	return fmt.Sprintf("%s（%s）", name, checkRefNames([]RecordRef{EntryRef(e)}))
}

// checkEntryLabels lists own entries and attributed ones with their cause.
func checkEntryLabels(es []ListEntry, as []AttributedEntry) string {
	var parts []string
	for _, e := range es {
		parts = append(parts, checkEntryLabel(e))
	}
	for _, a := range as {
		parts = append(parts, checkEntryLabel(a.Entry)+"（因其任"+checkRoleNames[a.Via.Role]+"的组织失信记入）")
	}
	return strings.Join(parts, "、")
}

// checkRoleNames are the Chinese names of the key person roles.
var checkRoleNames = map[KeyPersonRole]string{
	LegalRepresentative: "法定代表人",
	Principal:           "主要负责人",
	ActualController:    "实际控制人",
	DirectlyResponsible: "直接责任人员",
}

// checkSeverityNames are the Chinese names of the penalty severities.
var checkSeverityNames = map[Severity]string{Minor: "轻微", General: "一般", Serious: "严重"}

// checkSeverities lists severities as "一般或严重".
func checkSeverities(ss []Severity) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = checkSeverityNames[s]
	}
	return strings.Join(names, "或")
}

// checkGreenChannelReasons explains the green channel: granted on an honour,
// granted on a clean window (both when both hold), or refused with the bad
// records that refuse it.
func checkGreenChannelReasons(honours []ListEntry, bad checkSet, from, to Date, rules CheckRules) []Reason {
	var out []Reason
	if len(honours) > 0 {
		refs := checkSet{entries: honours}.refs()
		out = append(out, Reason{Rule: RuleGreenChannelHonoured, Records: refs, Text: fmt.Sprintf(
			"该主体截至%s列入守信红名单：%s，可适用绿色通道。", checkCNDate(to), checkEntryLabels(honours, nil))})
	}
	if bad.empty() {
		out = append(out, Reason{Rule: RuleGreenChannelNoBadRecord, Records: []RecordRef{}, Text: fmt.Sprintf(
			"该主体在%s至%s期间无%s行政处罚，无失信黑名单记录，可适用绿色通道。",
			checkCNDate(from), checkCNDate(to), checkSeverities(rules.BadSeverities))})
	}
	if len(honours) == 0 && !bad.empty() {
		refs := bad.refs()
		out = append(out, Reason{Rule: RuleGreenChannelRefused, Records: refs, Text: fmt.Sprintf(
			"该主体在%s至%s期间有%d条不良记录（%s：%s），且未列入可适用绿色通道的守信红名单，不适用绿色通道。",
			checkCNDate(from), checkCNDate(to), len(refs), checkBadCounts(bad, rules), checkRefNames(refs))})
	}
	return out
}

// checkBadCounts breaks a set of bad records down by kind.
func checkBadCounts(s checkSet, rules CheckRules) string {
	var parts []string
	if n := len(s.penalties); n > 0 {
		parts = append(parts, fmt.Sprintf("%s行政处罚%d条", checkSeverities(rules.BadSeverities), n))
	}
	if n := len(s.entries); n > 0 {
		parts = append(parts, fmt.Sprintf("失信黑名单记录%d条", n))
	}
	if n := len(s.attributed); n > 0 {
		parts = append(parts, fmt.Sprintf("因任职组织失信记入的黑名单记录%d条", n))
	}
	return strings.Join(parts, "，")
}

// checkMissingDocumentsReasons explains 容缺受理: refused without the green
// channel, refused while a bad record is in effect, allowed otherwise.
func checkMissingDocumentsReasons(green bool, bad, open checkSet, asOf Date) []Reason {
	var out []Reason
	if !green {
		out = append(out, Reason{Rule: RuleMissingDocumentsRefusedNoGreenChannel, Records: bad.refs(),
			Text: "该主体不适用绿色通道，因此不适用容缺受理。"})
	}
	if !open.empty() {
		refs := open.refs()
		out = append(out, Reason{Rule: RuleMissingDocumentsRefusedUnrepaired, Records: refs, Text: fmt.Sprintf(
			"该主体截至%s有%d条尚未修复的不良记录（%s），不适用容缺受理。", checkCNDate(asOf), len(refs), checkRefNames(refs))})
	}
	if green && open.empty() {
		out = append(out, Reason{Rule: RuleMissingDocumentsAllowed, Records: []RecordRef{}, Text: fmt.Sprintf(
			"该主体可适用绿色通道，且截至%s无尚未修复的不良记录，可容缺受理。", checkCNDate(asOf))})
	}
	return out
}

// checkMeasureKinds are the Chinese names of the measure kinds.
var checkMeasureKinds = map[MeasureKind]string{Reward: "激励", Punishment: "惩戒"}

// checkMeasureReasons gives one reason per applied measure, with its legal basis
// and the entry that triggers it.
func checkMeasureReasons(ms []AppliedMeasure) []Reason {
	out := make([]Reason, 0, len(ms))
	for _, m := range ms {
		cause := "该主体列入" + checkEntryLabel(m.Entry)
		if m.Via != nil {
			cause = "该主体任" + checkRoleNames[m.Via.Role] + "的组织列入" + checkEntryLabel(m.Entry)
		}
		out = append(out, Reason{Rule: RuleMeasureApplies, Records: []RecordRef{EntryRef(m.Entry)}, Text: fmt.Sprintf(
			"因%s，依据%s，适用%s措施“%s”。", cause, m.Measure.LegalBasis, checkMeasureKinds[m.Measure.Kind], m.Measure.Name)})
	}
	return out
}

// restrictedReasons gives a reason for every RESTRICTED condition that holds.
func (f checkCreditFacts) restrictedReasons(rules CheckRules) []Reason {
	var out []Reason
	if !f.black.empty() {
		out = append(out, Reason{Rule: RuleCreditRestrictedBlacklisted, Records: f.black.refs(), Text: fmt.Sprintf(
			"该主体截至%s在失信黑名单内：%s，信用结论为限制。",
			checkCNDate(f.asOf), checkEntryLabels(f.black.entries, f.black.attributed))})
	}
	if len(f.punishments) > 0 {
		var names []string
		var refs []RecordRef
		for _, m := range f.punishments {
			names = append(names, "“"+m.Measure.Name+"”")
			if r := EntryRef(m.Entry); !slices.Contains(refs, r) {
				refs = append(refs, r)
			}
		}
		checkSortRefs(refs)
		out = append(out, Reason{Rule: RuleCreditRestrictedMeasure, Records: refs, Text: fmt.Sprintf(
			"该主体适用%d项金融信贷领域惩戒措施（%s），信用结论为限制。", len(names), strings.Join(names, "、"))})
	}
	if f.grade != nil && slices.Contains(rules.RestrictedTaxGrades, f.grade.Grade) {
		out = append(out, Reason{Rule: RuleCreditRestrictedTaxD, Records: []RecordRef{}, Text: fmt.Sprintf(
			"该主体%d年度纳税信用级别为%s级，信用结论为限制。", f.grade.Year, f.grade.Grade)})
	}
	return out
}

// cautionReasons gives a reason for every CAUTION condition that holds.
func (f checkCreditFacts) cautionReasons(rules CheckRules) []Reason {
	var out []Reason
	window := checkCNDate(f.from) + "至" + checkCNDate(f.asOf)
	if n := len(f.serious); n > 0 && n >= rules.CautionSeriousPenalties {
		refs := checkSet{penalties: f.serious}.refs()
		out = append(out, Reason{Rule: RuleCreditCautionSeriousPenalty, Records: refs, Text: fmt.Sprintf(
			"该主体在%s期间有%d条严重行政处罚（%s），信用结论为关注。", window, n, checkRefNames(refs))})
	}
	if n := len(f.general); n > 0 && n >= rules.CautionGeneralPenalties {
		refs := checkSet{penalties: f.general}.refs()
		out = append(out, Reason{Rule: RuleCreditCautionGeneralPenalties, Records: refs, Text: fmt.Sprintf(
			"该主体在%s期间有%d条一般行政处罚（%s），达到%d条的关注标准，信用结论为关注。",
			window, n, checkRefNames(refs), rules.CautionGeneralPenalties)})
	}
	if f.grade != nil && slices.Contains(rules.CautionTaxGrades, f.grade.Grade) {
		out = append(out, Reason{Rule: RuleCreditCautionTaxC, Records: []RecordRef{}, Text: fmt.Sprintf(
			"该主体%d年度纳税信用级别为%s级，信用结论为关注。", f.grade.Year, f.grade.Grade)})
	}
	for _, k := range f.findings {
		s := checkSet{entries: k.Entries, attributed: k.Attributed}
		out = append(out, Reason{Rule: RuleCreditCautionKeyPerson, Records: s.refs(), Text: fmt.Sprintf(
			"该主体的%s截至%s在失信黑名单内：%s，信用结论为关注。",
			checkRoleNames[k.Role], checkCNDate(f.asOf), checkEntryLabels(k.Entries, k.Attributed))})
	}
	return out
}

// clearReason says what a CLEAR verdict rests on: every condition checked
// and found absent.
func (f checkCreditFacts) clearReason(rules CheckRules) Reason {
	text := fmt.Sprintf("该主体截至%s不在失信黑名单内，无金融信贷领域惩戒措施；%s至%s期间%s、%s；",
		checkCNDate(f.asOf), checkCNDate(f.from), checkCNDate(f.asOf),
		checkFewer("严重行政处罚", rules.CautionSeriousPenalties), checkFewer("一般行政处罚", rules.CautionGeneralPenalties))
	if f.grade != nil {
		text += fmt.Sprintf("%d年度纳税信用级别为%s级；", f.grade.Year, f.grade.Grade)
	}
	if !f.person && len(rules.KeyPersonRoles) > 0 {
		roles := make([]string, len(rules.KeyPersonRoles))
		for i, k := range rules.KeyPersonRoles {
			roles[i] = checkRoleNames[k]
		}
		text += strings.Join(roles, "、") + "无失信黑名单记录；"
	}
	return Reason{Rule: RuleCreditClear, Records: []RecordRef{}, Text: text + "信用结论为正常。"}
}

// checkFewer says that fewer than n records of a kind were found: "无严重行政处罚"
// for n = 1, "一般行政处罚少于3条" otherwise.
func checkFewer(what string, n int) string {
	if n <= 1 {
		return "无" + what
	}
	return fmt.Sprintf("%s少于%d条", what, n)
}
