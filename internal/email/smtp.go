package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wneessen/go-mail"
)

// Sender delivers a batch of messages.
type Sender interface {
	// Send delivers msgs over one connection and returns one Result per
	// message, in order. When the connection fails, the messages not yet
	// attempted are marked Temporary.
	Send(ctx context.Context, msgs []*mail.Msg) []Result
}

// EachSender is a Sender that can report each message's result as soon as
// it is known. The engine commits "sent" right after each server reply, so
// that a crash can re-send at most the one message in flight, not the
// whole batch.
type EachSender interface {
	Sender
	SendEach(ctx context.Context, msgs []*mail.Msg, each func(i int, r Result)) []Result
}

// TLSMode is how the connection to the SMTP server is protected.
type TLSMode string

// The TLS modes. STARTTLS is required by default: a server that does not
// offer it gets a Config error, never a silent downgrade.
const (
	TLSStartTLS TLSMode = "starttls"
	TLSImplicit TLSMode = "tls"
	TLSNone     TLSMode = "none"
)

// SMTPConfig says where and how to deliver mail.
type SMTPConfig struct {
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

// ParseSMTPURL reads "smtp://host[:port][?tls=none|starttls|tls]".
// Credentials in the URL are refused: URLs end up in shell history, process
// lists and logs, so the password must come from a file or the environment.
func ParseSMTPURL(s string) (SMTPConfig, error) {
	u, err := url.Parse(s)
	if err != nil {
		return SMTPConfig{}, fmt.Errorf("smtp url: %w", err)
	}
	if u.Scheme != "smtp" {
		return SMTPConfig{}, fmt.Errorf("smtp url %q: scheme must be smtp://", redact(u))
	}
	if u.User != nil {
		return SMTPConfig{}, fmt.Errorf("smtp url %q: user and password are not allowed in the URL; "+
			"set the user in the config and the password in a file or an environment variable", redact(u))
	}
	if u.Path != "" && u.Path != "/" || u.Fragment != "" || u.Opaque != "" {
		return SMTPConfig{}, fmt.Errorf("smtp url %q: want smtp://host:port?tls=…", s)
	}
	cfg := SMTPConfig{Host: u.Hostname(), TLS: TLSStartTLS}
	if cfg.Host == "" {
		return SMTPConfig{}, fmt.Errorf("smtp url %q: no host", s)
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return SMTPConfig{}, fmt.Errorf("smtp url %q: unknown parameter %q (only tls)", s, k)
		}
	}
	if v := q.Get("tls"); v != "" {
		cfg.TLS = TLSMode(v)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, fmt.Errorf("smtp url %q: invalid port %q", s, p)
		}
		cfg.Port = n
	}
	if err := cfg.Validate(); err != nil {
		return SMTPConfig{}, fmt.Errorf("smtp url %q: %w", s, err)
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
func (c SMTPConfig) Validate() error {
	switch c.TLS {
	case TLSStartTLS, TLSImplicit, TLSNone, "":
	default:
		return fmt.Errorf("tls=%q: want starttls, tls or none", c.TLS)
	}
	if c.Host == "" {
		return errors.New("no host")
	}
	return nil
}

// String describes the server for logs, without the password.
func (c SMTPConfig) String() string {
	return fmt.Sprintf("smtp://%s?tls=%s", net.JoinHostPort(c.Host, strconv.Itoa(c.port())), c.mode())
}

func (c SMTPConfig) mode() TLSMode {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return c.TLS
}

func (c SMTPConfig) port() int {
	switch {
	case c.Port != 0:
		return c.Port
	case c.mode() == TLSImplicit:
		return mail.DefaultPortSSL
	case c.mode() == TLSNone:
		return mail.DefaultPort
	}
	return mail.DefaultPortTLS
}

// PasswordFrom reads a secret from file (a trailing newline is dropped) or,
// when file is empty, from the environment variable envVar. The value never
// appears in an error.
func PasswordFrom(file, envVar string) (string, error) {
	switch {
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("smtp password file: %w", err)
		}
		s := strings.TrimRight(string(b), "\r\n")
		if s == "" {
			return "", fmt.Errorf("smtp password file %s is empty", file)
		}
		return s, nil
	case envVar != "":
		s, ok := os.LookupEnv(envVar)
		if !ok || s == "" {
			return "", fmt.Errorf("smtp password: environment variable %s is not set", envVar)
		}
		return s, nil
	}
	return "", errors.New("smtp password: neither a file nor an environment variable is configured")
}

