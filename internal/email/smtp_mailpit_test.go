package email

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/email/mailpittest"
	"github.com/ninhthuan/nhachan/internal/smtpconf"
)

// TestMailpitRoundTrip delivers one message of every kind, plus a batch,
// over one connection to a real Mailpit and reads them back.
func TestMailpitRoundTrip(t *testing.T) {
	mp := mailpittest.Start(t)
	tm := mustTemplates(t)

	digest := oversight()
	digest.Key, digest.Kind = "2026-03-24/vanthu.snv/digest", duty.KindDigest
	msgs := []Message{reminder(), escalation(), oversight(), report(), digest,
		letter("send-test", duty.KindTest, duty.ReaderAgency, tSTP, "Sở Tư pháp", tDate)}
	for i := range 20 {
		m := reminder()
		m.Key = fmt.Sprintf("2026-03-24/agency-%d/reminder", i)
		m.To = duty.Recipient{Addr: fmt.Sprintf("co-quan-%d@ninhthuan.example", i), Name: fmt.Sprintf("Ủy ban nhân dân huyện số %d", i)}
		msgs = append(msgs, m)
	}

	want := map[string]Rendered{} // by Message-ID
	var built []*mail.Msg
	for _, m := range msgs {
		r, err := tm.Render(m)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Build(m, r, tDomain)
		if err != nil {
			t.Fatal(err)
		}
		want[MessageID(m.Key, tDomain)] = r
		built = append(built, b)
	}

	cfg := smtpconf.Server{Host: mp.Host, Port: mp.Port, TLS: smtpconf.TLSNone, Username: "nhachan", Password: "bí-mật", Timeout: 10 * time.Second}
	for i, r := range NewSMTPSender(cfg).Send(context.Background(), built) {
		if r.Class != duty.Delivered || !strings.HasPrefix(r.Response, "250 ") {
			t.Fatalf("message %d: %v %q %v", i, r.Class, r.Response, r.Err)
		}
	}

	list := mp.Messages(t)
	if len(list) != len(msgs) {
		t.Fatalf("mailpit has %d messages, want %d", len(list), len(msgs))
	}
	seen := map[string]bool{}
	for _, s := range list {
		raw := mp.Raw(t, s.ID)
		pm, err := netmail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("headers of %s do not parse: %v", s.ID, err)
		}
		id := pm.Header.Get("Message-Id")
		if seen[id] {
			t.Errorf("Message-ID %s twice", id)
		}
		seen[id] = true
		r, ok := want[id]
		if !ok {
			t.Fatalf("unexpected Message-ID %q", id)
		}
		if s.MessageID != strings.Trim(id, "<>") {
			t.Errorf("mailpit read Message-ID %q, header %q", s.MessageID, id)
		}
		got := mp.Message(t, s.ID)
		if got.Subject != r.Subject {
			t.Errorf("subject %q, sent %q", got.Subject, r.Subject)
		}
		// text/plain travels with CRLF line breaks (RFC 5322); the words,
		// diacritics included, must come back byte for byte.
		if strings.ReplaceAll(got.Text, "\r\n", "\n") != r.Text {
			t.Errorf("text body differs:\n got %q\nsent %q", got.Text, r.Text)
		}
		if !strings.Contains(got.HTML, "Kính gửi:") {
			t.Errorf("html body lost: %q", got.HTML)
		}
		if pm.Header.Get("Auto-Submitted") != "auto-generated" || pm.Header.Get("X-Nhachan-duty.Kind") == "" {
			t.Errorf("automation headers missing: %v", pm.Header)
		}
		if !strings.HasPrefix(pm.Header.Get("Content-Type"), "multipart/alternative") {
			t.Errorf("Content-Type %q", pm.Header.Get("Content-Type"))
		}
		h := mp.Headers(t, s.ID)
		if !strings.HasPrefix(got.Subject, "[Thử nghiệm]") && (len(h["In-Reply-To"]) == 0 || len(h["References"]) == 0) {
			t.Errorf("%s: no In-Reply-To/References: %v", got.Subject, h)
		}
	}
}

