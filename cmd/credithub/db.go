package main

import (
	"context"
	"fmt"

	"github.com/credithub/credithub/internal/config"
	"github.com/credithub/credithub/internal/store"
)

// openDB loads the configuration, creates the database if it is missing
// and connects to it.
func (e *environment) openDB(ctx context.Context) (config.Config, *store.DB, error) {
	cfg, err := config.Load(e.getenv)
	if err != nil {
		return cfg, nil, err
	}
	if created, err := store.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
		return cfg, nil, err
	} else if created {
		fmt.Fprintln(e.stderr, "created the database")
	}
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DBMaxConns)
	return cfg, db, err
}
