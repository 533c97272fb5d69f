package importer

import (
	"fmt"
	"io"
	"strings"

	"github.com/credithub/credithub/internal/credit"
)

// The columns of a subjects file.
const (
	sjCode = iota
	sjKind
	sjName
	sjStatus
	sjRegisteredOn
	sjAddress
	sjPersonID
	sjPersonName
	sjRole
	sjSince
	sjUntil
)

// SubjectColumns are the columns of a subjects file: one row per subject,
// or per key person of an organisation with the organisation's columns
// repeated on each of its rows.
var SubjectColumns = []Column{{"code", true}, {"kind", true}, {"name", true}, {"status", false},
	{"registered_on", false}, {"address", false}, {"person_id_number", false}, {"person_name", false},
	{"role", false}, {"since", false}, {"until", false}}

var subjectFields = map[string]int{
	"input.code": sjCode, "input.kind": sjKind, "input.name": sjName, "input.status": sjStatus,
	"input.registeredOn": sjRegisteredOn, "input.address": sjAddress, "input.keyPersons": sjPersonID,
	"input.keyPersons[0].idNumber": sjPersonID, "input.keyPersons[0].name": sjPersonName,
	"input.keyPersons[0].role": sjRole, "input.keyPersons[0].since": sjSince, "input.keyPersons[0].until": sjUntil,
}

// The Chinese names the enum columns also accept.
var (
	subjectKinds = map[string]credit.SubjectKind{"法人": credit.LegalPerson, "非法人组织": credit.UnincorporatedOrganization,
		"个体工商户": credit.IndividualBusiness, "自然人": credit.NaturalPerson}
	subjectStatuses = map[string]credit.SubjectStatus{"存续": credit.SubjectActive, "停业": credit.SubjectSuspended,
		"吊销": credit.SubjectRevoked, "注销": credit.SubjectDeregistered, "死亡": credit.SubjectDeceased}
	keyPersonRoles = map[string]credit.KeyPersonRole{"法定代表人": credit.LegalRepresentative, "主要负责人": credit.Principal,
		"实际控制人": credit.ActualController, "直接责任人员": credit.DirectlyResponsible}
)

// SubjectRow is a decoded, validated row of a subjects file: a subject with
// no key person or one.
type SubjectRow struct {
	Line  int
	Input credit.SubjectInput
}

// NewSubjects reads the header of a subjects file in encoding enc and
// returns its reader; rows are validated as registered on day today, with
// the rules of the registerSubject mutation. A row that repeats a subject
// must repeat its columns unchanged, and a key person (person, role, since)
// appears once per subject; later rows that break either are rejected.
// Errors as NewTable.
func NewSubjects(src io.Reader, enc Encoding, today credit.Date) (*Reader[SubjectRow], error) {
	seen := NewSeen()
	return newReader(src, enc, SubjectColumns, func(t *Table, row Row) (SubjectRow, *Reject) {
		return decodeSubject(row, today, seen)
	})
}

func decodeSubject(row Row, today credit.Date, seen *Seen) (SubjectRow, *Reject) {
	in := credit.SubjectInput{Code: row.Get(sjCode), Name: row.Get(sjName), Kind: credit.SubjectKind(strings.TrimSpace(row.Get(sjKind)))}
	if k, ok := subjectKinds[string(in.Kind)]; ok {
		in.Kind = k
	}
	if v := strings.TrimSpace(row.Get(sjStatus)); v != "" {
		s := credit.SubjectStatus(v)
		if zh, ok := subjectStatuses[v]; ok {
			s = zh
		}
		in.Status = &s
	}
	var err error
	if in.RegisteredOn, err = optionalDate(row.Get(sjRegisteredOn), false); err != nil {
		return SubjectRow{}, row.Reject(sjRegisteredOn, err.Error())
	}
	if v := row.Get(sjAddress); strings.TrimSpace(v) != "" {
		in.Address = &v
	}
	if rej := decodeKeyPerson(row, &in); rej != nil {
		return SubjectRow{}, rej
	}
	if err := in.Validate(today); err != nil {
		return SubjectRow{}, fieldReject(row, err, subjectFields)
	}
	if rej := repeatedSubject(row, in, seen); rej != nil {
		return SubjectRow{}, rej
	}
	return SubjectRow{Line: row.Line, Input: in}, nil
}

// decodeKeyPerson reads the person columns into in.KeyPersons: none when
// they are all empty, else one, which Validate checks.
func decodeKeyPerson(row Row, in *credit.SubjectInput) *Reject {
	empty := true
	for c := sjPersonID; c <= sjUntil; c++ {
		empty = empty && strings.TrimSpace(row.Get(c)) == ""
	}
	if empty {
		return nil
	}
	k := credit.KeyPersonInput{IDNumber: row.Get(sjPersonID), Name: row.Get(sjPersonName),
		Role: credit.KeyPersonRole(strings.TrimSpace(row.Get(sjRole)))}
	if r, ok := keyPersonRoles[string(k.Role)]; ok {
		k.Role = r
	}
	if v := row.Get(sjSince); strings.TrimSpace(v) != "" {
		d, err := ParseDate(v)
		if err != nil {
			return row.Reject(sjSince, err.Error())
		}
		k.Since = d
	}
	var err error
	if k.Until, err = optionalDate(row.Get(sjUntil), false); err != nil {
		return row.Reject(sjUntil, err.Error())
	}
	in.KeyPersons = []credit.KeyPersonInput{k}
	return nil
}

// repeatedSubject rejects a row whose subject columns differ from the
// subject's first row, or that repeats one of its key persons.
func repeatedSubject(row Row, in credit.SubjectInput, seen *Seen) *Reject {
	cols := []string{string(in.Kind), in.Name, "", "", ""}
	if in.Status != nil {
		cols[2] = string(*in.Status)
	}
	if in.RegisteredOn != nil {
		cols[3] = in.RegisteredOn.String()
	}
	if in.Address != nil {
		cols[4] = *in.Address
	}
	first, v := seen.AddValue(row.Line, seen.Hash(cols...), "subject", in.Code)
	if first != 0 && v != seen.Hash(cols...) {
		return row.Reject(sjName, fmt.Sprintf("the subject columns (kind, name, status, registered_on, address) of %s "+
			"differ from line %d: repeat them unchanged on each row of the subject", in.Code, first))
	}
	for _, k := range in.KeyPersons {
		if first := seen.Add(row.Line, "person", in.Code, k.IDNumber, string(k.Role), k.Since.String()); first != 0 {
			return row.Reject(sjPersonID, fmt.Sprintf("%s already holds this role in %s from %s on line %d", k.IDNumber, in.Code, k.Since, first))
		}
	}
	return nil
}
