package signlink

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func TestNewKeyCopiesSecret(t *testing.T) {
	secret := bytes.Repeat([]byte{7}, MinSecretLen)
	k, err := NewKey("k", secret)
	if err != nil {
		t.Fatal(err)
	}
	secret[0] = 8
	if k.secret[0] != 7 {
		t.Error("the key shares its secret with the caller's slice")
	}
}

func TestGenerateKey(t *testing.T) {
	k, err := GenerateKey("k2026", bytes.NewReader(bytes.Repeat([]byte{0xab}, 100)))
	if err != nil {
		t.Fatal(err)
	}
	if k.ID != "k2026" || !bytes.Equal(k.secret, bytes.Repeat([]byte{0xab}, MinSecretLen)) {
		t.Errorf("GenerateKey = %v with secret %x", k, k.secret)
	}
	if _, err := GenerateKey("k", bytes.NewReader(make([]byte, MinSecretLen-1))); err == nil {
		t.Error("a short random source gave a key")
	}
	if _, err := GenerateKey("k", iotest.ErrReader(errors.New("no entropy"))); err == nil {
		t.Error("a failing random source gave a key")
	}
	if _, err := GenerateKey("bad id", bytes.NewReader(make([]byte, MinSecretLen))); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("bad id: %v, want ErrInvalidKey", err)
	}
}

// secret32 is a recognisable secret whose encodings the leak checks look for.
var secret32 = []byte("0123456789abcdefghijklmnopqrstuv")

func TestParseKey(t *testing.T) {
	enc := base64.StdEncoding.EncodeToString(secret32)
	cases := []struct {
		name, data string
		wantID     string // "" when an error is expected
	}{
		{"plain line", "k2026:" + enc, "k2026"},
		{"trailing newline", "k2026:" + enc + "\n", "k2026"},
		{"CRLF and spaces around", "  k_1-a:" + enc + "\r\n", "k_1-a"},
		{"no colon", "k2026" + enc, ""},
		{"empty", "", ""},
		{"empty id", ":" + enc, ""},
		{"id with a space", "k 1:" + enc, ""},
		{"space after the colon", "k: " + enc, ""},
		{"url alphabet", "k:" + base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, 33)), ""},
		{"unpadded", "k:" + strings.TrimRight(base64.StdEncoding.EncodeToString(secret32), "="), ""},
		{"not base64", "k:" + strings.Repeat("!", 44), ""},
		{"short secret", "k:" + base64.StdEncoding.EncodeToString(secret32[:31]), ""},
		{"secret and id swapped", enc + ":k2026", ""},
		{"two lines", "k:" + enc + "\nj:" + enc, ""},
		{"secret split over lines", "k:" + enc[:20] + "\n" + enc[20:], ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParseKey([]byte(tc.data))
			if tc.wantID == "" {
				if !errors.Is(err, ErrInvalidKey) {
					t.Fatalf("ParseKey = %v, %v; want ErrInvalidKey", k, err)
				}
				assertNoSecret(t, err.Error(), secret32)
				return
			}
			if err != nil || k.ID != tc.wantID || !bytes.Equal(k.secret, secret32) {
				t.Fatalf("ParseKey = %v, %v; want id %q", k, err, tc.wantID)
			}
		})
	}
}

func TestFormatKeyRoundTrip(t *testing.T) {
	k, err := NewKey("k2026", secret32)
	if err != nil {
		t.Fatal(err)
	}
	data := FormatKey(k)
	if want := "k2026:" + base64.StdEncoding.EncodeToString(secret32) + "\n"; string(data) != want {
		t.Errorf("FormatKey = %q, want %q", data, want)
	}
	back, err := ParseKey(data)
	if err != nil || back.ID != k.ID || !sameSecret(back, k) {
		t.Errorf("ParseKey(FormatKey(k)) = %v, %v", back, err)
	}
}

func TestKeyFromFile(t *testing.T) {
	dir := t.TempDir()
	good := FormatKey(Key{ID: "k", secret: secret32})
	write := func(name string, data []byte, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // past the umask
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name   string
		path   string
		wantOK bool
	}{
		{"mode 0600", write("a", good, 0o600), true},
		{"mode 0400", write("b", good, 0o400), true},
		{"mode 0640, group readable", write("c", good, 0o640), true},
		{"mode 0644, world readable", write("d", good, 0o644), false},
		{"mode 0602, world writable", write("e", good, 0o602), false},
		{"missing file", filepath.Join(dir, "missing"), false},
		{"a directory", dir, false},
		{"garbage content", write("f", []byte("k:"+string(secret32)), 0o600), false},
		{"too large", write("g", append(bytes.Repeat([]byte(" "), maxKeyFileLen), good...), 0o600), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k, err := KeyFromFile(tc.path)
			if tc.wantOK {
				if err != nil || k.ID != "k" || !bytes.Equal(k.secret, secret32) {
					t.Fatalf("KeyFromFile = %v, %v", k, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("KeyFromFile = %v, want an error", k)
			}
			t.Log(err)
			assertNoSecret(t, err.Error(), secret32)
		})
	}
}

// TestKeyRedacted: no fmt verb and no JSON encoding shows the secret, so a
// Key passed to a logger by mistake leaks nothing.
func TestKeyRedacted(t *testing.T) {
	k := Key{ID: "k2026", secret: secret32}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"} {
		out := fmt.Sprintf(verb, k)
		assertNoSecret(t, out, secret32)
		if !strings.Contains(out, "k2026") && verb != "%T %v" {
			t.Errorf("%s: %q does not name the key", verb, out)
		}
	}
	assertNoSecret(t, fmt.Sprintf("%v", []Key{k}), secret32)
	assertNoSecret(t, fmt.Sprintf("%+v", struct{ K *Key }{&k}), secret32)
	assertNoSecret(t, k.String(), secret32)
	j, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, string(j), secret32)
}

// assertNoSecret fails if out holds secret raw, in base64, in hex or as a
// list of byte values.
func assertNoSecret(t *testing.T, out string, secret []byte) {
	t.Helper()
	forms := []string{string(secret), base64.StdEncoding.EncodeToString(secret),
		base64.RawURLEncoding.EncodeToString(secret), hex.EncodeToString(secret),
		strings.ToUpper(hex.EncodeToString(secret)), strings.Trim(fmt.Sprint([]byte(secret[:4])), "[]")}
	for _, f := range forms {
		if strings.Contains(out, f) {
			t.Fatalf("output %q leaks the secret as %q", out, f)
		}
	}
}

// Derive gives each purpose its own 32-byte secret, the same for the same
// key, different from the key's own and from another key's.
func TestKeyDerive(t *testing.T) {
	k1, err := NewKey("k1", bytes.Repeat([]byte{1}, MinSecretLen))
	if err != nil {
		t.Fatal(err)
	}
	k2, err := NewKey("k2", bytes.Repeat([]byte{2}, MinSecretLen))
	if err != nil {
		t.Fatal(err)
	}
	a := k1.Derive("admin-session")
	if len(a) != 32 || !bytes.Equal(a, k1.Derive("admin-session")) {
		t.Fatalf("Derive is not a stable 32-byte secret: %x", a)
	}
	for name, other := range map[string][]byte{
		"another purpose": k1.Derive("calendar"),
		"another key":     k2.Derive("admin-session"),
		"the key itself":  bytes.Repeat([]byte{1}, MinSecretLen),
	} {
		if bytes.Equal(a, other) {
			t.Errorf("Derive equals %s", name)
		}
	}
	if (Key{}).Derive("admin-session") != nil {
		t.Error("the zero Key derived a secret")
	}
}
