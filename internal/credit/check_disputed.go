package credit

import (
	"fmt"
	"strings"
)

// Records under objection in the checks. A record is disputed on the day
// asked about when an objection against it was filed on or before that
// day and not closed by then (Objection.OpenOn); the loader passes the
// references of such objections in CheckRecords.Disputed. While disputed,
// a record is set aside: it is no bad record, counts in no total, triggers
// no measure and decides no verdict, and the answer lists it in Disputed
// with the reason RECORD_DISPUTED_MEASURES_SUSPENDED. A disputed key-person
// link carries no entry to the person and no finding to the organisation;
// a disputed tax grade is shown but decides nothing. An answer about a day
// before the objection shows the record as it counted then.

// RuleRecordDisputed is the reason given when records are set aside.
const RuleRecordDisputed RuleID = "RECORD_DISPUTED_MEASURES_SUSPENDED"

// disputeKey identifies a disputed record; a tax grade's id is a year, so
// its subject is part of the key.
type disputeKey struct {
	kind    RecordKind
	id      int64
	subject int64
}

func disputeKeyOf(ref RecordRef) disputeKey {
	k := disputeKey{kind: ref.Kind, id: ref.ID}
	if ref.Kind == RecordKindTaxGrade {
		k.subject = ref.SubjectID
	}
	return k
}

// setAside returns r without its records under objection, and the
// references of the disputed records the answer shows: the subject's own
// (whatever their kind) and every other one it set aside. Never nil.
func (r CheckRecords) setAside() (CheckRecords, []RecordRef) {
	out := []RecordRef{}
	if len(r.Disputed) == 0 {
		return r, out
	}
	disputed := map[disputeKey]bool{}
	for _, ref := range r.Disputed {
		disputed[disputeKeyOf(ref)] = true
	}
	used := map[disputeKey]bool{}
	is := func(kind RecordKind, id, subject int64) bool {
		k := disputeKey{kind: kind, id: id, subject: subject}
		if disputed[k] {
			used[k] = true
			return true
		}
		return false
	}
	keepEntries := func(es []ListEntry) []ListEntry {
		var kept []ListEntry
		for _, e := range es {
			if !is(RecordKindListEntry, e.ID, 0) {
				kept = append(kept, e)
			}
		}
		return kept
	}
	keepAttributed := func(as []AttributedEntry) []AttributedEntry {
		var kept []AttributedEntry
		for _, a := range as {
			// Both are asked, so that both are reported when both are disputed.
			entry, link := is(RecordKindListEntry, a.Entry.ID, 0), is(RecordKindKeyPerson, a.Via.ID, 0)
			if !entry && !link {
				kept = append(kept, a)
			}
		}
		return kept
	}
	var penalties []Penalty
	for _, p := range r.Penalties {
		if !is(RecordKindPenalty, p.ID, 0) {
			penalties = append(penalties, p)
		}
	}
	r.Penalties = penalties
	r.Entries, r.Attributed = keepEntries(r.Entries), keepAttributed(r.Attributed)
	var kps []KeyPersonRecords
	for _, k := range r.KeyPersons {
		if is(RecordKindKeyPerson, k.LinkID, 0) {
			continue
		}
		k.Entries, k.Attributed = keepEntries(k.Entries), keepAttributed(k.Attributed)
		kps = append(kps, k)
	}
	r.KeyPersons = kps
	if r.TaxGrade != nil && is(RecordKindTaxGrade, int64(r.TaxGrade.Year), r.Subject.ID) {
		r.gradeSetAside = true
	}
	for _, ref := range r.Disputed {
		k := disputeKeyOf(ref)
		if (ref.SubjectID == r.Subject.ID || used[k]) && !containsRef(out, ref) {
			out = append(out, ref)
		}
	}
	checkSortRefs(out)
	return r, out
}

func containsRef(refs []RecordRef, r RecordRef) bool {
	for _, x := range refs {
		if disputeKeyOf(x) == disputeKeyOf(r) {
			return true
		}
	}
	return false
}

// recordKindNames are the Chinese names of the record kinds.
var recordKindNames = map[RecordKind]string{
	RecordKindPenalty:   "行政处罚",
	RecordKindLicence:   "行政许可",
	RecordKindListEntry: "红黑名单记录",
	RecordKindKeyPerson: "任职记录",
	RecordKindTaxGrade:  "纳税信用级别",
}

// checkDisputedReason explains the records set aside; none when there is
// nothing disputed.
func checkDisputedReason(refs []RecordRef, asOf Date) []Reason {
	if len(refs) == 0 {
		return nil
	}
	parts := make([]string, len(refs))
	for i, ref := range refs {
		parts[i] = fmt.Sprintf("%s（%s）", recordKindNames[ref.Kind], checkRefNames([]RecordRef{ref}))
	}
	return []Reason{{Rule: RuleRecordDisputed, Records: refs, Text: fmt.Sprintf(
		"截至%s，以下记录正在异议处理中：%s。异议处理期间这些记录不作为判断依据，依据其实施的联合奖惩措施暂停执行。",
		checkCNDate(asOf), strings.Join(parts, "、"))}}
}
