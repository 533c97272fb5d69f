package store

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
)

// Registered and RegisterSubjects open registerSubjects to the tests of
// package store_test (which may use testenv; package store may not).
type Registered = registered

func (tx *ImportTx) RegisterSubjects(ctx context.Context, subjects []credit.Subject) ([]Registered, error) {
	return tx.registerSubjects(ctx, subjects)
}
