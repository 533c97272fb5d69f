package store

import (
	"context"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// Registered and RegisterSubjects open registerSubjects to the tests of
// package store_test (which may use testenv; package store may not).
type Registered = registered

func (tx *ImportTx) RegisterSubjects(ctx context.Context, subjects []credit.Subject) ([]Registered, error) {
	return tx.registerSubjects(ctx, subjects)
}

// For rowjson_test.go: the raw JSON rows of a subject read and of a check,
// the decoder the store uses for them, and the node type they decode into.
type NodeJSON = nodeJSON

var DecodeRowJSON = decodeRowJSON

func (db *DB) SubjectReadRows(ctx context.Context, ids []int64, r *credit.SubjectRead, v credit.RecordView, today credit.Date) ([][]byte, error) {
	var rows [][]byte
	err := db.selPrepared(ctx, &rows, compileSubjectRead(`s0.id = ANY(CAST($1 AS bigint[]))`, r),
		pq.Array(ids), pq.Array(v.Scopes), v.Department, v.PublishedOn, today, pq.Array(credit.AttributedRoles()))
	return rows, err
}

// CheckRow is the check statement's row (checkRow).
type CheckRow = checkRow

func (db *DB) CheckRowOf(ctx context.Context, code string, asOf, since credit.Date) (CheckRow, error) {
	var row CheckRow
	err := db.getPrepared(ctx, &row, checkSQL, code, asOf, since, pq.Array(credit.AttributedRoles()))
	return row, err
}
