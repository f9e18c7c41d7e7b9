package signlink

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRoundTrip is a property test: for random valid claims, Verify gives
// back what Sign got (expiry truncated to the second, in UTC, KeyID set)
// before the expiry and an *ExpiredError from the expiry on.
func TestRoundTrip(t *testing.T) {
	s := testSigner(t, testKey(t, "cur", ""), testKey(t, "old", ""))
	rng := rand.New(rand.NewPCG(4, 2026))
	actions := []Action{ActionSubmit, ActionExtend, ActionCalendar}
	for i := range 5000 {
		c := Claims{
			Action:  actions[rng.IntN(len(actions))],
			Agency:  randomID(rng, 1+rng.IntN(MaxAgencyLen)),
			Expires: time.Unix(1+rng.Int64N(253402300799), rng.Int64N(1e9)), // to year 9999
		}
		if c.Action != ActionCalendar {
			c.Occurrence = 1 + rng.Int64N(math.MaxInt64)
		}
		if i%7 == 0 && c.Action != ActionCalendar { // the edges
			c.Occurrence, c.Agency = math.MaxInt64, randomID(rng, MaxAgencyLen)
		}
		tok, err := s.Sign(c)
		if err != nil {
			t.Fatalf("Sign(%+v): %v", c, err)
		}
		if len(tok) > MaxTokenLen {
			t.Fatalf("token of %d bytes exceeds MaxTokenLen", len(tok))
		}
		want := c
		want.Expires = time.Unix(c.Expires.Unix(), 0).UTC()
		want.KeyID = "cur"
		before := want.Expires.Add(-time.Duration(1 + rng.Int64N(int64(time.Hour))))
		got, err := s.Verify(tok, before)
		if err != nil || got != want {
			t.Fatalf("Verify(Sign(%+v)) at %v = %+v, %v; want %+v", c, before, got, err, want)
		}
		var exp *ExpiredError
		if _, err := s.Verify(tok, want.Expires); !errors.As(err, &exp) || exp.Claims != want {
			t.Fatalf("Verify at expiry: %v, want *ExpiredError with %+v", err, want)
		}
	}
}

func randomID(rng *rand.Rand, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

// TestMaxTokenLen: the largest claims fit well under the cap.
func TestMaxTokenLen(t *testing.T) {
	s := testSigner(t, testKey(t, strings.Repeat("k", MaxKeyIDLen), ""))
	tok := mustSign(t, s, Claims{Occurrence: math.MaxInt64, Agency: strings.Repeat("a", MaxAgencyLen),
		Action: ActionSubmit, Expires: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)})
	if len(tok) != 199 || len(tok) > MaxTokenLen {
		t.Errorf("longest token is %d bytes, the docs say 199", len(tok))
	}
}

// TestRotation: the current key signs; a previous key still verifies; a
// key dropped from the signer no longer does.
func TestRotation(t *testing.T) {
	k1, k2, k3 := testKey(t, "k1", ""), testKey(t, "k2", ""), testKey(t, "k3", "")
	c := Claims{Occurrence: 1, Agency: "so-tp", Action: ActionSubmit, Expires: t0.Add(time.Hour)}
	byK1 := mustSign(t, testSigner(t, k1), c)

	rotated := testSigner(t, k2, k1)
	if got, err := rotated.Verify(byK1, t0); err != nil || got.KeyID != "k1" {
		t.Fatalf("token by the previous key: %+v, %v", got, err)
	}
	byK2 := mustSign(t, rotated, c)
	if got, err := rotated.Verify(byK2, t0); err != nil || got.KeyID != "k2" {
		t.Fatalf("token by the current key: %+v, %v", got, err)
	}
	if rotated.KeyID() != "k2" {
		t.Errorf("KeyID() = %q, want k2", rotated.KeyID())
	}

	again := testSigner(t, k3, k2) // k1 removed
	if _, err := again.Verify(byK1, t0); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("token by a removed key: %v, want ErrUnknownKey", err)
	}
	if _, err := again.Verify(byK2, t0); err != nil {
		t.Errorf("token by the kept previous key: %v", err)
	}
}

func TestNewSignerRejects(t *testing.T) {
	a, b := testKey(t, "a", ""), testKey(t, "b", "")
	cases := []struct {
		name     string
		current  Key
		previous []Key
	}{
		{"zero key", Key{}, nil},
		{"short secret", Key{ID: "a", secret: make([]byte, MinSecretLen-1)}, nil},
		{"empty id", Key{secret: a.secret}, nil},
		{"id with a dot", Key{ID: "k.1", secret: a.secret}, nil},
		{"id with a colon", Key{ID: "k:1", secret: a.secret}, nil},
		{"id with a space", Key{ID: "k 1", secret: a.secret}, nil},
		{"id with Vietnamese", Key{ID: "khóa", secret: a.secret}, nil},
		{"id too long", Key{ID: strings.Repeat("k", MaxKeyIDLen+1), secret: a.secret}, nil},
		{"short previous secret", a, []Key{{ID: "b", secret: []byte("short")}}},
		{"duplicate id", a, []Key{b, a}},
		{"same id, different secret", a, []Key{testKey(t, "a", "other")}},
		{"same secret, different id", a, []Key{{ID: "c", secret: a.secret}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewSigner(tc.current, tc.previous...)
			if !errors.Is(err, ErrInvalidKey) || s != nil {
				t.Fatalf("NewSigner = %v, %v; want ErrInvalidKey", s, err)
			}
			t.Log(err)
		})
	}
}

