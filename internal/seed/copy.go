package seed

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// table identifies a table the demo data fills, in an order in which every
// table comes after the tables it references: batches are copied in it.
type table int

// The demo tables.
const (
	tSubjects table = iota
	tKeyPersons
	tLicences
	tPenalties
	tTaxGrades
	tListEntries
	tEntryMeasures
	tEntryEvents
	numTables
)

// tableDef is a table's name, the columns the seed writes, and whether its
// id is a bigserial the seed assigns (and must move the sequence past).
type tableDef struct {
	name   string
	cols   []string
	serial bool
}

// tables lists the columns of each demo table in the order in which the
// generator builds rows.
var tables = [numTables]tableDef{
	tSubjects: {"subjects", cols(`id code kind name status registered_on address business_reg_no organization_code
		tax_reg_no public_institution_no social_org_no identifier_warnings created_at updated_at`), true},
	tKeyPersons: {"key_persons", cols(`id organization_id person_id role since until created_at`), true},
	tLicences: {"licences", cols(`id subject_id ` + partyCols + ` document_name decision_no licence_category
		certificate_name licence_no content decided_on valid_from valid_until authority_name authority_code status
		source_name source_code remarks use_scope publication_deadline received_at revoked_reason warnings
		created_at updated_at`), true},
	tPenalties: {"penalties", cols(`id subject_id ` + partyCols + ` decision_no violation_type facts legal_basis
		penalty_category content fine_fen confiscated_fen suspended_licence decided_on valid_until public_until
		authority_name authority_code source_name source_code remarks severity repairable_from status repaired_on
		use_scope publication_deadline received_at revoked_reason warnings created_at updated_at`), true},
	tTaxGrades: {"tax_credit_grades", cols(`subject_id year grade score assessed_on`), false},
	tListEntries: {"list_entries", cols(`id subject_id kind domain department_code decision_no decided_on facts
		decision_content starts_on ends_on status use_scope proposed_by approved_by ended_on exit_decision_no
		exit_reason created_at`), true},
	tEntryMeasures: {"list_entry_measures", cols(`entry_id measure_id`), false},
	tEntryEvents: {"list_entry_events", cols(`id entry_id from_status to_status actor decision_no decided_on
		reason at`), true},
}

// partyCols are the 行政相对人 columns shared by licences and penalties.
const partyCols = `xdr_name xdr_category xdr_uscc xdr_business_reg_no xdr_organization_code xdr_tax_reg_no
	xdr_public_institution_no xdr_social_org_no legal_rep_name legal_rep_id_type legal_rep_id_no xdr_id_type xdr_id_no`

// cols splits a space-separated column list.
func cols(s string) []string { return strings.Fields(s) }

// noWarnings is an empty text[] in COPY's text form.
const noWarnings = "{}"

// batch is every row about one chunk of subjects, by table.
type batch struct {
	rows [numTables][][]any
	// done is how many subjects exist after this batch; counts are the rows
	// per table after it. Both feed progress reports.
	done   int
	counts [numTables]int64
}

// add appends a row to table t.
func (b *batch) add(t table, row ...any) { b.rows[t] = append(b.rows[t], row) }

// copyBatch writes a batch with one COPY per table, parents first.
func copyBatch(ctx context.Context, tx *sql.Tx, b *batch) error {
	for t := range numTables {
		if len(b.rows[t]) == 0 {
			continue
		}
		if err := copyRows(ctx, tx, tables[t], b.rows[t]); err != nil {
			return err
		}
	}
	return nil
}

// copyRows streams rows into def's table through COPY FROM STDIN, which is
// an order of magnitude faster than INSERT for bulk data.
func copyRows(ctx context.Context, tx *sql.Tx, def tableDef, rows [][]any) error {
	stmt, err := tx.PrepareContext(ctx, "COPY "+def.name+" ("+strings.Join(def.cols, ", ")+") FROM STDIN")
	if err != nil {
		return fmt.Errorf("seed: copy %s: %w", def.name, err)
	}
	defer stmt.Close()
	for _, r := range rows {
		if len(r) != len(def.cols) {
			// A programming error; caught before PostgreSQL reports a
			// confusing "extra data after last expected column".
			return fmt.Errorf("seed: copy %s: row has %d values for %d columns", def.name, len(r), len(def.cols))
		}
		if _, err := stmt.ExecContext(ctx, r...); err != nil {
			return fmt.Errorf("seed: copy %s: %w", def.name, err)
		}
	}
	// The final Exec without arguments flushes the stream and reports the
	// errors PostgreSQL found in the data (constraints, types).
	if _, err := stmt.ExecContext(ctx); err != nil {
		return fmt.Errorf("seed: copy %s: %w", def.name, err)
	}
	return nil
}

// setSequences moves each bigserial sequence to the largest id the seed
// assigned, so that rows inserted later get fresh ids.
func setSequences(ctx context.Context, tx *sql.Tx, ids [numTables]int64) error {
	for t, def := range tables {
		if !def.serial || ids[t] == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), $2)`, def.name, ids[t]); err != nil {
			return fmt.Errorf("seed: set the id sequence of %s: %w", def.name, err)
		}
	}
	return nil
}
