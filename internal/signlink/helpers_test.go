package signlink

import (
	"crypto/sha256"
	"strings"
	"testing"
	"time"
)

// t0 is the tests' now: 10 March 2026, 15:00 in Asia/Ho_Chi_Minh.
var t0 = time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)

// testKey derives a fixed secret from id and salt, so tests need no
// randomness and two calls give the same key.
func testKey(t testing.TB, id, salt string) Key {
	t.Helper()
	sum := sha256.Sum256([]byte("test key|" + id + "|" + salt))
	k, err := NewKey(id, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testSigner(t testing.TB, current Key, previous ...Key) *Signer {
	t.Helper()
	s, err := NewSigner(current, previous...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustSign(t testing.TB, s *Signer, c Claims) string {
	t.Helper()
	tok, err := s.Sign(c)
	if err != nil {
		t.Fatalf("Sign(%+v): %v", c, err)
	}
	return tok
}

// split decodes a token's two parts; the token must be well formed.
func split(t testing.TB, tok string) (payload, sig []byte) {
	t.Helper()
	ep, es, ok := strings.Cut(tok, ".")
	if !ok {
		t.Fatalf("token %q has no dot", tok)
	}
	var err error
	if payload, err = b64.DecodeString(ep); err != nil {
		t.Fatal(err)
	}
	if sig, err = b64.DecodeString(es); err != nil {
		t.Fatal(err)
	}
	return payload, sig
}

func join(payload, sig []byte) string {
	return b64.EncodeToString(payload) + "." + b64.EncodeToString(sig)
}

// signRaw MACs arbitrary payload bytes with k, as only a key holder could:
// it shows what Verify does with authentic bytes Sign would never write.
func signRaw(k Key, payload []byte) string { return join(payload, mac(k.secret, payload)) }

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// flipLastBit changes the last character of a base64 part to its neighbour
// with the lowest bit flipped: a non-canonical encoding of the same bytes
// when the part has trailing bits.
func flipLastBit(t testing.TB, part string) string {
	t.Helper()
	if len(part)%4 == 0 {
		t.Fatalf("part %q has no trailing bits", part)
	}
	i := strings.IndexByte(b64Alphabet, part[len(part)-1])
	return part[:len(part)-1] + string(b64Alphabet[i^1])
}

// swapCase swaps the case of the first ASCII letter in s[from:to].
func swapCase(t testing.TB, s string, from, to int) string {
	t.Helper()
	for i := from; i < to; i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z':
			return s[:i] + string(c-32) + s[i+1:]
		case 'A' <= c && c <= 'Z':
			return s[:i] + string(c+32) + s[i+1:]
		}
	}
	t.Fatalf("no letter in %q[%d:%d]", s, from, to)
	return ""
}
