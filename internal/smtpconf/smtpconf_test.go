package smtpconf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in      string
		want    Server
		wantErr string
	}{
		{"smtp://mail.example:587", Server{Host: "mail.example", Port: 587, TLS: TLSStartTLS}, ""},
		{"smtp://mail.example", Server{Host: "mail.example", TLS: TLSStartTLS}, ""},
		{"smtp://127.0.0.1:1025?tls=none", Server{Host: "127.0.0.1", Port: 1025, TLS: TLSNone}, ""},
		{"smtp://mail.example:465?tls=tls", Server{Host: "mail.example", Port: 465, TLS: TLSImplicit}, ""},
		{"smtp://[::1]:25?tls=starttls", Server{Host: "::1", Port: 25, TLS: TLSStartTLS}, ""},
		{"smtp://user:secret@mail.example:587", Server{}, "không được ghi tên đăng nhập và mật khẩu"},
		{"smtp://user@mail.example", Server{}, "không được ghi tên đăng nhập và mật khẩu"},
		{"smtps://mail.example", Server{}, "phải bắt đầu bằng smtp://"},
		{"smtp://mail.example?tls=maybe", Server{}, "chỉ nhận starttls, tls hoặc none"},
		{"smtp://mail.example?tsl=none", Server{}, "không có tham số"},
		{"smtp://mail.example:99999", Server{}, "cổng \"99999\" không hợp lệ"},
		{"smtp://:25", Server{}, "thiếu tên máy chủ"},
		{"smtp://mail.example/path", Server{}, "viết dạng smtp://host:port"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := Parse(c.in)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err %v, want %q", err, c.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("password echoed: %v", err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

func TestServerString(t *testing.T) {
	c := Server{Host: "mail.example", Username: "u", Password: "bí-mật"}
	if s := c.String(); s != "smtp://mail.example:587?tls=starttls" {
		t.Errorf("String() = %q", s)
	}
}

func TestPasswordFrom(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "pw")
	if err := os.WriteFile(f, []byte("bí mật \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if pw, err := PasswordFrom(f, "IGNORED"); err != nil || pw != "bí mật " {
		t.Errorf("file: %q, %v", pw, err)
	}
	t.Setenv("NHACHAN_TEST_PW", "từ-môi-trường")
	if pw, err := PasswordFrom("", "NHACHAN_TEST_PW"); err != nil || pw != "từ-môi-trường" {
		t.Errorf("env: %q, %v", pw, err)
	}
	for _, c := range []struct{ file, env string }{
		{filepath.Join(dir, "missing"), ""}, {"", "NHACHAN_TEST_UNSET"}, {"", ""},
	} {
		if _, err := PasswordFrom(c.file, c.env); err == nil {
			t.Errorf("PasswordFrom(%q, %q) succeeded", c.file, c.env)
		}
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := PasswordFrom(empty, ""); err == nil {
		t.Error("empty password file accepted")
	}
}
