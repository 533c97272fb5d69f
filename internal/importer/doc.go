// Package importer decodes the files departments and registries hand the
// city into credit values: the 双公示 licence and penalty CSV exports, a
// subject and key-person registry file, and tax credit grades. It is pure:
// it reads an io.Reader and returns values and rejects, and never touches
// the database, so every rule here is table-tested without one. The
// service writes what it returns (internal/service/imports.go).
//
// A file is CSV with a header row (RFC 4180: quoted fields may hold commas,
// quotes and line breaks) in UTF-8, with or without a byte order mark, or in
// GB18030, the superset of GBK that older department systems export. The
// encoding is detected from the first 64 KiB (see Decode).
//
// Each data row decodes to a value or to a Reject naming its line (the line
// on which the row starts, counting the header as line 1, as an editor
// shows it), the CSV column and the reason. Rows are validated with the
// same rules as the GraphQL mutations (credit.PenaltyInput.Validate and the
// others), whose field paths are mapped back to the CSV columns.
package importer
