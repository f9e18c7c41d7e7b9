package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/email/mailpittest"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// letter is one message as an official receives it.
type letter struct {
	To, Subject, Text, HTML, ReplyTo, Tasks string
	Day                                     schedule.Date
	Size                                    int
}

// readLetters reads every message Mailpit holds: headers, bodies, raw size.
func readLetters(t *testing.T, mp *mailpittest.Server) []letter {
	t.Helper()
	loc := defaultLocation()
	var out []letter
	for _, sum := range allMessages(t, mp) {
		m := mp.Message(t, sum.ID)
		h := mp.Headers(t, sum.ID)
		l := letter{Subject: m.Subject, Text: m.Text, HTML: m.HTML, Day: schedule.DateOf(m.Date.In(loc)),
			Size: len(mp.Raw(t, sum.ID)), ReplyTo: strings.Join(h["Reply-To"], ","), Tasks: strings.Join(h["X-Nhachan-Tasks"], ",")}
		if len(m.To) == 1 {
			l.To = strings.ToLower(m.To[0].Address)
		}
		out = append(out, l)
	}
	return out
}

var (
	rawPeriod = regexp.MustCompile(`\b20\d\d-(Q[1-4]|H[12]|W\d\d|0[1-9]|1[0-2])\b`)
	// A task id of the shipped schedule ("TCTH.1a.hang-nam", "II.5").
	taskID = regexp.MustCompile(`\b(I|II|III|IV|V|VI|VIII|MT|TCTH)\.[0-9][\w.-]*`)
	// A district UBND of Ninh Thuận, ended on 30/6/2025 without successor.
	districtUBND = regexp.MustCompile(`UBND các huyện|Ủy ban nhân dân (huyện|thành phố Phan Rang)|UBND (huyện|thành phố Phan Rang)`)
)

// checkEveryLetter holds what every letter must be, whoever reads it: a
// known prefix first, no code where words belong, the follow-up agency's
// desk to reply to and to call, never the machine as the one who asks,
// never "Quý cơ quan" between state agencies.
func checkEveryLetter(t *testing.T, ls []letter) {
	t.Helper()
	for _, l := range ls {
		ok := false
		for _, p := range []string{"[Nhắc hạn] ", "[Quá hạn] ", "[Theo dõi] ", "[Tổng hợp tuần] ", "[Tổng hợp] "} {
			ok = ok || strings.HasPrefix(l.Subject, p)
		}
		if !ok {
			t.Errorf("%s %s: subject %q has no known prefix first", l.Day, l.To, l.Subject)
		}
		if taskID.MatchString(l.Subject) {
			t.Errorf("%s %s: subject %q names a task id", l.Day, l.To, l.Subject)
		}
		for where, s := range map[string]string{"subject": l.Subject, "text": l.Text, "html": l.HTML} {
			if p := rawPeriod.FindString(s); p != "" {
				t.Errorf("%s %s: %s shows the period code %q", l.Day, l.To, where, p)
			}
			for _, never := range []string{"Hệ thống nhắc hạn", "Quý cơ quan"} {
				if strings.Contains(s, never) {
					t.Errorf("%s %s: %s says %q", l.Day, l.To, where, never)
				}
			}
		}
		if !strings.Contains(l.ReplyTo, "cchc.snv@") {
			t.Errorf("%s %s %q: Reply-To %q is not the desk", l.Day, l.To, l.Subject, l.ReplyTo)
		}
		if !strings.Contains(l.Text, "Đầu mối theo dõi: Phòng Cải cách hành chính") || !strings.Contains(l.Text, "Điện thoại: ") || !strings.Contains(l.Text, "Địa chỉ: ") {
			t.Errorf("%s %s %q: no contact footer", l.Day, l.To, l.Subject)
		}
	}
}

// TestMergerSendsToWhoeverAnswersThatDay simulates the summer of the
// 1/7/2025 merger on the shipped configuration: before it nothing goes to
// Khánh Hòa, from it nothing goes to Ninh Thuận, and no letter after it
// names a district UBND (ended without successor) as answering for a duty.
func TestMergerSendsToWhoeverAnswersThatDay(t *testing.T) {
	mp := mailpittest.Start(t)
	db := filepath.Join(t.TempDir(), "merger.db")
	code, out, errs := runCmd(t, 2*time.Minute, "simulate", "--from", "2025-06-01", "--to", "2025-08-15", "--db", db,
		"--smtp", smtpURL(mp), "--config", shippedConfig, "--quiet")
	if code != 0 {
		t.Fatalf("simulate exited %d:\n%s\n%s", code, out, errs)
	}
	ls := readLetters(t, mp)
	merger := schedule.NewDate(2025, 7, 1)
	before, after := 0, 0
	for _, l := range ls {
		switch {
		case l.Day < merger && strings.Contains(l.To, "khanhhoa"):
			t.Errorf("%s: %q went to %s before the merger", l.Day, l.Subject, l.To)
		case l.Day >= merger && strings.Contains(l.To, "ninhthuan"):
			t.Errorf("%s: %q went to %s after the merger", l.Day, l.Subject, l.To)
		}
		if l.Day < merger {
			before++
			continue
		}
		after++
		for _, line := range strings.Split(l.Text, "\n") {
			if districtUBND.MatchString(line) && !strings.Contains(line, "Chưa có cơ quan thực hiện") {
				t.Errorf("%s %s: names a district UBND as answering: %s", l.Day, l.To, line)
			}
		}
	}
	if before == 0 || after == 0 {
		t.Fatalf("%d letters before 1/7/2025, %d after: the range proves nothing", before, after)
	}
	checkEveryLetter(t, ls)
	t.Logf("%d letters before the merger, %d after", before, after)
}

