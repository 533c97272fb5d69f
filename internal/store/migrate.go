package store

import (
	"context"
	"fmt"
	"io"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/credithub/credithub/migrations"
)

// Migration is one migration and whether it has been applied.
type Migration struct {
	Version int64
	Name    string
	Applied bool
}

// provider builds a goose provider over the embedded migrations. The session
// locker (a PostgreSQL advisory lock) lets several servers start at once
// without applying a migration twice.
func (db *DB) provider(log io.Writer) (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	// Out-of-order is allowed so that a migration merged late (a lower
	// number than one already applied) is still applied, never skipped.
	opts := []goose.ProviderOption{goose.WithSessionLocker(locker), goose.WithAllowOutofOrder(true)}
	if log != nil {
		opts = append(opts, goose.WithVerbose(false))
	}
	return goose.NewProvider(goose.DialectPostgres, db.pool.DB, migrations.FS, opts...)
}

// MigrateUp applies every pending migration and returns the names it applied.
func (db *DB) MigrateUp(ctx context.Context) ([]string, error) {
	p, err := db.provider(nil)
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate up: %w", err)
	}
	var applied []string
	for _, r := range results {
		applied = append(applied, r.Source.Path)
	}
	return applied, nil
}

// MigrationStatus lists every migration and whether it is applied.
func (db *DB) MigrationStatus(ctx context.Context) ([]Migration, error) {
	p, err := db.provider(nil)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]Migration, 0, len(st))
	for _, s := range st {
		out = append(out, Migration{Version: s.Source.Version, Name: s.Source.Path, Applied: s.State == goose.StateApplied})
	}
	return out, nil
}
