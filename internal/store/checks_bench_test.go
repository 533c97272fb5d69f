package store

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// BenchmarkCheckStatement measures the check's statement, prepared, over
// the first 3,000 subjects of a seeded database (CHECK_BENCH_URL; skipped
// without it), with and without the records under objection it reads
// (disputedJSON): what objections cost the uncached check.
//
//	CHECK_BENCH_URL=postgres://…/db go test ./internal/store -run '^$' -bench CheckStatement -benchtime 3000x -count 5
func BenchmarkCheckStatement(b *testing.B) {
	url := os.Getenv("CHECK_BENCH_URL")
	if url == "" {
		b.Skip("CHECK_BENCH_URL names a seeded database")
	}
	ctx := context.Background()
	db, err := Open(ctx, url, 2)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var codes []string
	if err := db.sel(ctx, &codes, `SELECT code FROM subjects ORDER BY id LIMIT 3000`); err != nil {
		b.Fatal(err)
	}
	asOf := credit.MustDate("2026-11-27")
	since, _ := credit.CheckRules{LookbackMonths: 36}.Window(asOf)
	for _, v := range []struct{ name, query string }{
		{"without-disputed", strings.Replace(checkSQL, disputedJSON, `'[]'`, 1)},
		{"with-disputed", checkSQL},
	} {
		b.Run(v.name, func(b *testing.B) {
			st, err := db.pool.PreparexContext(ctx, v.query)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			for i := 0; b.Loop(); i++ {
				rows, err := st.QueryContext(ctx, codes[i%len(codes)], asOf, since, pq.Array(credit.AttributedRoles()))
				if err != nil {
					b.Fatal(err)
				}
				rows.Close()
			}
		})
	}
}