// TestOwnDutyLettersStopOversightGoesOn: Văn phòng UBND tỉnh submits its
// 2025 CCHC plan (TCTH.1a.hang-nam) on 1/12/2024. From then on no duty
// letter to it mentions that duty, while its oversight letters about the
// other agencies' plans go on; Sở Nội vụ's largest letter stays small; the
// counted duty MT.2.9 shows its count.
func TestOwnDutyLettersStopOversightGoesOn(t *testing.T) {
	mp := mailpittest.Start(t)
	db := filepath.Join(t.TempDir(), "vp.db")
	sim := func(from, to string) {
		t.Helper()
		code, out, errs := runCmd(t, 2*time.Minute, "simulate", "--from", from, "--to", to, "--db", db,
			"--smtp", smtpURL(mp), "--config", shippedConfig, "--quiet")
		if code != 0 {
			t.Fatalf("simulate %s..%s exited %d:\n%s\n%s", from, to, code, out, errs)
		}
	}
	sim("2024-11-20", "2024-11-30")
	code, out, errs := runCmd(t, time.Minute, "submit", "--config", shippedConfig, "--db", db, "--by", "test",
		"--task", "TCTH.1a.hang-nam", "--agency", "van-phong-ubnd-tinh", "--period", "2025", "--ref", "99/KH-VPUB", "--date", "2024-12-01")
	if code != 0 {
		t.Fatalf("submit: exit %d\n%s%s", code, out, errs)
	}
	sim("2024-12-01", "2025-01-20")
	ls := readLetters(t, mp)
	submitted := schedule.NewDate(2024, 12, 1)
	vp := map[string]bool{"vanthu.vpubnd@ninhthuan.example": true, "chanhvanphong.vpubnd@ninhthuan.example": true}
	oversightAfter, mt, largest := 0, 0, letter{}
	for _, l := range ls {
		duty := strings.HasPrefix(l.Subject, "[Nhắc hạn]") || strings.HasPrefix(l.Subject, "[Quá hạn]")
		if vp[l.To] && l.Day >= submitted {
			if duty && (strings.Contains(l.Tasks, "TCTH.1a.hang-nam") || strings.Contains(l.Text, "Kế hoạch CCHC năm 2025")) {
				t.Errorf("%s: %s still asked for its submitted plan: %q", l.Day, l.To, l.Subject)
			}
			if strings.HasPrefix(l.Subject, "[Theo dõi]") && strings.Contains(l.Text, "Kế hoạch CCHC năm 2025") {
				oversightAfter++
				if strings.Contains(l.Text, "hoàn thành và gửi") || strings.Contains(l.Text, "Văn phòng Ủy ban nhân dân tỉnh Ninh Thuận;") {
					t.Errorf("%s: the oversight letter to %s asks it to submit or lists it:\n%s", l.Day, l.To, l.Text)
				}
			}
		}
		if strings.Contains(l.Tasks, "MT.2.9") {
			mt++
			if !strings.Contains(l.Text, "đã thực hiện 0/3 cuộc") {
				t.Errorf("%s %s %q: MT.2.9 without its count:\n%s", l.Day, l.To, l.Subject, l.Text)
			}
		}
		if strings.Contains(l.To, ".snv@") && l.Size > largest.Size {
			largest = l
		}
	}
	if oversightAfter == 0 {
		t.Error("no oversight letter to Văn phòng UBND tỉnh about the other agencies' plans after its own submission")
	}
	if mt == 0 {
		t.Error("no letter about MT.2.9")
	}
	if largest.Size > 50<<10 {
		t.Errorf("the largest letter to Sở Nội vụ is %d bytes (%s %q), over 50 KB", largest.Size, largest.To, largest.Subject)
	}
	checkEveryLetter(t, ls)
	t.Logf("%d letters; largest to Sở Nội vụ %d bytes (%s, %s %q); %d oversight letters to Văn phòng after 1/12", len(ls), largest.Size, largest.To, largest.Day, largest.Subject, oversightAfter)
}

// TestSoftDutyNeverEscalates: III.7 ("Quý I - theo nhu cầu hàng năm",
// escalate: false) is reminded before 31/3 and never escalated after it:
// no overdue letter, no report to the leadership.
func TestSoftDutyNeverEscalates(t *testing.T) {
	mp := mailpittest.Start(t)
	db := filepath.Join(t.TempDir(), "soft.db")
	code, out, errs := runCmd(t, 2*time.Minute, "simulate", "--from", "2025-03-01", "--to", "2025-05-15", "--db", db,
		"--smtp", smtpURL(mp), "--config", shippedConfig, "--quiet")
	if code != 0 {
		t.Fatalf("simulate exited %d:\n%s\n%s", code, out, errs)
	}
	reminded := 0
	for _, l := range readLetters(t, mp) {
		if !strings.Contains(l.Tasks, "III.7") || strings.HasPrefix(l.Subject, "[Tổng hợp") {
			continue // Sở Nội vụ's summaries list every open duty, soft ones too
		}
		if !strings.HasPrefix(l.Subject, "[Nhắc hạn]") || l.Day > schedule.NewDate(2025, 3, 31) {
			t.Errorf("%s %s: %q is about III.7 after its due date or not as a reminder", l.Day, l.To, l.Subject)
		}
		reminded++
	}
	if reminded == 0 {
		t.Error("III.7 was never reminded")
	}
}
