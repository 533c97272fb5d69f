package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/credithub/credithub/internal/cache"
	"github.com/credithub/credithub/internal/store"
)

// probeTimeout bounds one readiness check: a probe that hangs tells the
// orchestrator less than one that says no.
const probeTimeout = 2 * time.Second

// Readiness is the body of /readyz (and /healthz).
type Readiness struct {
	// Status is "ready" (answered with 200) or "not ready" (503).
	Status   string         `json:"status"`
	Postgres PostgresStatus `json:"postgres"`
	// Redis is reported, never required: the hub serves from PostgreSQL
	// while Redis is down.
	Redis RedisStatus `json:"redis"`
}

// PostgresStatus says whether PostgreSQL answers and carries this binary's
// migrations.
type PostgresStatus struct {
	// Status is "ok", "unreachable", "migrations pending" or "unknown".
	Status     string           `json:"status"`
	Migrations *MigrationStatus `json:"migrations,omitempty"`
}

// MigrationStatus compares the database with the embedded migrations.
type MigrationStatus struct {
	Embedded int     `json:"embedded"`
	Applied  int     `json:"applied"`
	Pending  []int64 `json:"pending"`
	Unknown  []int64 `json:"unknown,omitempty"`
}

// RedisStatus is "ok", "unavailable" or "not configured".
type RedisStatus struct {
	Status string `json:"status"`
}

// livez answers 200 while the process serves HTTP at all. It checks no
// dependency: restarting the hub would not bring PostgreSQL back.
func livez(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

// readyz answers 200 when PostgreSQL answers and has every migration this
// binary carries, 503 otherwise; the body says which part failed, never
// why in detail (the reason is logged: the API's listener is public).
func readyz(db *store.DB, redis *cache.Cache, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), probeTimeout)
		defer cancel()
		rep := check(ctx, db, redis, log)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if rep.Status != "ready" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(w).Encode(rep)
	}
}

func check(ctx context.Context, db *store.DB, redis *cache.Cache, log *slog.Logger) Readiness {
	rep := Readiness{Status: "not ready", Postgres: PostgresStatus{Status: "unknown"}, Redis: RedisStatus{Status: "not configured"}}
	if redis != nil {
		rep.Redis.Status = "ok"
		if err := redis.Ping(ctx); err != nil {
			rep.Redis.Status = "unavailable"
			log.LogAttrs(ctx, slog.LevelDebug, "readiness: Redis", slog.String("err", err.Error()))
		}
	}
	if db == nil {
		return rep
	}
	st, err := db.SchemaState(ctx)
	if err != nil {
		rep.Postgres.Status = "unreachable"
		log.LogAttrs(ctx, slog.LevelWarn, "readiness: PostgreSQL", slog.String("err", err.Error()))
		return rep
	}
	rep.Postgres.Migrations = &MigrationStatus{Embedded: st.Embedded, Applied: st.Applied, Pending: st.Pending, Unknown: st.Unknown}
	if rep.Postgres.Migrations.Pending == nil {
		rep.Postgres.Migrations.Pending = []int64{}
	}
	if !st.Current() {
		rep.Postgres.Status = "migrations pending"
		return rep
	}
	rep.Postgres.Status = "ok"
	rep.Status = "ready"
	return rep
}
