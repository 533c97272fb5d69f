package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/calendar"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/importer"
	"github.com/credithub/credithub/internal/store"
)

// Bulk imports of department files (credithub import). The file is decoded
// and validated in Go (internal/importer) while the previous chunk is being
// written, so that decoding and PostgreSQL each keep a core busy; each chunk
// is one transaction: COPY into a staging table, a few set-based
// statements (internal/store/import_records.go), one audit row, commit,
// then cache invalidation. A crash or a cancellation loses at most the
// chunk in flight; importing the same file again writes only what differs,
// so an interrupted import is finished by running it again.

// ImportKind is what an import file holds.
type ImportKind string

// The kinds of import file.
const (
	ImportLicences  ImportKind = "licences"
	ImportPenalties ImportKind = "penalties"
	ImportSubjects  ImportKind = "subjects"
	ImportTaxGrades ImportKind = "tax-grades"
)

// DefaultImportChunk is how many rows go into one transaction: large enough
// that the per-chunk statements cost little per row, small enough that an
// interruption loses a few seconds of work and a chunk's rows stay in
// memory comfortably.
const DefaultImportChunk = 50_000

// ImportOptions configure an import.
type ImportOptions struct {
	Kind ImportKind
	// Name and SHA256 identify the file in the audit log.
	Name, SHA256 string
	Encoding     importer.Encoding
	// Department, when set, restricts licences and penalties to that
	// deciding authority: rows of others are rejected.
	Department string
	// ChunkSize is how many rows go into one transaction (0: the default).
	ChunkSize int
	// Writers is how many chunks of licences or penalties are in flight
	// (0: the default, 2). A chunk is written in two steps, each in a
	// transaction of its own on a connection of its own (its subjects and
	// links, then its records), and each step takes the chunks in file
	// order: with two in flight, one chunk's subjects are registered while
	// the records of the chunk before are written. 1 writes one chunk at a
	// time; more than 2 only holds more chunks in memory. Subjects and tax
	// grades are written one chunk at a time, in one step, because
	// parallel updates of a subject shared by two chunks could deadlock.
	Writers int
	// Rejects receives the rejects of each chunk, in line order, once the
	// chunk is committed (or found to write nothing).
	Rejects func([]importer.Reject) error
	// Progress is told after each chunk how many rows are done.
	Progress func(rows int)
}

// ImportSummary counts what an import did. Rows = Accepted + Rejected;
// Accepted = New + Updated + Unchanged.
type ImportSummary struct {
	Kind                                                 ImportKind
	Encoding                                             importer.Encoding
	Rows, Accepted, New, Updated, Unchanged, Rejected    int
	Warned, Registered, Linked, Chunks, CommittedThrough int
}

// stagedRow is a row ready for the store, which knows its line.
type stagedRow interface{ LineNo() int }

