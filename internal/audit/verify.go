package audit

import (
	"bytes"
	"context"
	"fmt"

	"github.com/credithub/credithub/internal/store"
)

// verifyBatch is how many rows Verify reads at a time: large enough that a
// round trip is cheap per row, small enough that memory stays flat.
const verifyBatch = 5000

// Problem is what Verify found wrong with a row.
type Problem string

// The problems.
const (
	// ContentChanged: the row's hash is not the hash of its content.
	ContentChanged Problem = "CONTENT_CHANGED"
	// LinkBroken: the row's prev_hash is not the hash of the row before it.
	LinkBroken Problem = "LINK_BROKEN"
	// RowMissing: seqs are missing where the chain breaks.
	RowMissing Problem = "ROW_MISSING"
)

// Break is the first place where the chain does not hold.
type Break struct {
	// Seq is the row at fault: the changed row, the row whose link is
	// broken, or the first missing seq.
	Seq     int64
	Problem Problem
	// Reason says in words what is wrong and what probably happened.
	Reason string
}

// Report is the outcome of Verify.
type Report struct {
	// Rows is how many rows were found intact, in seq order, before the
	// break if there is one.
	Rows int64
	// LastSeq and LastHash are those of the last intact row: the anchor to
	// keep elsewhere and compare with next time (see the package doc).
	LastSeq  int64
	LastHash []byte
	// Gaps counts seqs missing between correctly linked rows, which rolled-
	// back appends leave behind.
	Gaps int64
	// Broken is the first break, nil when the chain is intact.
	Broken *Break
}

// Intact reports whether Verify found no break.
func (r Report) Intact() bool { return r.Broken == nil }

// Verify walks the whole chain in seq order, in batches and constant memory,
// and reports the first row that was changed, removed or reordered. It
// calls progress, when not nil, after each batch with the rows checked so
// far. An error means the chain could not be read, not that it is broken.
func Verify(ctx context.Context, db *store.DB, progress func(checked int64)) (Report, error) {
	rep := Report{LastHash: Genesis}
	for {
		rows, err := db.AuditRows(ctx, rep.LastSeq, verifyBatch)
		if err != nil {
			return rep, fmt.Errorf("audit: verify: %w", err)
		}
		for _, r := range rows {
			if b := check(r, rep.LastSeq, rep.LastHash); b != nil {
				rep.Broken = b
				return rep, nil
			}
			rep.Rows++
			rep.Gaps += r.Seq - rep.LastSeq - 1
			rep.LastSeq, rep.LastHash = r.Seq, r.Hash
		}
		if progress != nil && len(rows) > 0 {
			progress(rep.Rows)
		}
		if len(rows) < verifyBatch {
			return rep, nil
		}
	}
}

// check tests row r against the row before it, prevSeq with hash prevHash
// (0 and Genesis for the first row). The link comes first: it is what tells
// a removal or a reordering from a changed row.
func check(r store.AuditRow, prevSeq int64, prevHash []byte) *Break {
	if !bytes.Equal(r.PrevHash, prevHash) {
		switch {
		case r.Seq > prevSeq+1:
			first, last := prevSeq+1, r.Seq-1
			reason := fmt.Sprintf("seq %d missing: row removed", first)
			if last > first {
				reason = fmt.Sprintf("seq %d to %d missing and the chain breaks there: a row was removed", first, last)
			}
			return &Break{Seq: first, Problem: RowMissing, Reason: reason}
		case prevSeq == 0:
			return &Break{Seq: r.Seq, Problem: LinkBroken,
				Reason: "prev_hash of the first row is not the genesis hash: the row was replaced"}
		default:
			return &Break{Seq: r.Seq, Problem: LinkBroken, Reason: fmt.Sprintf(
				"prev_hash does not match row %d: a row was removed or reordered, or row %d was changed and rehashed",
				prevSeq, prevSeq)}
		}
	}
	h, err := Hash(r)
	if err != nil {
		return &Break{Seq: r.Seq, Problem: ContentChanged, Reason: fmt.Sprintf("row content cannot be encoded: %v", err)}
	}
	if !bytes.Equal(h, r.Hash) {
		return &Break{Seq: r.Seq, Problem: ContentChanged, Reason: "hash mismatch: row content changed"}
	}
	return nil
}
