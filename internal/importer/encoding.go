package importer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Encoding is the character encoding of an import file.
type Encoding string

// The encodings an import file may be in. Auto detects UTF-8 or GB18030.
const (
	Auto    Encoding = "auto"
	UTF8    Encoding = "utf-8"
	GB18030 Encoding = "gb18030"
)

// ParseEncoding reads an --encoding value: auto, utf-8 (utf8) or gb18030
// (gbk, which GB18030 contains).
func ParseEncoding(s string) (Encoding, error) {
	switch s {
	case "", "auto":
		return Auto, nil
	case "utf-8", "utf8", "UTF-8", "UTF8":
		return UTF8, nil
	case "gb18030", "GB18030", "gbk", "GBK":
		return GB18030, nil
	}
	return "", fmt.Errorf("encoding %q is not one of auto, utf-8, gb18030 (gbk)", s)
}

// sniffSize is how much of a file decides its encoding. A 双公示 export has
// Chinese names in its first data row, well inside it.
const sniffSize = 64 << 10

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// ErrUTF16 is returned for a file with a UTF-16 byte order mark, which
// Excel writes for "Unicode text": it is not CSV as the departments export
// it, and saving it as "CSV UTF-8" fixes it.
var ErrUTF16 = errors.New("the file is UTF-16 (Excel's \"Unicode text\"); save it as CSV UTF-8 or as CSV in GBK")

// Decode returns r as UTF-8 text and the encoding it was read in. With
// Auto (or ""), a byte order mark means UTF-8 (the mark is dropped); otherwise the
// first 64 KiB decide: valid UTF-8 is UTF-8, anything else is GB18030. A row
// further on that is not valid UTF-8 after all is rejected by the Table, with
// a hint to pass the encoding explicitly. It fails with ErrUTF16 for a UTF-16
// file.
func Decode(r io.Reader, enc Encoding) (io.Reader, Encoding, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", err
	}
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		if enc == GB18030 {
			return nil, "", fmt.Errorf("the file starts with a UTF-8 byte order mark but gb18030 was asked for")
		}
		_, _ = br.Discard(len(bomUTF8))
		return br, UTF8, nil
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		return nil, "", ErrUTF16
	}
	if enc == Auto || enc == "" {
		enc = GB18030
		if validPrefix(head, len(head) == sniffSize) {
			enc = UTF8
		}
	}
	if enc == UTF8 {
		return br, UTF8, nil
	}
	return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), GB18030, nil
}

// validPrefix reports whether b is valid UTF-8, allowing a rune cut off at
// the end when b is only the beginning of the file.
func validPrefix(b []byte, truncated bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if !truncated {
		return false
	}
	for cut := 1; cut < utf8.UTFMax && cut <= len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			return !utf8.FullRune(b[len(b)-cut:])
		}
	}
	return false
}
