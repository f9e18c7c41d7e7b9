package signlink

import (
	"testing"
	"time"
)

func benchSetup(b *testing.B) (*Signer, Claims) {
	s := testSigner(b, testKey(b, "k2026", "b"), testKey(b, "k2025", "a"))
	return s, Claims{Occurrence: 123456, Agency: "so-khdt", Action: ActionSubmit, Expires: t0.Add(30 * 24 * time.Hour)}
}

func BenchmarkSign(b *testing.B) {
	s, c := benchSetup(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Sign(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	s, c := benchSetup(b)
	tok := mustSign(b, s, c)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Verify(tok, t0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyBadSignature is the cost of a forged token: a full MAC.
func BenchmarkVerifyBadSignature(b *testing.B) {
	s, c := benchSetup(b)
	tok := mustSign(b, s, c)
	tok = tok[:len(tok)-2] + "AA"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Verify(tok, t0); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkVerifyOverlong is the cost of junk: rejected on length alone.
func BenchmarkVerifyOverlong(b *testing.B) {
	s, _ := benchSetup(b)
	tok := string(make([]byte, 1<<20))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Verify(tok, t0); err == nil {
			b.Fatal("accepted")
		}
	}
}
