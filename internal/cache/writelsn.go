package cache

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// The write position board (store.WriteBoard): the primary's WAL position
// after the latest write any hub server committed, so that every server
// sends a read to the PostgreSQL replica only once the replica has replayed
// it. One key, raised and never lowered; the value is 16 hex digits so that
// Lua compares positions exactly as strings (its numbers are doubles).

var raiseLSN = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if not cur or ARGV[1] > cur then
  redis.call('SET', KEYS[1], ARGV[1])
  return 1
end
return 0`)

func (c *Cache) writeLSNKey() string { return c.Key("replica", "write-lsn") }

// RaiseWriteLSN records lsn unless a higher position is recorded. Like an
// invalidation it waits for Redis (up to ctx's deadline): a writer records
// its position before it invalidates.
func (c *Cache) RaiseWriteLSN(ctx context.Context, lsn uint64) error {
	if err := raiseLSN.Run(ctx, c.inv, []string{c.writeLSNKey()}, fmt.Sprintf("%016x", lsn)).Err(); err != nil {
		return fmt.Errorf("raise write position: %w", err)
	}
	return nil
}

// WriteLSN returns the highest position recorded, 0 for none.
func (c *Cache) WriteLSN(ctx context.Context) (uint64, error) {
	v, err := c.rdb.Get(ctx, c.writeLSNKey()).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read write position: %w", err)
	}
	n, err := strconv.ParseUint(v, 16, 64)
	if err != nil {
		return 0, fmt.Errorf("read write position %q: %w", v, err)
	}
	return n, nil
}
