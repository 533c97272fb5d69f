package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"github.com/credithub/credithub/internal/credit"
)

// partyIDs are the subject and legal representative ids of a chunk's
// rows; a rejected row has subject 0, a row naming no representative rep 0.
type partyIDs struct{ subject, rep []int64 }

// registered is a subject as a chunk finds it: its id and kind.
type registered struct {
	ID   int64              `db:"id"`
	Code string             `db:"code"`
	Kind credit.SubjectKind `db:"kind"`
}

// categoryNames are the 双公示 names of the record categories, for rejects.
var categoryNames = map[credit.SubjectCategory]string{credit.CategoryOrganization: "法人及非法人组织",
	credit.CategoryNaturalPerson: "自然人", credit.CategoryIndividualBusiness: "个体工商户"}

// resolveParties finds or registers whom each of n rows is about (steps 1
// and 2 of importRecords) and appends the rows it rejects to res.Rejects.
func (tx *ImportTx) resolveParties(ctx context.Context, prefix string, n int, party func(int) *StagedParty,
	res *ImportResult) (partyIDs, error) {
	ids := partyIDs{subject: make([]int64, n), rep: make([]int64, n)}
	codes := make([]string, 0, n)
	seen := make(map[string]bool, n)
	for i := range n {
		p := party(i)
		for _, s := range []*credit.Subject{&p.Subject, p.LegalRep} {
			if s != nil && !seen[s.Code] {
				seen[s.Code] = true
				codes = append(codes, s.Code)
			}
		}
	}
	known := make(map[string]registered, len(codes))
	var ask []string
	for _, c := range codes {
		if r, ok := tx.sess.known[c]; ok {
			known[c] = r
		} else {
			ask = append(ask, c)
		}
	}
	found, err := tx.subjectsByCode(ctx, ask)
	if err != nil {
		return ids, err
	}
	for c, r := range found {
		known[c] = r
		tx.learned = append(tx.learned, r)
	}
	rejected := make([]bool, n)
	check := func(i int) {
		if rej := partyConflict(prefix, party(i), known); rej != nil && !rejected[i] {
			rejected[i] = true
			res.Rejects = append(res.Rejects, *rej)
		}
	}
	// What to register: each missing code as the first row that names it
	// and is not rejected describes it.
	missing := make([]credit.Subject, 0, len(codes)-len(known))
	for i := range n {
		if check(i); rejected[i] {
			continue
		}
		p := party(i)
		for _, s := range []*credit.Subject{&p.Subject, p.LegalRep} {
			if s == nil {
				continue
			}
			if _, ok := known[s.Code]; !ok {
				known[s.Code] = registered{}
				missing = append(missing, *s)
			}
		}
	}
	if len(missing) > 0 {
		created, err := tx.registerSubjects(ctx, missing)
		if err != nil {
			return ids, err
		}
		var raced []string
		for _, s := range created {
			known[s.Code] = s
			res.changed = append(res.changed, s.ID)
		}
		tx.learned = append(tx.learned, created...)
		res.Registered = len(created)
		for _, s := range missing {
			if known[s.Code].ID == 0 {
				raced = append(raced, s.Code)
			}
		}
		// Registered meanwhile by someone else, perhaps with another kind.
		if len(raced) > 0 {
			again, err := tx.subjectsByCode(ctx, raced)
			if err != nil {
				return ids, err
			}
			for c, s := range again {
				known[c] = s
				tx.learned = append(tx.learned, s)
			}
			for i := range n {
				check(i)
			}
		}
	}
	for i := range n {
		if rejected[i] {
			continue
		}
		p := party(i)
		ids.subject[i] = known[p.Subject.Code].ID
		if p.LegalRep != nil {
			ids.rep[i] = known[p.LegalRep.Code].ID
		}
	}
	sort.Slice(res.Rejects, func(a, b int) bool { return res.Rejects[a].Line < res.Rejects[b].Line })
	return ids, nil
}

// partyConflict returns the reject of a row whose subject or legal
// representative is registered with a kind the row contradicts, with the
// reasons of single pushes (intakeSubject), or nil.
func partyConflict(prefix string, p *StagedParty, known map[string]registered) *ImportReject {
	if s, ok := known[p.Subject.Code]; ok && s.ID != 0 && s.Kind.IsPerson() != p.Subject.Kind.IsPerson() {
		cat := credit.CategoryOrganization
		if p.Subject.Kind.IsPerson() {
			cat = credit.CategoryNaturalPerson
		} else if p.Subject.Kind == credit.IndividualBusiness {
			cat = credit.CategoryIndividualBusiness
		}
		return &ImportReject{Line: p.Line, Column: prefix + "XDR_LB", Value: categoryNames[cat], Reason: fmt.Sprintf(
			"%s does not fit the subject %s, registered as %s: a natural person and an organisation are never the same subject",
			cat, s.Code, s.Kind)}
	}
	if p.LegalRep != nil {
		if s, ok := known[p.LegalRep.Code]; ok && s.ID != 0 && !s.Kind.IsPerson() {
			return &ImportReject{Line: p.Line, Column: prefix + "FR_ZJHM", Value: s.Code,
				Reason: fmt.Sprintf("%s is registered as a %s, not a natural person", s.Code, s.Kind)}
		}
	}
	return nil
}

