// Package auth turns a request's bearer token into a credit.Caller: API
// keys for institutions (random, stored only as a hash) and JWTs from the
// city's identity provider. No token means the PUBLIC role; a token that is
// present but not valid is an error, never a silent downgrade.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// keyPrefix starts every API key, so that a leaked key is recognisable
// (secret scanners) and never confused with a JWT.
const keyPrefix = "chk_"

// NewKey returns a new random API key and its display prefix. The key holds
// 256 random bits, so its SHA-256 is a safe thing to store.
func NewKey() (key, prefix string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	key = keyPrefix + base64.RawURLEncoding.EncodeToString(b)
	return key, key[:len(keyPrefix)+8]
}

// HashKey returns the stored form of an API key.
func HashKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

// isAPIKey reports whether a bearer token has the shape of an API key.
func isAPIKey(token string) bool { return strings.HasPrefix(token, keyPrefix) }
