package signlink

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestVerifyRejects is the security acceptance table of issue 4: tampered,
// forged, malformed and expired tokens, each with the error it must get.
func TestVerifyRejects(t *testing.T) {
	prev, cur := testKey(t, "k2025", "a"), testKey(t, "k2026", "b")
	s := testSigner(t, cur, prev)
	removed := testKey(t, "k2024", "c")     // rotated out: s no longer holds it
	foreign := testKey(t, "k2026", "other") // an attacker's key under our id

	claims := Claims{Occurrence: 42, Agency: "so-khdt", Action: ActionSubmit, Expires: t0.Add(30 * 24 * time.Hour)}
	tok := mustSign(t, s, claims)
	other := mustSign(t, s, Claims{Occurrence: 43, Agency: "so-tc", Action: ActionSubmit, Expires: claims.Expires})
	ep, es, _ := strings.Cut(tok, ".")
	p, sig := split(t, tok)
	n := len(cur.ID) // payload offsets, as in the package doc
	offAction, offOcc, offExp, offAgency := 2+n, 3+n, 11+n, 20+n

	// payload returns a copy of tok's payload after edit.
	payload := func(edit func(p []byte) []byte) []byte {
		return edit(append([]byte(nil), p...))
	}
	// keepSig re-encodes an edited payload with tok's signature.
	keepSig := func(edit func(p []byte) []byte) string { return join(payload(edit), sig) }
	signedBy := func(k Key, c Claims) string { return mustSign(t, testSigner(t, k), c) }
	withClaims := func(edit func(c *Claims)) Claims { c := claims; edit(&c); return c }
	setAgency := func(a string) func(p []byte) []byte {
		return func(p []byte) []byte { return append(append(p[:offAgency-1], byte(len(a))), a...) }
	}

	cases := []struct {
		name  string
		token string
		now   time.Time // t0 when zero
		want  error
	}{
		// Shape.
		{"empty", "", time.Time{}, ErrMalformed},
		{"only a dot", ".", time.Time{}, ErrMalformed},
		{"no dot: payload only", ep, time.Time{}, ErrMalformed},
		{"no dot: parts glued", ep + es, time.Time{}, ErrMalformed},
		{"two dots", tok + ".AAAA", time.Time{}, ErrMalformed},
		{"dot doubled", ep + ".." + es, time.Time{}, ErrMalformed},
		{"empty payload", "." + es, time.Time{}, ErrMalformed},
		{"empty signature", ep + ".", time.Time{}, ErrMalformed},
		{"parts swapped", es + "." + ep, time.Time{}, ErrMalformed},
		{"overlong: valid token then junk", tok + strings.Repeat("A", MaxTokenLen), time.Time{}, ErrMalformed},
		{"overlong payload part under the cap", strings.Repeat("A", 300) + "." + es, time.Time{}, ErrMalformed},

		// Alphabet and encoding.
		{"standard base64 '+' in signature", ep + "." + "+" + es[1:], time.Time{}, ErrMalformed},
		{"standard base64 '/' in payload", "/" + ep[1:] + "." + es, time.Time{}, ErrMalformed},
		{"padding added to signature", tok + "=", time.Time{}, ErrMalformed},
		{"padding added to payload", ep + "=." + es, time.Time{}, ErrMalformed},
		{"percent-encoded dot", ep + "%2E" + es, time.Time{}, ErrMalformed},
		{"NUL appended", tok + "\x00", time.Time{}, ErrMalformed},
		{"NUL inside", ep + "\x00." + es, time.Time{}, ErrMalformed},
		{"Vietnamese letter appended", tok + "đ", time.Time{}, ErrMalformed},
		{"zero-width space inside", ep + "\u200b." + es, time.Time{}, ErrMalformed},
		{"fullwidth dot as separator", ep + "．" + es, time.Time{}, ErrMalformed},
		{"invalid UTF-8", tok + "\xff", time.Time{}, ErrMalformed},
		{"space appended", tok + " ", time.Time{}, ErrMalformed},
		{"newline appended", tok + "\n", time.Time{}, ErrMalformed},
		{"CRLF appended", tok + "\r\n", time.Time{}, ErrMalformed},
		{"tab appended", tok + "\t", time.Time{}, ErrMalformed},
		{"leading space", " " + tok, time.Time{}, ErrMalformed},
		// base64 decoders skip '\n' and '\r'; Verify must not.
		{"newline inside signature", ep + "." + es[:10] + "\n" + es[10:], time.Time{}, ErrMalformed},
		{"non-canonical trailing bits in signature", ep + "." + flipLastBit(t, es), time.Time{}, ErrMalformed},
		{"non-canonical trailing bits in payload", flipLastBit(t, ep) + "." + es, time.Time{}, ErrMalformed},

		// Signature.
		{"flipped bit in signature", join(p, flipBit(sig, 77)), time.Time{}, ErrBadSignature},
		{"signature truncated by a character", tok[:len(tok)-1], time.Time{}, ErrMalformed},
		{"signature truncated to 16 bytes", join(p, sig[:16]), time.Time{}, ErrMalformed},
		{"signature one byte longer", join(p, append(append([]byte(nil), sig...), 0)), time.Time{}, ErrMalformed},
		{"signature all zeros", join(p, make([]byte, len(sig))), time.Time{}, ErrBadSignature},
		{"case changed in signature", ep + "." + swapCase(t, es, 0, len(es)-1), time.Time{}, ErrBadSignature},
		{"signature from another token", ep + "." + strings.SplitN(other, ".", 2)[1], time.Time{}, ErrBadSignature},
		{"payload from another token", strings.SplitN(other, ".", 2)[0] + "." + es, time.Time{}, ErrBadSignature},
		{"signed by a foreign key with our key id", signedBy(foreign, claims), time.Time{}, ErrBadSignature},

		// Keys.
		{"signed by an unknown key", signedBy(testKey(t, "k9999", "x"), claims), time.Time{}, ErrUnknownKey},
		{"signed by a removed key", signedBy(removed, claims), time.Time{}, ErrUnknownKey},
		{"key id changed to the previous key", keepSig(func(p []byte) []byte {
			copy(p[2:], prev.ID)
			return p
		}), time.Time{}, ErrBadSignature},
		{"key id changed to an unknown one", keepSig(func(p []byte) []byte {
			p[2+n-1] = 'X'
			return p
		}), time.Time{}, ErrUnknownKey},
		{"key id length zero", keepSig(func(p []byte) []byte { p[1] = 0; return p }), time.Time{}, ErrMalformed},
		{"key id length past the payload", keepSig(func(p []byte) []byte { p[1] = 200; return p }), time.Time{}, ErrMalformed},

		// Claims changed under the same signature.
		{"flipped bit in payload", keepSig(func(p []byte) []byte { return flipBit(p, 8*offOcc+3) }), time.Time{}, ErrBadSignature},
		{"case changed in payload", swapCase(t, ep, len(ep)-8, len(ep)-1) + "." + es, time.Time{}, ErrBadSignature},
		{"action submit to extend", keepSig(func(p []byte) []byte { p[offAction] = 2; return p }), time.Time{}, ErrBadSignature},
		{"action submit to calendar", keepSig(func(p []byte) []byte { p[offAction] = 3; return p }), time.Time{}, ErrBadSignature},
		{"agency changed", keepSig(setAgency("so-tc")), time.Time{}, ErrBadSignature},
		{"agency case changed", keepSig(setAgency("SO-KHDT")), time.Time{}, ErrBadSignature},
		{"occurrence changed", keepSig(func(p []byte) []byte {
			binary.BigEndian.PutUint64(p[offOcc:], 43)
			return p
		}), time.Time{}, ErrBadSignature},
		{"expiry extended by a year", keepSig(func(p []byte) []byte {
			binary.BigEndian.PutUint64(p[offExp:], uint64(claims.Expires.AddDate(1, 0, 0).Unix()))
			return p
		}), time.Time{}, ErrBadSignature},
		{"expiry extended, checked after expiry", keepSig(func(p []byte) []byte {
			binary.BigEndian.PutUint64(p[offExp:], uint64(claims.Expires.AddDate(1, 0, 0).Unix()))
			return p
		}), claims.Expires.Add(time.Hour), ErrBadSignature},
		{"byte appended to payload", keepSig(func(p []byte) []byte { return append(p, 0) }), time.Time{}, ErrBadSignature},
		{"payload version unknown", keepSig(func(p []byte) []byte { p[0] = 3; return p }), time.Time{}, ErrMalformed},
		// Version 2 exists, but the MAC covers the version byte.
		{"payload version changed to 2", keepSig(func(p []byte) []byte { p[0] = 2; return p }), time.Time{}, ErrBadSignature},

		// Expiry.
		{"expired by one second", tok, claims.Expires.Add(time.Second), ErrExpired},
		{"at the exact expiry", tok, claims.Expires, ErrExpired},
		{"expiry in the far past", mustSign(t, s, withClaims(func(c *Claims) {
			c.Expires = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
		})), time.Time{}, ErrExpired},
		{"tampered and expired: signature wins", join(p, flipBit(sig, 0)), claims.Expires.Add(time.Hour), ErrBadSignature},

		// Authentic bytes Sign never writes (a signer bug or a stolen key):
		// an unknown version is refused before the MAC, anything else after
		// it passes, by the strict decoder.
		{"signed: version 0", signRaw(cur, payload(func(p []byte) []byte { p[0] = 0; return p })), time.Time{}, ErrMalformed},
		{"signed: version 2", signRaw(cur, payload(func(p []byte) []byte { p[0] = 2; return p })), time.Time{}, ErrMalformed},
		{"signed: trailing byte", signRaw(cur, payload(func(p []byte) []byte { return append(p, 'x') })), time.Time{}, ErrMalformed},
		{"signed: agency cut short", signRaw(cur, payload(func(p []byte) []byte { return p[:len(p)-1] })), time.Time{}, ErrMalformed},
		{"signed: only version and key id", signRaw(cur, payload(func(p []byte) []byte { return p[:offAction] })), time.Time{}, ErrMalformed},
		{"signed: unknown action code", signRaw(cur, payload(func(p []byte) []byte { p[offAction] = 9; return p })), time.Time{}, ErrMalformed},
		{"signed: hostile agency", signRaw(cur, payload(setAgency("<b>x"))), time.Time{}, ErrMalformed},
		{"signed: empty agency", signRaw(cur, payload(setAgency(""))), time.Time{}, ErrMalformed},
		{"signed: negative occurrence", signRaw(cur, payload(func(p []byte) []byte {
			p[offOcc] = 0x80
			return p
		})), time.Time{}, ErrMalformed},
		{"signed: calendar with an occurrence", signRaw(cur, payload(func(p []byte) []byte { p[offAction] = 3; return p })), time.Time{}, ErrMalformed},
		{"signed: expiry at the epoch", signRaw(cur, payload(func(p []byte) []byte {
			binary.BigEndian.PutUint64(p[offExp:], 0)
			return p
		})), time.Time{}, ErrMalformed},
	}
	sentinels := []error{ErrMalformed, ErrUnknownKey, ErrBadSignature, ErrExpired}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			now := tc.now
			if now.IsZero() {
				now = t0
			}
			got, err := s.Verify(tc.token, now)
			t.Log(err)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify(%q) error = %v, want %v", tc.token, err, tc.want)
			}
			for _, e := range sentinels {
				if e != tc.want && errors.Is(err, e) {
					t.Errorf("error %v also matches %v", err, e)
				}
			}
			if got != (Claims{}) {
				t.Errorf("Verify returned claims %+v with an error", got)
			}
		})
	}
	if len(cases) < 20 {
		t.Fatalf("only %d cases; issue 4 asks for 20 kinds", len(cases))
	}
}

// TestVerifyExpiredCarriesClaims: the expired error holds the verified
// claims, so the error page can say which link expired.
func TestVerifyExpiredCarriesClaims(t *testing.T) {
	s := testSigner(t, testKey(t, "k1", ""))
	c := Claims{Occurrence: 7, Agency: "ubnd-phan-rang", Action: ActionExtend, Expires: t0}
	_, err := s.Verify(mustSign(t, s, c), t0.Add(time.Second))
	var exp *ExpiredError
	if !errors.As(err, &exp) {
		t.Fatalf("error %v is not an *ExpiredError", err)
	}
	c.KeyID = "k1"
	if exp.Claims != c {
		t.Errorf("claims %+v, want %+v", exp.Claims, c)
	}
}

func flipBit(b []byte, bit int) []byte {
	out := append([]byte(nil), b...)
	out[bit/8] ^= 1 << (bit % 8)
	return out
}
