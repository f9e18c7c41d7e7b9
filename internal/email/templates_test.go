package email

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// fixtures: a reminder with two items (one whose deadline falls on a
// Saturday and moves to Monday), and an escalation.
var (
	tDate = time.Date(2026, 3, 24, 8, 0, 0, 0, time.FixedZone("+07", 7*3600))
	tFrom = duty.Recipient{Addr: "nhachan@ninhthuan.example", Name: "Hệ thống nhắc hạn"}
	tSNV  = duty.Recipient{Addr: "vanthu.snv@ninhthuan.example", Name: "Sở Nội vụ"}
	tSTP  = duty.Recipient{Addr: "vanthu.stp@ninhthuan.example", Name: "Sở Tư pháp"}
	itemA = duty.Item{
		Key: "681-QD-UBND-2021/I.3/2026-Q1/so-tu-phap", Step: "R7",
		TaskID: "I.3", TaskText: "Báo cáo kết quả thực hiện kế hoạch cải cách hành chính quý I",
		Product: "Báo cáo của Sở", Period: "Quý I/2026",
		Due: schedule.NewDate(2026, 3, 31), EffectiveDue: schedule.NewDate(2026, 3, 31), DaysLeft: 7,
		LegalBasis: "Quyết định số 681/QĐ-UBND ngày 27/10/2021 của UBND tỉnh Ninh Thuận",
		Agency:     "Sở Tư pháp", Lead: []string{"Sở Tư pháp"}, Coordinating: []string{"Sở Nội vụ", "Văn phòng UBND tỉnh"},
	}
	itemB = duty.Item{
		Key: "681-QD-UBND-2021/II.5/2026/so-tu-phap", Step: "R7",
		TaskID: "II.5", TaskText: "Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền",
		Product: "Kế hoạch rà soát", Period: "Năm 2026",
		Due: schedule.NewDate(2026, 3, 28), EffectiveDue: schedule.NewDate(2026, 3, 30), DaysLeft: 6,
		LegalBasis: "Quyết định số 681/QĐ-UBND ngày 27/10/2021 của UBND tỉnh Ninh Thuận",
		Agency:     "Sở Tư pháp", Lead: []string{"Sở Tư pháp"},
		ConfirmURL: "https://nhachan.example/c/abc", ExtendURL: "https://nhachan.example/e/abc",
	}
)

func reminder() Message {
	return Message{Notice: duty.Notice{Key: "2026-03-24/vanthu.stp@ninhthuan.example/reminder", To: tSTP, Kind: duty.KindReminder, Date: tDate, Items: []duty.Item{itemA, itemB}}, From: tFrom}
}

func escalation() Message {
	late := itemA
	late.Step, late.Escalation, late.DaysLeft = "E1", true, -2
	return Message{Notice: duty.Notice{Key: "2026-04-02/vanthu.stp@ninhthuan.example/escalation", To: tSTP, Kind: duty.KindEscalation, Date: tDate.AddDate(0, 0, 9), Items: []duty.Item{late}}, From: tFrom}
}

// oversight is level 2 as Sở Nội vụ's leadership receives it: informed
// and asked to urge the agency on, with no links to act in its stead.
func oversight() Message {
	m := escalation()
	m.Key = "2026-04-09/lanhdao.snv@ninhthuan.example/escalation"
	m.To = duty.Recipient{Addr: "lanhdao.snv@ninhthuan.example", Name: "Lãnh đạo Sở Nội vụ"}
	m.Oversight = true
	m.Items[0].Step = "E2"
	m.Items[0].ConfirmURL, m.Items[0].ExtendURL = "", ""
	return m
}

func mustTemplates(t *testing.T) *Templates {
	t.Helper()
	tm, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestRenderGolden(t *testing.T) {
	tm := mustTemplates(t)
	for name, m := range map[string]Message{"reminder": reminder(), "escalation": escalation(), "oversight": oversight()} {
		t.Run(name, func(t *testing.T) {
			r, err := tm.Render(m)
			if err != nil {
				t.Fatal(err)
			}
			got := "Subject: " + r.Subject + "\n\n" + r.Text + "\n----- HTML -----\n" + r.HTML
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from rendering (run go test -update and review the diff):\n%s", path, got)
			}
		})
	}
}

