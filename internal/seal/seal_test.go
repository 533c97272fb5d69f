package seal

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func mustKey(t *testing.T) string {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealedValuesOpenOnlyWithTheirKeyAndTheirRow(t *testing.T) {
	k, err := ParseKeys("k1:"+mustKey(t), "")
	if err != nil {
		t.Fatal(err)
	}
	s, err := k.Seal([]byte(`{"contact":"13800000000"}`), []byte("report 1"))
	if err != nil {
		t.Fatal(err)
	}
	if s.KeyID != "k1" || bytes.Contains(s.Ciphertext, []byte("13800000000")) {
		t.Fatalf("sealed: got key %q, ciphertext containing the plaintext: %v", s.KeyID, bytes.Contains(s.Ciphertext, []byte("138")))
	}
	got, err := k.Open(s, []byte("report 1"))
	if err != nil || string(got) != `{"contact":"13800000000"}` {
		t.Fatalf("open: got %q, %v", got, err)
	}
	if _, err := k.Open(s, []byte("report 2")); !errors.Is(err, ErrOpen) {
		t.Errorf("opened with another row's data: got %v, want ErrOpen", err)
	}
	s.Ciphertext[0] ^= 1
	if _, err := k.Open(s, []byte("report 1")); !errors.Is(err, ErrOpen) {
		t.Errorf("opened an altered value: got %v, want ErrOpen", err)
	}
	other, _ := ParseKeys("k1:"+mustKey(t), "")
	s.Ciphertext[0] ^= 1
	if _, err := other.Open(s, []byte("report 1")); !errors.Is(err, ErrOpen) {
		t.Errorf("opened with a different key of the same id: got %v, want ErrOpen", err)
	}
}

// Rotation: a value sealed with the old key opens while the old key is
// configured next to the new current one, new values use the new key, and
// Reseal moves old values to it.
func TestRotationKeepsOldValuesReadableAndSealsNewOnesWithTheNewKey(t *testing.T) {
	oldKey, newKey := mustKey(t), mustKey(t)
	before, _ := ParseKeys("2026a:"+oldKey, "2026a")
	old, _ := before.Seal([]byte("张三 13800000000"), []byte("r7"))

	after, err := ParseKeys("2026a:"+oldKey+", 2027a:"+newKey, "2027a")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := after.Open(old, []byte("r7")); err != nil || string(got) != "张三 13800000000" {
		t.Fatalf("old value with the rotated keyring: got %q, %v", got, err)
	}
	fresh, _ := after.Seal([]byte("李四"), []byte("r8"))
	if fresh.KeyID != "2027a" {
		t.Errorf("new value sealed with %q, want the current key 2027a", fresh.KeyID)
	}
	moved, changed, err := after.Reseal(old, []byte("r7"))
	if err != nil || !changed || moved.KeyID != "2027a" {
		t.Fatalf("reseal: got %q changed %v, %v", moved.KeyID, changed, err)
	}
	if _, changed, _ := after.Reseal(moved, []byte("r7")); changed {
		t.Error("resealing a value sealed with the current key changed it")
	}
	onlyNew, _ := ParseKeys("2027a:"+newKey, "")
	if got, err := onlyNew.Open(moved, []byte("r7")); err != nil || string(got) != "张三 13800000000" {
		t.Errorf("resealed value without the old key: got %q, %v", got, err)
	}
	if _, err := onlyNew.Open(old, []byte("r7")); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("old value without the old key: got %v, want ErrUnknownKey", err)
	}
}

func TestKeySpecificationsAreChecked(t *testing.T) {
	good := mustKey(t)
	for _, c := range []struct{ spec, current, want string }{
		{"", "", "no key"},
		{"k1", "", "ID:BASE64"},
		{"k1:" + good[:10], "", "32 bytes"},
		{"k1:" + good + ",k1:" + good, "", "twice"},
		{"k1:" + good + ",k2:" + good, "", "name the current one"},
		{"k1:" + good, "k9", "not among"},
		{"bad id:" + good, "", "ID:BASE64"},
	} {
		_, err := ParseKeys(c.spec, c.current)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseKeys(%q, %q): got %v, want an error saying %q", c.spec, c.current, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), good) {
			t.Errorf("ParseKeys(%q): the error shows the key: %v", c.spec, err)
		}
	}
}
