// Package seal encrypts small secrets for storage (a reporter's identity)
// with AES-256-GCM from the standard library, under named keys so that the
// keys can rotate: each sealed value carries the id of the key that sealed
// it, new values are sealed with the current key, and values sealed with an
// older key still open as long as that key is configured. The keys come
// from configuration (REPORT_KEYS) and never reach the database.
//
// A sealed value is bound to where it is stored by additional data (the
// row it belongs to): a ciphertext copied into another row does not open.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// KeySize is the size of an AES-256 key in bytes.
const KeySize = 32

// Sealed is a value as stored: the id of the key, the nonce and the
// ciphertext with its authentication tag.
type Sealed struct {
	KeyID      string
	Nonce      []byte
	Ciphertext []byte
}

// Keyring holds the configured keys and which one seals new values.
type Keyring struct {
	current string
	aeads   map[string]cipher.AEAD
}

// ErrUnknownKey is returned when a value was sealed with a key that is not
// configured (removed too early, or never given to this server).
var ErrUnknownKey = errors.New("seal: the key that sealed this value is not configured")

// ErrOpen is returned when a value does not open: altered, or bound to
// other additional data.
var ErrOpen = errors.New("seal: the value does not open with its key (altered, or moved from another row)")

var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,32}$`)

// ParseKeys reads keys given as "id1:base64key,id2:base64key" (standard
// base64 of 32 random bytes each) and the id of the current one. current
// may be empty when exactly one key is given. Errors name the problem but
// never a key's bytes.
func ParseKeys(spec, current string) (*Keyring, error) {
	k := &Keyring{current: strings.TrimSpace(current), aeads: map[string]cipher.AEAD{}}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, b64, ok := strings.Cut(part, ":")
		if !ok || !keyIDPattern.MatchString(id) {
			return nil, fmt.Errorf("seal: a key is given as ID:BASE64 with an id of letters, digits, '_', '.' or '-', got %q", redact(part))
		}
		if _, dup := k.aeads[id]; dup {
			return nil, fmt.Errorf("seal: key %s is given twice", id)
		}
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil || len(raw) != KeySize {
			return nil, fmt.Errorf("seal: key %s must be %d bytes in standard base64 (e.g. from `credithub reports newkey`)", id, KeySize)
		}
		aead, err := newAEAD(raw)
		if err != nil {
			return nil, fmt.Errorf("seal: key %s: %w", id, err)
		}
		k.aeads[id] = aead
	}
	switch {
	case len(k.aeads) == 0:
		return nil, fmt.Errorf("seal: no key given")
	case k.current == "" && len(k.aeads) == 1:
		for id := range k.aeads {
			k.current = id
		}
	case k.current == "":
		return nil, fmt.Errorf("seal: %d keys are given; name the current one (%s)", len(k.aeads), strings.Join(k.IDs(), ", "))
	}
	if _, ok := k.aeads[k.current]; !ok {
		return nil, fmt.Errorf("seal: the current key %q is not among the keys given (%s)", k.current, strings.Join(k.IDs(), ", "))
	}
	return k, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// redact keeps a key's id and hides the rest of what was given.
func redact(part string) string {
	if id, _, ok := strings.Cut(part, ":"); ok {
		return id + ":…"
	}
	if len(part) > 8 {
		return part[:4] + "…"
	}
	return part
}

// Current returns the id of the key new values are sealed with.
func (k *Keyring) Current() string { return k.current }

// IDs returns the ids of the configured keys, sorted.
func (k *Keyring) IDs() []string {
	out := make([]string, 0, len(k.aeads))
	for id := range k.aeads {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Has reports whether the key id is configured.
func (k *Keyring) Has(id string) bool { _, ok := k.aeads[id]; return ok }

// Seal encrypts plaintext with the current key, bound to additional data
// ad, with a fresh random nonce.
func (k *Keyring) Seal(plaintext, ad []byte) (Sealed, error) {
	aead := k.aeads[k.current]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return Sealed{}, fmt.Errorf("seal: nonce: %w", err)
	}
	return Sealed{KeyID: k.current, Nonce: nonce, Ciphertext: aead.Seal(nil, nonce, plaintext, ad)}, nil
}

// Open decrypts s with the key that sealed it. ErrUnknownKey when that key
// is not configured; ErrOpen when s was altered or bound to other data.
func (k *Keyring) Open(s Sealed, ad []byte) ([]byte, error) {
	aead, ok := k.aeads[s.KeyID]
	if !ok {
		return nil, fmt.Errorf("%w (key id %q)", ErrUnknownKey, s.KeyID)
	}
	if len(s.Nonce) != aead.NonceSize() {
		return nil, ErrOpen
	}
	out, err := aead.Open(nil, s.Nonce, s.Ciphertext, ad)
	if err != nil {
		return nil, ErrOpen
	}
	return out, nil
}

// Reseal opens s and seals it again with the current key; s unchanged
// (and false) when it is sealed with the current key already.
func (k *Keyring) Reseal(s Sealed, ad []byte) (Sealed, bool, error) {
	if s.KeyID == k.current {
		return s, false, nil
	}
	plain, err := k.Open(s, ad)
	if err != nil {
		return s, false, err
	}
	out, err := k.Seal(plain, ad)
	return out, err == nil, err
}

// NewKey returns a fresh random key as standard base64, for REPORT_KEYS.
func NewKey() (string, error) {
	raw := make([]byte, KeySize)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("seal: new key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(raw), nil
}
