package seed

import (
	"bytes"
	"strings"
	"testing"
)

func TestProgressPrintsAPlainLineEveryTenthWithoutATerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, false, 1000)
	var counts [numTables]int64
	for done := 40; done <= 1000; done += 40 {
		counts[tPenalties] = int64(done * 3)
		p.update(done, counts)
	}
	p.finish()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 10 {
		t.Fatalf("got %d lines, want 10:\n%s", len(lines), buf.String())
	}
	if want := "seed: subjects 120/1000 (12%): 0 key persons, 0 licences, 360 penalties"; !strings.HasPrefix(lines[0], want) {
		t.Errorf("first line %q, want prefix %q", lines[0], want)
	}
	if !strings.HasPrefix(lines[9], "seed: subjects 1000/1000 (100%)") {
		t.Errorf("last line %q", lines[9])
	}
}

func TestProgressDrawsABarOnATerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, true, 100)
	var counts [numTables]int64
	p.update(50, counts)
	p.update(100, counts)
	p.finish()
	if buf.Len() == 0 {
		t.Error("the progress bar wrote nothing")
	}
}

func TestSilentProgressWritesNothing(t *testing.T) {
	p := newProgress(nil, true, 100)
	var counts [numTables]int64
	p.update(100, counts)
	p.printf("x")
	p.finish()
}
