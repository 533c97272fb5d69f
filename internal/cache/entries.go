package cache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Cached answers are never stale after a write is acknowledged. Each
// subject code has a generation counter in Redis; a writer bumps the
// counters of every subject whose answers its write can change, after its
// transaction commits and before it answers. An entry records the
// generations it was computed at (read BEFORE its data was read from
// PostgreSQL) and is served only while they are still current, checked in
// the same round trip as the read (a Lua script). A reader that began
// before a write and stores its answer after the write stored an old
// generation, so its answer is never served: the race in which an old
// answer is put back is closed by construction, not by timing.
//
// A global epoch invalidates everything at once: a writer that could not
// reach Redis bumps it once Redis answers again.

// Gens are the generations of the subjects an answer depends on, and the
// epoch, as read before the answer's data.
type Gens struct {
	Epoch int64            `json:"e"`
	Codes map[string]int64 `json:"d"`
}

// getScript returns {1, entry} for a current entry (its generations, a
// newline, its body), else {0, epoch, gen of
// each code in ARGV} so that a miss learns the generations in the same
// round trip. KEYS[1] is the entry; KEYS[2] the epoch; KEYS[3..] the
// generation counters of ARGV's codes (a check asks for its subject's).
// A Redis without an epoch (one that has lost its keys) is given ARGV[2]
// as its epoch first: see newEpoch.
var getScript = redis.NewScript(`
local function epoch()
  local e = redis.call('GET', KEYS[2])
  if e then return e end
  redis.call('SET', KEYS[2], ARGV[2], 'NX')
  return redis.call('GET', KEYS[2])
end
local v = redis.call('GET', KEYS[1])
if v then
  local nl = string.find(v, '\n', 1, true)
  if nl then
    local meta = cjson.decode(string.sub(v, 1, nl - 1))
    local ok = tostring(meta.e) == epoch()
    if ok then
      for code, gen in pairs(meta.d) do
        if tostring(gen) ~= (redis.call('GET', ARGV[1] .. code) or '0') then ok = false break end
      end
    end
    if ok then return {1, v} end
  end
end
local out = {0, epoch()}
for i = 3, #KEYS do out[#out + 1] = redis.call('GET', KEYS[i]) or '0' end
return out
`)

// ErrMiss is returned by Get when there is no current entry.
var ErrMiss = errors.New("cache: miss")

// Get returns the entry stored under key if every generation it depends on
// is current, with those generations (for a Near tier). On a miss it
// returns ErrMiss and the current generations of codes, which the caller
// must keep for Put. Any other error means Redis
// could not be asked; the caller then answers from PostgreSQL.
func (c *Cache) Get(ctx context.Context, key string, codes ...string) ([]byte, Gens, error) {
	keys := make([]string, 0, 2+len(codes))
	keys = append(keys, c.Key(key), c.Key("epoch"))
	for _, code := range codes {
		keys = append(keys, c.Key("gen", code))
	}
	res, err := getScript.Run(ctx, c.rdb, keys, c.Key("gen", ""), randomEpoch()).Slice()
	if err != nil {
		return nil, Gens{}, err
	}
	if len(res) == 2 && res[0] == int64(1) {
		entry, _ := res[1].(string)
		meta, body, _ := strings.Cut(entry, "\n")
		var g Gens
		if err := json.Unmarshal([]byte(meta), &g); err != nil {
			return nil, Gens{}, fmt.Errorf("cache: entry %s: %w", key, err)
		}
		return []byte(body), g, nil
	}
	g := Gens{Epoch: toInt(res[1]), Codes: make(map[string]int64, len(codes))}
	for i, code := range codes {
		g.Codes[code] = toInt(res[2+i])
	}
	return nil, g, ErrMiss
}

// Put stores body under key, valid while gens are current, for at most ttl.
func (c *Cache) Put(ctx context.Context, key string, gens Gens, body []byte, ttl time.Duration) error {
	meta, err := json.Marshal(gens)
	if err != nil {
		return err
	}
	v := make([]byte, 0, len(meta)+1+len(body))
	v = append(append(append(v, meta...), '\n'), body...)
	return c.rdb.Set(ctx, c.Key(key), v, ttl).Err()
}

// genTTL keeps a generation counter well past the longest entry lifetime
// (an entry lives until midnight at most): a counter that vanished would
// read as 0 again, but no entry computed at 0 is still alive by then.
const genTTL = 7 * 24 * time.Hour

// Invalidate bumps the generations of codes: every entry computed before
// is no longer served, on every server.
func (c *Cache) Invalidate(ctx context.Context, codes ...string) error {
	if len(codes) == 0 {
		return nil
	}
	_, err := c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, code := range codes {
			k := c.Key("gen", code)
			p.Incr(ctx, k)
			p.Expire(ctx, k, genTTL)
		}
		return nil
	})
	return err
}

// InvalidateAll bumps the epoch: every entry is no longer served.
func (c *Cache) InvalidateAll(ctx context.Context) error {
	return c.rdb.Incr(ctx, c.Key("epoch")).Err()
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}
