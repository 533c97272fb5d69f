package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/credithub/credithub/internal/calendar"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/importer"
	"github.com/credithub/credithub/internal/service"
)

const importUsage = `Usage: credithub import licences|penalties|subjects|tax-grades [flags] FILE.csv

Imports a CSV file with a header row, in UTF-8 or GB18030/GBK (detected),
chunk by chunk: each chunk of rows is one transaction. Rows that cannot be
imported go to a reject file (line, column, value, reason), written only
when there are some. Importing the same file again changes nothing, and an
interrupted import is finished by running the same command again. The
formats are in README.md ("Bulk import").

Flags:`

func (e *environment) importCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	department := fs.String("department", "", "take only licences and penalties decided by this authority code")
	rejectsPath := fs.String("rejects", "", "the reject file (default FILE.rejects.csv next to FILE.csv)")
	encoding := fs.String("encoding", "auto", "the file's encoding: auto, utf-8 or gb18030 (gbk)")
	chunk := fs.Int("chunk", service.DefaultImportChunk, "rows per transaction")
	writers := fs.Int("writers", 0, "licence or penalty chunks in flight (0: 2, one registering its subjects while the one before writes its records; 1: one at a time)")
	noCache := fs.Bool("no-cache", false, "do not invalidate cached answers in Redis (only when no server uses it)")
	cpuProfile := fs.String("cpuprofile", "", "write a Go CPU profile of the import to this file")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), importUsage); fs.PrintDefaults() }
	if e.help(fs, args) {
		return nil
	}
	// Flags may come before and after the kind and the file.
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	if len(pos) != 2 {
		fs.Usage()
		return fmt.Errorf("import needs a kind (licences, penalties, subjects, tax-grades) and a file")
	}
	kind, path := service.ImportKind(pos[0]), pos[1]
	switch kind {
	case service.ImportLicences, service.ImportPenalties, service.ImportSubjects, service.ImportTaxGrades:
	default:
		fs.Usage()
		return credit.Errorf(credit.BadUserInput, "%q is not one of licences, penalties, subjects, tax-grades", kind)
	}
	enc, err := importer.ParseEncoding(*encoding)
	if err != nil {
		return err
	}
	if *rejectsPath == "" {
		*rejectsPath = strings.TrimSuffix(path, filepath.Ext(path)) + ".rejects.csv"
	}
	if filepath.Clean(*rejectsPath) == filepath.Clean(path) {
		return fmt.Errorf("--rejects %s is the file to import", *rejectsPath)
	}
	tuneImportGC()
	if *cpuProfile != "" {
		pf, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := nowFunc() // the rate counts the whole command: hashing, connecting, importing
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	size, sum, err := hashFile(f)
	if err != nil {
		return err
	}
	cfg, db, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var opts []service.Option
	if !*noCache {
		redis, _, err := openCache(ctx, cfg, db, time.Second)
		if err != nil {
			return err
		}
		defer redis.Close()
		opts = append(opts, service.WithCache(redis))
	}
	cal, _, err := calendar.City(cfg.CalendarFile)
	if err != nil {
		return fmt.Errorf("CALENDAR_FILE: %w", err)
	}
	svc := service.New(db, append(opts, service.WithClock(nowFunc), service.WithCalendar(cal))...)

	// A reject file from an earlier run would describe another run.
	if err := os.Remove(*rejectsPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	rejects := &lazyFile{path: *rejectsPath}
	defer rejects.Close()
	rw := importer.NewRejectWriter(rejects)
	src := &countingReader{r: f}
	prog := e.newImportProgress(string(kind), size, src)
	ctx = credit.WithCaller(ctx, credit.Caller{ID: cliUser(), Role: credit.RoleCreditOffice, Institution: "credithub import"})
	res, err := svc.Import(ctx, src, service.ImportOptions{Kind: kind, Name: filepath.Base(path), SHA256: sum,
		Encoding: enc, Department: *department, ChunkSize: *chunk, Writers: *writers,
		Rejects: func(rs []importer.Reject) error { return rw.Write(rs...) }, Progress: prog.committed})
	prog.finish()
	if cerr := rejects.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if res.Chunks > 0 || err == nil {
		fmt.Fprintln(e.stdout, summaryLine(res, rejects.path, rw.Written() > 0, nowFunc().Sub(start)))
		if extra := summaryExtra(res); extra != "" {
			fmt.Fprintln(e.stdout, extra)
		}
	}
	if err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return fmt.Errorf("interrupted: lines up to %d are committed, the chunk in flight was rolled back; "+
			"run the same command again to finish (what is committed is found unchanged)", res.CommittedThrough)
	}
	return err
}

