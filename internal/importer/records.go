package importer

import (
	"fmt"
	"io"
	"strings"

	"github.com/credithub/credithub/internal/credit"
)

// The party (行政相对人) columns, the same thirteen at the start of both
// 双公示 formats, after the prefix CF_ or XK_.
const (
	colName = iota
	colCategory
	colUSCC
	colBusinessRegNo
	colOrganizationCode
	colTaxRegNo
	colPublicInstitutionNo
	colSocialOrgNo
	colLegalRepName
	colLegalRepIDType
	colLegalRepIDNo
	colIDType
	colIDNo
	numPartyColumns
)

var partySuffixes = [numPartyColumns]string{"XDR_MC", "XDR_LB", "XDR_SHXYM", "XDR_GSZC", "XDR_ZZJG", "XDR_SWDJ",
	"XDR_SYDW", "XDR_SHZZ", "FRDB", "FR_ZJLX", "FR_ZJHM", "XDR_ZJLX", "XDR_ZJHM"}

// partyFields maps the party's GraphQL field paths to its columns.
var partyFields = map[string]int{
	"input.party.name": colName, "input.party.category": colCategory,
	"input.party.unifiedSocialCreditCode": colUSCC, "input.party.businessRegistrationNumber": colBusinessRegNo,
	"input.party.organizationCode": colOrganizationCode, "input.party.taxRegistrationNumber": colTaxRegNo,
	"input.party.publicInstitutionNumber": colPublicInstitutionNo, "input.party.socialOrganizationNumber": colSocialOrgNo,
	"input.party.legalRepresentativeName": colLegalRepName, "input.party.legalRepresentativeIdType": colLegalRepIDType,
	"input.party.legalRepresentativeIdNumber": colLegalRepIDNo, "input.party.idType": colIDType,
	"input.party.idNumber": colIDNo,
}

// recordColumns returns the party columns with prefix, then the kind's own,
// and the field map of the kind: the party's plus own.
func recordColumns(prefix string, required map[string]bool, own []string, ownFields map[string]int) ([]Column, map[string]int) {
	var cs []Column
	for _, s := range partySuffixes {
		cs = append(cs, Column{prefix + s, required[s]})
	}
	for _, n := range own {
		cs = append(cs, Column{n, required[n]})
	}
	fields := make(map[string]int, len(partyFields)+len(ownFields))
	for f, i := range partyFields {
		fields[f] = i
	}
	for f, i := range ownFields {
		fields[f] = i
	}
	return cs, fields
}

// decodeParty reads the party columns of row.
func decodeParty(row Row) (credit.RecordParty, *Reject) {
	cat, err := parseCategory(row.Get(colCategory))
	if err != nil {
		return credit.RecordParty{}, row.Reject(colCategory, err.Error())
	}
	return credit.RecordParty{
		Name: row.Get(colName), Category: cat, USCC: row.Get(colUSCC), BusinessRegNo: row.Get(colBusinessRegNo),
		OrganizationCode: row.Get(colOrganizationCode), TaxRegNo: row.Get(colTaxRegNo),
		PublicInstitutionNo: row.Get(colPublicInstitutionNo), SocialOrgNo: row.Get(colSocialOrgNo),
		LegalRepName: row.Get(colLegalRepName), LegalRepIDType: row.Get(colLegalRepIDType),
		LegalRepIDNo: row.Get(colLegalRepIDNo), IDType: row.Get(colIDType), IDNo: row.Get(colIDNo),
	}, nil
}

