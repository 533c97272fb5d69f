package seed

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress reports how far a seed has come: a progress bar on a terminal,
// otherwise a plain line at every tenth of the subjects, which reads well in
// CI logs and `make` output.
type progress struct {
	w     io.Writer
	bar   *progressbar.ProgressBar
	total int
	next  int // the next percentage to print a line at
	start time.Time
}

// newProgress returns a reporter for total subjects; w nil is silent.
func newProgress(w io.Writer, terminal bool, total int) *progress {
	p := &progress{w: w, total: total, next: 10, start: time.Now()}
	if w != nil && terminal && total > 0 {
		p.bar = progressbar.NewOptions64(int64(total),
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("seed: subjects"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// printf writes a line unless progress is silent.
func (p *progress) printf(format string, args ...any) {
	if p.w != nil {
		fmt.Fprintf(p.w, format+"\n", args...)
	}
}

// update reports that done subjects and counts rows per table are written.
func (p *progress) update(done int, counts [numTables]int64) {
	if p.w == nil || p.total == 0 {
		return
	}
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("seed: %d licences, %d penalties, %d list entries; subjects",
			counts[tLicences], counts[tPenalties], counts[tListEntries]))
		_ = p.bar.Set64(int64(done))
		return
	}
	pct := done * 100 / p.total
	if pct < p.next && done < p.total {
		return
	}
	p.printf("seed: subjects %d/%d (%d%%): %d key persons, %d licences, %d penalties, %d list entries, %d tax grades (%s)",
		done, p.total, pct, counts[tKeyPersons], counts[tLicences], counts[tPenalties], counts[tListEntries],
		counts[tTaxGrades], time.Since(p.start).Round(time.Second))
	for p.next <= pct {
		p.next += 10
	}
}

// finish closes the progress bar, if any.
func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.w)
	}
}
