package service

import "github.com/credithub/credithub/internal/credit"

// RecordPage checks the arguments of a subject's licences or penalties
// connection and turns them into a credit.RecordPage.
func RecordPage(first int, after string, since credit.Date) (credit.RecordPage, error) {
	if err := checkFirst("first", first); err != nil {
		return credit.RecordPage{}, err
	}
	d, id, err := decodeRecordCursor("after", after)
	if err != nil {
		return credit.RecordPage{}, err
	}
	return credit.RecordPage{First: first, AfterDate: d, AfterID: id, Since: since}, nil
}
