package cache_test

import (
	"context"
	"testing"

	"github.com/credithub/credithub/internal/testenv"
)

// The write position only grows: a server that records an older position
// after a newer one (two writers racing) leaves the newer one, compared
// exactly (positions past 2^53 included).
func TestWriteLSNOnlyGrows(t *testing.T) {
	ctx := context.Background()
	c := testenv.Cache(t)
	if got, err := c.WriteLSN(ctx); err != nil || got != 0 {
		t.Fatalf("before any write: got %d, %v; want 0", got, err)
	}
	for _, step := range []struct{ raise, want uint64 }{
		{0x16B3D28, 0x16B3D28},
		{0x16B3D00, 0x16B3D28},
		{1<<53 + 1, 1<<53 + 1},
		{1 << 53, 1<<53 + 1},
		{1<<53 + 2, 1<<53 + 2},
	} {
		if err := c.RaiseWriteLSN(ctx, step.raise); err != nil {
			t.Fatal(err)
		}
		if got, err := c.WriteLSN(ctx); err != nil || got != step.want {
			t.Errorf("after raising to %#x: got %#x, %v; want %#x", step.raise, got, err, step.want)
		}
	}
}
