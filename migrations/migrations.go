// Package migrations holds the schema of record as numbered, forward-only SQL
// files, embedded in the binary so `credithub migrate up` needs nothing else.
package migrations

import "embed"

// FS holds the migration files, named NNNNN_what.sql in goose's format.
//
//go:embed *.sql
var FS embed.FS
