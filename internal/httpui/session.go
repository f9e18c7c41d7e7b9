package httpui

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Admin sessions are stateless: the cookie holds a token the server signed,
//
//	<session id>.<expiry, Unix seconds>.<user, base64url>.<HMAC-SHA256, base64url>
//
// so no table is needed and a GET stays read-only. The session id is 128
// random bits, fresh at every login (no fixation); the CSRF token of the
// admin forms is an HMAC of that id under a key of its own. Every MAC key
// is derived from Server.SessionKey with a distinct purpose string, so a
// token of one kind is never valid as another.
//
// When SessionKey is not configured a random one is drawn at start: every
// session then ends when the daemon restarts, and admins log in again.
// Logging out records the session id in the database (admin_logouts) until
// the session would have expired anyway, so that a cookie copied before
// the logout stays refused across restarts too.

// sessionTTL is how long a login lasts: one working day.
const sessionTTL = 8 * time.Hour

// Cookie names. The __Host- prefix makes the browser refuse the cookie
// unless it is Secure, host-only and Path=/, so a plain-HTTP page or a
// sibling subdomain cannot plant one; it can only be used over HTTPS.
const (
	cookieSecure     = "__Host-nhachan"
	cookiePlain      = "nhachan_session"
	loginCookieSec   = "__Host-nhachan-login"
	loginCookiePlain = "nhachan_login"
)

// maxSessionToken bounds the cookie value read before any decoding.
const maxSessionToken = 512

var (
	errSessionMalformed = errors.New("session token malformed")
	errSessionSignature = errors.New("session token signature mismatch")
	errSessionExpired   = errors.New("session expired")
	errSessionRevoked   = errors.New("session logged out")
	errSessionNoAdmin   = errors.New("session user is not an admin (removed from the configuration)")
)

// adminSession is one admin's login.
type adminSession struct {
	ID      string // 32 lower-case hex digits
	User    string
	Expires time.Time // whole seconds
}

// sessionKeys are the MAC keys derived from the configured SessionKey.
type sessionKeys struct {
	session, csrf, login []byte
}

// minSessionKey is the shortest SessionKey used as configured.
const minSessionKey = 32

// deriveKeys derives one key per purpose from master.
func deriveKeys(master []byte) sessionKeys {
	derive := func(purpose string) []byte {
		m := hmac.New(sha256.New, master)
		m.Write([]byte("nhachan/" + purpose + "/v1"))
		return m.Sum(nil)
	}
	return sessionKeys{session: derive("session"), csrf: derive("csrf"), login: derive("login-form")}
}

func sessionMAC(key []byte, parts ...string) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

// tokenB64 encodes tokens. Decoding is strict: the spare bits of the last
// character must be zero, so a token has exactly one spelling and cannot
// be altered into another string that still verifies.
var tokenB64 = base64.RawURLEncoding.Strict()

// newNonce returns n random bytes in hex.
func newNonce(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand panics rather than return short)
	return hex.EncodeToString(b)
}

// newSession starts a session for user at now.
func newSession(user string, now time.Time) adminSession {
	return adminSession{ID: newNonce(16), User: user, Expires: now.Add(sessionTTL).Truncate(time.Second)}
}

// sign returns the cookie value of s.
// The MAC also covers bind, the admin's password hash as configured: a
// changed password ends every session opened with the old one.
func (k sessionKeys) sign(s adminSession, bind string) string {
	payload := s.ID + "." + strconv.FormatInt(s.Expires.Unix(), 10) + "." + tokenB64.EncodeToString([]byte(s.User))
	return payload + "." + tokenB64.EncodeToString(sessionMAC(k.session, payload, bind))
}

// parse verifies a cookie value at now. The MAC is checked, in constant
// time, before anything in the payload is believed but the user name it
// binds to: bind returns that admin's password hash, or false when there
// is no such admin (then the session is refused).
func (k sessionKeys) parse(v string, now time.Time, bind func(user string) (string, bool)) (adminSession, error) {
	if len(v) > maxSessionToken {
		return adminSession{}, errSessionMalformed
	}
	i := strings.LastIndexByte(v, '.')
	if i < 0 {
		return adminSession{}, errSessionMalformed
	}
	payload, sig := v[:i], v[i+1:]
	got, err := tokenB64.DecodeString(sig)
	if err != nil || len(got) != sha256.Size {
		return adminSession{}, errSessionMalformed
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 3 || !isHex32(parts[0]) {
		return adminSession{}, errSessionMalformed
	}
	claimed, err := tokenB64.DecodeString(parts[2])
	if err != nil || len(claimed) == 0 {
		return adminSession{}, errSessionMalformed
	}
	hash, ok := bind(string(claimed))
	if !ok {
		return adminSession{}, errSessionNoAdmin
	}
	if !hmac.Equal(got, sessionMAC(k.session, payload, hash)) {
		return adminSession{}, errSessionSignature
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return adminSession{}, errSessionMalformed
	}
	user, err := tokenB64.DecodeString(parts[2])
	if err != nil || len(user) == 0 {
		return adminSession{}, errSessionMalformed
	}
	s := adminSession{ID: parts[0], User: string(user), Expires: time.Unix(exp, 0).UTC()}
	// A token that claims to last longer than a login can was not made by
	// this code: refuse it rather than honour it.
	if !now.Before(s.Expires) || s.Expires.After(now.Add(sessionTTL+time.Minute)) {
		return adminSession{}, errSessionExpired
	}
	return s, nil
}

func isHex32(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// csrfToken is the token the admin forms of session id carry.
func (k sessionKeys) csrfToken(id string) string {
	return tokenB64.EncodeToString(sessionMAC(k.csrf, id))
}

// checkCSRF compares a submitted token with the session's in constant time.
func (k sessionKeys) checkCSRF(id, got string) bool {
	want := k.csrfToken(id)
	return len(got) == len(want) && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// loginToken is the token the login form carries for the nonce in the
// browser's login cookie: there is no session yet, so the form is bound to
// that cookie instead (a signed double submit).
func (k sessionKeys) loginToken(nonce string) string {
	return tokenB64.EncodeToString(sessionMAC(k.login, nonce))
}

func (k sessionKeys) checkLogin(nonce, got string) bool {
	if !isHex32(nonce) {
		return false
	}
	want := k.loginToken(nonce)
	return len(got) == len(want) && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// requestIsHTTPS reports whether the browser reached us over HTTPS: directly, or
// through a reverse proxy on this machine that says so. X-Forwarded-Proto
// from any other peer is ignored, since anyone can send it.
func requestIsHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https") && peerIsLoopback(r)
}

func peerIsLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// sessionCookieName is the cookie this request's scheme uses. Each scheme
// reads only its own: an HTTPS request never believes a cookie that plain
// HTTP could have set.
func sessionCookieName(r *http.Request) string {
	if requestIsHTTPS(r) {
		return cookieSecure
	}
	return cookiePlain
}

func loginCookieName(r *http.Request) string {
	if requestIsHTTPS(r) {
		return loginCookieSec
	}
	return loginCookiePlain
}

// setAdminCookie sets (maxAge > 0) or clears (maxAge < 0) a cookie with the
// admin area's attributes.
func setAdminCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: requestIsHTTPS(r), SameSite: http.SameSiteStrictMode})
}
