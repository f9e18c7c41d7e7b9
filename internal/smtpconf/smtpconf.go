// Package smtpconf is the SMTP server's address as the configuration gives
// it: smtp://host[:port][?tls=none|starttls|tls], parsed and validated.
// The configuration loader and the mail adapter both read it; it has no
// dependency of its own.
package smtpconf

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// TLSMode is how the connection to the SMTP server is protected.
type TLSMode string

// The TLS modes. STARTTLS is required by default: a server that does not
// offer it gets a configuration error, never a silent downgrade.
const (
	TLSStartTLS TLSMode = "starttls"
	TLSImplicit TLSMode = "tls"
	TLSNone     TLSMode = "none"
)

// Server says where and how to deliver mail.
type Server struct {
	Host string
	// Port defaults to 587 for starttls, 465 for tls and 25 for none.
	Port int
	// TLS defaults to starttls; "none" must be chosen explicitly.
	TLS      TLSMode
	Username string
	// Password comes from PasswordFrom, never from a URL or a log line.
	Password string
	// Timeout bounds each network step; default 30s.
	Timeout time.Duration
	// InsecureSkipVerify accepts any server certificate; for tests only.
	InsecureSkipVerify bool
}

// Parse reads "smtp://host[:port][?tls=none|starttls|tls]".
// Credentials in the URL are refused: URLs end up in shell history, process
// lists and logs, so the password must come from a file or the environment.
func Parse(s string) (Server, error) {
	u, err := url.Parse(s)
	if err != nil {
		return Server{}, fmt.Errorf("địa chỉ máy chủ thư (smtp url) không đọc được: %w", err)
	}
	if u.Scheme != "smtp" {
		return Server{}, fmt.Errorf("địa chỉ máy chủ thư %q: phải bắt đầu bằng smtp://", redact(u))
	}
	if u.User != nil {
		return Server{}, fmt.Errorf("địa chỉ máy chủ thư %q: không được ghi tên đăng nhập và mật khẩu trong địa chỉ; "+
			"ghi tên đăng nhập (username) trong cấu hình, mật khẩu trong một tệp hoặc biến môi trường", redact(u))
	}
	if u.Path != "" && u.Path != "/" || u.Fragment != "" || u.Opaque != "" {
		return Server{}, fmt.Errorf("địa chỉ máy chủ thư %q: viết dạng smtp://host:port?tls=…", s)
	}
	cfg := Server{Host: u.Hostname(), TLS: TLSStartTLS}
	if cfg.Host == "" {
		return Server{}, fmt.Errorf("địa chỉ máy chủ thư %q: thiếu tên máy chủ", s)
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return Server{}, fmt.Errorf("địa chỉ máy chủ thư %q: không có tham số %q (chỉ có tls)", s, k)
		}
	}
	if v := q.Get("tls"); v != "" {
		cfg.TLS = TLSMode(v)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Server{}, fmt.Errorf("địa chỉ máy chủ thư %q: cổng %q không hợp lệ", s, p)
		}
		cfg.Port = n
	}
	if err := cfg.Validate(); err != nil {
		return Server{}, fmt.Errorf("địa chỉ máy chủ thư %q: %w", s, err)
	}
	return cfg, nil
}

// redact drops any credentials before a URL is shown in an error.
func redact(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User("REDACTED")
	}
	return c.String()
}

// Validate checks the mode and fills nothing; defaults apply at send time.
func (c Server) Validate() error {
	switch c.TLS {
	case TLSStartTLS, TLSImplicit, TLSNone, "":
	default:
		return fmt.Errorf("tls=%q: chỉ nhận starttls, tls hoặc none", c.TLS)
	}
	if c.Host == "" {
		return errors.New("thiếu tên máy chủ")
	}
	return nil
}

// String describes the server for logs, without the password.
func (c Server) String() string {
	return fmt.Sprintf("smtp://%s?tls=%s", net.JoinHostPort(c.Host, strconv.Itoa(c.EffectivePort())), c.EffectiveTLS())
}

func (c Server) EffectiveTLS() TLSMode {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return c.TLS
}

func (c Server) EffectivePort() int {
	switch {
	case c.Port != 0:
		return c.Port
	case c.EffectiveTLS() == TLSImplicit:
		return 465
	case c.EffectiveTLS() == TLSNone:
		return 25
	}
	return 587
}

// PasswordFrom reads a secret from file (a trailing newline is dropped) or,
// when file is empty, from the environment variable envVar. The value never
// appears in an error.
func PasswordFrom(file, envVar string) (string, error) {
	switch {
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("tệp mật khẩu máy chủ thư: %w", err)
		}
		s := strings.TrimRight(string(b), "\r\n")
		if s == "" {
			return "", fmt.Errorf("tệp mật khẩu máy chủ thư %s trống", file)
		}
		return s, nil
	case envVar != "":
		s, ok := os.LookupEnv(envVar)
		if !ok || s == "" {
			return "", fmt.Errorf("mật khẩu máy chủ thư: chưa đặt biến môi trường %s", envVar)
		}
		return s, nil
	}
	return "", errors.New("mật khẩu máy chủ thư: chưa cấu hình tệp (password_file) hay biến môi trường (password_env)")
}