// Import reads a file of opts.Kind from src and writes it chunk by chunk.
// It returns what the committed chunks did, also with an error; after a
// cancellation the error is ctx's. Errors: FORBIDDEN for roles other than
// CREDIT_OFFICE and DEPARTMENT, or a department importing for another;
// BAD_USER_INPUT for an unknown kind, or a header that does not fit the
// kind; UNAVAILABLE when the cache could not be told about the changes
// (they are committed).
func (s *Service) Import(ctx context.Context, src io.Reader, opts ImportOptions) (ImportSummary, error) {
	if err := s.requireWriter(ctx); err != nil {
		return ImportSummary{Kind: opts.Kind}, err
	}
	if c := credit.CallerFrom(ctx); c.Role == credit.RoleDepartment {
		if opts.Department != "" && opts.Department != c.Department {
			return ImportSummary{Kind: opts.Kind}, credit.Errorf(credit.Forbidden,
				"a DEPARTMENT key of %s may import only records decided by %s", c.Department, c.Department)
		}
		opts.Department = c.Department
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = DefaultImportChunk
	}
	if opts.Writers <= 0 {
		opts.Writers = 2
	}
	if opts.Kind == ImportSubjects || opts.Kind == ImportTaxGrades {
		opts.Writers = 1
	}
	received := s.now()
	switch opts.Kind {
	case ImportPenalties, ImportLicences:
		checks, cal, err := s.recordChecks(ctx, opts.Department)
		if err != nil {
			return ImportSummary{Kind: opts.Kind}, err
		}
		if opts.Kind == ImportLicences {
			return importFile(ctx, s, src, opts, importer.NewLicences, func(v importer.Licence) (store.StagedLicence, *importer.Reject, bool, error) {
				return stageLicence(v, checks, cal, received)
			}, func(rows []store.StagedLicence) []importStep { return recordSteps(store.LicenceChunk(rows)) })
		}
		open := func(r io.Reader, enc importer.Encoding, today credit.Date) (*importer.Reader[importer.Penalty], error) {
			return importer.NewPenalties(r, enc, today, checks.Book)
		}
		return importFile(ctx, s, src, opts, open, func(v importer.Penalty) (store.StagedPenalty, *importer.Reject, bool, error) {
			return stagePenalty(v, checks, cal, received)
		}, func(rows []store.StagedPenalty) []importStep { return recordSteps(store.PenaltyChunk(rows)) })
	case ImportSubjects:
		return importFile(ctx, s, src, opts, importer.NewSubjects, func(v importer.SubjectRow) (store.StagedSubject, *importer.Reject, bool, error) {
			return store.StagedSubject{Line: v.Line, SubjectInput: v.Input}, nil, false, nil
		}, func(rows []store.StagedSubject) []importStep {
			return []importStep{func(ctx context.Context, tx *store.ImportTx) (store.ImportResult, error) {
				return tx.ImportSubjects(ctx, rows)
			}}
		})
	case ImportTaxGrades:
		book, err := s.ruleBook(ctx)
		if err != nil {
			return ImportSummary{Kind: opts.Kind}, err
		}
		return importFile(ctx, s, src, opts, importer.NewTaxGrades, func(v importer.TaxGradeRow) (store.StagedTaxGrade, *importer.Reject, bool, error) {
			return stageTaxGrade(v, book)
		}, func(rows []store.StagedTaxGrade) []importStep {
			return []importStep{func(ctx context.Context, tx *store.ImportTx) (store.ImportResult, error) {
				return tx.ImportTaxGrades(ctx, rows)
			}}
		})
	}
	return ImportSummary{Kind: opts.Kind}, credit.Errorf(credit.BadUserInput,
		"%q is not one of licences, penalties, subjects, tax-grades", opts.Kind)
}

// recordChecks reads what licence and penalty rows are checked against:
// the departments and the rules, and the calendar deadlines are counted
// on. BAD_USER_INPUT when only is set and not a registered department.
func (s *Service) recordChecks(ctx context.Context, only string) (importer.RecordChecks, *calendar.Calendar, error) {
	depts, err := s.db.Departments(ctx)
	if err != nil {
		return importer.RecordChecks{}, nil, err
	}
	book, err := s.ruleBook(ctx)
	if err != nil {
		return importer.RecordChecks{}, nil, err
	}
	codes := make([]string, len(depts))
	for i, d := range depts {
		codes[i] = d.Code
	}
	c := importer.NewRecordChecks(codes, only, book)
	if only != "" && !c.Departments[only] {
		return c, nil, credit.FieldErrorf("department", "%q is not a registered department", only)
	}
	cal, err := s.calendar()
	return c, cal, err
}

// stageTaxGrade checks a decoded grade's score against the TAX_GRADE_BANDS
// rule of its assessment year.
func stageTaxGrade(v importer.TaxGradeRow, book *credit.RuleBook) (store.StagedTaxGrade, *importer.Reject, bool, error) {
	out := store.StagedTaxGrade{Line: v.Line, Code: v.Code, Year: v.Year, Grade: v.Grade, Score: v.ScoreText()}
	if v.Score == nil {
		return out, nil, false, nil
	}
	bands, ok := book.TaxBands(v.Year)
	if !ok {
		return out, &importer.Reject{Line: v.Line, Column: "year", Value: fmt.Sprint(v.Year), Reason: fmt.Sprintf(
			"no %s rule was in force in %d to check the score against", credit.RuleTaxGradeBands, v.Year)}, false, nil
	}
	if why := bands.Fits(v.Grade, *v.Score); why != "" {
		return out, &importer.Reject{Line: v.Line, Column: "score", Value: v.ScoreText(), Reason: why}, false, nil
	}
	return out, nil, false, nil
}