// TestMailpitStartTLSRequired: the default mode refuses a server without
// STARTTLS, and sends nothing.
func TestMailpitStartTLSRequired(t *testing.T) {
	mp := mailpittest.Start(t)
	cfg, err := smtpconf.Parse("smtp://" + mp.SMTPAddr) // no tls=: the default
	if err != nil || cfg.TLS != smtpconf.TLSStartTLS {
		t.Fatalf("ParseSMTPURL = %+v, %v", cfg, err)
	}
	res := NewSMTPSender(cfg).Send(context.Background(), batch(t, "a@x.example", "b@x.example"))
	for i, r := range res {
		if r.Class != duty.Misconfigured {
			t.Errorf("%d: %v %v, want config", i, r.Class, r.Err)
		}
	}
	if n := len(mp.Messages(t)); n != 0 {
		t.Errorf("%d messages delivered without TLS", n)
	}
}

// TestMailpitTLS: STARTTLS and implicit TLS work against Mailpit with a
// self-signed certificate when verification is off (tests only), and an
// unverifiable certificate is a Config error.
func TestMailpitTLS(t *testing.T) {
	cert, key := selfSigned(t)
	for _, tc := range []struct {
		mode  smtpconf.TLSMode
		extra []string
	}{
		{smtpconf.TLSStartTLS, []string{"--smtp-require-starttls"}},
		{smtpconf.TLSImplicit, []string{"--smtp-require-tls"}},
	} {
		t.Run(string(tc.mode), func(t *testing.T) {
			mp := mailpittest.Start(t, mailpittest.WithArgs(append([]string{"--smtp-tls-cert", cert, "--smtp-tls-key", key}, tc.extra...)...))
			cfg := smtpconf.Server{Host: mp.Host, Port: mp.Port, TLS: tc.mode, Username: "u", Password: "p", Timeout: 10 * time.Second}
			if r := NewSMTPSender(cfg).Send(context.Background(), batch(t, "a@x.example"))[0]; r.Class != duty.Misconfigured {
				t.Errorf("unverified certificate: %v %v, want config", r.Class, r.Err)
			}
			cfg.InsecureSkipVerify = true
			if r := NewSMTPSender(cfg).Send(context.Background(), batch(t, "a@x.example"))[0]; r.Class != duty.Delivered {
				t.Errorf("%v %v", r.Class, r.Err)
			}
			if n := len(mp.Messages(t)); n != 1 {
				t.Errorf("%d messages, want 1", n)
			}
		})
	}
}

func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// BenchmarkMailpitDelivery measures delivery over one connection to Mailpit
// on loopback, in batches of 100 (render and build excluded).
func BenchmarkMailpitDelivery(b *testing.B) {
	mp := mailpittest.Start(b)
	tm, err := LoadTemplates("")
	if err != nil {
		b.Fatal(err)
	}
	s := NewSMTPSender(smtpconf.Server{Host: mp.Host, Port: mp.Port, TLS: smtpconf.TLSNone, Timeout: 10 * time.Second})
	const batchSize = 100
	var msgs []*mail.Msg
	for i := range batchSize {
		m := reminder()
		m.Key = fmt.Sprintf("bench/%d", i)
		r, err := tm.Render(m)
		if err != nil {
			b.Fatal(err)
		}
		msg, err := Build(m, r, tDomain)
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, msg)
	}
	b.ResetTimer()
	for sent := 0; sent < b.N; sent += batchSize {
		n := min(batchSize, b.N-sent)
		for _, r := range s.Send(context.Background(), msgs[:n]) {
			if r.Class != duty.Delivered {
				b.Fatal(r.Err)
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}

// BenchmarkRenderBuild measures templating and MIME assembly of one
// two-item reminder.
func BenchmarkRenderBuild(b *testing.B) {
	tm, err := LoadTemplates("")
	if err != nil {
		b.Fatal(err)
	}
	m := reminder()
	b.ReportAllocs()
	for b.Loop() {
		r, err := tm.Render(m)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Build(m, r, tDomain); err != nil {
			b.Fatal(err)
		}
	}
}