func TestSignRejects(t *testing.T) {
	s := testSigner(t, testKey(t, "k", ""))
	ok := Claims{Occurrence: 1, Agency: "so-yt", Action: ActionSubmit, Expires: t0}
	cases := []struct {
		name string
		edit func(c *Claims)
	}{
		{"unknown action", func(c *Claims) { c.Action = "delete" }},
		{"empty action", func(c *Claims) { c.Action = "" }},
		{"action in capitals", func(c *Claims) { c.Action = "SUBMIT" }},
		{"zero occurrence", func(c *Claims) { c.Occurrence = 0 }},
		{"negative occurrence", func(c *Claims) { c.Occurrence = -1 }},
		{"calendar with an occurrence", func(c *Claims) { c.Action = ActionCalendar }},
		{"empty agency", func(c *Claims) { c.Agency = "" }},
		{"agency too long", func(c *Claims) { c.Agency = strings.Repeat("a", MaxAgencyLen+1) }},
		{"agency with markup", func(c *Claims) { c.Agency = `<script>"` }},
		{"agency with a dot", func(c *Claims) { c.Agency = "so.yt" }},
		{"agency in Vietnamese", func(c *Claims) { c.Agency = "sở-y-tế" }},
		{"zero expiry", func(c *Claims) { c.Expires = time.Time{} }},
		{"expiry at the epoch", func(c *Claims) { c.Expires = time.Unix(0, 0) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			if tok, err := s.Sign(c); !errors.Is(err, ErrInvalidClaims) || tok != "" {
				t.Fatalf("Sign(%+v) = %q, %v; want ErrInvalidClaims", c, tok, err)
			}
		})
	}
	if _, err := s.Sign(ok); err != nil {
		t.Fatalf("the base claims are invalid: %v", err)
	}
}

// TestSignIgnoresKeyID: claims from Verify can be signed again (to reissue
// a link) and come out under the current key.
func TestSignIgnoresKeyID(t *testing.T) {
	s := testSigner(t, testKey(t, "new", ""))
	got, err := s.Verify(mustSign(t, s, Claims{Occurrence: 3, Agency: "a", Action: ActionExtend,
		Expires: t0.Add(time.Hour), KeyID: "old"}), t0)
	if err != nil || got.KeyID != "new" {
		t.Fatalf("Verify = %+v, %v; want KeyID new", got, err)
	}
}

// TestConcurrentUse runs Sign and Verify from many goroutines; with -race
// it shows a Signer needs no lock.
func TestConcurrentUse(t *testing.T) {
	s := testSigner(t, testKey(t, "k", ""))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				c := Claims{Occurrence: int64(g*1000 + i + 1), Agency: "so-ct", Action: ActionSubmit, Expires: t0.Add(time.Hour)}
				tok, err := s.Sign(c)
				if err != nil {
					t.Error(err)
					return
				}
				if got, err := s.Verify(tok, t0); err != nil || got.Occurrence != c.Occurrence {
					t.Errorf("Verify = %+v, %v", got, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// A link in the follow-up agency's copy says so (a version-2 token); a
// link for the agency itself is the version-1 token it always was, so
// links already mailed keep verifying with the same meaning.
func TestIssuedTo(t *testing.T) {
	k, err := NewKey("k1", bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner(k)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	base := Claims{Occurrence: 42, Agency: "so-tu-phap", Action: ActionSubmit, Expires: now.Add(time.Hour)}
	for _, to := range []IssuedTo{IssuedToAgency, IssuedToFollowUp} {
		c := base
		c.IssuedTo = to
		tok, err := s.Sign(c)
		if err != nil {
			t.Fatal(err)
		}
		p, err := b64.DecodeString(tok[:strings.IndexByte(tok, '.')])
		if err != nil {
			t.Fatal(err)
		}
		if want := map[IssuedTo]byte{IssuedToAgency: 1, IssuedToFollowUp: 2}[to]; p[0] != want {
			t.Errorf("issued to %d: payload version %d, want %d", to, p[0], want)
		}
		got, err := s.Verify(tok, now)
		if err != nil {
			t.Fatalf("issued to %d: %v", to, err)
		}
		if got.IssuedTo != to || got.Agency != c.Agency || got.Occurrence != c.Occurrence {
			t.Errorf("issued to %d: verified %+v", to, got)
		}
	}
	bad := base
	bad.IssuedTo = 9
	if _, err := s.Sign(bad); !errors.Is(err, ErrInvalidClaims) {
		t.Errorf("Sign(issued to 9) = %v, want ErrInvalidClaims", err)
	}
}
