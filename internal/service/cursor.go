package service

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/credithub/credithub/internal/credit"
)

// Cursors are opaque to clients: base64 of a small key. They are not
// secrets; they only keep clients from depending on their shape.

// SubjectCursor returns the cursor of a subject in a subject list.
func SubjectCursor(code string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("s:" + code))
}

func decodeSubjectCursor(field, c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	code, ok := strings.CutPrefix(string(b), "s:")
	if err != nil || !ok {
		return "", credit.FieldErrorf(field, "is not a cursor from this list")
	}
	return code, nil
}

// RecordCursor returns the cursor of a licence or penalty in a subject's list.
func RecordCursor(decidedOn credit.Date, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("r:" + decidedOn.String() + ":" + strconv.FormatInt(id, 10)))
}

func decodeRecordCursor(field, c string) (credit.Date, int64, error) {
	if c == "" {
		return credit.Date{}, 0, nil
	}
	bad := credit.FieldErrorf(field, "is not a cursor from this list")
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return credit.Date{}, 0, bad
	}
	parts := strings.Split(string(b), ":")
	if len(parts) != 3 || parts[0] != "r" {
		return credit.Date{}, 0, bad
	}
	d, err := credit.ParseDate(parts[1])
	if err != nil {
		return credit.Date{}, 0, bad
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return credit.Date{}, 0, bad
	}
	return d, id, nil
}
