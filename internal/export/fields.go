// Package export writes licences and penalties the way the provincial
// platform takes them: the 双公示 standard's column names, its units (万元
// for amounts) and its codes (XDR_LB as Chinese category names, XK_ZT as
// 1/2), as a CSV file with a header row or as JSON Lines with the same keys.
// It is pure: it turns credit values into bytes and never touches the
// database, so the same encoding serves the command line and the tests.
package export

import (
	"github.com/credithub/credithub/internal/credit"
)

// LicenceColumns are the 双公示 licence columns, in the standard's order
// (DOMAIN.md). The migration 00006's licence trigger compares the same
// fields (plus none other) to decide whether a change must be sent.
var LicenceColumns = []string{"XK_XDR_MC", "XK_XDR_LB", "XK_XDR_SHXYM", "XK_XDR_GSZC", "XK_XDR_ZZJG",
	"XK_XDR_SWDJ", "XK_XDR_SYDW", "XK_XDR_SHZZ", "XK_FRDB", "XK_FR_ZJLX", "XK_FR_ZJHM", "XK_XDR_ZJLX",
	"XK_XDR_ZJHM", "XK_XKWS", "XK_WSH", "XK_XKLB", "XK_XKZS", "XK_XKBH", "XK_NR", "XK_JDRQ", "XK_YXQZ",
	"XK_YXQZI", "XK_XKJG", "XK_XKJGDM", "XK_ZT", "XK_LYDW", "XK_LYDWDM", "BZ"}

// PenaltyColumns are the 双公示 penalty columns in the standard's order,
// followed by CF_ZT. The current standard has no status for a penalty, but
// a revoked or repaired penalty must reach the platform as such, so the
// export appends the older standard's 当前状态 field CF_ZT (see
// PenaltyStatusCode) as the last column, where a reader that goes by
// column names and ignores unknown ones is not disturbed by it.
var PenaltyColumns = []string{"CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_XDR_GSZC", "CF_XDR_ZZJG",
	"CF_XDR_SWDJ", "CF_XDR_SYDW", "CF_XDR_SHZZ", "CF_FRDB", "CF_FR_ZJLX", "CF_FR_ZJHM", "CF_XDR_ZJLX",
	"CF_XDR_ZJHM", "CF_WSH", "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR", "CF_NR_FK", "CF_NR_WFFF",
	"CF_NR_ZKDX", "CF_JDRQ", "CF_YXQ", "CF_GSJZQ", "CF_CFJG", "CF_CFJGDM", "CF_SJLY", "CF_SJLYDM", "BZ", "CF_ZT"}

// CategoryName is XDR_LB as the standard writes it.
func CategoryName(c credit.SubjectCategory) string {
	switch c {
	case credit.CategoryOrganization:
		return "法人及非法人组织"
	case credit.CategoryNaturalPerson:
		return "自然人"
	case credit.CategoryIndividualBusiness:
		return "个体工商户"
	}
	return string(c)
}

// LicenceStatusCode is XK_ZT: 1 有效 (valid), 2 无效 (revoked).
func LicenceStatusCode(status string) string {
	if status == "REVOKED" {
		return "2"
	}
	return "1"
}

// PenaltyStatusCode is CF_ZT: 1 正常 (in force), 2 撤销 (revoked, decided
// in error), 3 修复 (publication ended by credit repair). The codes follow
// XK_ZT's 1/2 and add 3; confirm them against the platform's code list
// before the first upload.
func PenaltyStatusCode(status string) string {
	switch status {
	case "REVOKED":
		return "2"
	case "REPAIRED":
		return "3"
	}
	return "1"
}

// date formats an optional date as YYYY-MM-DD, empty when there is none
// (XK_YXQZI empty is 长期, no end).
func date(d *credit.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// party is the 13 subject columns shared by both kinds, in order.
func party(p credit.RecordParty) []string {
	return []string{p.Name, CategoryName(p.Category), p.USCC, p.BusinessRegNo, p.OrganizationCode, p.TaxRegNo,
		p.PublicInstitutionNo, p.SocialOrgNo, p.LegalRepName, p.LegalRepIDType, p.LegalRepIDNo, p.IDType, p.IDNo}
}

// LicenceFields returns l's values in the order of LicenceColumns.
func LicenceFields(l credit.Licence) []string {
	return append(party(l.RecordParty), l.DocumentName, l.DecisionNo, l.Category, l.CertificateName,
		l.LicenceNo, l.Content, l.DecidedOn.String(), l.ValidFrom.String(), date(l.ValidUntil), l.AuthorityName,
		l.AuthorityCode, LicenceStatusCode(l.Status), l.SourceName, l.SourceCode, l.Remarks)
}

// PenaltyFields returns p's values in the order of PenaltyColumns, with
// CF_NR_FK and CF_NR_WFFF in 万元 (5000 yuan is "0.5").
func PenaltyFields(p credit.Penalty) []string {
	return append(party(p.RecordParty), p.DecisionNo, p.ViolationType, p.Facts, p.LegalBasis, p.Category,
		p.Content, p.Fine.Wan(), p.Confiscated.Wan(), p.SuspendedLicence, p.DecidedOn.String(),
		date(p.ValidUntil), date(p.PublicUntil), p.AuthorityName, p.AuthorityCode, p.SourceName, p.SourceCode,
		p.Remarks, PenaltyStatusCode(p.Status))
}