// hashFile returns the size and SHA-256 of f, which it leaves at its start:
// every chunk's audit row names the file by its hash.
func hashFile(f *os.File) (int64, string, error) {
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// summaryLine is the one-line summary, e.g. "penalties: 20 rows: 15
// accepted (12 new, 2 updated, 1 unchanged), 5 rejected → x.rejects.csv;
// 1,234 rows/s".
func summaryLine(s service.ImportSummary, rejectsPath string, wroteRejects bool, took time.Duration) string {
	line := fmt.Sprintf("%s: %d rows: %d accepted (%d new, %d updated, %d unchanged), %d rejected",
		s.Kind, s.Rows, s.Accepted, s.New, s.Updated, s.Unchanged, s.Rejected)
	if wroteRejects {
		line += " → " + rejectsPath
	}
	rate := 0.0
	if took > 0 {
		rate = float64(s.Rows) / took.Seconds()
	}
	return fmt.Sprintf("%s; %s rows/s (%s, %s)", line, thousands(int64(rate)), took.Round(10*time.Millisecond), s.Encoding)
}

func summaryExtra(s service.ImportSummary) string {
	var parts []string
	if s.Registered > 0 {
		parts = append(parts, fmt.Sprintf("registered %d subjects", s.Registered))
	}
	if s.Linked > 0 {
		what := "legal representatives"
		if s.Kind == service.ImportSubjects {
			what = "key person roles"
		}
		parts = append(parts, fmt.Sprintf("linked %d %s", s.Linked, what))
	}
	if s.Warned > 0 {
		parts = append(parts, fmt.Sprintf("%d rows stored with warnings", s.Warned))
	}
	return strings.Join(parts, ", ")
}

// thousands formats n with commas: 62000 is "62,000".
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// lazyFile is a file created on its first write, so that an import without
// rejects leaves no reject file.
type lazyFile struct {
	path string
	f    *os.File
	w    *bufio.Writer
}

func (l *lazyFile) Write(p []byte) (int, error) {
	if l.f == nil {
		f, err := os.Create(l.path)
		if err != nil {
			return 0, err
		}
		l.f, l.w = f, bufio.NewWriter(f)
	}
	return l.w.Write(p)
}

func (l *lazyFile) Close() error {
	if l.f == nil {
		return nil
	}
	err := l.w.Flush()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// countingReader counts the bytes read through it, for progress.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// importProgress shows how far an import is: a progress bar over the
// file's bytes on a terminal, otherwise a plain line at every tenth of the
// file or every 5 seconds, whichever comes first.
type importProgress struct {
	bar        *progressbar.ProgressBar
	w          io.Writer
	kind       string
	size       int64
	src        *countingReader
	rows       atomic.Int64
	stop, done chan struct{}
	started    time.Time
}

func (e *environment) newImportProgress(kind string, size int64, src *countingReader) *importProgress {
	p := &importProgress{w: e.stderr, kind: kind, size: size, src: src, stop: make(chan struct{}), done: make(chan struct{}), started: nowFunc()}
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(size, progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionSetDescription("import "+kind), progressbar.OptionShowBytes(true),
			progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish())
	}
	go p.run()
	return p
}

// committed is the service's Progress callback.
func (p *importProgress) committed(rows int) { p.rows.Store(int64(rows)) }

func (p *importProgress) run() {
	defer close(p.done)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	nextPct, last := int64(10), time.Now()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
		read := p.src.n.Load()
		if p.bar != nil {
			p.bar.Describe(fmt.Sprintf("import %s: %d rows committed", p.kind, p.rows.Load()))
			_ = p.bar.Set64(read)
			continue
		}
		pct := int64(100)
		if p.size > 0 {
			pct = read * 100 / p.size
		}
		if pct >= nextPct || time.Since(last) >= 5*time.Second {
			fmt.Fprintf(p.w, "import %s: read %d%% of the file, %d rows committed (%s)\n",
				p.kind, pct, p.rows.Load(), time.Since(p.started).Round(time.Second))
			for nextPct <= pct {
				nextPct += 10
			}
			last = time.Now()
		}
	}
}

func (p *importProgress) finish() {
	close(p.stop)
	<-p.done
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// tuneImportGC gives an import's collector more headroom, as serve's: an
// import's garbage is decoded rows, and at Go's default (GOGC=100)
// collecting took a tenth of its CPU. The soft limit bounds the heap (a
// first import of a million rows peaks at about 1 GB with these settings).
// GOGC and GOMEMLIMIT in the environment win.
func tuneImportGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1536 << 20)
	}
}