// stagePenalty completes a decoded penalty as RecordPenalty does: the
// publication window and default use scope from the rule in force on the
// decision date, and the publication deadline on the official calendar.
func stagePenalty(v importer.Penalty, checks importer.RecordChecks, cal *calendar.Calendar, received time.Time) (store.StagedPenalty, *importer.Reject, bool, error) {
	rule, rej := checks.Penalty(v)
	if rej != nil {
		return store.StagedPenalty{}, rej, false, nil
	}
	in := v.Input
	deadline, warning, err := deadlineOn(checks.Book, cal, in.DecidedOn)
	if err != nil {
		return store.StagedPenalty{}, nil, false, err
	}
	if in.UseScope == "" {
		in.UseScope = rule.DefaultScope()
	}
	publicUntil, repairableFrom := rule.Window(in.DecidedOn, in.UseScope)
	warnings := appendNonEmpty(v.Warnings, warning)
	return store.StagedPenalty{StagedParty: stagedParty(v.Line, v.Intake), Penalty: credit.Penalty{
		RecordParty: in.Party, DecisionNo: in.DecisionNo, ViolationType: in.ViolationType, Facts: in.Facts,
		LegalBasis: in.LegalBasis, Category: in.Category, Content: in.Content, Fine: in.Fine, Confiscated: in.Confiscated,
		SuspendedLicence: in.SuspendedLicence, DecidedOn: in.DecidedOn, ValidUntil: in.ValidUntil, PublicUntil: publicUntil,
		AuthorityName: in.AuthorityName, AuthorityCode: in.AuthorityCode, SourceName: in.SourceName,
		SourceCode: in.SourceCode, Remarks: in.Remarks, Severity: in.Severity, RepairableFrom: &repairableFrom,
		UseScope: in.UseScope, PublicationDeadline: deadline, ReceivedAt: received, WarningList: warnings,
	}}, nil, len(warnings) > 0, nil
}

// stageLicence completes a decoded licence as RecordLicence does.
func stageLicence(v importer.Licence, checks importer.RecordChecks, cal *calendar.Calendar, received time.Time) (store.StagedLicence, *importer.Reject, bool, error) {
	if rej := checks.Licence(v); rej != nil {
		return store.StagedLicence{}, rej, false, nil
	}
	in := v.Input
	deadline, warning, err := deadlineOn(checks.Book, cal, in.DecidedOn)
	if err != nil {
		return store.StagedLicence{}, nil, false, err
	}
	if in.UseScope == "" {
		in.UseScope = credit.ScopePublic
	}
	warnings := appendNonEmpty(v.Warnings, warning)
	return store.StagedLicence{StagedParty: stagedParty(v.Line, v.Intake), Licence: credit.Licence{
		RecordParty: in.Party, DocumentName: in.DocumentName, DecisionNo: in.DecisionNo, Category: in.Category,
		CertificateName: in.CertificateName, LicenceNo: in.LicenceNo, Content: in.Content, DecidedOn: in.DecidedOn,
		ValidFrom: in.ValidFrom, ValidUntil: in.ValidUntil, AuthorityName: in.AuthorityName,
		AuthorityCode: in.AuthorityCode, Status: v.Status, SourceName: in.SourceName, SourceCode: in.SourceCode,
		Remarks: in.Remarks, UseScope: in.UseScope, PublicationDeadline: deadline, ReceivedAt: received,
		WarningList: warnings,
	}}, nil, len(warnings) > 0, nil
}

func stagedParty(line int, in credit.Intake) store.StagedParty {
	return store.StagedParty{Line: line, Subject: in.Subject, LegalRep: in.LegalRep}
}

// importStep writes one step of a chunk in the transaction it is given.
type importStep func(context.Context, *store.ImportTx) (store.ImportResult, error)

// recordSteps are the two steps of a chunk of licences or penalties: its
// parties, then its records (store.RecordChunk).
func recordSteps(c *store.RecordChunk) []importStep {
	return []importStep{
		func(ctx context.Context, tx *store.ImportTx) (store.ImportResult, error) {
			return tx.ImportParties(ctx, c)
		},
		func(ctx context.Context, tx *store.ImportTx) (store.ImportResult, error) {
			return tx.ImportRecords(ctx, c)
		},
	}
}

