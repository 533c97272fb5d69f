package service

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/credithub/credithub/internal/credit"
)

// entityRefs holds the deployment's key for the references that replace
// masked persons' codes, read once from PostgreSQL. While it cannot be read
// (PostgreSQL down at start-up) the references are the keyless MASKED-,
// which join nothing and reveal nothing; the key is asked for again at
// most every few seconds.
type entityRefs struct {
	refs  atomic.Pointer[credit.EntityRefs]
	mu    sync.Mutex
	tried time.Time
}

const entityRefRetry = 5 * time.Second

func (s *Service) entityRefs(ctx context.Context) credit.EntityRefs {
	if r := s.refs.refs.Load(); r != nil {
		return *r
	}
	s.refs.mu.Lock()
	defer s.refs.mu.Unlock()
	if r := s.refs.refs.Load(); r != nil {
		return *r
	}
	if time.Since(s.refs.tried) < entityRefRetry {
		return credit.EntityRefs{}
	}
	s.refs.tried = time.Now()
	key, err := s.db.DeploymentSecret(context.WithoutCancel(ctx), "entity_ref")
	if err != nil {
		s.log.WarnContext(ctx, "the entity reference key is unreadable; masked persons get the keyless reference", "err", err)
		return credit.EntityRefs{}
	}
	r := credit.NewEntityRefs(key)
	s.refs.refs.Store(&r)
	return r
}