// NewSMTPSender returns a Sender that opens one connection per Send.
func NewSMTPSender(cfg SMTPConfig) Sender { return &smtpSender{cfg: cfg} }

type smtpSender struct{ cfg SMTPConfig }

// Send implements Sender.
func (s *smtpSender) Send(ctx context.Context, msgs []*mail.Msg) []Result {
	return s.SendEach(ctx, msgs, nil)
}

// SendEach implements EachSender: each is called after every attempted
// message, in order; messages never attempted are only in the result.
func (s *smtpSender) SendEach(ctx context.Context, msgs []*mail.Msg, each func(int, Result)) []Result {
	res := make([]Result, len(msgs))
	if len(msgs) == 0 {
		return res
	}
	fail := func(from int, c Class, err error) {
		for i := from; i < len(res); i++ {
			res[i] = Result{Class: c, Err: err}
		}
	}
	client, conn, err := s.client()
	if err != nil {
		fail(0, Config, fmt.Errorf("smtp %s: %w", s.cfg, err))
		return res
	}
	sc, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		// go-mail leaves the socket open when EHLO, STARTTLS or AUTH
		// fails; close it, or each failed batch leaks a connection.
		if c := conn(); c != nil {
			_ = c.Close()
		}
		fail(0, classifyDial(err), fmt.Errorf("smtp %s: connect: %w", s.cfg, err))
		return res
	}
	// Cancelling ctx must interrupt a send in progress: a deadline in the
	// past makes the pending read or write fail at once.
	stop := context.AfterFunc(ctx, func() {
		if c := conn(); c != nil {
			_ = c.SetDeadline(time.Unix(1, 0))
		}
	})
	defer stop()
	defer func() { _ = client.CloseWithSMTPClient(sc) }()

	for i, m := range msgs {
		if err := ctx.Err(); err != nil {
			fail(i, Temporary, fmt.Errorf("not sent: %w", err))
			break
		}
		if m == nil {
			res[i] = Result{Class: Permanent, Err: errors.New("nil message")}
			continue
		}
		r, lost := classifySend(m, client.SendWithSMTPClient(sc, m))
		res[i] = r
		if each != nil {
			each(i, r)
		}
		if lost {
			fail(i+1, Temporary, fmt.Errorf("not sent: connection lost: %w", r.Err))
			break
		}
	}
	return res
}

// client configures go-mail for one batch. It dials through our own
// function so that ctx cancellation can reach the socket; with implicit TLS
// that function must also do the TLS handshake, which go-mail only does for
// its built-in dialer.
func (s *smtpSender) client() (*mail.Client, func() net.Conn, error) {
	cfg := s.cfg
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	tlsConf := &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.InsecureSkipVerify} //nolint:gosec // tests only, documented
	var (
		mu   sync.Mutex
		last net.Conn
	)
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		d := &net.Dialer{Timeout: timeout}
		var c net.Conn
		var err error
		if cfg.mode() == TLSImplicit {
			c, err = (&tls.Dialer{NetDialer: d, Config: tlsConf}).DialContext(ctx, network, addr)
		} else {
			c, err = d.DialContext(ctx, network, addr)
		}
		if err == nil {
			mu.Lock()
			last = c
			mu.Unlock()
		}
		return c, err
	}
	opts := []mail.Option{
		mail.WithPort(cfg.port()),
		mail.WithTimeout(timeout),
		mail.WithTLSConfig(tlsConf),
		mail.WithDialContextFunc(dial),
		// A fresh connection needs no NOOP, and after a completed DATA the
		// session is ready for the next MAIL: skip both round trips.
		mail.WithoutNoop(),
		mail.WithoutRset(),
	}
	switch cfg.mode() {
	case TLSStartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case TLSImplicit:
		// The dialer above did TLS; STARTTLS inside it would be an error.
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	if cfg.Username != "" {
		// Strongest mechanism first. PLAIN and LOGIN check for TLS
		// themselves and, without it, only talk to a loopback host, so a
		// password never crosses a network in clear even with tls=none.
		opts = append(opts,
			mail.WithOpportunisticSMTPAuth(mail.SMTPAuthSCRAMSHA256, mail.SMTPAuthSCRAMSHA1,
				mail.SMTPAuthCramMD5, mail.SMTPAuthPlain, mail.SMTPAuthLogin),
			mail.WithUsername(cfg.Username), mail.WithPassword(cfg.Password))
	}
	client, err := mail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, nil, err
	}
	return client, func() net.Conn { mu.Lock(); defer mu.Unlock(); return last }, nil
}
