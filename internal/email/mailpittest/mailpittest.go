// Package mailpittest starts a real Mailpit SMTP server for tests, on
// loopback ports of its own with its database in t.TempDir(), and reads back
// what it received through Mailpit's HTTP API.
//
// Tests fail (they do not skip) when the mailpit binary is missing, so that
// CI cannot go green without testing real delivery; install it with
//
//	go install github.com/axllent/mailpit@v1.33.1
package mailpittest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Install is the command that provides the binary.
const Install = "go install github.com/axllent/mailpit@v1.33.1"

// Server is a running Mailpit.
type Server struct {
	// SMTPAddr is "127.0.0.1:port" of the SMTP listener.
	SMTPAddr string
	// Host and Port split SMTPAddr.
	Host string
	Port int
	// APIURL is the base of the web UI and API, "http://127.0.0.1:port".
	APIURL string

	logs *lockedBuffer
}

// Option adjusts how Mailpit is started.
type Option func(*options)

type options struct {
	args []string
}

// WithArgs passes extra command-line flags, e.g. "--smtp-tls-cert", f.
func WithArgs(args ...string) Option {
	return func(o *options) { o.args = append(o.args, args...) }
}

// Start runs Mailpit for the duration of the test. It accepts any SMTP
// user and password, and plain authentication without TLS (unless an
// --smtp-require-* flag is passed, which Mailpit does not combine with it),
// so tests can exercise auth on loopback.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	var o options
	for _, f := range opts {
		f(&o)
	}
	bin := binary(t)
	var lastErr error
	// Free ports are found by listening and closing; another process may
	// take one in between, so try a few times.
	for range 3 {
		s, err := start(t, bin, o)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("mailpittest: %v", lastErr)
	return nil
}

func start(t testing.TB, bin string, o options) (*Server, error) {
	smtpPort, apiPort := freePort(t), freePort(t)
	s := &Server{
		Host:     "127.0.0.1",
		Port:     smtpPort,
		SMTPAddr: net.JoinHostPort("127.0.0.1", strconv.Itoa(smtpPort)),
		APIURL:   "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(apiPort)),
		logs:     &lockedBuffer{},
	}
	dir := t.TempDir()
	insecure := []string{"--smtp-auth-allow-insecure"}
	for _, a := range o.args {
		// Mailpit refuses to require TLS and allow plain auth at once.
		if strings.HasPrefix(a, "--smtp-require-") {
			insecure = nil
		}
	}
	args := append([]string{
		"--smtp", s.SMTPAddr,
		"--listen", net.JoinHostPort("127.0.0.1", strconv.Itoa(apiPort)),
		"--database", filepath.Join(dir, "mailpit.db"),
		"--smtp-auth-accept-any",
		"--smtp-disable-rdns", "--disable-version-check",
		"--max", "0", // keep every message: tests count them
	}, insecure...)
	args = append(args, o.args...)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	// done is closed when Mailpit exits, with waitErr set; a closed
	// channel can be watched by both waitReady and stop.
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	stop := func() {
		cancel()
		<-done
	}
	if err := s.waitReady(done, &waitErr); err != nil {
		stop()
		return nil, fmt.Errorf("%w\nmailpit output:\n%s", err, s.logs.String())
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("mailpit output:\n%s", s.logs.String())
		}
	})
	return s, nil
}

// waitReady polls until both the API and the SMTP port answer.
func (s *Server) waitReady(exited <-chan struct{}, waitErr *error) error {
	// A real process on the wall clock: a timer, not the injected clock.
	timeout := time.After(20 * time.Second)
	for {
		select {
		case <-exited:
			return fmt.Errorf("mailpit exited early: %v", *waitErr)
		case <-timeout:
			return fmt.Errorf("mailpit did not answer on %s and %s within 20s", s.SMTPAddr, s.APIURL)
		default:
		}
		resp, err := http.Get(s.APIURL + "/api/v1/info")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				if c, err := net.DialTimeout("tcp", s.SMTPAddr, time.Second); err == nil {
					c.Close()
					return nil
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// binary finds mailpit on PATH or in $(go env GOPATH)/bin, or fails the test
// saying how to install it.
func binary(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = string(bytes.TrimSpace(out))
		}
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "mailpit")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	t.Fatalf("mailpit binary not found on PATH or in $(go env GOPATH)/bin: run `%s`", Install)
	return ""
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailpittest: free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var _ io.Writer = (*lockedBuffer)(nil)
