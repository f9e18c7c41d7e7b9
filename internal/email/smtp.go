package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/smtpconf"
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

// NewSMTPSender returns a Sender that opens one connection per Send.
func NewSMTPSender(cfg smtpconf.Server) Sender { return &smtpSender{cfg: cfg} }

type smtpSender struct{ cfg smtpconf.Server }

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
	fail := func(from int, c duty.Class, err error) {
		for i := from; i < len(res); i++ {
			res[i] = Result{Class: c, Err: err}
		}
	}
	client, conn, err := s.client()
	if err != nil {
		fail(0, duty.Misconfigured, fmt.Errorf("smtp %s: %w", s.cfg, err))
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
			fail(i, duty.Temporary, fmt.Errorf("not sent: %w", err))
			break
		}
		if m == nil {
			res[i] = Result{Class: duty.Permanent, Err: errors.New("nil message")}
			continue
		}
		r, lost := classifySend(m, client.SendWithSMTPClient(sc, m))
		res[i] = r
		if each != nil {
			each(i, r)
		}
		if lost {
			fail(i+1, duty.Temporary, fmt.Errorf("not sent: connection lost: %w", r.Err))
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
		if cfg.EffectiveTLS() == smtpconf.TLSImplicit {
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
		mail.WithPort(cfg.EffectivePort()),
		mail.WithTimeout(timeout),
		mail.WithTLSConfig(tlsConf),
		mail.WithDialContextFunc(dial),
		// A fresh connection needs no NOOP, and after a completed DATA the
		// session is ready for the next MAIL: skip both round trips.
		mail.WithoutNoop(),
		mail.WithoutRset(),
	}
	switch cfg.EffectiveTLS() {
	case smtpconf.TLSStartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case smtpconf.TLSImplicit:
		// The dialer above did TLS; STARTTLS inside it would be an error.
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case smtpconf.TLSNone:
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
