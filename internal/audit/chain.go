package audit

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// Genesis is the prev_hash of the first row of the chain.
var Genesis = make([]byte, sha256.Size)

// encodingVersion starts every canonical encoding, so that a future change of
// the encoding can be told apart from tampering.
const encodingVersion = "credithub.audit.v1"

// Event is one write or decision to record.
type Event struct {
	// Actor is who did it; its ID, Role and Institution are recorded.
	Actor credit.Caller
	// Action names what happened, as aggregate.verb-in-past-tense:
	// "licence.recorded", "list_entry.approved", "apikey.created".
	Action string
	// Target is what it happened to, as kind:id: "subject:91210602MA10QX7K9W",
	// "list_entry:42".
	Target string
	// Detail is anything worth keeping about the event (the decision number,
	// the old and new status), marshalled with encoding/json; nil is stored
	// as {}. Strings in it must not contain NUL, which jsonb cannot store.
	Detail any
}

// Append records ev as the next row of the audit chain, inside tx's
// transaction: the row commits or rolls back with the write it describes. On
// a DB that is not in a transaction it runs one of its own. It holds the
// chain lock until the transaction ends, so call it as the last statement of
// the transaction, and never in a REPEATABLE READ or SERIALIZABLE one (the
// append then fails instead of forking the chain).
func Append(ctx context.Context, tx *store.DB, ev Event) error {
	if ev.Action == "" {
		return fmt.Errorf("audit: append: an event needs an action")
	}
	detail := []byte("{}")
	if ev.Detail != nil {
		raw, err := json.Marshal(ev.Detail)
		if err != nil {
			return fmt.Errorf("audit: append %s: marshal detail: %w", ev.Action, err)
		}
		// Stored in canonical form, so that the stored text is what the hash
		// covers whenever jsonb leaves it alone.
		if detail, err = CanonicalJSON(raw); err != nil {
			return fmt.Errorf("audit: append %s: detail: %w", ev.Action, err)
		}
	}
	row := store.AuditRow{
		Actor:       ev.Actor.ID,
		Role:        string(ev.Actor.Role),
		Institution: ev.Actor.Institution,
		Action:      ev.Action,
		Target:      ev.Target,
		Detail:      detail,
	}
	_, err := tx.AppendAudit(ctx, row, seal)
	if err != nil {
		return fmt.Errorf("audit: append %s: %w", ev.Action, err)
	}
	return nil
}

// seal completes a row whose Seq, At and PrevHash the store has filled in.
func seal(r *store.AuditRow) error {
	if r.PrevHash == nil {
		r.PrevHash = Genesis
	}
	h, err := Hash(*r)
	r.Hash = h
	return err
}

// Hash returns the SHA-256 of r's canonical encoding, ignoring r.Hash.
//
// The canonical encoding is the concatenation of ten fields, each written
// as its length in bytes (4 bytes, big-endian, unsigned) followed by its
// bytes:
//
//  1. "credithub.audit.v1" (the encoding's version);
//  2. seq as 8 bytes, big-endian two's complement;
//  3. at in UTC as Go's time.RFC3339Nano (e.g. "2026-04-01T02:03:04.5Z":
//     trailing fractional zeros dropped; PostgreSQL keeps microseconds);
//  4. actor, 5. role, 6. institution, 7. action, 8. target, as UTF-8;
//  9. detail as canonical JSON (see CanonicalJSON);
//  10. prev_hash, 32 bytes.
//
// Length prefixes make the encoding unambiguous: no two different rows
// encode to the same bytes, whatever their fields contain.
func Hash(r store.AuditRow) ([]byte, error) {
	detail, err := CanonicalJSON(r.Detail)
	if err != nil {
		return nil, fmt.Errorf("detail of seq %d: %w", r.Seq, err)
	}
	var seq [8]byte
	binary.BigEndian.PutUint64(seq[:], uint64(r.Seq))
	h := sha256.New()
	for _, f := range [][]byte{
		[]byte(encodingVersion),
		seq[:],
		[]byte(r.At.UTC().Format(time.RFC3339Nano)),
		[]byte(r.Actor),
		[]byte(r.Role),
		[]byte(r.Institution),
		[]byte(r.Action),
		[]byte(r.Target),
		detail,
		r.PrevHash,
	} {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(f)))
		h.Write(n[:])
		h.Write(f)
	}
	return h.Sum(nil), nil
}
