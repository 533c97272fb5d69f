// Package csvsafe keeps the CSV files the hub writes from being read as
// formulas. Spreadsheet programs run a cell that begins with =, +, -, @
// (and a tab or carriage return before one) as a formula; a department's
// text such as `=cmd|' /C calc'!A0` in an export or a reject file would
// then run on the reader's machine (CSV injection). The cell is written
// with an apostrophe in front, which spreadsheets show as text and do not
// display; the store keeps the text as it was received.
package csvsafe

import "strings"

// Cell returns s as a CSV cell that no spreadsheet evaluates.
func Cell(s string) string {
	if risky(s) {
		return "'" + s
	}
	return s
}

// Row applies Cell to every field.
func Row(fields []string) []string {
	out := fields
	for i, f := range fields {
		if risky(f) {
			if &out[0] == &fields[0] {
				out = append([]string(nil), fields...)
			}
			out[i] = "'" + f
		}
	}
	return out
}

// Unescape undoes Cell for a file read back (an export imported again):
// an apostrophe before a formula character goes.
func Unescape(s string) string {
	if strings.HasPrefix(s, "'") && risky(s[1:]) {
		return s[1:]
	}
	return s
}

func risky(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}
