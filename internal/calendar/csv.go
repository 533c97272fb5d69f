package calendar

import "io"

// Load reads the entries of a calendar file (LoadFile), without its
// notices. Apply the result with New or Calendar.With.
func Load(r io.Reader) ([]Entry, error) {
	f, err := LoadFile(r)
	return f.Entries, err
}
