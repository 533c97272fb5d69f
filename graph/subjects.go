package graph

import (
	"context"
	"errors"

	"github.com/vikstrous/dataloadgen"

	"github.com/credithub/credithub/internal/credit"
)

// subjectByID loads a subject referenced by another record. A dangling
// reference cannot happen (foreign keys), so "not found" is internal.
func (r *Resolver) subjectByID(ctx context.Context, id int64) (*credit.Subject, error) {
	s, err := loadersFrom(ctx).Subject.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, errors.New("subject referenced by a record is missing")
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}
