package httpui

import (
	"crypto/tls"
	"errors"
	"net/http/httptest"
	"testing"
	"time"
)

func TestSessionRoundTrip(t *testing.T) {
	k := deriveKeys(testSessionKey)
	now := time.Date(2026, 6, 15, 3, 0, 0, 0, time.UTC)
	s := newSession("an", now)
	if !isHex32(s.ID) || !s.Expires.Equal(now.Add(sessionTTL)) {
		t.Fatalf("newSession = %+v", s)
	}
	if other := newSession("an", now); other.ID == s.ID {
		t.Fatal("two sessions share an id")
	}
	same := func(a, b adminSession) bool { return a.ID == b.ID && a.User == b.User && a.Expires.Equal(b.Expires) }
	anyAdmin := func(string) (string, bool) { return "hash", true }
	got, err := k.parse(k.sign(s, "hash"), now.Add(time.Hour), anyAdmin)
	if err != nil || !same(got, s) {
		t.Fatalf("parse(sign(s)) = %+v, %v", got, err)
	}
	if _, err := k.parse(k.sign(s, "hash"), s.Expires, anyAdmin); !errors.Is(err, errSessionExpired) {
		t.Errorf("at expiry: %v", err)
	}
	// A user name with the separator survives: it is base64.
	odd := adminSession{ID: s.ID, User: "a.b|c", Expires: s.Expires}
	if got, err := k.parse(k.sign(odd, "hash"), now, anyAdmin); err != nil || !same(got, odd) {
		t.Errorf("odd user: %+v %v", got, err)
	}
	// A changed password (another hash bound) or a removed admin ends the
	// session.
	if _, err := k.parse(k.sign(s, "old hash"), now, anyAdmin); !errors.Is(err, errSessionSignature) {
		t.Errorf("session of a changed password: %v", err)
	}
	noAdmin := func(string) (string, bool) { return "", false }
	if _, err := k.parse(k.sign(s, "hash"), now, noAdmin); !errors.Is(err, errSessionNoAdmin) {
		t.Errorf("session of a removed admin: %v", err)
	}
}

// The three derived keys differ, so no token of one kind passes as another.
func TestSessionKeysPerPurpose(t *testing.T) {
	k := deriveKeys(testSessionKey)
	if string(k.session) == string(k.csrf) || string(k.csrf) == string(k.login) || string(k.session) == string(k.login) {
		t.Fatal("derived keys coincide")
	}
	id := newNonce(16)
	if k.checkCSRF(id, k.loginToken(id)) || k.checkLogin(id, k.csrfToken(id)) {
		t.Error("a token of one purpose passed as another")
	}
	if !k.checkCSRF(id, k.csrfToken(id)) || !k.checkLogin(id, k.loginToken(id)) {
		t.Error("a token failed its own check")
	}
	if k.checkLogin("not-hex", k.loginToken("not-hex")) {
		t.Error("a malformed login nonce passed")
	}
	if deriveKeys([]byte("other key material, 32 bytes....")).checkCSRF(id, k.csrfToken(id)) {
		t.Error("a token passed under another key")
	}
}

func TestIsHTTPS(t *testing.T) {
	for _, tc := range []struct {
		remote, proto string
		tls           bool
		want          bool
	}{
		{"192.0.2.1:1", "", false, false},
		{"192.0.2.1:1", "", true, true},
		{"127.0.0.1:1", "https", false, true},
		{"127.0.0.1:1", "HTTPS", false, true},
		{"[::1]:1", "https", false, true},
		{"[::ffff:127.0.0.1]:1", "https", false, true},
		{"127.0.0.1:1", "http", false, false},
		{"192.0.2.1:1", "https", false, false},
		{"[2001:db8::1]:1", "https", false, false},
		{"garbage", "https", false, false},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		if tc.proto != "" {
			r.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		if tc.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if got := requestIsHTTPS(r); got != tc.want {
			t.Errorf("isHTTPS(%s, %q, tls=%v) = %v", tc.remote, tc.proto, tc.tls, got)
		}
	}
}
