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

// SampleMessages returns one message of each kind and register with every
// field set; it validates override templates and lets admins preview them.
func SampleMessages() []Message {
	date := time.Date(2026, 3, 24, 8, 0, 0, 0, time.FixedZone("+07", 7*3600))
	full := duty.Item{
		Key: "681-QD-UBND-2021/I.3/2026/so-tu-phap", Step: "R7",
		TaskID: "I.3", Title: "Kế hoạch kiểm tra công tác CCHC năm 2026", PeriodText: "năm 2026",
		TaskText: "Kế hoạch kiểm tra công tác Cải cách hành chính",
		Product:  "Kế hoạch, Quyết định của UBND tỉnh", Period: "2026", Role: "chủ trì",
		Due: schedule.NewDate(2026, 3, 28), EffectiveDue: schedule.NewDate(2026, 3, 30), DaysLeft: 6,
		LegalBasis: "Mục I.3 Phụ lục kèm theo Quyết định số 681/QĐ-UBND ngày 27/10/2021 của UBND tỉnh Ninh Thuận",
		Agency:     "Sở Tư pháp tỉnh Ninh Thuận", Lead: []string{"Sở Tư pháp tỉnh Ninh Thuận"},
		Coordinating: []string{"Các Sở, ban, ngành", "Văn phòng Ủy ban nhân dân tỉnh Ninh Thuận"},
		ConfirmURL:   "https://nhachan.example/x/confirm", ExtendURL: "https://nhachan.example/x/extend",
		Quota: 3, QuotaDone: 1, QuotaUnit: "cuộc",
		Regime: duty.Regime{AgencyDue: schedule.NewDate(2026, 3, 28), ProvinceDue: schedule.NewDate(2026, 4, 2), WorkingDaysBefore: 3,
			CutoffFrom: schedule.NewDate(2025, 12, 15), CutoffTo: schedule.NewDate(2026, 3, 14)},
	}
	late := full
	late.Step, late.Escalation, late.DaysLeft = "E1", true, -3
	dty := duty.Duty{Key: "681-QD-UBND-2021/TCTH.1a.hang-nam/2027", TaskID: "TCTH.1a.hang-nam", Title: "Kế hoạch CCHC năm 2027",
		TaskText: "hàng năm (trước ngày 10/12 của năm trước liền kề năm kế hoạch) của cơ quan, đơn vị, địa phương",
		Product:  "Kế hoạch cải cách hành chính hàng năm của cơ quan, đơn vị, địa phương", Due: schedule.NewDate(2026, 3, 20),
		LegalBasis: "Điểm a khoản 1 mục V Kế hoạch ban hành kèm theo Quyết định số 681/QĐ-UBND", Quota: 3, QuotaUnit: "cuộc",
		Regime: duty.Regime{AgencyDue: schedule.NewDate(2026, 3, 20), ProvinceDue: schedule.NewDate(2026, 3, 25), WorkingDaysBefore: 3,
			CutoffFrom: schedule.NewDate(2025, 12, 15), CutoffTo: schedule.NewDate(2026, 3, 14)},
		Agencies: []duty.AgencyState{
			{Name: "Sở Tư pháp tỉnh Ninh Thuận", State: duty.DutySubmitted, Deadline: schedule.NewDate(2026, 3, 20), SubmittedOn: schedule.NewDate(2026, 3, 18)},
			{Name: "Sở Y tế tỉnh Ninh Thuận", State: duty.DutyOverdue, Deadline: schedule.NewDate(2026, 3, 20), DaysLeft: -4, QuotaDone: 2},
			{Name: "Sở Xây dựng tỉnh Ninh Thuận", State: duty.DutyOpen, Deadline: schedule.NewDate(2026, 3, 30), DaysLeft: 6},
			{Name: "Sở Công Thương tỉnh Ninh Thuận", State: duty.DutyWaived, Deadline: schedule.NewDate(2026, 3, 20)},
			{Name: "UBND huyện Bác Ái", State: duty.DutyUnassigned, Deadline: schedule.NewDate(2026, 3, 20), Note: "đã chấm dứt hoạt động"},
		}}
	from := duty.Recipient{Addr: "nhachan@nhachan.example", Name: "Sở Nội vụ tỉnh Ninh Thuận"}
	base := Message{From: from, Notice: duty.Notice{Sender: "Sở Nội vụ tỉnh Ninh Thuận", SenderShort: "Sở Nội vụ",
		Plan: "Quyết định số 681/QĐ-UBND ngày 27/10/2021 của Ủy ban nhân dân tỉnh Ninh Thuận",
		Contact: duty.Contact{Desk: "Phòng Cải cách hành chính, Sở Nội vụ tỉnh Ninh Thuận", Addr: "cchc.snv@nhachan.example",
			Phone: "0259 3822 000", Address: "Trụ sở Sở Nội vụ tỉnh Ninh Thuận"}, Date: date, Demo: true}}
	msg := func(key string, kind duty.Kind, reader duty.Reader, to duty.Recipient, readerName string, items []duty.Item, duties []duty.Duty) Message {
		m := base
		m.Key, m.Kind, m.Reader, m.To, m.ReaderName, m.Items, m.Duties = key, kind, reader, to, readerName, items, duties
		m.ReplyTo = duty.Recipient{Addr: m.Contact.Addr, Name: m.Contact.Desk}
		return m
	}
	stp := duty.Recipient{Addr: "stp@nhachan.example", Name: "Sở Tư pháp tỉnh Ninh Thuận"}
	head := duty.Recipient{Addr: "gd.stp@nhachan.example", Name: "Giám đốc Sở Tư pháp"}
	snv := duty.Recipient{Addr: "vanthu.snv@nhachan.example", Name: "Sở Nội vụ tỉnh Ninh Thuận"}
	return []Message{
		msg("sample/reminder", duty.KindReminder, duty.ReaderAgency, stp, "Sở Tư pháp", []duty.Item{full}, nil),
		msg("sample/escalation", duty.KindEscalation, duty.ReaderHead, head, "Giám đốc Sở Tư pháp", []duty.Item{late}, nil),
		msg("sample/own", duty.KindReminder, duty.ReaderOwn, snv, "Sở Nội vụ", []duty.Item{full}, nil),
		msg("sample/own-head", duty.KindEscalation, duty.ReaderOwnHead, duty.Recipient{Addr: "gd.snv@nhachan.example", Name: "Giám đốc Sở Nội vụ"},
			"Giám đốc Sở Nội vụ", []duty.Item{late}, nil),
		msg("sample/oversight", duty.KindOversight, duty.ReaderFollowUp, snv, "Sở Nội vụ", nil, []duty.Duty{dty}),
		msg("sample/oversight-leaders", duty.KindOversight, duty.ReaderProvincialLeadership, duty.Recipient{Addr: "lanhdao.ubnd@nhachan.example", Name: "Lãnh đạo UBND tỉnh"},
			"Lãnh đạo UBND tỉnh", nil, []duty.Duty{dty}),
		msg("sample/oversight-office", duty.KindOversight, duty.ReaderProvincialOffice, duty.Recipient{Addr: "vp@nhachan.example", Name: "Văn phòng UBND tỉnh Ninh Thuận"},
			"Văn phòng UBND tỉnh", nil, []duty.Duty{dty}),
		msg("sample/digest", duty.KindDigest, duty.ReaderFollowUp, snv, "Sở Nội vụ", nil, []duty.Duty{dty}),
		msg("sample/weekly", duty.KindWeekly, duty.ReaderFollowUp, snv, "Sở Nội vụ", nil, []duty.Duty{dty}),
		msg("sample/test", duty.KindTest, duty.ReaderAgency, stp, "Sở Tư pháp", nil, nil),
	}
}
