package seed

import (
	"context"
	"flag"
	"os"
	"runtime"
	"testing"
)

var (
	scale = flag.Int("seed.scale", 0, "seed this many subjects into a scratch database and report time, size and memory")
	keep  = flag.Bool("seed.keep", false, "with -seed.scale: keep the scratch database for inspection (drop it yourself)")
)

// TestScale measures a large seed; it runs only with -seed.scale, e.g.
//
//	go test -c -o /tmp/seed.test ./internal/seed/
//	/usr/bin/time -v /tmp/seed.test -test.run TestScale -test.v -seed.scale 1000000
func TestScale(t *testing.T) {
	if *scale == 0 {
		t.Skip("run with -seed.scale N")
	}
	db, name := createDB(t, !*keep)
	if *keep {
		t.Logf("keeping database %s: drop it with DROP DATABASE %s", name, name)
	}
	sum, err := Run(context.Background(), db, Options{Subjects: *scale, Seed: 1, Today: testToday, Progress: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	var size string
	if err := db.QueryRow(`SELECT pg_size_pretty(pg_database_size(current_database()))`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%s", sum)
	t.Logf("database size %s; Go runtime obtained %d MiB from the OS (heap %d MiB)", size, ms.Sys>>20, ms.HeapSys>>20)
}
