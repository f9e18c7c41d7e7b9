package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ninhthuan/nhachan/internal/signlink"
)

func TestHashPasswordAndKeygen(t *testing.T) {
	var out, errb bytes.Buffer
	e := env{stdin: strings.NewReader("mật khẩu đủ dài\n"), stdout: &out, stderr: &errb, now: time.Now}
	if code := run(e, []string{"hash-password", "--cost", "4"}); code != 0 {
		t.Fatalf("hash-password: exit %d: %s", code, errb.String())
	}
	hash := strings.TrimSpace(out.String())
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte("mật khẩu đủ dài")); err != nil {
		t.Fatalf("hash does not match: %v", err)
	}
	e.stdin = strings.NewReader("ngắn\n")
	if code := run(e, []string{"hash-password"}); code != 2 {
		t.Errorf("a short password: exit %d, want 2", code)
	}
	out.Reset()
	if code := run(e, []string{"keygen", "--id", "k2026"}); code != 0 {
		t.Fatalf("keygen: exit %d", code)
	}
	k, err := signlink.ParseKey(out.Bytes())
	if err != nil || k.ID != "k2026" {
		t.Fatalf("keygen output does not parse: %v", err)
	}
	if code := run(e, []string{"keygen", "--id", "bad id!"}); code != 2 {
		t.Errorf("a bad key id: exit %d, want 2", code)
	}
}
