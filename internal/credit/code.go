package credit

import "errors"

// LookupCode is a code a person typed to find a subject, after normalising.
type LookupCode struct {
	// Code is the normalised code.
	Code string
	// ChecksumOnly is set when the code is well formed as a unified social
	// credit code but fails its checksum. Such a code may still belong to a
	// legally issued pre-2016 subject that a department pushed; the caller
	// looks it up and reports Err only if nothing is stored under it.
	ChecksumOnly bool
	// Err is the rule the code breaks when ChecksumOnly is set.
	Err error
}

// ParseLookupCode normalises a subject code typed into field. It accepts a
// valid unified social credit code or a valid citizen ID number and never
// decides the subject's kind from which one it passes: some ID numbers pass
// the USCC checksum too. When the code is neither, the error names the rule
// of each scheme it could have been meant for.
func ParseLookupCode(field, s string) (LookupCode, error) {
	uscc, usccErr := NormalizeUSCC(s)
	if usccErr == nil {
		return LookupCode{Code: uscc}, nil
	}
	id, idErr := NormalizeCitizenID(s)
	if idErr == nil {
		return LookupCode{Code: id}, nil
	}
	idShaped := looksLikeCitizenID(s)
	if code, warning, err := CheckUSCCLenient(s); err == nil && warning != "" {
		notValid := FieldErrorf(field, "is not a valid unified social credit code: %s", message(usccErr))
		if idShaped {
			notValid = FieldErrorf(field, "is neither a valid citizen ID number (%s) nor a valid unified social credit code (%s)",
				message(idErr), message(usccErr))
		}
		return LookupCode{Code: code, ChecksumOnly: true, Err: notValid}, nil
	}
	if idShaped {
		return LookupCode{}, FieldErrorf(field, "is not a valid citizen ID number: %s", message(idErr))
	}
	return LookupCode{}, FieldErrorf(field, "is not a valid unified social credit code: %s", message(usccErr))
}

// looksLikeCitizenID reports whether s is 17 digits and a digit or X, the
// shape of an ID number, so that its error speaks of ID numbers.
func looksLikeCitizenID(s string) bool {
	s = trimASCIISpace(s)
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	last := s[17]
	return last >= '0' && last <= '9' || last == 'X' || last == 'x'
}

func message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