// importFile opens src as a file of one kind and runs the pipeline
// (importer.Run): rows are decoded and completed by stage while earlier
// chunks are written. Each chunk is written in the steps plan gives it,
// each step in a transaction of its own on a session of its own, and each
// step takes the chunks in file order; opts.Writers chunks are in flight,
// so that one chunk's first step runs while the chunk before is at its
// second. The chunks are summed up in file order.
func importFile[V any, T stagedRow](ctx context.Context, s *Service, src io.Reader, opts ImportOptions,
	open func(io.Reader, importer.Encoding, credit.Date) (*importer.Reader[V], error),
	stage func(V) (T, *importer.Reject, bool, error), plan func([]T) []importStep) (ImportSummary, error) {
	sum := ImportSummary{Kind: opts.Kind}
	r, err := open(src, opts.Encoding, s.Today())
	var he *importer.HeaderError
	if errors.As(err, &he) || errors.Is(err, importer.ErrUTF16) {
		return sum, &credit.Error{Code: credit.BadUserInput, Message: err.Error()}
	} else if err != nil {
		return sum, err
	}
	sum.Encoding = r.Encoding()
	steps := len(plan(nil))
	sessions := make([]*store.ImportSession, steps)
	turns := make([]*inOrder, steps)
	for i := range steps {
		sess, err := s.db.ImportSession(ctx)
		if err != nil {
			return sum, err
		}
		defer sess.Close()
		sessions[i], turns[i] = sess, newInOrder()
	}
	next := func() (T, int, *importer.Reject, bool, error) {
		v, rej, err := r.Next()
		if err != nil || rej != nil {
			var zero T
			return zero, 0, rej, false, err
		}
		row, rej, warned, err := stage(v)
		return row, row.LineNo(), rej, warned, err
	}
	failed := false
	err = importer.Run(ctx, next, opts.ChunkSize, opts.Writers,
		func(ctx context.Context, c importer.Chunk[T]) (store.ImportResult, error) {
			var total store.ImportResult
			for i, step := range plan(c.Rows) {
				if err := turns[i].wait(ctx, c.Seq); err != nil {
					return total, err
				}
				res, err := s.writeChunk(ctx, sessions[i], opts, chunkStep{seq: c.Seq, step: i, steps: steps,
					rows: len(c.Rows), lines: c.Lines, last: c.Last, before: total},
					func(tx *store.ImportTx) (store.ImportResult, error) { return step(ctx, tx) })
				turns[i].done(c.Seq)
				total = total.Add(res)
				if err != nil {
					return total, err
				}
			}
			return total, nil
		},
		func(c importer.Chunk[T], res store.ImportResult, err error) error {
			if err != nil {
				failed = true
				return err
			}
			if !failed {
				sum.CommittedThrough = c.Last
			}
			return sum.add(opts, len(c.Rows), c.Rejects, c.Warned, c.Lines, res)
		})
	// Also after a failure: the chunks committed before it changed data.
	if ierr := s.ensureInvalidated(ctx); err == nil {
		err = ierr
	}
	return sum, err
}

// inOrder lets the chunks through one step in file order, one at a time.
type inOrder struct {
	mu    sync.Mutex
	next  int
	moved chan struct{} // closed when next moves
}

func newInOrder() *inOrder { return &inOrder{next: 1, moved: make(chan struct{})} }