// checkRepeats rejects a row that repeats what an earlier line of the file
// said, and otherwise records what it says:
//
//   - a decision number its authority already used: the later row is
//     rejected rather than taking the place of the earlier one, because
//     two different rows for one decision are a mistake in the export that
//     someone has to look at, and a rule that silently kept one would hide
//     it;
//   - a code used as a natural person where an earlier line used it as an
//     organisation, or the other way round (as the subject or the legal
//     representative): a code's kind in a file is fixed by its first use,
//     as it is in the registry by its registration.
func checkRepeats(seen *Seen, row Row, wsh int, authority, decisionNo string, in credit.Intake) *Reject {
	if first, _, ok := seen.Get("decision", authority, decisionNo); ok {
		return row.Reject(wsh, fmt.Sprintf("decision number %s of authority %s is already on line %d: a decision appears once in a file",
			decisionNo, authority, first))
	}
	uses := [2]codeUse{{in.Subject.Code, in.Subject.Kind.IsPerson(), colCategory, false}}
	n := 1
	if in.LegalRep != nil {
		uses[1] = codeUse{in.LegalRep.Code, true, colLegalRepIDNo, false}
		n = 2
	}
	for i := range uses[:n] {
		u := &uses[i]
		first, v, ok := seen.Get("code", u.code)
		if ok && v != personValue(u.person) {
			what := "an organisation"
			if v == personValue(true) {
				what = "a natural person"
			}
			return row.Reject(u.col, fmt.Sprintf("%s is used as %s on line %d of this file: a natural person and an organisation are never the same subject",
				u.code, what, first))
		}
		u.known = ok
	}
	seen.Put(row.Line, 0, "decision", authority, decisionNo)
	for i, u := range uses[:n] {
		// Each code was looked up once, above; a code the row names twice
		// is recorded as its first use says.
		if !u.known && (i == 0 || u.code != uses[0].code) {
			seen.Put(row.Line, personValue(u.person), "code", u.code)
		}
	}
	return nil
}

// codeUse is a code a row uses: as a natural person's or not, in column
// col, and whether the file named it before.
type codeUse struct {
	code   string
	person bool
	col    int
	known  bool
}

// personValue is how Seen records whether a code is a natural person's.
func personValue(person bool) uint64 {
	if person {
		return 1
	}
	return 2
}

// The penalty's own columns, after the party's.
const (
	cfWSH = numPartyColumns + iota
	cfWFXW
	cfSY
	cfYJ
	cfCFLB
	cfNR
	cfFK
	cfWFFF
	cfZKDX
	cfJDRQ
	cfYXQ
	cfGSJZQ
	cfCFJG
	cfCFJGDM
	cfSJLY
	cfSJLYDM
	cfBZ
	cfSeverity
	cfYZCD
	cfZT
)

// PenaltyColumns are the columns of a penalty file: the 双公示 penalty
// columns, two optional ones that override the derived severity
// (SEVERITY, or CF_YZCD as some systems call it), and the status CF_ZT
// that `credithub export` appends, so that an export reads back.
var PenaltyColumns, penaltyFields = recordColumns("CF_",
	map[string]bool{"XDR_MC": true, "XDR_LB": true, "CF_WSH": true, "CF_WFXW": true, "CF_SY": true, "CF_YJ": true,
		"CF_CFLB": true, "CF_NR": true, "CF_JDRQ": true, "CF_CFJG": true, "CF_CFJGDM": true},
	[]string{"CF_WSH", "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR", "CF_NR_FK", "CF_NR_WFFF", "CF_NR_ZKDX",
		"CF_JDRQ", "CF_YXQ", "CF_GSJZQ", "CF_CFJG", "CF_CFJGDM", "CF_SJLY", "CF_SJLYDM", "BZ", "SEVERITY", "CF_YZCD", "CF_ZT"},
	map[string]int{"input.decisionNumber": cfWSH, "input.violationType": cfWFXW, "input.facts": cfSY,
		"input.legalBasis": cfYJ, "input.category": cfCFLB, "input.content": cfNR, "input.fine": cfFK,
		"input.confiscated": cfWFFF, "input.suspendedLicence": cfZKDX, "input.decidedOn": cfJDRQ,
		"input.validUntil": cfYXQ, "input.authorityName": cfCFJG, "input.authorityCode": cfCFJGDM,
		"input.sourceName": cfSJLY, "input.sourceCode": cfSJLYDM, "input.remarks": cfBZ, "input.severity": cfSeverity})

// Penalty is a decoded, validated penalty row.
type Penalty struct {
	Line   int
	Input  credit.PenaltyInput
	Intake credit.Intake
	// Warnings are what the penalty is accepted with: the party's (a code
	// that fails only its checksum) and the decoder's (an empty amount).
	Warnings []string
}

// NewPenalties reads the header of a penalty file in encoding enc and
// returns its reader; rows are validated as pushed on day today. Errors as
// NewTable.
func NewPenalties(src io.Reader, enc Encoding, today credit.Date, book *credit.RuleBook) (*Reader[Penalty], error) {
	seen := NewSeen()
	return newReader(src, enc, PenaltyColumns, func(t *Table, row Row) (Penalty, *Reject) {
		return decodePenalty(row, today, book, seen)
	})
}

