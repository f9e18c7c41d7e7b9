package signlink

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"testing"
	"time"
)

// TestWireFormat builds a token by hand from the layout in the package doc
// and checks Sign writes exactly that, and pins the result: links already
// mailed must keep verifying after any refactor. Changing goldenToken means
// a new payload version, not an edit.
func TestWireFormat(t *testing.T) {
	secret := []byte("nhachan test secret, 32+ bytes long")
	k, err := NewKey("k2026", secret)
	if err != nil {
		t.Fatal(err)
	}
	c := Claims{Occurrence: 0x0102030405060708, Agency: "so-khdt", Action: ActionExtend,
		Expires: time.Date(2026, 4, 30, 17, 0, 0, 0, time.UTC)} // 1777568400, 00:00 on 1 May in Asia/Ho_Chi_Minh

	payload := []byte{
		0x01,                       // version
		5, 'k', '2', '0', '2', '6', // key id
		2,                                              // action: extend
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, // occurrence
		0, 0, 0, 0, 0x69, 0xf3, 0x8a, 0x90, // expiry 1777568400
		7, 's', 'o', '-', 'k', 'h', 'd', 't', // agency
	}
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("nhachan/signlink\x00"))
	h.Write(payload)
	want := base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(h.Sum(nil))

	got := mustSign(t, testSigner(t, k), c)
	if got != want {
		t.Errorf("Sign = %q\nby hand %q", got, want)
	}
	const goldenToken = "AQVrMjAyNgIBAgMEBQYHCAAAAABp84qQB3NvLWtoZHQ.2-tJFtfi-woYosyhHNtEN4CZA6o6RGt9-VJZbSiYxk4"
	if got != goldenToken {
		t.Errorf("Sign = %q, golden %q", got, goldenToken)
	}
}
