package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/export"
	"github.com/credithub/credithub/internal/store"
)

// Export upward: the records the provincial platform has not heard about
// yet, from the outbox that the database's triggers fill in every writer's
// transaction (migration 00006), written in the 双公示 format.

// ExportRequest says what an export sends.
type ExportRequest struct {
	// Since is the earliest outbox time looked at.
	Since time.Time
	// Kinds are the kinds of record sent, licences first; empty is both.
	Kinds []credit.RecordKind
	// Format is the file format.
	Format export.Format
	// All also re-sends records sent by earlier batches since Since.
	All bool
	// DryRun writes the file but marks nothing: the claim is rolled back.
	DryRun bool
	// Actor names who runs the export, for the audit log.
	Actor string
	// Progress, if set, is called every ProgressEvery records of a kind and
	// once at its end with the count so far.
	Progress func(kind credit.RecordKind, n int64)
}

// ProgressEvery is how many records pass between progress calls.
const ProgressEvery = 10_000

// ExportSink is where an export writes.
type ExportSink struct {
	// Open returns the writer for kind's records; it is called once per
	// kind, before the kind's first record. It may return the same writer
	// for both kinds (JSON Lines).
	Open func(kind credit.RecordKind) (io.Writer, error)
	// Close, if set, is called after the last record and before the claim
	// is committed: the last point at which a failure (a full disk, a
	// failed fsync) undoes the export instead of losing records.
	Close func() error
}

// ExportResult is what an export did.
type ExportResult struct {
	// Batch names the export; the outbox rows it marked carry it.
	Batch string
	// Claimed is how many outbox rows it marked (a dry run: would have).
	Claimed int64
	// Licences and Penalties are how many records it wrote.
	Licences, Penalties int64
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// Export writes the latest state of every record whose outbox rows written
// at or after req.Since are pending (and, with req.All, those already sent)
// to sink, and marks the pending rows as exported by a new batch — in one
// transaction, so the rows are marked if and only if the export completed,
// and a concurrent export skips them (store.ClaimOutbox). Revoked and
// repaired records are sent with their status. A completed export appends
// "export.sent" to the audit log. It is the command line's job, for
// operators who hold the database's credentials, and checks no role.
// Errors: BAD_USER_INPUT on "since", "format" or "kind" for an invalid
// request; any error of the sink, unchanged; nothing is marked after one.
func (s *Service) Export(ctx context.Context, req ExportRequest, sink ExportSink) (ExportResult, error) {
	if req.Since.IsZero() {
		return ExportResult{}, credit.FieldErrorf("since", "is required: the export looks at changes since this time")
	}
	if req.Format != export.CSV && req.Format != export.JSONL {
		return ExportResult{}, credit.FieldErrorf("format", "%q is not an export format: use 双公示-csv or jsonl", req.Format)
	}
	kinds, err := exportKinds(req.Kinds)
	if err != nil {
		return ExportResult{}, err
	}
	batch, err := s.newBatch()
	if err != nil {
		return ExportResult{}, err
	}
	res := ExportResult{Batch: batch}
	err = s.db.InTx(ctx, func(tx *store.DB) error {
		claimed, err := tx.ClaimOutbox(ctx, batch, s.now(), req.Since, kinds)
		if err != nil {
			return err
		}
		sel := store.OutboxSelection{Batch: batch, Since: req.Since, All: req.All}
		for _, kind := range kinds {
			n, err := exportKind(ctx, tx, sel, kind, req, sink)
			if err != nil {
				return err
			}
			if kind == credit.RecordKindLicence {
				res.Licences = n
			} else {
				res.Penalties = n
			}
		}
		if sink.Close != nil {
			if err := sink.Close(); err != nil {
				return err
			}
		}
		res.Claimed = claimed
		if req.DryRun {
			return errDryRun
		}
		return audit.Append(ctx, tx, audit.Event{
			Actor:  credit.Caller{ID: req.Actor, Role: credit.RoleAdmin, Institution: "credithub command line"},
			Action: "export.sent", Target: "export_batch:" + batch,
			Detail: exportDetail{Since: req.Since.Format(time.RFC3339), Format: string(req.Format), All: req.All,
				Claimed: claimed, Licences: res.Licences, Penalties: res.Penalties},
		})
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return res, err
}

type exportDetail struct {
	Since     string `json:"since"`
	Format    string `json:"format"`
	All       bool   `json:"all,omitempty"`
	Claimed   int64  `json:"claimedOutboxRows"`
	Licences  int64  `json:"licences"`
	Penalties int64  `json:"penalties"`
}

// exportKind streams kind's records of sel into the writer sink opens for
// it and returns how many it wrote.
func exportKind(ctx context.Context, tx *store.DB, sel store.OutboxSelection, kind credit.RecordKind,
	req ExportRequest, sink ExportSink) (int64, error) {
	w, err := sink.Open(kind)
	if err != nil {
		return 0, err
	}
	enc, err := export.NewEncoder(w, req.Format, kind)
	if err != nil {
		return 0, err
	}
	var n int64
	wrote := func(err error) error {
		if err != nil {
			return err
		}
		if n++; n%ProgressEvery == 0 && req.Progress != nil {
			req.Progress(kind, n)
		}
		return nil
	}
	if kind == credit.RecordKindLicence {
		err = tx.OutboxLicences(ctx, sel, func(l credit.Licence) error { return wrote(enc.Licence(l)) })
	} else {
		err = tx.OutboxPenalties(ctx, sel, func(p credit.Penalty) error { return wrote(enc.Penalty(p)) })
	}
	if err != nil {
		return n, err
	}
	if err := enc.Flush(); err != nil {
		return n, err
	}
	if req.Progress != nil && (n == 0 || n%ProgressEvery != 0) { // a multiple was reported already
		req.Progress(kind, n)
	}
	return n, nil
}

// exportKinds checks the requested kinds and puts them in the file order:
// licences, then penalties. Empty is both.
func exportKinds(kinds []credit.RecordKind) ([]credit.RecordKind, error) {
	var licences, penalties bool
	for _, k := range kinds {
		switch k {
		case credit.RecordKindLicence:
			licences = true
		case credit.RecordKindPenalty:
			penalties = true
		default:
			return nil, credit.FieldErrorf("kind", "%q is not a kind of record the platform takes: use licences or penalties", k)
		}
	}
	var out []credit.RecordKind
	if licences || !penalties {
		out = append(out, credit.RecordKindLicence)
	}
	if penalties || !licences {
		out = append(out, credit.RecordKindPenalty)
	}
	return out, nil
}

// newBatch names an export: its start in the city's time and a random
// suffix, e.g. 20261127T100000-3f9a1c, sortable and unique across servers.
func (s *Service) newBatch() (string, error) {
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("service: export batch name: %w", err)
	}
	return s.now().In(credit.Shanghai).Format("20060102T150405") + "-" + hex.EncodeToString(b), nil
}
