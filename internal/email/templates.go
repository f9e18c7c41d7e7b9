package email

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

//go:embed templates/*
var embedded embed.FS

// Template file names, both inside templates/ and in an override directory.
const (
	SubjectFile = "subject.txt.tmpl"
	TextFile    = "body.txt.tmpl"
	HTMLFile    = "body.html.tmpl"
)

// Templates renders messages. Each of the three files is executed with a
// View; they branch on .Kind. Functions: join (list, sep) and add (a, b).
type Templates struct {
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

// Rendered is a message's subject (one line) and its two bodies.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

var funcs = map[string]any{
	"join": strings.Join,
	"add":  func(a, b int) int { return a + b },
}

// LoadTemplates parses the embedded templates, replacing each by the file
// of the same name in overrideDir when that file exists. Every template is
// then rendered against sample messages of each kind, so that a broken
// override (a misspelt field, say) fails here, where a config reload can
// keep the old templates, and not at send time.
func LoadTemplates(overrideDir string) (*Templates, error) {
	read := func(name string) (string, []byte, error) {
		if overrideDir != "" {
			p := filepath.Join(overrideDir, name)
			b, err := os.ReadFile(p)
			if err == nil {
				return p, b, nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return p, nil, fmt.Errorf("email template %s: %w", p, err)
			}
		}
		b, err := embedded.ReadFile("templates/" + name)
		return "embedded " + name, b, err
	}
	var t Templates
	src, b, err := read(SubjectFile)
	if err != nil {
		return nil, err
	}
	if t.subject, err = texttemplate.New(src).Funcs(funcs).Parse(string(b)); err != nil {
		return nil, fmt.Errorf("email template %s: %w", src, err)
	}
	if src, b, err = read(TextFile); err != nil {
		return nil, err
	}
	if t.text, err = texttemplate.New(src).Funcs(funcs).Parse(string(b)); err != nil {
		return nil, fmt.Errorf("email template %s: %w", src, err)
	}
	if src, b, err = read(HTMLFile); err != nil {
		return nil, err
	}
	if t.html, err = htmltemplate.New(src).Funcs(funcs).Parse(string(b)); err != nil {
		return nil, fmt.Errorf("email template %s: %w", src, err)
	}
	for _, m := range SampleMessages() {
		if _, err := t.Render(m); err != nil {
			return nil, err
		}
	}
	return &t, nil
}

// Render fills the templates for m. The subject is forced onto one line and
// capped at 150 characters whatever the template does; the HTML is escaped
// by html/template.
func (t *Templates) Render(m Message) (Rendered, error) {
	v := newView(sanitized(m))
	var b bytes.Buffer
	if err := t.subject.Execute(&b, v); err != nil {
		return Rendered{}, fmt.Errorf("email template %s: %w", t.subject.Name(), err)
	}
	v.Subject = clean(b.String(), maxSubjectRunes)
	r := Rendered{Subject: v.Subject}
	b.Reset()
	if err := t.text.Execute(&b, v); err != nil {
		return Rendered{}, fmt.Errorf("email template %s: %w", t.text.Name(), err)
	}
	r.Text = tidy(b.String())
	b.Reset()
	if err := t.html.Execute(&b, v); err != nil {
		return Rendered{}, fmt.Errorf("email template %s: %w", t.html.Name(), err)
	}
	r.HTML = norm.NFC.String(b.String())
	return r, nil
}

// tidy normalises a rendered text body: NFC, no trailing spaces, at most
// one blank line in a row, one final newline. Templates can then use
// {{if}} freely without leaving holes in the letter.
func tidy(s string) string {
	s = norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
	var out []string
	blank := true // drops leading blank lines
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimRight(line, " \t")
		if line == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, line)
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}

// SampleMessages returns one message of each kind with every field set; it
// validates override templates and lets admins preview them.
func SampleMessages() []Message {
	date := time.Date(2026, 3, 24, 8, 0, 0, 0, time.FixedZone("+07", 7*3600))
	full := duty.Item{
		Key: "681-QD-UBND-2021/I.3/2026/so-tu-phap", Step: "R7",
		TaskID: "I.3", TaskText: "Báo cáo kết quả thực hiện công tác cải cách hành chính",
		Product: "Báo cáo của UBND tỉnh", Period: "Quý I/2026",
		Due: schedule.NewDate(2026, 3, 28), EffectiveDue: schedule.NewDate(2026, 3, 30), DaysLeft: 6,
		LegalBasis: "Quyết định số 681/QĐ-UBND ngày 27/10/2021 của UBND tỉnh",
		Agency:     "Sở Tư pháp", Lead: []string{"Sở Tư pháp"}, Coordinating: []string{"Sở Nội vụ", "Văn phòng UBND tỉnh"},
		ConfirmURL: "https://nhachan.example/x/confirm", ExtendURL: "https://nhachan.example/x/extend",
		Unassigned: "chưa có địa chỉ thư điện tử",
	}
	late := full
	late.Step, late.Escalation, late.DaysLeft = "E1", true, -3
	done := full
	done.Step, done.SubmittedOn = "", schedule.NewDate(2026, 3, 20)
	snv := duty.Recipient{Addr: "vanthu.snv@nhachan.example", Name: "Sở Nội vụ"}
	to := duty.Recipient{Addr: "stp@nhachan.example", Name: "Sở Tư pháp"}
	from := duty.Recipient{Addr: "nhachan@nhachan.example", Name: "Hệ thống nhắc hạn"}
	return []Message{
		{Notice: duty.Notice{Key: "sample/reminder", To: to, Kind: duty.KindReminder, Date: date, Items: []duty.Item{full}}, From: from},
		{Notice: duty.Notice{Key: "sample/copy", To: snv, Kind: duty.KindReminder, Copy: true, Date: date, Items: []duty.Item{full}}, From: from},
		{Notice: duty.Notice{Key: "sample/escalation", To: to, Kind: duty.KindEscalation, Date: date, Items: []duty.Item{late}}, From: from},
		{Notice: duty.Notice{Key: "sample/oversight", To: duty.Recipient{Addr: "lanhdao.snv@nhachan.example", Name: "Lãnh đạo Sở Nội vụ"}, Kind: duty.KindEscalation, Oversight: true, Date: date, Items: []duty.Item{late}}, From: from},
		{Notice: duty.Notice{Key: "sample/digest", To: snv, Kind: duty.KindDigest, Date: date, Items: []duty.Item{full, late}}, From: from},
		{Notice: duty.Notice{Key: "sample/weekly", To: snv, Kind: duty.KindWeekly, Date: date, Items: []duty.Item{full, late, done}}, From: from},
		{Notice: duty.Notice{Key: "sample/test", To: to, Kind: duty.KindTest, Date: date}, From: from},
	}
}
