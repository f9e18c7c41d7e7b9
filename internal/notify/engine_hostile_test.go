package notify

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"

	gomail "github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/email"
)

// rawSender keeps the raw bytes of every message.
type rawSender struct{ raw [][]byte }

func (r *rawSender) Send(_ context.Context, msgs []*gomail.Msg) []email.Result {
	out := make([]email.Result, len(msgs))
	for i, m := range msgs {
		var b bytes.Buffer
		if _, err := m.WriteTo(&b); err != nil {
			out[i] = email.Result{Class: duty.Permanent, Err: err}
			continue
		}
		r.raw = append(r.raw, b.Bytes())
		out[i] = email.Result{Class: duty.Delivered, Response: "250 ok"}
	}
	return out
}

func TestHostileDirectoryAndScheduleTextCannotInject(t *testing.T) {
	h := newHarness(t)
	rs := &rawSender{}
	h.setSender(rs)
	s := testSetup(t)
	a, _ := s.Planner.Directory.Agency("a")
	a.Name = "Sở A\r\nBcc: evil@evil.example\r\n\r\n<b>bold</b>" + strings.Repeat("x", 5000)
	t1 := s.Planner.Schedules[0].Tasks[0]
	t1.Text = "<script>alert(1)</script>\nSubject: injected"
	t1.ID = "T1\r\nX-Evil: 1"
	h.swap(s)
	h.run("2027-06-07", "2027-06-07")
	if len(rs.raw) == 0 {
		t.Fatal("nothing sent")
	}
	for _, raw := range rs.raw {
		head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
		for _, bad := range []string{"\r\nBcc:", "\r\nX-Evil:", "\r\nSubject: injected", "\nBcc:"} {
			if bytes.Contains(head, []byte(bad)) {
				t.Errorf("header injection %q:\n%s", bad, head)
			}
		}
		html := bodyPart(t, raw, "text/html")
		if strings.Contains(html, "<script>") || !strings.Contains(html, "&lt;script&gt;") {
			t.Errorf("markup not escaped in the HTML part")
		}
		for _, line := range bytes.Split(head, []byte("\r\n")) {
			if len(line) > 998 {
				t.Errorf("header line of %d bytes", len(line))
			}
		}
	}
}

// bodyPart decodes the part of a raw message of the media type (text/html,
// text/plain).
func bodyPart(t *testing.T, raw []byte, mediaType string) string {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("no %s part: %v", mediaType, err)
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), mediaType) {
			b, err := io.ReadAll(p) // multipart decodes quoted-printable
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
}
