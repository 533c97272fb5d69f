package importer

import (
	"fmt"
	"io"
	"strings"

	"github.com/credithub/credithub/internal/credit"
)

// The licence's own columns, after the party's.
const (
	xkXKWS = numPartyColumns + iota
	xkWSH
	xkXKLB
	xkXKZS
	xkXKBH
	xkNR
	xkJDRQ
	xkYXQZ
	xkYXQZI
	xkXKJG
	xkXKJGDM
	xkZT
	xkLYDW
	xkLYDWDM
	xkBZ
)

// LicenceColumns are the columns of a licence file: the 双公示 licence
// columns.
var LicenceColumns, licenceFields = recordColumns("XK_",
	map[string]bool{"XDR_MC": true, "XDR_LB": true, "XK_XKWS": true, "XK_WSH": true, "XK_XKLB": true, "XK_NR": true,
		"XK_JDRQ": true, "XK_YXQZ": true, "XK_XKJG": true, "XK_XKJGDM": true},
	[]string{"XK_XKWS", "XK_WSH", "XK_XKLB", "XK_XKZS", "XK_XKBH", "XK_NR", "XK_JDRQ", "XK_YXQZ", "XK_YXQZI",
		"XK_XKJG", "XK_XKJGDM", "XK_ZT", "XK_LYDW", "XK_LYDWDM", "BZ"},
	map[string]int{"input.documentName": xkXKWS, "input.decisionNumber": xkWSH, "input.category": xkXKLB,
		"input.certificateName": xkXKZS, "input.licenceNumber": xkXKBH, "input.content": xkNR,
		"input.decidedOn": xkJDRQ, "input.validFrom": xkYXQZ, "input.validUntil": xkYXQZI,
		"input.authorityName": xkXKJG, "input.authorityCode": xkXKJGDM, "input.sourceName": xkLYDW,
		"input.sourceCode": xkLYDWDM, "input.remarks": xkBZ})

// Licence statuses as the licences table stores them (XK_ZT).
const (
	LicenceValid   = "VALID"
	LicenceRevoked = "REVOKED"
)

// Licence is a decoded, validated licence row.
type Licence struct {
	Line   int
	Input  credit.LicenceInput
	Intake credit.Intake
	// Status is XK_ZT: LicenceValid (1, 有效, or empty) or LicenceRevoked
	// (2, 无效).
	Status   string
	Warnings []string
}

// NewLicences reads the header of a licence file in encoding enc and
// returns its reader; rows are validated as pushed on day today. Errors as
// NewTable.
func NewLicences(src io.Reader, enc Encoding, today credit.Date) (*Reader[Licence], error) {
	seen := NewSeen()
	return newReader(src, enc, LicenceColumns, func(t *Table, row Row) (Licence, *Reject) {
		return decodeLicence(row, today, seen)
	})
}

func decodeLicence(row Row, today credit.Date, seen *Seen) (Licence, *Reject) {
	party, rej := decodeParty(row)
	if rej != nil {
		return Licence{}, rej
	}
	in := credit.LicenceInput{Party: party, DocumentName: row.Get(xkXKWS), DecisionNo: row.Get(xkWSH),
		Category: row.Get(xkXKLB), CertificateName: row.Get(xkXKZS), LicenceNo: row.Get(xkXKBH),
		Content: row.Get(xkNR), AuthorityName: row.Get(xkXKJG), AuthorityCode: row.Get(xkXKJGDM),
		SourceName: row.Get(xkLYDW), SourceCode: row.Get(xkLYDWDM), Remarks: row.Get(xkBZ)}
	var err error
	for _, d := range []struct {
		col int
		dst *credit.Date
	}{{xkJDRQ, &in.DecidedOn}, {xkYXQZ, &in.ValidFrom}} {
		if v := row.Get(d.col); strings.TrimSpace(v) != "" {
			if *d.dst, err = ParseDate(v); err != nil {
				return Licence{}, row.Reject(d.col, err.Error())
			}
		}
	}
	if in.ValidUntil, err = optionalDate(row.Get(xkYXQZI), true); err != nil {
		return Licence{}, row.Reject(xkYXQZI, err.Error())
	}
	var status string
	switch v := strings.TrimSpace(row.Get(xkZT)); v {
	case "", "1", "有效":
		status = LicenceValid
	case "2", "无效":
		status = LicenceRevoked
	default:
		return Licence{}, row.Reject(xkZT, fmt.Sprintf("%q is not 1 (有效) or 2 (无效)", v))
	}
	intake, err := in.Validate(today)
	if err != nil {
		return Licence{}, fieldReject(row, err, licenceFields)
	}
	if rej := checkRepeats(seen, row, xkWSH, in.AuthorityCode, in.DecisionNo, intake); rej != nil {
		return Licence{}, rej
	}
	return Licence{Line: row.Line, Input: in, Intake: intake, Status: status, Warnings: intake.Warnings}, nil
}
