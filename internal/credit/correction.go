package credit

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Corrections: a CORRECTED objection changes fields of its record in place,
// so that every reader sees the corrected value, and keeps each change as
// (field, old value, new value, who, when, under which objection). Only the
// fields below can be corrected; each is named by the record's GraphQL
// field and stored in one column. Values travel as text in the API's form:
// amounts in yuan with two decimals ("5000.00"), dates YYYY-MM-DD, and null
// for an empty optional date or score. The party's identity (name, codes)
// is not correctable: a record about the wrong subject is revoked and
// pushed again.

// fieldType says how a correctable field's value is read and stored.
type fieldType int

const (
	fieldText         fieldType = iota // optional text
	fieldRequiredText                  // text that must not be empty
	fieldYuan                          // an amount in yuan, stored in fen
	fieldDate                          // a date that must be given
	fieldOptionalDate                  // a date or null
	fieldSeverity                      // MINOR, GENERAL or SERIOUS
	fieldGrade                         // a tax grade
	fieldScore                         // a tax score 0–100, two decimals, or null
)

// CorrectableField is a field a correction may change.
type CorrectableField struct {
	// Name is the record's GraphQL field.
	Name string
	// Column is the column it is stored in (never text from a client).
	Column string
	typ    fieldType
}

var correctableFields = map[RecordKind][]CorrectableField{
	RecordKindPenalty: {
		{"violationType", "violation_type", fieldRequiredText}, {"facts", "facts", fieldRequiredText},
		{"legalBasis", "legal_basis", fieldRequiredText}, {"category", "penalty_category", fieldRequiredText},
		{"content", "content", fieldRequiredText}, {"fine", "fine_fen", fieldYuan}, {"confiscated", "confiscated_fen", fieldYuan},
		{"suspendedLicence", "suspended_licence", fieldText}, {"validUntil", "valid_until", fieldOptionalDate},
		{"remarks", "remarks", fieldText}, {"severity", "severity", fieldSeverity},
	},
	RecordKindLicence: {
		{"documentName", "document_name", fieldRequiredText}, {"category", "licence_category", fieldRequiredText},
		{"certificateName", "certificate_name", fieldText}, {"licenceNumber", "licence_no", fieldText},
		{"content", "content", fieldRequiredText}, {"validFrom", "valid_from", fieldDate},
		{"validUntil", "valid_until", fieldOptionalDate}, {"remarks", "remarks", fieldText},
	},
	RecordKindListEntry: {
		{"facts", "facts", fieldRequiredText}, {"decisionContent", "decision_content", fieldText},
	},
	RecordKindKeyPerson: {
		{"since", "since", fieldDate}, {"until", "until", fieldOptionalDate},
	},
	RecordKindTaxGrade: {
		{"grade", "grade", fieldGrade}, {"score", "score", fieldScore},
	},
}

// Derived fields a correction recomputes: a penalty's publication window
// follows its severity (RecordPenalty computes them the same way).
const (
	FieldPublicUntil    = "publicUntil"
	FieldRepairableFrom = "repairableFrom"
)

// DerivedFields are the columns of the fields a correction recomputes.
var DerivedFields = map[RecordKind][]CorrectableField{
	RecordKindPenalty: {{FieldPublicUntil, "public_until", fieldOptionalDate}, {FieldRepairableFrom, "repairable_from", fieldOptionalDate}},
}

// CorrectableFields lists the names of the fields of kind a correction
// may change, in the schema's order.
func CorrectableFields(kind RecordKind) []string {
	fs := correctableFields[kind]
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

// FieldOf returns the correctable field of kind named name.
func FieldOf(kind RecordKind, name string) (CorrectableField, bool) {
	for _, f := range correctableFields[kind] {
		if f.Name == name {
			return f, true
		}
	}
	return CorrectableField{}, false
}

// FieldChange is one change a correction makes: the field and its new
// value in text form (nil: empty).
type FieldChange struct {
	Field string
	Value *string
}

// Parse reads a new value for the field at path field: the value to store
// (typed for the column) and its text form as corrections keep it.
// BAD_USER_INPUT names field and the rule.
func (f CorrectableField) Parse(field string, value *string) (stored any, shown *string, err error) {
	v := ""
	if value != nil {
		v = strings.TrimSpace(*value)
	}
	if err := clean(text{field, &v, false}); err != nil {
		return nil, nil, err
	}
	empty := v == ""
	switch f.typ {
	case fieldText:
		return v, &v, nil
	case fieldRequiredText:
		if empty {
			return nil, nil, FieldErrorf(field, "%s must not be empty", f.Name)
		}
		return v, &v, nil
	case fieldYuan:
		fen, err := ParseYuan(v)
		if err != nil {
			return nil, nil, FieldErrorf(field, "%s: %v", f.Name, err)
		}
		s := fen.String()
		return int64(fen), &s, nil
	case fieldDate, fieldOptionalDate:
		if empty {
			if f.typ == fieldDate {
				return nil, nil, FieldErrorf(field, "%s must be a date", f.Name)
			}
			return nil, nil, nil
		}
		d, err := ParseDate(v)
		if err != nil {
			return nil, nil, FieldErrorf(field, "%s: %v", f.Name, err)
		}
		s := d.String()
		return d, &s, nil
	case fieldSeverity:
		if s := Severity(v); s == Minor || s == General || s == Serious {
			return v, &v, nil
		}
		return nil, nil, FieldErrorf(field, "%s must be MINOR, GENERAL or SERIOUS, got %q", f.Name, v)
	case fieldGrade:
		if TaxGrade(v).Valid() {
			return v, &v, nil
		}
		return nil, nil, FieldErrorf(field, "%s must be A, B, M, C or D, got %q", f.Name, v)
	case fieldScore:
		if empty {
			return nil, nil, nil
		}
		h, err := parseDecimal(v, 2, "points")
		if err != nil || h > 10000 {
			return nil, nil, FieldErrorf(field, "%s must be from 0 to 100 with at most two decimals, got %q", f.Name, v)
		}
		s := fmt.Sprintf("%d.%02d", h/100, h%100)
		return s, &s, nil
	}
	return nil, nil, fmt.Errorf("credit: field %s has no type", f.Name)
}

// Shown turns a column's stored text (as PostgreSQL casts it to text) into
// the text form corrections keep: amounts from fen to yuan.
func (f CorrectableField) Shown(stored *string) *string {
	if stored == nil || f.typ != fieldYuan {
		return stored
	}
	n, err := strconv.ParseInt(*stored, 10, 64)
	if err != nil {
		return stored
	}
	s := Fen(n).String()
	return &s
}

// Correction is one field a CORRECTED objection changed.
type Correction struct {
	ID            int64      `db:"id"`
	ObjectionID   int64      `db:"objection_id"`
	RecordKind    RecordKind `db:"record_kind"`
	RecordID      int64      `db:"record_id"`
	SubjectID     int64      `db:"subject_id"`
	Field         string     `db:"field"`
	OldValue      *string    `db:"old_value"`
	NewValue      *string    `db:"new_value"`
	CorrectedBy   string     `db:"corrected_by"`
	CorrectedRole Role       `db:"corrected_role"`
	CorrectedAt   time.Time  `db:"corrected_at"`
}
