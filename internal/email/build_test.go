package email

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/duty"
)

const tDomain = "nhachan.ninhthuan.example"

func TestMessageID(t *testing.T) {
	id := MessageID("2027-03-24/vanthu.snv@x.example/reminder", "x.example")
	if len(id) != len("<>@x.example")+32 || !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@x.example>") {
		t.Errorf("MessageID = %q", id)
	}
	if id != MessageID("2027-03-24/vanthu.snv@x.example/reminder", "x.example") {
		t.Error("not deterministic")
	}
	if id == MessageID("2027-03-25/vanthu.snv@x.example/reminder", "x.example") {
		t.Error("different keys, same id")
	}
}

// build renders and builds m, and parses the serialised message back.
func build(t *testing.T, m Message) (*mail.Msg, *netmail.Message, []byte) {
	t.Helper()
	r, err := mustTemplates(t).Render(m)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := Build(m, r, tDomain)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	pm, err := netmail.ReadMessage(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("headers do not parse: %v\n%s", err, buf.Bytes())
	}
	return msg, pm, buf.Bytes()
}

func TestBuildHeaders(t *testing.T) {
	m := reminder()
	m.ReplyTo = tSNV
	_, pm, raw := build(t, m)
	h := pm.Header
	dec := new(mime.WordDecoder)
	subj, err := dec.DecodeHeader(h.Get("Subject"))
	if err != nil || subj != "[Nhắc hạn] Công bố văn bản QPPL hết hiệu lực năm 2026 và 1 nhiệm vụ khác — hạn gần nhất 30/03/2026 (còn 6 ngày)" {
		t.Errorf("Subject = %q, %v", subj, err)
	}
	want := map[string]string{
		"Message-Id":               MessageID(m.Key, tDomain),
		"In-Reply-To":              threadID(itemA.Key, tDomain) + " " + threadID(itemB.Key, tDomain),
		"References":               threadID(itemA.Key, tDomain) + " " + threadID(itemB.Key, tDomain),
		"Auto-Submitted":           "auto-generated",
		"X-Nhachan-duty.Kind":      "reminder",
		"X-Nhachan-Tasks":          "I.2, II.5",
		"Date":                     "Tue, 24 Mar 2026 08:00:00 +0700",
		"X-Auto-Response-Suppress": "All",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	for k, want := range map[string]duty.Recipient{"From": tFrom, "To": tSTP, "Reply-To": tSNV} {
		a, err := h.AddressList(k)
		if err != nil || len(a) != 1 || a[0].Address != want.Addr || a[0].Name != want.Name {
			t.Errorf("%s = %v, %v", k, a, err)
		}
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q", h.Get("Content-Type"))
	}
	mr := multipart.NewReader(pm.Body, params["boundary"])
	var types []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, p.Header.Get("Content-Type"))
		body, _ := io.ReadAll(p) // multipart decodes quoted-printable
		if !strings.Contains(string(body), "Kính gửi: Sở Tư pháp") {
			t.Errorf("part %s lacks the greeting", p.Header.Get("Content-Type"))
		}
	}
	if len(types) != 2 || !strings.HasPrefix(types[0], "text/plain; charset=UTF-8") || !strings.HasPrefix(types[1], "text/html; charset=UTF-8") {
		t.Errorf("parts %q", types)
	}
	// The same message serialises to the same bytes (the outbox relies on it).
	if _, _, raw2 := build(t, m); !bytes.Equal(raw, raw2) {
		t.Error("serialisation is not deterministic")
	}
}

func TestBuildHostile(t *testing.T) {
	evil := "Sở X\r\nBcc: victim@evil.example\r\n\r\n<script>alert(1)</script>\x00" + strings.Repeat("dài ", 5000)
	m := reminder()
	m.To.Name = evil
	m.From.Name = evil
	m.Items[0].TaskID = "I.3\r\nBcc: x@evil.example"
	m.Items[0].TaskText = evil
	m.Items[0].Agency = evil
	m.Items[0].Lead = []string{evil}
	m.Items[1].ConfirmURL = "javascript:alert(1)"
	_, pm, raw := build(t, m)
	for _, k := range []string{"Bcc", "Cc"} {
		if v := pm.Header[k]; v != nil {
			t.Errorf("injected %s header: %q", k, v)
		}
	}
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	if bytes.Contains(head, []byte("\nBcc:")) || bytes.Contains(raw, []byte("\x00")) {
		t.Errorf("raw message carries an injected header or NUL:\n%s", head)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(pm.Header.Get("Subject"))
	if strings.ContainsAny(subj, "\r\n") || len([]rune(subj)) > maxSubjectRunes {
		t.Errorf("subject not single-line and capped: %q", subj)
	}
	if to, err := pm.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != tSTP.Addr {
		t.Errorf("To = %v, %v", to, err)
	}
	r, err := mustTemplates(t).Render(m)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.HTML, "<script>") || !strings.Contains(r.HTML, "&lt;script&gt;") {
		t.Error("HTML not escaped")
	}
	if strings.Contains(r.HTML, "javascript:") {
		t.Error("javascript: URL survived")
	}
	if len(r.Text) > 100_000 {
		t.Errorf("text body %d bytes: long fields not capped", len(r.Text))
	}
}

func TestBuildRejectsBadAddresses(t *testing.T) {
	for _, addr := range []string{
		"", "not-an-address", "a@x.example\r\nBcc: e@evil.example", "a@x.example, b@y.example",
		"Tên <a@x.example>", "a@x.example\x00",
	} {
		m := reminder()
		m.To.Addr = addr
		if _, err := Build(m, Rendered{Subject: "s", Text: "t", HTML: "h"}, tDomain); err == nil {
			t.Errorf("To %q accepted", addr)
		}
	}
	m := reminder()
	for _, d := range []string{"", "x.example>\r\nBcc: e", "a b"} {
		if _, err := Build(m, Rendered{}, d); err == nil {
			t.Errorf("domain %q accepted", d)
		}
	}
}

func TestDirSender(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	msg1, _, raw1 := build(t, reminder())
	msg2, _, _ := build(t, escalation())
	s := NewDirSender(dir)
	for round := range 2 { // the second round re-sends: same files, same bytes
		res := s.Send(context.Background(), []*mail.Msg{msg1, msg2})
		for i, r := range res {
			if r.Class != duty.Delivered {
				t.Fatalf("round %d message %d: %v %v", round, i, r.Class, r.Err)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("%d files in outbox, want 2 (no temp files left)", len(entries))
	}
	name := idPart(reminder().Key) + ".eml"
	got, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, raw1) {
		t.Error("file differs from the message")
	}
	if _, err := netmail.ReadMessage(bytes.NewReader(got)); err != nil {
		t.Errorf("%s does not parse: %v", name, err)
	}

	bad := mail.NewMsg()
	bad.SetGenHeaderPreformatted(mail.HeaderMessageID, "<../../etc/passwd@x>")
	if r := s.Send(context.Background(), []*mail.Msg{bad})[0]; r.Class != duty.Permanent {
		t.Errorf("path in Message-ID: %v", r.Class)
	}
}