func TestRenderEveryKind(t *testing.T) {
	tm := mustTemplates(t)
	copyMsg := reminder()
	copyMsg.To, copyMsg.Copy = tSNV, true
	digest := reminder()
	digest.To, digest.Kind = tSNV, duty.KindDigest
	digest.Items = append(digest.Items, escalation().Items[0])
	digest.Items[0].Unassigned = "chưa có địa chỉ thư điện tử"
	test := Message{Notice: duty.Notice{Key: "test", To: tSTP, Kind: duty.KindTest, Date: tDate}, From: tFrom}

	cases := []struct {
		name    string
		m       Message
		subject string   // prefix
		want    []string // in both bodies
	}{
		{"reminder", reminder(), "[Nhắc hạn] I.3, II.5 — hạn 30/03/2026 (còn 6 ngày)", []string{
			"Kính gửi: Sở Tư pháp", "Thứ Ba, ngày 31/03/2026", "Thứ Hai, ngày 30/03/2026", "Điều 148 Bộ luật Dân sự 2015",
			"còn 7 ngày", "còn 6 ngày", "Quyết định số 681/QĐ-UBND", "Sở Nội vụ; Văn phòng UBND tỉnh",
			"Xác nhận đã nộp", "Xin gia hạn", "Trân trọng.", "Hệ thống nhắc hạn"}},
		{"copy", copyMsg, "[Nhắc hạn] I.3, II.5", []string{"Bản sao gửi Sở Nội vụ để theo dõi", "Kính gửi: Sở Tư pháp"}},
		{"escalation", escalation(), "[Quá hạn] I.3 — hạn 31/03/2026 (đã quá hạn 2 ngày)", []string{
			"đã quá hạn 2 ngày", "Đến ngày 02/04/2026", "Trân trọng."}},
		{"digest", digest, "[Tổng hợp] Nhắc hạn và quá hạn ngày 24/03/2026 — 3 mục", []string{
			"Kính gửi: Sở Nội vụ", "II.5", "thông báo quá hạn lần 1", "nhắc trước 7 ngày", "chưa có địa chỉ thư điện tử"}},
		{"test", test, "[Thử nghiệm]", []string{"thư thử nghiệm", "Trân trọng."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := tm.Render(c.m)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(r.Subject, c.subject) {
				t.Errorf("subject %q, want prefix %q", r.Subject, c.subject)
			}
			for _, w := range c.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, r.Text)
				}
				if !strings.Contains(r.HTML, w) {
					t.Errorf("html lacks %q", w)
				}
			}
			for _, s := range []string{r.Subject, r.Text, r.HTML} {
				if strings.Contains(s, "<no value>") || strings.Contains(s, "%!") {
					t.Errorf("unfilled template value in %q", s)
				}
				if !norm.NFC.IsNormalString(s) {
					t.Error("output is not NFC")
				}
			}
		})
	}
}

// TestSamplesRenderEveryField renders the samples, in which every field is
// set, and checks that each field's value shows up: a template that forgot
// one (or misspelt it) fails here.
func TestSamplesRenderEveryField(t *testing.T) {
	tm := mustTemplates(t)
	for _, m := range SampleMessages() {
		r, err := tm.Render(m)
		if err != nil {
			t.Fatal(err)
		}
		if m.Kind != duty.KindReminder && m.Kind != duty.KindEscalation {
			continue
		}
		it := m.Items[0]
		for _, s := range []string{r.Text, r.HTML} {
			for _, w := range []string{it.TaskID, it.TaskText, it.Product, it.Period, it.LegalBasis, it.Agency,
				it.Lead[0], it.Coordinating[1], it.Unassigned, DayText(it.Due), DayText(it.EffectiveDue), StatusText(it.DaysLeft)} {
				if !strings.Contains(s, w) {
					t.Errorf("%s: %q missing", m.Key, w)
				}
			}
		}
		if !strings.Contains(r.Text, it.ConfirmURL) || !strings.Contains(r.HTML, `href="`+it.ConfirmURL+`"`) {
			t.Errorf("%s: confirm link missing", m.Key)
		}
	}
}

func TestLinksOmittedWhenEmpty(t *testing.T) {
	m := reminder()
	m.Items = []duty.Item{itemA}
	r, err := mustTemplates(t).Render(m)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Text+r.HTML, "Xác nhận đã nộp") || strings.Contains(r.HTML, "href") {
		t.Error("links shown without URLs")
	}
}

func TestEmbeddedTemplatesAreNFC(t *testing.T) {
	err := fs.WalkDir(embedded, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := embedded.ReadFile(p)
		if !norm.NFC.IsNormal(b) {
			t.Errorf("%s is not NFC: Vietnamese diacritics would compare unequal", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOverride(t *testing.T) {
	t.Run("replaces", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, SubjectFile), `[Nhắc hạn] Tùy chỉnh {{.TaskIDs}}`)
		tm, err := LoadTemplates(dir)
		if err != nil {
			t.Fatal(err)
		}
		r, err := tm.Render(reminder())
		if err != nil {
			t.Fatal(err)
		}
		if r.Subject != "[Nhắc hạn] Tùy chỉnh I.3, II.5" {
			t.Errorf("subject %q", r.Subject)
		}
		if !strings.Contains(r.Text, "Kính gửi: Sở Tư pháp") {
			t.Error("body no longer the embedded default")
		}
	})
	t.Run("missing dir keeps defaults", func(t *testing.T) {
		if _, err := LoadTemplates(filepath.Join(t.TempDir(), "nope")); err != nil {
			t.Fatal(err)
		}
	})
	for _, c := range []struct{ file, body string }{
		{HTMLFile, `<p>{{.Addressee</p>`},             // parse error
		{TextFile, `Kính gửi: {{.KhongCoTruongNay}}`}, // unknown field: found by the trial render
	} {
		t.Run("broken "+c.file, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, c.file)
			writeFile(t, path, c.body)
			_, err := LoadTemplates(dir)
			if err == nil || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v does not name %s", err, path)
			}
		})
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
