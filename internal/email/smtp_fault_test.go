package email

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/smtpconf"
)

// batch builds one message to each address, with distinct keys.
func batch(t *testing.T, addrs ...string) []*mail.Msg {
	t.Helper()
	tm := mustTemplates(t)
	var out []*mail.Msg
	for i, a := range addrs {
		m := reminder()
		m.Key = fmt.Sprintf("%s/%d/%s", t.Name(), i, a)
		m.To = duty.Recipient{Addr: a, Name: "Cơ quan " + a}
		r, err := tm.Render(m)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := Build(m, r, tDomain)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, msg)
	}
	return out
}

func classes(res []Result) []duty.Class {
	var cs []duty.Class
	for _, r := range res {
		cs = append(cs, r.Class)
	}
	return cs
}

func plain(host string, port int) smtpconf.Server {
	return smtpconf.Server{Host: host, Port: port, TLS: smtpconf.TLSNone, Timeout: 5 * time.Second}
}

func TestSMTPFaults(t *testing.T) {
	const a, b, c = "a@x.example", "b@x.example", "c@x.example"
	cases := []struct {
		name      string
		faults    faults
		user      string
		want      []duty.Class
		delivered []string
		conns     int
	}{
		{"all accepted", faults{}, "", []duty.Class{duty.Delivered, duty.Delivered, duty.Delivered}, []string{a, b, c}, 1},
		{"auth ok", faults{}, "nhachan", []duty.Class{duty.Delivered, duty.Delivered, duty.Delivered}, []string{a, b, c}, 1},
		{"550 for one recipient", faults{RcptReply: map[string]string{b: "550 5.1.1 no such user"}}, "",
			[]duty.Class{duty.Delivered, duty.Permanent, duty.Delivered}, []string{a, c}, 1},
		{"451 for one recipient", faults{RcptReply: map[string]string{b: "451 4.3.0 try later"}}, "",
			[]duty.Class{duty.Delivered, duty.Temporary, duty.Delivered}, []string{a, c}, 1},
		{"452 after data", faults{DataReply: "452 4.3.1 insufficient storage"}, "",
			[]duty.Class{duty.Temporary, duty.Temporary, duty.Temporary}, nil, 1},
		{"554 after data", faults{DataReply: "554 5.6.0 content rejected"}, "",
			[]duty.Class{duty.Permanent, duty.Permanent, duty.Permanent}, nil, 1},
		{"421 greeting", faults{Greeting: "421 4.3.2 busy"}, "", []duty.Class{duty.Temporary, duty.Temporary, duty.Temporary}, nil, 1},
		{"421 on mail", faults{MailReply: "421 4.3.2 shutting down"}, "", []duty.Class{duty.Temporary, duty.Temporary, duty.Temporary}, nil, 1},
		{"554 greeting", faults{Greeting: "554 5.7.1 go away"}, "", []duty.Class{duty.Misconfigured, duty.Misconfigured, duty.Misconfigured}, nil, 1},
		{"dropped mid-batch", faults{DropAtMail: 2}, "", []duty.Class{duty.Delivered, duty.Temporary, duty.Temporary}, []string{a}, 1},
		{"535 auth", faults{AuthReply: "535 5.7.8 authentication failed"}, "nhachan", []duty.Class{duty.Misconfigured, duty.Misconfigured, duty.Misconfigured}, nil, 1},
		{"454 auth", faults{AuthReply: "454 4.7.0 temporary authentication failure"}, "nhachan",
			[]duty.Class{duty.Temporary, duty.Temporary, duty.Temporary}, nil, 1},
		{"553 sender", faults{MailReply: "553 5.7.1 sender not allowed"}, "", []duty.Class{duty.Misconfigured, duty.Misconfigured, duty.Misconfigured}, nil, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := startFakeSMTP(t, tc.faults)
			cfg := plain(f.Host, f.Port)
			cfg.Username, cfg.Password = tc.user, "mật-khẩu"
			res := NewSMTPSender(cfg).Send(context.Background(), batch(t, a, b, c))
			if got := classes(res); !slices.Equal(got, tc.want) {
				t.Errorf("classes %v, want %v", got, tc.want)
				for i, r := range res {
					t.Logf("%d: %v %q %v", i, r.Class, r.Response, r.Err)
				}
			}
			conns, delivered := f.stats()
			if conns != tc.conns {
				t.Errorf("%d connections, want %d", conns, tc.conns)
			}
			if !slices.Equal(delivered, tc.delivered) {
				t.Errorf("delivered %v, want %v", delivered, tc.delivered)
			}
			for i, r := range res {
				switch {
				case r.Class == duty.Delivered && !strings.HasPrefix(r.Response, "250 2.0.0 Ok: queued as Q"):
					t.Errorf("%d: response %q", i, r.Response)
				case r.Class != duty.Delivered && r.Err == nil:
					t.Errorf("%d: %v without an error", i, r.Class)
				case r.Err != nil && strings.Contains(r.Err.Error(), "mật-khẩu"):
					t.Errorf("%d: password in error %v", i, r.Err)
				}
			}
		})
	}
}

