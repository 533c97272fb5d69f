// Package logsink is where the server's log lines go: a buffer in front of
// standard error that writes what gathered every FlushEvery, or at once
// when it is full, a warning or an error arrives, or the server stops.
//
// Why: the access log writes a line per request, and a write(2) per line
// cost the warm path about a tenth of its CPU under load (make bench's
// profile, scripts/bench/profile.sh). Gathered, a busy second costs ten
// system calls. What a crash can lose is the last FlushEvery of info lines;
// warnings, errors and Go's own panic output are never held back.
package logsink

import (
	"bytes"
	"io"
	"sync"
	"time"
)

// FlushEvery is how long an info line may wait in the buffer.
const FlushEvery = 100 * time.Millisecond

// maxBuffered bounds the buffer; a write that would pass it writes first.
const maxBuffered = 256 << 10

// Sink buffers lines for w. Its methods are safe for concurrent use; each
// Write is one whole line (log/slog's handlers write a record at once).
type Sink struct {
	mu   sync.Mutex
	w    io.Writer
	buf  []byte
	stop chan struct{}
	done chan struct{}
	once sync.Once
	// closed: no flusher any more, every line is written at once.
	closed bool
}

// New starts a sink in front of w; Close it to write the rest.
func New(w io.Writer) *Sink {
	s := &Sink{w: w, buf: make([]byte, 0, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go s.flusher()
	return s
}

// Write keeps p for the next flush, or writes at once what is buffered and
// p when p is a warning or an error (text or JSON format).
func (s *Sink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.buf)+len(p) > maxBuffered {
		if err := s.flushLocked(); err != nil {
			return 0, err
		}
	}
	s.buf = append(s.buf, p...)
	if s.closed || urgent(p) {
		if err := s.flushLocked(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// urgent reports whether a line is a warning or an error.
func urgent(p []byte) bool {
	head := p[:min(len(p), 64)]
	for _, level := range [][]byte{[]byte("level=WARN"), []byte("level=ERROR"), []byte(`"level":"WARN"`), []byte(`"level":"ERROR"`)} {
		if bytes.Contains(head, level) {
			return true
		}
	}
	return false
}

// Flush writes what is buffered.
func (s *Sink) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flushLocked()
}

func (s *Sink) flushLocked() error {
	if len(s.buf) == 0 {
		return nil
	}
	_, err := s.w.Write(s.buf)
	s.buf = s.buf[:0]
	return err
}

func (s *Sink) flusher() {
	defer close(s.done)
	tick := time.NewTicker(FlushEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			s.Flush()
		case <-s.stop:
			s.Flush()
			return
		}
	}
}

// Close stops the flusher and writes the rest; later lines are written at
// once.
func (s *Sink) Close() error {
	s.once.Do(func() { close(s.stop) })
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return s.flushLocked()
}
