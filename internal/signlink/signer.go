package signlink

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// MaxTokenLen is the longest token Verify reads; longer input is rejected
// before any decoding. The longest version-1 token is 199 bytes.
const MaxTokenLen = 512

// macDomain separates this package's MACs from anything else a secret
// might be used for; it is part of the wire format.
const macDomain = "nhachan/signlink\x00"

// Verify's errors. Each error Verify returns wraps exactly one of them; the
// HTTP layer maps them to a Vietnamese page, logs may show the detail.
var (
	// ErrMalformed: not something Sign produces (length, alphabet,
	// base64, structure, version).
	ErrMalformed = errors.New("signlink: malformed token")
	// ErrUnknownKey: well formed, but names a key this Signer does not
	// hold — typically a key rotated out.
	ErrUnknownKey = errors.New("signlink: unknown key")
	// ErrBadSignature: the MAC does not match; the token was altered or
	// forged.
	ErrBadSignature = errors.New("signlink: bad signature")
	// ErrExpired: authentic but past its expiry. The error is an
	// *ExpiredError carrying the claims.
	ErrExpired = errors.New("signlink: token expired")
)

// ExpiredError is the error for an authentic token past its expiry. Its
// claims are verified, so an error page may say which link expired and
// when; they grant nothing.
type ExpiredError struct{ Claims Claims }

func (e *ExpiredError) Error() string {
	return fmt.Sprintf("signlink: token expired at %s", e.Claims.Expires.Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrExpired) hold.
func (e *ExpiredError) Is(target error) bool { return target == ErrExpired }

// Signer signs with its current key and verifies with the current and the
// previous keys. It is immutable and safe for concurrent use.
type Signer struct {
	current Key
	keys    map[string][]byte // id -> secret, current included
}

// NewSigner builds a Signer. Every key must be valid (see NewKey), ids must
// be distinct, and no two keys may share a secret (a copied key file under
// a new id is a rotation that rotates nothing).
func NewSigner(current Key, previous ...Key) (*Signer, error) {
	s := &Signer{current: current, keys: make(map[string][]byte, 1+len(previous))}
	all := append([]Key{current}, previous...)
	for i, k := range all {
		if _, err := NewKey(k.ID, k.secret); err != nil {
			return nil, fmt.Errorf("new signer: key %d: %w", i, err)
		}
		if _, dup := s.keys[k.ID]; dup {
			return nil, fmt.Errorf("new signer: %w: duplicate key id %q", ErrInvalidKey, k.ID)
		}
		for _, prev := range all[:i] {
			if sameSecret(prev, k) {
				return nil, fmt.Errorf("new signer: %w: keys %q and %q share a secret", ErrInvalidKey, prev.ID, k.ID)
			}
		}
		s.keys[k.ID] = k.secret
	}
	return s, nil
}

// KeyID returns the id of the key Sign uses.
func (s *Signer) KeyID() string { return s.current.ID }

// Sign returns the token for c under the current key; c.KeyID is ignored.
// It fails, wrapping ErrInvalidClaims, when c is not something Verify would
// accept (unknown action, occurrence out of range, bad agency id, expiry not
// after 1970): such claims are a bug upstream, better a failed mail than a
// link that cannot work.
func (s *Signer) Sign(c Claims) (string, error) {
	if err := c.check(); err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalidClaims, err)
	}
	var buf [maxPayloadLen]byte
	p := appendPayload(buf[:0], c, s.current.ID)
	return encodeToken(p, mac(s.current.secret, p)), nil
}

// Verify checks token at now and returns its claims. A token is valid while
// now is before its expiry. On error the claims are zero and the error
// wraps one of ErrMalformed, ErrUnknownKey, ErrBadSignature, ErrExpired,
// checked in that order; the expiry is read only after the MAC matched.
//
// Verify cannot detect replays; see the package doc.
func (s *Signer) Verify(token string, now time.Time) (Claims, error) {
	if len(token) > MaxTokenLen {
		return Claims{}, fmt.Errorf("%w: longer than %d bytes", ErrMalformed, MaxTokenLen)
	}
	dot := -1
	for i := 0; i < len(token); i++ {
		switch c := token[i]; {
		case c == '.' && dot < 0:
			dot = i
		case c == '.':
			return Claims{}, fmt.Errorf("%w: more than one '.'", ErrMalformed)
		case !isIDByte(c): // the id alphabet is the base64url alphabet
			return Claims{}, fmt.Errorf("%w: byte %d is outside the base64url alphabet", ErrMalformed, i)
		}
	}
	if dot < 0 {
		return Claims{}, fmt.Errorf("%w: no '.'", ErrMalformed)
	}
	ep, es := token[:dot], token[dot+1:]
	if len(ep) == 0 || len(ep) > b64.EncodedLen(maxPayloadLen) || len(es) != b64.EncodedLen(sha256.Size) {
		return Claims{}, fmt.Errorf("%w: part lengths %d.%d", ErrMalformed, len(ep), len(es))
	}
	var pbuf [maxPayloadLen]byte
	var sbuf [sha256.Size]byte
	p, err := b64.AppendDecode(pbuf[:0], []byte(ep))
	if err != nil {
		return Claims{}, fmt.Errorf("%w: payload: %w", ErrMalformed, err)
	}
	sig, err := b64.AppendDecode(sbuf[:0], []byte(es))
	if err != nil {
		return Claims{}, fmt.Errorf("%w: signature: %w", ErrMalformed, err)
	}
	kid, err := payloadKeyID(p)
	if err != nil {
		return Claims{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	secret, ok := s.keys[string(kid)]
	if !ok {
		// Key ids are not secret; %q keeps odd bytes out of logs.
		return Claims{}, fmt.Errorf("%w: %q", ErrUnknownKey, kid)
	}
	if !hmac.Equal(sig, mac(secret, p)) {
		return Claims{}, ErrBadSignature
	}
	c, err := decodePayload(p)
	if err != nil {
		// Authentic but undecodable: a bug in a signer, or a stolen key.
		return Claims{}, fmt.Errorf("%w: signed payload: %w", ErrMalformed, err)
	}
	if !now.Before(c.Expires) {
		return Claims{}, &ExpiredError{Claims: c}
	}
	return c, nil
}

// b64 is unpadded base64url that also rejects non-zero trailing bits, so
// each byte string has one encoding.
var b64 = base64.RawURLEncoding.Strict()

func mac(secret, payload []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(macDomain))
	h.Write(payload)
	return h.Sum(nil)
}

func encodeToken(payload, sig []byte) string {
	out := make([]byte, 0, b64.EncodedLen(len(payload))+1+b64.EncodedLen(len(sig)))
	out = b64.AppendEncode(out, payload)
	out = append(out, '.')
	return string(b64.AppendEncode(out, sig))
}