func decodePenalty(row Row, today credit.Date, book *credit.RuleBook, seen *Seen) (Penalty, *Reject) {
	party, rej := decodeParty(row)
	if rej != nil {
		return Penalty{}, rej
	}
	in := credit.PenaltyInput{Party: party, DecisionNo: row.Get(cfWSH), ViolationType: row.Get(cfWFXW),
		Facts: row.Get(cfSY), LegalBasis: row.Get(cfYJ), Category: row.Get(cfCFLB), Content: row.Get(cfNR),
		SuspendedLicence: row.Get(cfZKDX), AuthorityName: row.Get(cfCFJG), AuthorityCode: row.Get(cfCFJGDM),
		SourceName: row.Get(cfSJLY), SourceCode: row.Get(cfSJLYDM), Remarks: row.Get(cfBZ)}
	var warnings []string
	var err error
	if in.Fine, err = parseAmount(row.Get(cfFK), "CF_NR_FK", &warnings); err != nil {
		return Penalty{}, row.Reject(cfFK, err.Error())
	}
	if in.Confiscated, err = parseAmount(row.Get(cfWFFF), "CF_NR_WFFF", &warnings); err != nil {
		return Penalty{}, row.Reject(cfWFFF, err.Error())
	}
	if in.DecidedOn, err = ParseDate(row.Get(cfJDRQ)); err != nil && strings.TrimSpace(row.Get(cfJDRQ)) != "" {
		return Penalty{}, row.Reject(cfJDRQ, err.Error())
	}
	if in.ValidUntil, err = optionalDate(row.Get(cfYXQ), true); err != nil {
		return Penalty{}, row.Reject(cfYXQ, err.Error())
	}
	for _, col := range []int{cfSeverity, cfYZCD} {
		if v := strings.TrimSpace(row.Get(col)); v != "" {
			s, ok := severities[v]
			if !ok {
				return Penalty{}, row.Reject(col, fmt.Sprintf("%q is not one of MINOR, GENERAL, SERIOUS (轻微, 一般, 严重)", v))
			}
			in.Severity = s
			break
		}
	}
	if in.Severity == "" && !in.DecidedOn.IsZero() {
		// The file does not state it: the PENALTY_SEVERITY rule in force on
		// the decision date derives it.
		rule, ok := book.Severity(in.DecidedOn)
		if !ok {
			return Penalty{}, row.Reject(cfJDRQ, fmt.Sprintf("%s: no %s rule was in force on that date to derive the severity; "+
				"state it in a SEVERITY column", in.DecidedOn, credit.RulePenaltySeverity))
		}
		in.Severity = rule.Derive(in.Category, in.Party.Category, in.Fine, in.Confiscated)
	}
	switch zt := strings.TrimSpace(row.Get(cfZT)); zt {
	case "", "1":
	case "2":
		return Penalty{}, row.Reject(cfZT, "2 (撤销, revoked): a file brings penalties in force; a revocation is recorded with revokePenalty, which takes its reason")
	case "3":
		return Penalty{}, row.Reject(cfZT, "3 (信用修复, repaired): a file brings penalties in force; a repair is recorded by the credit office, not imported")
	default:
		return Penalty{}, row.Reject(cfZT, fmt.Sprintf("%q is not 1 (正常, in force), 2 (撤销, revoked) or 3 (信用修复, repaired)", zt))
	}
	intake, err := in.Validate(today)
	if err != nil {
		return Penalty{}, fieldReject(row, err, penaltyFields)
	}
	if rej := checkRepeats(seen, row, cfWSH, in.AuthorityCode, in.DecisionNo, intake); rej != nil {
		return Penalty{}, rej
	}
	return Penalty{Line: row.Line, Input: in, Intake: intake, Warnings: append(intake.Warnings, warnings...)}, nil
}

// severities are the values of the SEVERITY and CF_YZCD columns.
var severities = map[string]credit.Severity{
	"MINOR": credit.Minor, "GENERAL": credit.General, "SERIOUS": credit.Serious,
	"轻微": credit.Minor, "一般": credit.General, "严重": credit.Serious,
}
