package cache

import (
	"crypto/sha256"
	"encoding/hex"
)

// The keys of the coherence protocol (entries.go) — the epoch, the write
// sequence and the subjects' generations — are read and written together:
// Store and Current read many of them in one MGET, and Invalidate bumps
// generations and the sequence in one MULTI/EXEC, so that no reader sees a
// generation bumped and the sequence not yet. Redis Cluster runs a
// multi-key command or transaction only when all its keys hash to one
// slot, and only one slot's keys are read and written atomically, so these
// keys carry a hash tag: {…} after the prefix, the same for every key of a
// deployment and different between deployments. One master of a cluster
// carries them; that is one MGET per batch of checks per hub server, not
// one per request (current.go). Everything else (answers, persisted
// queries, rate-limit budgets) is one key per command and spreads over the
// cluster.

// hashTag is the hash tag of the coherence keys of the deployment whose
// keys start with prefix.
func hashTag(prefix string) string {
	sum := sha256.Sum256([]byte(prefix))
	return "{" + hex.EncodeToString(sum[:4]) + "}:"
}

// EpochKey is the key of the epoch.
func (c *Cache) EpochKey() string { return c.tagged + "epoch" }

// SeqKey is the key of the write sequence.
func (c *Cache) SeqKey() string { return c.tagged + "seq" }

// GenKey is the key of the generation of the subject with code.
func (c *Cache) GenKey(code string) string { return c.tagged + "gen:" + code }
