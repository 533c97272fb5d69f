package service

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
)

// The methods in this file answer one batch of a request-scoped loader
// each, for records reached outside a subject read (a root list of entries,
// joint cases): one statement for the whole batch, whatever its size. Every
// key of the batch gets an entry (empty when there is nothing), so that
// "nothing" is never mistaken for "not found".

// MeasuresByEntries returns the measures each list entry triggered. The
// catalogue is public; the entries were filtered before.
func (s *Service) MeasuresByEntries(ctx context.Context, entryIDs []int64) (map[int64][]credit.Measure, error) {
	if _, err := s.requireRecords(ctx); err != nil {
		return nil, err
	}
	m, err := s.db.MeasuresByEntries(ctx, entryIDs)
	if err != nil {
		return nil, err
	}
	for _, id := range entryIDs {
		if _, ok := m[id]; !ok {
			m[id] = nil
		}
	}
	return m, nil
}

// group files rows under their key, giving every requested key an entry.
func group[T any](keys []int64, rows []T, err error, keyOf func(T) int64) (map[int64][]T, error) {
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]T, len(keys))
	for _, k := range keys {
		out[k] = nil
	}
	for _, r := range rows {
		out[keyOf(r)] = append(out[keyOf(r)], r)
	}
	return out, nil
}