// TestSMTPRetryAfterRecovery: the temporary failures of one batch are
// delivered once the server recovers, each exactly once, and a *mail.Msg
// can be sent again after a failure.
func TestSMTPRetryAfterRecovery(t *testing.T) {
	f := startFakeSMTP(t, faults{DataReply: "451 4.3.0 try later"})
	s := NewSMTPSender(plain(f.Host, f.Port))
	msgs := batch(t, "a@x.example", "b@x.example")
	if got := classes(s.Send(context.Background(), msgs)); !slices.Equal(got, []duty.Class{duty.Temporary, duty.Temporary}) {
		t.Fatalf("first try %v", got)
	}
	f.set(faults{})
	if got := classes(s.Send(context.Background(), msgs)); !slices.Equal(got, []duty.Class{duty.Delivered, duty.Delivered}) {
		t.Fatalf("retry %v", got)
	}
	if conns, delivered := f.stats(); conns != 2 || len(delivered) != 2 {
		t.Errorf("%d connections, delivered %v", conns, delivered)
	}
}

func TestSMTPRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nobody listens there now
	res := NewSMTPSender(plain("127.0.0.1", port)).Send(context.Background(), batch(t, "a@x.example", "b@x.example"))
	if got := classes(res); !slices.Equal(got, []duty.Class{duty.Temporary, duty.Temporary}) {
		t.Errorf("classes %v (%v)", got, res[0].Err)
	}
}

func TestSMTPTimeout(t *testing.T) {
	f := startFakeSMTP(t, faults{Greeting: "hang"})
	cfg := plain(f.Host, f.Port)
	cfg.Timeout = 200 * time.Millisecond
	res := NewSMTPSender(cfg).Send(context.Background(), batch(t, "a@x.example"))
	if res[0].Class != duty.Temporary {
		t.Errorf("class %v (%v)", res[0].Class, res[0].Err)
	}
}

func TestSMTPStartTLSRequired(t *testing.T) {
	f := startFakeSMTP(t, faults{})
	cfg := smtpconf.Server{Host: f.Host, Port: f.Port, Timeout: 5 * time.Second} // TLS left at its default
	res := NewSMTPSender(cfg).Send(context.Background(), batch(t, "a@x.example"))
	if res[0].Class != duty.Misconfigured {
		t.Errorf("class %v (%v), want config", res[0].Class, res[0].Err)
	}
	if _, delivered := f.stats(); len(delivered) != 0 {
		t.Errorf("delivered %v without TLS", delivered)
	}
}

// TestSMTPPlainAuthNeedsTLS: with tls=none, go-mail sends a PLAIN password
// only to a host named 127.0.0.1, ::1 or localhost. Any other host (here
// 127.0.0.2, loopback on Linux but not so named) gets a Config error and
// never sees the password.
func TestSMTPPlainAuthNeedsTLS(t *testing.T) {
	for _, tc := range []struct {
		listen string
		want   duty.Class
	}{{"127.0.0.1:0", duty.Delivered}, {"127.0.0.2:0", duty.Misconfigured}} {
		t.Run(tc.listen, func(t *testing.T) {
			f := startFakeSMTPOn(t, tc.listen, faults{})
			cfg := plain(f.Host, f.Port)
			cfg.Username, cfg.Password = "u", "p"
			res := NewSMTPSender(cfg).Send(context.Background(), batch(t, "a@x.example"))
			if res[0].Class != tc.want {
				t.Errorf("class %v (%v), want %v", res[0].Class, res[0].Err, tc.want)
			}
		})
	}
}

func TestSMTPCancelled(t *testing.T) {
	f := startFakeSMTP(t, faults{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := NewSMTPSender(plain(f.Host, f.Port)).Send(ctx, batch(t, "a@x.example", "b@x.example"))
	if got := classes(res); !slices.Equal(got, []duty.Class{duty.Temporary, duty.Temporary}) {
		t.Errorf("classes %v", got)
	}
	if _, delivered := f.stats(); len(delivered) != 0 {
		t.Errorf("delivered %v after cancel", delivered)
	}
}
