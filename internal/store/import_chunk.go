package store

import (
	"context"
	"slices"
	"strings"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// RecordChunk is a chunk of licences or penalties on its way into the
// database, in two steps that may run in two transactions on two sessions:
// ImportParties finds or registers whom the records are about and links
// their legal representatives; ImportRecords then writes the records. An
// import runs the parties of one chunk while the records of the chunk
// before are written, so that the two use both cores; each step commits
// what is consistent on its own (subjects with their links; records whose
// subjects exist), and a re-run finds what an interrupted run committed.
type RecordChunk struct {
	k     recordKind
	n     int
	party func(int) *StagedParty
	key   func(int) (string, string, credit.Date)
	write func(int, *copyLine)

	// Set by ImportParties: the rows' subject and representative ids, the
	// rows to write (not rejected) sorted by authority and decision number,
	// and their record columns in COPY text.
	ids   partyIDs
	order []int
	enc   encodedRecords
	done  bool
}

// newRecordChunk returns a chunk of n records of kind k. key returns a
// row's authority, decision number and decision date; write encodes a
// row's record columns.
func newRecordChunk(k recordKind, n int, party func(int) *StagedParty, key func(int) (string, string, credit.Date),
	write func(int, *copyLine)) *RecordChunk {
	return &RecordChunk{k: k, n: n, party: party, key: key, write: write}
}

// importChunk writes both steps in one transaction.
func (tx *ImportTx) importChunk(ctx context.Context, c *RecordChunk) (ImportResult, error) {
	parties, err := tx.ImportParties(ctx, c)
	if err != nil {
		return parties, err
	}
	records, err := tx.ImportRecords(ctx, c)
	return parties.Add(records), err
}

// ImportParties is the first step of writing a chunk of records, in this
// order (the order single pushes take their locks in, so that both queue
// rather than deadlock):
//
//  1. the subjects and legal representatives are looked up by code (one
//     indexed statement); a row whose subject or representative is
//     registered with a kind that contradicts the record (a natural person
//     is never an organisation) is rejected, with the reason single pushes
//     give; the importer has already rejected rows that contradict an
//     earlier line of the file;
//  2. codes not registered yet are registered from the first row naming
//     them, as EnsureSubject registers them, in code order;
//  3. legal representatives are linked by the rule of single pushes
//     (LinkLegalRepresentative): an organisation with no legal
//     representative whose role lasts to a record's decision date gets the
//     record's representative from that date, and where several rows of the
//     chunk could link one, the first line's does, as it would if the rows
//     were pushed one by one.
//
// Meanwhile the records are sorted and encoded for COPY. The result counts
// what was registered and linked, and the rejects. Errors: BAD_USER_INPUT
// when a constraint refuses a value.
func (tx *ImportTx) ImportParties(ctx context.Context, c *RecordChunk) (ImportResult, error) {
	var res ImportResult
	// Sorting the rows and encoding their record columns for COPY take a
	// third of a chunk's Go time and depend on the rows alone: they run
	// while PostgreSQL looks up and registers the subjects, rather than
	// between statements.
	sorted := make(chan encodedRecords, 1)
	go func() { sorted <- encodeRecords(c.n, c.key, c.write) }()
	ids, err := tx.resolveParties(ctx, c.k.prefix, c.n, c.party, &res)
	c.enc = <-sorted
	if err != nil {
		return res, err
	}
	c.ids = ids
	c.order = slices.DeleteFunc(slices.Clone(c.enc.order), func(i int) bool { return ids.subject[i] == 0 })
	var cand linkCandidates
	for _, i := range c.order {
		if ids.rep[i] != 0 {
			_, _, decided := c.key(i)
			cand.add(ids.subject[i], ids.rep[i], decided, c.party(i).Line)
		}
	}
	if err := tx.linkLegalReps(ctx, cand, &res); err != nil {
		return res, err
	}
	c.done = true
	return res, tx.affectedCodes(ctx, &res, nil, nil)
}

// ImportRecords is the second step of writing a chunk of records, after
// ImportParties has committed (or in the same transaction): when none of
// the chunk's decisions is stored, the records are copied, sorted by
// authority and decision number, straight into the table
// (copyNewRecords); otherwise they are copied in that order into the
// staging table with their subject ids and upserted by decision number,
// and an existing record is updated only where a written column differs,
// so that importing a file again changes nothing. The result counts the
// new and updated records. Errors: BAD_USER_INPUT when a constraint
// refuses a value.
func (tx *ImportTx) ImportRecords(ctx context.Context, c *RecordChunk) (ImportResult, error) {
	var res ImportResult
	if !c.done {
		panic("store: ImportRecords before ImportParties")
	}
	if len(c.order) == 0 {
		return res, nil
	}
	k, order, ids, enc := c.k, c.order, c.ids, c.enc
	direct, err := tx.copyNewRecords(ctx, k, order, ids.subject, c.key, enc)
	if err != nil {
		return res, err
	}
	if direct {
		res.New, res.Copied = len(order), len(order)
		tx.sess.stored = storedNone
		return res, tx.affectedCodes(ctx, &res, subjectsOf(order, ids.subject), nil)
	}
	cols := append(append(append([]string{}, stagedRecordColumns...), recordPartyColumns...), k.columns...)
	if err := tx.createStaging(ctx, k.staging, cols, k.types); err != nil {
		return res, err
	}
	err = tx.copyRows(ctx, k.staging, cols, len(order), func(j int, l *copyLine) {
		i := order[j]
		l.int(int64(c.party(i).Line))
		l.int(ids.subject[i])
		l.encoded(enc.text[enc.start[i]:enc.end[i]])
	})
	if err != nil {
		return res, err
	}
	var prev []int64
	if tx.sess.stored != storedNone {
		if _, err := tx.exec(ctx, unchangedRecordsSQL(k)); err != nil {
			return res, err
		}
	}
	if tx.sess.Affected {
		if err := tx.sel(ctx, &prev, strings.NewReplacer("{table}", k.table, "{staging}", k.staging).Replace(movedSQL)); err != nil {
			return res, err
		}
	}
	var up struct {
		New     int           `db:"new"`
		Updated int           `db:"updated"`
		IDs     pq.Int64Array `db:"ids"`
	}
	if err := tx.get(ctx, &up, upsertRecordsSQL(k), tx.sess.Affected); err != nil {
		return res, err
	}
	res.New, res.Updated = up.New, up.Updated
	tx.sess.stored = storedSome
	if up.New == len(order) {
		tx.sess.stored = storedNone
	}
	return res, tx.affectedCodes(ctx, &res, up.IDs, prev)
}