// subjectsByCode returns the registered subjects among codes, by code, in
// one indexed statement.
func (tx *ImportTx) subjectsByCode(ctx context.Context, codes []string) (map[string]registered, error) {
	if len(codes) == 0 {
		return map[string]registered{}, nil
	}
	var rows []registered
	err := tx.sel(ctx, &rows, `SELECT id, code, kind FROM subjects WHERE code = ANY($1)`, pq.Array(codes))
	out := make(map[string]registered, len(rows))
	for _, r := range rows {
		out[r.Code] = r
	}
	return out, err
}

// registerSubjects registers subjects (code, kind, name, legacy
// identifiers, identifier warnings) as EnsureSubject does, in code order so
// that concurrent imports take the unique index's locks in the same order,
// and returns those it created; a code registered meanwhile is skipped.
// The chunk has just found none of them registered, so they are copied in
// (copySubjects); only when one was registered meanwhile are they inserted
// one by one, skipping the conflicts.
func (tx *ImportTx) registerSubjects(ctx context.Context, subjects []credit.Subject) ([]registered, error) {
	sort.Slice(subjects, func(a, b int) bool { return subjects[a].Code < subjects[b].Code })
	if out, ok, err := tx.copySubjects(ctx, subjects); err != nil || ok {
		return out, err
	}
	cols := make([][]string, 9)
	for _, s := range subjects {
		for j, v := range []string{s.Code, string(s.Kind), s.Name, s.BusinessRegNo, s.OrganizationCode, s.TaxRegNo,
			s.PublicInstitutionNo, s.SocialOrgNo, strings.Join(s.IdentifierWarningList, "\x1f")} {
			cols[j] = append(cols[j], v)
		}
	}
	args := make([]any, len(cols))
	for j := range cols {
		args[j] = pq.Array(cols[j])
	}
	var out []registered
	err := tx.sel(ctx, &out, `INSERT INTO subjects (code, kind, name, business_reg_no, organization_code, tax_reg_no,
			public_institution_no, social_org_no, identifier_warnings)
		SELECT c, CAST(k AS subject_kind), n, b, o, t, p, s, COALESCE(string_to_array(NULLIF(w, ''), E'\x1f'), '{}')
		FROM unnest(CAST($1 AS text[]), CAST($2 AS text[]), CAST($3 AS text[]), CAST($4 AS text[]), CAST($5 AS text[]),
			CAST($6 AS text[]), CAST($7 AS text[]), CAST($8 AS text[]), CAST($9 AS text[])) AS u(c, k, n, b, o, t, p, s, w)
		ORDER BY c
		ON CONFLICT (code) DO NOTHING
		RETURNING id, code, kind`, args...)
	return out, err
}

// subjectCopyColumns are the columns copySubjects writes.
var subjectCopyColumns = []string{"id", "code", "kind", "name", "business_reg_no", "organization_code", "tax_reg_no",
	"public_institution_no", "social_org_no", "identifier_warnings"}

// copySubjects registers subjects, sorted by code, with one COPY, their
// ids drawn from the table's sequence first. COPY writes the rows in
// batches, where INSERT … ON CONFLICT writes them one by one, each after a
// speculative probe of the unique index; the indexes and defaults are the
// same. If a code was registered meanwhile by someone else, the COPY fails
// on subjects_code_key and is rolled back to a savepoint, having written
// nothing, and ok is false (the drawn ids are left unused, as a rolled-back
// insert leaves its ids).
func (tx *ImportTx) copySubjects(ctx context.Context, subjects []credit.Subject) (out []registered, ok bool, err error) {
	if len(subjects) == 0 {
		return nil, true, nil
	}
	var ids []int64
	if err := tx.sel(ctx, &ids, `SELECT nextval(q) FROM pg_get_serial_sequence('subjects', 'id') AS q,
		generate_series(1, $1)`, len(subjects)); err != nil {
		return nil, false, err
	}
	slices.Sort(ids)
	if _, err := tx.exec(ctx, `SAVEPOINT import_subjects`); err != nil {
		return nil, false, err
	}
	err = tx.copyRaw(ctx, "subjects", subjectCopyColumns, len(subjects), func(i int, l *copyLine) {
		s := &subjects[i]
		l.int(ids[i])
		l.str(s.Code)
		l.str(string(s.Kind))
		l.str(s.Name)
		l.str(s.BusinessRegNo)
		l.str(s.OrganizationCode)
		l.str(s.TaxRegNo)
		l.str(s.PublicInstitutionNo)
		l.str(s.SocialOrgNo)
		l.textArray(s.IdentifierWarningList)
	})
	if err != nil {
		var pqErr *pq.Error
		if !errors.As(err, &pqErr) || pqErr.Code != pqerror.UniqueViolation || pqErr.Constraint != "subjects_code_key" {
			return nil, false, fmt.Errorf("store: copy subjects: %w", translate(err))
		}
		_, err = tx.exec(ctx, `ROLLBACK TO SAVEPOINT import_subjects; RELEASE SAVEPOINT import_subjects`)
		return nil, false, err
	}
	if _, err := tx.exec(ctx, `RELEASE SAVEPOINT import_subjects`); err != nil {
		return nil, false, err
	}
	out = make([]registered, len(subjects))
	for i, s := range subjects {
		out[i] = registered{ID: ids[i], Code: s.Code, Kind: s.Kind}
	}
	return out, true, nil
}
