package service

import "github.com/credithub/credithub/internal/credit"

// FilterEntries keeps the entries of kind (any when empty) that were in
// force on activeOn (all when zero).
func FilterEntries(entries []credit.ListEntry, kind credit.ListKind, activeOn credit.Date) []credit.ListEntry {
	out := make([]credit.ListEntry, 0, len(entries))
	for _, e := range entries {
		if kind != "" && e.Kind != kind {
			continue
		}
		if !activeOn.IsZero() && !e.InForceOn(activeOn) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// FilterAttributed keeps the attributed entries in force on activeOn (all when zero).
func FilterAttributed(entries []credit.AttributedEntry, activeOn credit.Date) []credit.AttributedEntry {
	out := make([]credit.AttributedEntry, 0, len(entries))
	for _, a := range entries {
		if activeOn.IsZero() || a.Entry.InForceOn(activeOn) {
			out = append(out, a)
		}
	}
	return out
}
