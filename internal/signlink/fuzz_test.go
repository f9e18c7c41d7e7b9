package signlink

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzVerify checks what must hold for any string in a URL: Verify does not
// panic; it accepts only tokens Sign writes byte for byte (so there is one
// token per claims and key, and no malleability); every rejection wraps
// exactly one of the four errors and returns zero claims.
func FuzzVerify(f *testing.F) {
	prev, cur := testKey(f, "k2025", "a"), testKey(f, "k2026", "b")
	s := testSigner(f, cur, prev)
	bySigner := map[string]*Signer{cur.ID: testSigner(f, cur), prev.ID: testSigner(f, prev)}
	now := t0

	seeds := []Claims{
		{Occurrence: 42, Agency: "so-khdt", Action: ActionSubmit, Expires: now.Add(time.Hour)},
		{Occurrence: 1 << 62, Agency: strings.Repeat("z", MaxAgencyLen), Action: ActionExtend, Expires: now.AddDate(1, 0, 0)},
		{Agency: "ubnd-ninh-hai", Action: ActionCalendar, Expires: now.AddDate(0, 6, 0)},
		{Occurrence: 7, Agency: "so-tc", Action: ActionSubmit, Expires: now.Add(-time.Second)}, // expired
	}
	for _, c := range seeds {
		for _, signer := range bySigner {
			tok := mustSign(f, signer, c)
			f.Add(tok)
			f.Add(tok[:len(tok)-1])
			f.Add(tok + "\n")
		}
	}
	f.Add(mustSign(f, testSigner(f, testKey(f, "k2024", "c")), seeds[0])) // removed key
	for _, junk := range []string{"", ".", "..", "A.A", "=.=", "\x00", "đã nộp", strings.Repeat("A", MaxTokenLen+1)} {
		f.Add(junk)
	}

	sentinels := []error{ErrMalformed, ErrUnknownKey, ErrBadSignature, ErrExpired}
	f.Fuzz(func(t *testing.T, token string) {
		c, err := s.Verify(token, now)
		if err != nil {
			matched := 0
			for _, e := range sentinels {
				if errors.Is(err, e) {
					matched++
				}
			}
			if matched != 1 || c != (Claims{}) {
				t.Fatalf("Verify(%q) = %+v, %v: want zero claims and exactly one sentinel", token, c, err)
			}
			return
		}
		signer, ok := bySigner[c.KeyID]
		if !ok {
			t.Fatalf("Verify(%q) accepted key id %q", token, c.KeyID)
		}
		again, err := signer.Sign(c)
		if err != nil || again != token {
			t.Fatalf("Verify accepted %q, but Sign(%+v) writes %q (%v)", token, c, again, err)
		}
		if !now.Before(c.Expires) {
			t.Fatalf("Verify accepted %q, expired at %v", token, c.Expires)
		}
	})
}
