package signlink

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
)

const (
	// MinSecretLen is the shortest secret a Key accepts: 256 bits, the
	// output size of SHA-256.
	MinSecretLen = 32
	// MaxKeyIDLen bounds a key id; it travels in every token.
	MaxKeyIDLen = 32
	// maxKeyFileLen bounds what KeyFromFile reads; a key file is one short
	// line.
	maxKeyFileLen = 4 << 10
)

// ErrInvalidKey is wrapped by every error about a key's id or secret.
var ErrInvalidKey = errors.New("signlink: invalid key")

// Key is one HMAC key with the id that tokens name it by. The secret is
// unexported and Key formats itself without it (fmt verbs, %#v, JSON), so a
// Key that reaches a log line leaks nothing. Build one with NewKey,
// GenerateKey, ParseKey or KeyFromFile; the zero Key is invalid.
type Key struct {
	// ID names the key inside tokens: 1..MaxKeyIDLen bytes of
	// [A-Za-z0-9_-]. It is not secret.
	ID     string
	secret []byte
}

// NewKey checks id and secret and returns a Key holding a copy of secret.
func NewKey(id string, secret []byte) (Key, error) {
	if err := checkID("key id", id, MaxKeyIDLen); err != nil {
		return Key{}, fmt.Errorf("%w: %q: %w", ErrInvalidKey, id, err)
	}
	if len(secret) < MinSecretLen {
		return Key{}, fmt.Errorf("%w: key %q: secret is %d bytes, want at least %d",
			ErrInvalidKey, id, len(secret), MinSecretLen)
	}
	return Key{ID: id, secret: bytes.Clone(secret)}, nil
}

// GenerateKey makes a key with a fresh MinSecretLen-byte secret read from
// rand (crypto/rand.Reader in production, a fixed reader in tests).
func GenerateKey(id string, rand io.Reader) (Key, error) {
	secret := make([]byte, MinSecretLen)
	if _, err := io.ReadFull(rand, secret); err != nil {
		return Key{}, fmt.Errorf("generate key %q: read random bytes: %w", id, err)
	}
	return NewKey(id, secret)
}

// ParseKey reads a key in the key-file format: one line "id:secret", the
// secret in standard padded base64, surrounding whitespace ignored, e.g.
//
//	k2026a:3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
//
// which `printf 'k2026a:%s\n' "$(openssl rand -base64 32)"` writes. Errors
// never quote the data, so they can be logged.
func ParseKey(data []byte) (Key, error) {
	line := bytes.TrimSpace(data)
	if bytes.ContainsAny(line, "\r\n") {
		return Key{}, fmt.Errorf("%w: more than one line", ErrInvalidKey)
	}
	id, enc, ok := bytes.Cut(line, []byte(":"))
	if !ok {
		return Key{}, fmt.Errorf("%w: want \"id:base64secret\", found no ':'", ErrInvalidKey)
	}
	if err := checkID("key id", string(id), MaxKeyIDLen); err != nil {
		// Not quoted: "secret:id" would put the secret here.
		return Key{}, fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	secret := make([]byte, base64.StdEncoding.DecodedLen(len(enc)))
	n, err := base64.StdEncoding.Strict().Decode(secret, enc)
	if err != nil {
		// The decoder's error names an offset only, never the data.
		return Key{}, fmt.Errorf("%w: key %q: secret is not standard base64: %w", ErrInvalidKey, id, err)
	}
	k, err := NewKey(string(id), secret[:n])
	clear(secret)
	return k, err
}

// FormatKey returns k in the key-file format ParseKey reads, newline
// included. It is the only way a secret leaves a Key; write it to a file
// with mode 0600.
func FormatKey(k Key) []byte {
	out := make([]byte, 0, len(k.ID)+1+base64.StdEncoding.EncodedLen(len(k.secret))+1)
	out = append(out, k.ID...)
	out = append(out, ':')
	out = base64.StdEncoding.AppendEncode(out, k.secret)
	return append(out, '\n')
}

// KeyFromFile reads a key file (see ParseKey). It refuses a file that
// others can access (any of the mode bits 0007), as ssh does for private
// keys; owner and group access is the deployment's business. Errors name
// the path, never the content.
func KeyFromFile(path string) (Key, error) {
	f, err := os.Open(path)
	if err != nil {
		return Key{}, fmt.Errorf("read key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Key{}, fmt.Errorf("read key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return Key{}, fmt.Errorf("key file %s: not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o007 != 0 {
		return Key{}, fmt.Errorf("key file %s: mode %04o lets others access it; chmod o-rwx", path, perm)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileLen+1))
	defer clear(data)
	if err != nil {
		return Key{}, fmt.Errorf("read key file %s: %w", path, err)
	}
	if len(data) > maxKeyFileLen {
		return Key{}, fmt.Errorf("key file %s: longer than %d bytes", path, maxKeyFileLen)
	}
	k, err := ParseKey(data)
	if err != nil {
		return Key{}, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, nil
}

// Derive returns a secret for another purpose than links, derived from the
// key's secret with HMAC-SHA256 under the purpose's name, so that the one
// secret file can sign other things (the admin sessions) without a token of
// one kind ever being valid as another. It is 32 bytes; the zero Key
// derives nil.
func (k Key) Derive(purpose string) []byte {
	if len(k.secret) == 0 {
		return nil
	}
	m := hmac.New(sha256.New, k.secret)
	m.Write([]byte("signlink/derive/" + purpose))
	return m.Sum(nil)
}

// Format writes the key as "signlink.Key{ID:…, secret:redacted}" for every
// verb, so no fmt call can print the secret.
func (k Key) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "signlink.Key{ID:%q, secret:redacted}", k.ID)
}

// String is Format's text, for callers that want a string.
func (k Key) String() string { return fmt.Sprint(k) }

// sameSecret reports whether two keys share a secret, in constant time.
func sameSecret(a, b Key) bool { return subtle.ConstantTimeCompare(a.secret, b.secret) == 1 }

// checkID accepts 1..max bytes of [A-Za-z0-9_-]: URL-safe, log-safe and
// free of the ':' and '.' separators the key file and the token use. Its
// errors do not quote id, which may be a misplaced secret; callers that
// know the value is safe to show add it.
func checkID(what, id string, max int) error {
	if id == "" {
		return fmt.Errorf("empty %s", what)
	}
	if len(id) > max {
		return fmt.Errorf("%s is %d bytes, want at most %d", what, len(id), max)
	}
	for i := 0; i < len(id); i++ {
		if !isIDByte(id[i]) {
			return fmt.Errorf("%s: byte %d is outside [A-Za-z0-9_-]", what, i)
		}
	}
	return nil
}

func isIDByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}
