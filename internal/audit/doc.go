// Package audit keeps the hub's two accountability records: the audit log of
// writes and decisions, a hash chain in audit_log, and the query-use log of
// who read which subject's records and why, in query_log.
//
// # The chain
//
// Append adds one row inside the caller's transaction, so that the row
// commits or rolls back with the write it records. Each row holds the
// SHA-256 of its canonical encoding (see Hash), which includes the previous
// row's hash; the first row's previous hash is 32 zero bytes (Genesis).
// Appends are serialised by a transaction-scoped advisory lock, so the chain
// has exactly one order: seq order.
//
// # What Verify can and cannot tell
//
// Verify walks the rows in seq order, a batch at a time, and reports the
// first row that breaks one of two checks:
//
//   - the row's hash is the SHA-256 of its content: otherwise the row was
//     changed after it was written;
//   - the row's prev_hash is the hash of the row before it: otherwise a row
//     was removed, the rows were reordered, or the row before was changed
//     and given a matching new hash.
//
// Gaps in seq alone are not tampering. seq comes from an identity sequence,
// and a sequence value taken by a transaction that rolls back is never used
// again: a rolled-back Append leaves a gap with an intact chain around it.
// Only the link tells a removal from a rollback: when a row's prev_hash does
// not match the hash of the row before it and seqs are missing between them,
// Verify reports the first missing seq as removed; when the link holds, it
// counts the gap (Report.Gaps) and moves on.
//
// A chain cannot show that its newest rows were cut off: the rest is still a
// valid chain. Keep the last seq and hash that `credithub audit verify`
// prints somewhere the database's administrators cannot write (a ticket, a
// signed e-mail, another system), and compare the next run with it. Nor does
// the chain stop someone who can rewrite every row from the first changed one
// onwards with fresh hashes; the same anchoring catches that.
//
// # The query-use log
//
// QueryLog records reads in query_log. Commit queues a read's rows and
// returns once they are committed: the hub answers a read only after that,
// so no answered read is missing from the log, whatever happens to the
// process or to PostgreSQL afterwards. One writer takes whatever is queued
// the moment it is free and writes it with one INSERT (group commit), so
// under load many reads share one commit and a quiet hub writes each read
// at once. When the queue is full Commit waits, and returns UNAVAILABLE
// when its context ends first; a failed batch is kept and retried, and its
// readers are refused when their context ends. Record queues a row without
// waiting (for callers that log outside a read's answer).
package audit
