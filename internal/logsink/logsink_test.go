package logsink_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/logsink"
)

// lockedBuffer is a bytes.Buffer safe for the flusher and the test.
type lockedBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes++
	return l.b.Write(p)
}

func (l *lockedBuffer) String() (string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String(), l.writes
}

func TestInfoLinesAreGatheredAndWarningsWrittenAtOnce(t *testing.T) {
	var out lockedBuffer
	s := logsink.New(&out)
	for i := 0; i < 100; i++ {
		s.Write([]byte("time=x level=INFO msg=request status=200\n"))
	}
	if got, _ := out.String(); got != "" {
		t.Fatalf("info lines written at once: %d bytes", len(got))
	}
	s.Write([]byte("time=x level=WARN msg=\"Redis unavailable\"\n"))
	got, writes := out.String()
	if strings.Count(got, "\n") != 101 || !strings.HasSuffix(got, "Redis unavailable\"\n") || writes != 1 {
		t.Fatalf("after a warning: %d lines in %d writes, want the 100 before it and the warning in one", strings.Count(got, "\n"), writes)
	}
	s.Write([]byte(`{"time":"x","level":"INFO","msg":"request"}` + "\n"))
	deadline := time.Now().Add(5 * logsink.FlushEvery)
	for {
		if got, _ := out.String(); strings.Count(got, "\n") == 102 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("an info line was still held back after five flush intervals")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s.Write([]byte("time=x level=INFO msg=\"after close\"\n"))
	if got, _ := out.String(); !strings.HasSuffix(got, "after close\"\n") {
		t.Error("a line after Close was held back")
	}
}

func TestCloseWritesWhatIsBuffered(t *testing.T) {
	var out lockedBuffer
	s := logsink.New(&out)
	s.Write([]byte("time=x level=INFO msg=last\n"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got, _ := out.String(); got != "time=x level=INFO msg=last\n" {
		t.Errorf("after Close: %q", got)
	}
}
