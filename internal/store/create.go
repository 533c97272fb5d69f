package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	"github.com/lib/pq"
)

// EnsureDatabase creates the database named in dbURL if it does not exist,
// connecting to the server's maintenance database "postgres" to do it.
func EnsureDatabase(ctx context.Context, dbURL string) (created bool, err error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return false, fmt.Errorf("parse database URL: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return false, fmt.Errorf("database URL names no database")
	}
	u.Path = "/postgres"
	admin, err := sql.Open("postgres", u.String())
	if err != nil {
		return false, fmt.Errorf("open maintenance database: %w", err)
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return false, fmt.Errorf("look for database %s: %w", name, err)
	}
	if exists {
		return false, nil
	}
	// UTF-8 with C.UTF-8 classification, so that pg_trgm indexes Chinese names.
	_, err = admin.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(name)+
		` TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`)
	if err != nil && !isDuplicateDatabase(err) {
		return false, fmt.Errorf("create database %s: %w", name, err)
	}
	return err == nil, nil
}

func isDuplicateDatabase(err error) bool {
	pqErr, ok := err.(*pq.Error)
	return ok && pqErr.Code.Name() == "duplicate_database"
}

// IsEmpty reports whether no subject has been recorded yet.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var any bool
	err := db.get(ctx, &any, `SELECT EXISTS (SELECT 1 FROM subjects)`)
	return !any, err
}
