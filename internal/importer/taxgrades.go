package importer

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/credithub/credithub/internal/credit"
)

// The columns of a tax grades file.
const (
	tgCode = iota
	tgYear
	tgGrade
	tgScore
)

// TaxGradeColumns are the columns of a tax grades file.
var TaxGradeColumns = []Column{{"code", true}, {"year", true}, {"grade", true}, {"score", false}}

// TaxGradeRow is a decoded, validated row of a tax grades file.
type TaxGradeRow struct {
	Line  int
	Code  string
	Year  int
	Grade credit.TaxGrade
	// Score is the score in hundredths of a point (9250 is 92.50), nil
	// when the file gives none.
	Score *int
}

// ScoreText is the score as a decimal with two places ("92.50"), or "".
func (r TaxGradeRow) ScoreText() string {
	if r.Score == nil {
		return ""
	}
	return fmt.Sprintf("%d.%02d", *r.Score/100, *r.Score%100)
}

// NewTaxGrades reads the header of a tax grades file in encoding enc and
// returns its reader; years after today's are rejected, and a subject's
// year appears once per file (later rows are rejected). Errors as NewTable.
func NewTaxGrades(src io.Reader, enc Encoding, today credit.Date) (*Reader[TaxGradeRow], error) {
	seen := NewSeen()
	return newReader(src, enc, TaxGradeColumns, func(t *Table, row Row) (TaxGradeRow, *Reject) {
		return decodeTaxGrade(row, today, seen)
	})
}

func decodeTaxGrade(row Row, today credit.Date, seen *Seen) (TaxGradeRow, *Reject) {
	out := TaxGradeRow{Line: row.Line, Code: strings.ToUpper(strings.TrimSpace(row.Get(tgCode)))}
	if n := len([]rune(out.Code)); n != 18 {
		return out, row.Reject(tgCode, fmt.Sprintf("must be an 18-character unified social credit code or citizen ID number, got %d characters", n))
	}
	year, err := strconv.Atoi(strings.TrimSpace(row.Get(tgYear)))
	if err != nil || year < 2000 || year > today.Year() {
		return out, row.Reject(tgYear, fmt.Sprintf("must be an assessment year from 2000 to %d", today.Year()))
	}
	out.Year = year
	switch g := credit.TaxGrade(strings.ToUpper(strings.TrimSpace(row.Get(tgGrade)))); g {
	case credit.GradeA, credit.GradeB, credit.GradeM, credit.GradeC, credit.GradeD:
		out.Grade = g
	default:
		return out, row.Reject(tgGrade, fmt.Sprintf("%q is not one of A, B, M, C, D", row.Get(tgGrade)))
	}
	if v := strings.TrimSpace(row.Get(tgScore)); v != "" {
		score, err := parseScore(v)
		if err != nil {
			return out, row.Reject(tgScore, err.Error())
		}
		out.Score = &score
	}
	if first := seen.Add(row.Line, out.Code, strconv.Itoa(year)); first != 0 {
		return out, row.Reject(tgYear, fmt.Sprintf("%s already has a grade for %d on line %d", out.Code, year, first))
	}
	return out, nil
}

// parseScore reads a score from 0 to 100 with at most two decimals, in
// hundredths.
func parseScore(s string) (int, error) {
	whole, frac, _ := strings.Cut(s, ".")
	w, ok1 := digits(whole)
	f, ok2 := digits(frac + strings.Repeat("0", max(0, 2-len(frac))))
	if !ok1 || !ok2 || len(frac) > 2 || w > 100 || w == 100 && f > 0 {
		return 0, fmt.Errorf("%q is not a score from 0 to 100 with at most two decimals", s)
	}
	return w*100 + f, nil
}