// wait returns when chunk seq's turn has come, or ctx's error.
func (o *inOrder) wait(ctx context.Context, seq int) error {
	for {
		o.mu.Lock()
		next, moved := o.next, o.moved
		o.mu.Unlock()
		if next == seq {
			return nil
		}
		select {
		case <-moved:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// done gives the turn to the chunk after seq.
func (o *inOrder) done(seq int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.next = seq + 1
	close(o.moved)
	o.moved = make(chan struct{})
}

// importDetail is what the audit log keeps about one step of a chunk.
type importDetail struct {
	Chunk int `json:"chunk"`
	// Part is "parties" for the first step of a chunk of records (its
	// subjects and links) and "records" for the second; empty for a chunk
	// written in one step.
	Part       string `json:"part,omitempty"`
	LastLine   int    `json:"lastLine"`
	Accepted   int    `json:"accepted"`
	New        int    `json:"new"`
	Updated    int    `json:"updated"`
	Unchanged  int    `json:"unchanged"`
	Rejected   int    `json:"rejected"`
	Registered int    `json:"registered,omitempty"`
	Linked     int    `json:"linked,omitempty"`
	SHA256     string `json:"sha256"`
	Department string `json:"department,omitempty"`
}

// chunkStep is where a chunk is: step of steps of chunk seq, which holds
// rows staged rows of lines read up to line last; before is what its
// earlier steps did.
type chunkStep struct {
	seq, step, steps, rows, lines, last int
	before                              store.ImportResult
}

// writeChunk writes one step of a chunk, when the chunk has rows, with its
// audit row, and invalidates what it changed. The first step of two
// leaves an audit row only when it registered or linked something (a
// re-run registers nothing); the last step's row counts the chunk's rows.
func (s *Service) writeChunk(ctx context.Context, sess *store.ImportSession, opts ImportOptions, c chunkStep,
	write func(*store.ImportTx) (store.ImportResult, error)) (store.ImportResult, error) {
	var res store.ImportResult
	if c.rows == 0 {
		return res, nil
	}
	// Exact invalidation for small chunks; a large chunk that changes
	// anything moves the cache's epoch instead, which makes every cached
	// answer unservable: never stale, and it spares working out the
	// affected codes (a sixth of a 50,000-row chunk's time).
	exact := c.rows < bulkInvalidateRows
	sess.Affected = s.responses != nil && exact
	last := c.step == c.steps-1
	err := sess.InTx(ctx, func(tx *store.ImportTx) error {
		var err error
		if res, err = write(tx); err != nil {
			return err
		}
		if !last && !res.Changed() {
			return nil
		}
		d := importDetail{Chunk: c.seq, LastLine: c.last, Registered: res.Registered, Linked: res.Linked,
			SHA256: opts.SHA256, Department: opts.Department}
		if c.steps > 1 {
			d.Part = "parties"
		}
		if last {
			all := c.before.Add(res)
			d.Accepted = c.rows - len(all.Rejects)
			d.New, d.Updated = res.New, res.Updated
			d.Unchanged = d.Accepted - res.New - res.Updated
			d.Rejected = c.lines - d.Accepted
			if c.steps > 1 {
				d.Part = "records"
			}
		}
		return audit.Append(ctx, tx.DB, audit.Event{Actor: credit.CallerFrom(ctx),
			Action: strings.ReplaceAll(string(opts.Kind), "-", "_") + ".imported", Target: "file:" + opts.Name, Detail: d})
	})
	// Invalidated even when the commit reported an error, as in write.
	for i := 0; i < len(res.Codes); i += invalidateBatch {
		s.invalidate(ctx, res.Codes[i:min(i+invalidateBatch, len(res.Codes))])
	}
	if !exact && res.Changed() {
		s.invalidateEverything(ctx)
	}
	return res, err
}

// bulkInvalidateRows is the chunk size from which an import invalidates
// the whole cache after each chunk that changed something, rather than the
// codes the chunk affected.
const bulkInvalidateRows = 5000

// add counts a written chunk of n staged rows, hands its rejects (the
// decoder's and the database's, in line order) on, and reports progress.
func (sum *ImportSummary) add(opts ImportOptions, n int, rejects []importer.Reject, warned []int, lines int,
	res store.ImportResult) error {
	if len(res.Rejects) > 0 {
		rejects = slices.Clone(rejects)
		dbRejected := map[int]bool{}
		for _, r := range res.Rejects {
			rejects = append(rejects, importer.Reject{Line: r.Line, Column: r.Column, Value: r.Value, Reason: r.Reason})
			dbRejected[r.Line] = true
		}
		slices.SortStableFunc(rejects, func(a, b importer.Reject) int { return a.Line - b.Line })
		warned = slices.DeleteFunc(slices.Clone(warned), func(l int) bool { return dbRejected[l] })
	}
	accepted := n - len(res.Rejects)
	sum.Chunks++
	sum.Rows += lines
	sum.Accepted += accepted
	sum.New += res.New
	sum.Updated += res.Updated
	sum.Unchanged += accepted - res.New - res.Updated
	sum.Rejected += lines - accepted
	sum.Warned += len(warned)
	sum.Registered += res.Registered
	sum.Linked += res.Linked
	if opts.Progress != nil {
		opts.Progress(sum.Rows)
	}
	if opts.Rejects != nil && len(rejects) > 0 {
		if err := opts.Rejects(rejects); err != nil {
			return fmt.Errorf("service: write rejects: %w", err)
		}
	}
	return nil
}

// invalidateBatch is how many codes go to Redis in one pipeline.
const invalidateBatch = 5000

// ensureInvalidated makes sure the servers will not serve answers from
// before the import: if an invalidation failed, the cache's epoch must
// move now, because this process's memory of the failure ends with it.
// UNAVAILABLE when Redis cannot be reached for that.
func (s *Service) ensureInvalidated(ctx context.Context) error {
	rc := s.responses
	if rc == nil || !rc.lostInvalidation.Load() || rc.recoverEpoch(context.WithoutCancel(ctx)) {
		return nil
	}
	return credit.Errorf(credit.Unavailable, "the import is committed, but Redis could not be told: "+
		"servers may serve cached answers from before it until they expire, at midnight at the latest")
}
