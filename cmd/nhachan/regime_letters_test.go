package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/email/mailpittest"
)

// TestLettersShowRegimeDates: the shipped plan's I.2 (the periodic CCHC
// report, due by the 20th of each quarter's last month under Công văn
// 581/BNV-CCHC) given to Sở Tư pháp as a report regime: the data cut-off
// of Nghị định 09/2019/NĐ-CP, Điều 12, and the agencies' deadline three
// working days before the province's. Simulated through March 2025, every
// letter about quý I/2025 names the agency's deadline (Monday 17/3/2025),
// the province's (Thursday 20/3/2025) and the data window 15/12/2024 to
// 14/3/2025; a letter about quý II/2025 those of its own period; a letter
// about no such duty names neither.
func TestLettersShowRegimeDates(t *testing.T) {
	mp := mailpittest.Start(t)
	dir := t.TempDir()
	cfg := editedConfig(t, dir, func(s string) string {
		i := strings.Index(s, `  - id: "I.2"`)
		if i < 0 {
			t.Fatal("the shipped plan has no I.2")
		}
		task := s[i:]
		task = strings.Replace(task, "    lead: [so-noi-vu]\n", "    lead: [so-tu-phap]\n"+
			"    data_cutoff: \"Tính từ ngày 15 của tháng trước kỳ báo cáo đến ngày 14 của tháng cuối quý thuộc kỳ báo cáo\"\n"+
			"    working_days_before: 3\n", 1)
		if task == s[i:] {
			t.Fatal("I.2 has no lead line to edit")
		}
		return s[:i] + task
	})
	db := filepath.Join(dir, "regime.db")
	code, out, errs := runCmd(t, 2*time.Minute, "simulate", "--from", "2025-03-03", "--to", "2025-03-24", "--db", db,
		"--smtp", smtpURL(mp), "--config", cfg, "--quiet")
	if code != 0 {
		t.Fatalf("simulate exited %d:\n%s\n%s", code, out, errs)
	}
	periods := map[string][]string{
		"Báo cáo CCHC định kỳ quý I/2025": {"ngày 20/03/2025 (hạn của cơ quan sớm hơn 3 ngày làm việc)",
			"Thời gian chốt số liệu: từ ngày 15/12/2024 đến ngày 14/03/2025"},
		"Báo cáo CCHC định kỳ quý II/2025": {"ngày 20/06/2025 (hạn của cơ quan sớm hơn 3 ngày làm việc)",
			"Thời gian chốt số liệu: từ ngày 15/03/2025 đến ngày 14/06/2025"},
	}
	seen := map[string]int{} // "kind title" → letters
	ls := readLetters(t, mp)
	for _, l := range ls {
		kind, _, _ := strings.Cut(l.Subject, "]")
		about := false
		for title, want := range periods {
			for _, b := range blocks(l.Text, title) {
				about = true
				seen[kind+"] "+title]++
				for _, w := range want {
					if !strings.Contains(b, w) {
						t.Errorf("%s %s %q: the duty %s lacks %q:\n%s", l.Day, l.To, l.Subject, title, w, b)
					}
				}
				if !strings.Contains(l.HTML, want[0]) || !strings.Contains(l.HTML, "từ ngày "+strings.SplitN(want[1], "từ ngày ", 2)[1]) {
					t.Errorf("%s %s %q: the HTML part lacks the dates of %s", l.Day, l.To, l.Subject, title)
				}
			}
		}
		if !about && (strings.Contains(l.Text, "chốt số liệu") || strings.Contains(l.Text, "hạn tỉnh báo cáo")) {
			t.Errorf("%s %s %q: a letter about no report regime shows its dates:\n%s", l.Day, l.To, l.Subject, l.Text)
		}
	}
	for _, k := range []string{"[Nhắc hạn] Báo cáo CCHC định kỳ quý I/2025", "[Quá hạn] Báo cáo CCHC định kỳ quý I/2025",
		"[Theo dõi] Báo cáo CCHC định kỳ quý I/2025", "[Nhắc hạn] Báo cáo CCHC định kỳ quý II/2025"} {
		if seen[k] == 0 {
			t.Errorf("no %s letter: %v", k, seen)
		}
	}
	t.Logf("%d letters; about the regime duty: %v", len(ls), seen)
}

// blocks returns each place a letter's text body states the duty titled
// title: its line and the lines after it up to the next blank line.
func blocks(text, title string) []string {
	var out []string
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if !strings.Contains(line, title) || !strings.HasPrefix(strings.TrimLeft(line, "0123456789"), ". ") {
			continue
		}
		j := i + 1
		for j < len(lines) && lines[j] != "" {
			j++
		}
		out = append(out, strings.Join(lines[i:j], "\n"))
	}
	return out
}
