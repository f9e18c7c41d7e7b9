package email

import (
	"flag"
	"fmt"
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
// Saturday and moves to Monday), an escalation to the agency's head, and
// oversight letters about the same duty to Sở Nội vụ, to the provincial
// leadership and to Văn phòng UBND tỉnh.
var (
	tDate    = time.Date(2026, 3, 24, 8, 0, 0, 0, time.FixedZone("+07", 7*3600))
	tFrom    = duty.Recipient{Addr: "nhachan@ninhthuan.example", Name: "Sở Nội vụ tỉnh Ninh Thuận"}
	tSNV     = duty.Recipient{Addr: "vanthu.snv@ninhthuan.example", Name: "Sở Nội vụ tỉnh Ninh Thuận"}
	tSTP     = duty.Recipient{Addr: "vanthu.stp@ninhthuan.example", Name: "Sở Tư pháp tỉnh Ninh Thuận"}
	tContact = duty.Contact{Desk: "Phòng Cải cách hành chính, Sở Nội vụ tỉnh Ninh Thuận", Addr: "cchc.snv@ninhthuan.example",
		Phone: "0259 3822 000", Address: "Trụ sở Sở Nội vụ tỉnh Ninh Thuận, thành phố Phan Rang - Tháp Chàm"}
	tPlan = "Quyết định số 681/QĐ-UBND ngày 27/10/2021 của Ủy ban nhân dân tỉnh Ninh Thuận"
	itemA = duty.Item{
		Key: "681-QD-UBND-2021/I.2/2026-Q1/so-tu-phap", Step: "R7",
		TaskID: "I.2", Title: "Báo cáo CCHC định kỳ quý I/2026", PeriodText: "quý I/2026", Role: "phối hợp",
		TaskText: "Báo cáo Cải cách hành chính định kỳ đảm bảo đúng tiến độ thời gian quy định",
		Product:  "Báo cáo của UBND tỉnh", Period: "2026-Q1",
		Due: schedule.NewDate(2026, 3, 31), EffectiveDue: schedule.NewDate(2026, 3, 31), DaysLeft: 7,
		LegalBasis: "Mục I.2 Phụ lục kèm theo Quyết định số 681/QĐ-UBND ngày 27/10/2021 của UBND tỉnh Ninh Thuận",
		Agency:     "Sở Tư pháp tỉnh Ninh Thuận", Lead: []string{"Sở Nội vụ tỉnh Ninh Thuận"},
	}
	itemB = duty.Item{
		Key: "681-QD-UBND-2021/II.5/2026/so-tu-phap", Step: "R7",
		TaskID: "II.5", Title: "Công bố văn bản QPPL hết hiệu lực năm 2026", PeriodText: "năm 2026", Role: "chủ trì",
		TaskText: "Công bố văn bản quy phạm pháp luật hết hiệu lực hàng năm",
		Product:  "Quyết định của UBND tỉnh", Period: "2026",
		Due: schedule.NewDate(2026, 3, 28), EffectiveDue: schedule.NewDate(2026, 3, 30), DaysLeft: 6,
		LegalBasis: "Mục II.5 Phụ lục kèm theo Quyết định số 681/QĐ-UBND ngày 27/10/2021 của UBND tỉnh Ninh Thuận",
		Agency:     "Sở Tư pháp tỉnh Ninh Thuận", Lead: []string{"Sở Tư pháp tỉnh Ninh Thuận"},
		Coordinating: []string{"Các Sở, ban, ngành"},
		ConfirmURL:   "https://nhachan.example/c/abc", ExtendURL: "https://nhachan.example/e/abc",
	}
	// dutyTCTH is the annual CCHC plan of 2027 as Sở Nội vụ follows it up:
	// the decision's text once, the agencies by state.
	dutyTCTH = duty.Duty{
		Key: "681-QD-UBND-2021/TCTH.1a.hang-nam/2027", TaskID: "TCTH.1a.hang-nam", Title: "Kế hoạch CCHC năm 2027",
		TaskText: "hàng năm (trước ngày 10/12 của năm trước liền kề năm kế hoạch) của cơ quan, đơn vị, địa phương để triển khai thực hiện Chương trình tổng thể cải cách hành chính của tỉnh",
		Product:  "Kế hoạch cải cách hành chính hàng năm của cơ quan, đơn vị, địa phương", Due: schedule.NewDate(2026, 3, 16),
		Agencies: []duty.AgencyState{
			{Name: "Sở Tư pháp tỉnh Ninh Thuận", State: duty.DutySubmitted, Deadline: schedule.NewDate(2026, 3, 16), SubmittedOn: schedule.NewDate(2026, 3, 12)},
			{Name: "Sở Y tế tỉnh Ninh Thuận", State: duty.DutyOverdue, Deadline: schedule.NewDate(2026, 3, 16), DaysLeft: -8},
			{Name: "Sở Xây dựng tỉnh Ninh Thuận", State: duty.DutyOverdue, Deadline: schedule.NewDate(2026, 3, 16), DaysLeft: -8},
			{Name: "Sở Tài chính tỉnh Ninh Thuận", State: duty.DutyOpen, Deadline: schedule.NewDate(2026, 3, 27), DaysLeft: 3},
			{Name: "UBND huyện Bác Ái", State: duty.DutyUnassigned, Deadline: schedule.NewDate(2026, 3, 16),
				Note: "đã chấm dứt hoạt động từ ngày 01/07/2025 và không có cơ quan kế thừa trong danh bạ."},
		},
	}
	dutyMT = duty.Duty{
		Key: "681-QD-UBND-2021/MT.2.9/2026/so-noi-vu", TaskID: "MT.2.9", Title: "Kiểm tra đột xuất việc giải quyết TTHC năm 2026",
		TaskText: "Thực hiện kiểm tra đột xuất về kết quả giải quyết thủ tục hành chính ít nhất 03 cuộc/năm tại Bộ phận tiếp nhận và trả kết quả của các cơ quan, đơn vị, địa phương.",
		Due:      schedule.NewDate(2026, 3, 31), Quota: 3, QuotaUnit: "cuộc",
		Agencies: []duty.AgencyState{{Name: "Sở Nội vụ tỉnh Ninh Thuận", State: duty.DutyOpen, Deadline: schedule.NewDate(2026, 3, 31), DaysLeft: 7, QuotaDone: 1}},
	}
)

// The quarterly CCHC report of a report regime (Nghị định 09/2019/NĐ-CP):
// the province reports by the 20th of the quarter's last month (Friday
// 20/3/2026), the agencies three working days earlier (Tuesday 17/3), on
// the data from 15/12/2025 to 14/3/2026.
var (
	regimeQ1 = duty.Regime{AgencyDue: schedule.NewDate(2026, 3, 17), ProvinceDue: schedule.NewDate(2026, 3, 20), WorkingDaysBefore: 3,
		CutoffFrom: schedule.NewDate(2025, 12, 15), CutoffTo: schedule.NewDate(2026, 3, 14)}
	itemRegime = duty.Item{
		Key: "681-QD-UBND-2021/I.2/2026-Q1/so-tu-phap", Step: "R7",
		TaskID: "I.2", Title: "Báo cáo CCHC định kỳ quý I/2026", PeriodText: "quý I/2026", Role: "chủ trì",
		TaskText: "Báo cáo Cải cách hành chính định kỳ đảm bảo đúng tiến độ thời gian quy định",
		Product:  "Báo cáo của cơ quan, đơn vị", Period: "2026-Q1",
		Due: schedule.NewDate(2026, 3, 17), EffectiveDue: schedule.NewDate(2026, 3, 17), DaysLeft: 7,
		LegalBasis: "Mục I.2 Phụ lục kèm theo Quyết định số 681/QĐ-UBND ngày 27/10/2021 của UBND tỉnh Ninh Thuận; Công văn số 581/BNV-CCHC của Bộ Nội vụ",
		Agency:     "Sở Tư pháp tỉnh Ninh Thuận", Lead: []string{"Các Sở, ban, ngành"}, Regime: regimeQ1,
	}
	dutyRegime = duty.Duty{
		Key: "681-QD-UBND-2021/I.2/2026-Q1", TaskID: "I.2", Title: "Báo cáo CCHC định kỳ quý I/2026",
		TaskText: itemRegime.TaskText, Product: itemRegime.Product, Due: schedule.NewDate(2026, 3, 17), Regime: regimeQ1,
		Agencies: []duty.AgencyState{
			{Name: "Sở Y tế tỉnh Ninh Thuận", State: duty.DutyOverdue, Deadline: schedule.NewDate(2026, 3, 17), DaysLeft: -1},
			{Name: "Sở Tư pháp tỉnh Ninh Thuận", State: duty.DutySubmitted, Deadline: schedule.NewDate(2026, 3, 17), SubmittedOn: schedule.NewDate(2026, 3, 16)},
		},
	}
)

// regimeReminder asks Sở Tư pháp for its quarterly report a week before
// its deadline; regimeOversight tells Sở Nội vụ the day after it.
func regimeReminder() Message {
	m := letter("2026-03-10/vanthu.stp@ninhthuan.example/reminder", duty.KindReminder, duty.ReaderAgency, tSTP, "Sở Tư pháp",
		time.Date(2026, 3, 10, 8, 0, 0, 0, tDate.Location()))
	m.Items = []duty.Item{itemRegime}
	return m
}

func regimeOversight() Message {
	m := letter("2026-03-18/vanthu.snv@ninhthuan.example/oversight", duty.KindOversight, duty.ReaderFollowUp, tSNV, "Sở Nội vụ",
		time.Date(2026, 3, 18, 8, 0, 0, 0, tDate.Location()))
	m.Duties = []duty.Duty{dutyRegime}
	return m
}

// letter fills what every letter carries: the follow-up agency speaks,
// cites the plan and names its desk.
func letter(key string, kind duty.Kind, reader duty.Reader, to duty.Recipient, readerName string, date time.Time) Message {
	return Message{From: tFrom, ReplyTo: duty.Recipient{Addr: tContact.Addr, Name: tContact.Desk},
		Notice: duty.Notice{Key: key, To: to, Kind: kind, Reader: reader, ReaderName: readerName,
			Sender: "Sở Nội vụ tỉnh Ninh Thuận", SenderShort: "Sở Nội vụ", Plan: tPlan, Contact: tContact, Date: date}}
}

func reminder() Message {
	m := letter("2026-03-24/vanthu.stp@ninhthuan.example/reminder", duty.KindReminder, duty.ReaderAgency, tSTP, "Sở Tư pháp", tDate)
	m.Items = []duty.Item{itemA, itemB}
	return m
}

// escalation goes to the agency's head, who is asked to direct.
func escalation() Message {
	late := itemB
	late.Step, late.Escalation, late.DaysLeft = "E2", true, -8
	m := letter("2026-04-07/giamdoc.stp@ninhthuan.example/escalation", duty.KindEscalation, duty.ReaderHead,
		duty.Recipient{Addr: "giamdoc.stp@ninhthuan.example", Name: "Giám đốc Sở Tư pháp"}, "Giám đốc Sở Tư pháp", tDate.AddDate(0, 0, 14))
	m.Items = []duty.Item{late}
	return m
}

// oversight is Sở Nội vụ's own record of other agencies' duties.
func oversight() Message {
	m := letter("2026-03-24/vanthu.snv@ninhthuan.example/oversight", duty.KindOversight, duty.ReaderFollowUp, tSNV, "Sở Nội vụ", tDate)
	m.Duties = []duty.Duty{dutyTCTH, dutyMT}
	return m
}

// report is level 2 as the provincial leadership receives it: reported to,
// asked to consider and direct.
func report() Message {
	m := letter("2026-03-24/lanhdao.ubnd@ninhthuan.example/oversight", duty.KindOversight, duty.ReaderProvincialLeadership,
		duty.Recipient{Addr: "lanhdao.ubnd@ninhthuan.example", Name: "Lãnh đạo UBND tỉnh"}, "Lãnh đạo UBND tỉnh", tDate)
	m.Duties = []duty.Duty{dutyTCTH}
	return m
}

// office is level 2 as Văn phòng UBND tỉnh, a peer, receives it.
func office() Message {
	m := letter("2026-03-24/vanthu.vpubnd@ninhthuan.example/oversight", duty.KindOversight, duty.ReaderProvincialOffice,
		duty.Recipient{Addr: "vanthu.vpubnd@ninhthuan.example", Name: "Văn phòng Ủy ban nhân dân tỉnh Ninh Thuận"}, "Văn phòng UBND tỉnh", tDate)
	m.Duties = []duty.Duty{dutyTCTH}
	return m
}

// ownReport is level 2 of Sở Nội vụ's own duty to its own head: its desk
// reports and asks the head to direct.
func ownReport() Message {
	m := letter("2026-04-07/giamdoc.snv@ninhthuan.example/escalation", duty.KindEscalation, duty.ReaderOwnHead,
		duty.Recipient{Addr: "giamdoc.snv@ninhthuan.example", Name: "Giám đốc Sở Nội vụ"}, "Giám đốc Sở Nội vụ", tDate.AddDate(0, 0, 14))
	late := itemA
	late.Role, late.Lead, late.Step, late.Escalation, late.DaysLeft = "chủ trì", nil, "E2", true, -7
	late.Coordinating = []string{"Các Sở, ban, ngành"}
	m.Items = []duty.Item{late}
	return m
}

func digestLetter() Message {
	m := letter("digest/2026-03-24/vanthu.snv@ninhthuan.example", duty.KindDigest, duty.ReaderFollowUp, tSNV, "Sở Nội vụ", tDate)
	m.Duties = []duty.Duty{dutyTCTH, dutyMT}
	return m
}

// coordinating is a reminder to a coordinating agency (remind_coordinating):
// it is asked to work with the lead, not to submit.
func coordinating() Message {
	m := letter("2026-03-24/vanthu.stp@ninhthuan.example/coordinating", duty.KindReminder, duty.ReaderAgency, tSTP, "Sở Tư pháp", tDate)
	m.Items = []duty.Item{itemA}
	return m
}

func weekly() Message {
	m := letter("weekly/2026-W13/vanthu.snv@ninhthuan.example", duty.KindWeekly, duty.ReaderFollowUp, tSNV, "Sở Nội vụ", tDate)
	m.Duties = []duty.Duty{dutyTCTH, dutyMT}
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

// TestRenderGolden keeps one golden text per kind of letter and reader.
// Each was read line by line as its reader would (a Giám đốc Sở, Sở Nội
// vụ's desk, the provincial leadership): a change to a template shows here
// as a diff to review, never silently.
func TestRenderGolden(t *testing.T) {
	tm := mustTemplates(t)
	demo := reminder()
	demo.Demo = true
	demo.Items = demo.Items[1:]
	for name, m := range map[string]Message{"reminder": reminder(), "escalation": escalation(), "oversight": oversight(),
		"oversight-leadership": report(), "oversight-office": office(), "weekly": weekly(), "demo": demo,
		"own-escalation-head": ownReport(), "digest": digestLetter(), "coordinating": coordinating(),
		"regime-reminder": regimeReminder(), "regime-oversight": regimeOversight()} {
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
	test := letter("test", duty.KindTest, duty.ReaderAgency, tSTP, "Sở Tư pháp", tDate)
	digest := oversight()
	digest.Kind = duty.KindDigest

	cases := []struct {
		name    string
		m       Message
		subject string   // whole subject
		want    []string // in both bodies
		never   []string // in neither
	}{
		{"reminder", reminder(), "[Nhắc hạn] Công bố văn bản QPPL hết hiệu lực năm 2026 và 1 nhiệm vụ khác — hạn gần nhất 30/03/2026 (còn 6 ngày)", []string{
			"Kính gửi: Sở Tư pháp tỉnh Ninh Thuận", "Thực hiện Quyết định số 681/QĐ-UBND ngày 27/10/2021 của Ủy ban nhân dân tỉnh Ninh Thuận, Sở Nội vụ đề nghị Sở Tư pháp hoàn thành",
			"Thứ Ba, ngày 31/03/2026", "Thứ Hai, ngày 30/03/2026", "Điều 148 Bộ luật Dân sự 2015", "còn 7 ngày", "còn 6 ngày",
			"cơ quan phối hợp (cơ quan chủ trì: Sở Nội vụ tỉnh Ninh Thuận)", "Xác nhận đã nộp", "Xin gia hạn", "Trân trọng.",
			"Phòng Cải cách hành chính", "0259 3822 000"}, []string{"Quý cơ quan", "Hệ thống nhắc hạn", "2026-Q1"}},
		{"escalation", escalation(), "[Quá hạn] Công bố văn bản QPPL hết hiệu lực năm 2026 — hạn 30/03/2026 (đã quá hạn 8 ngày)", []string{
			"Kính gửi: Giám đốc Sở Tư pháp", "đề nghị Giám đốc Sở Tư pháp quan tâm, chỉ đạo khẩn trương hoàn thành", "đã quá hạn 8 ngày"},
			[]string{"Quý cơ quan", "Hệ thống nhắc hạn"}},
		{"oversight", oversight(), "[Theo dõi] Kế hoạch CCHC năm 2027 và 1 nhiệm vụ khác — hạn gần nhất 16/03/2026 (đã quá hạn 8 ngày)", []string{
			"(2, quá hạn 8 ngày):", "Sở Y tế tỉnh Ninh Thuận; Sở Xây dựng tỉnh Ninh Thuận",
			"Đã hoàn thành (1): Sở Tư pháp tỉnh Ninh Thuận (ngày 12/03/2026)", "Chưa có cơ quan thực hiện (1): UBND huyện Bác Ái",
			"Sở Nội vụ tỉnh Ninh Thuận (còn 7 ngày; đã thực hiện 1/3 cuộc)"}, []string{"đề nghị Sở Nội vụ", "hoàn thành và gửi", "Hệ thống nhắc hạn"}},
		{"leadership", report(), "[Theo dõi] Kế hoạch CCHC năm 2027 — hạn 16/03/2026 (đã quá hạn 8 ngày)", []string{
			"Kính gửi: Lãnh đạo UBND tỉnh", "Sở Nội vụ kính báo cáo Lãnh đạo UBND tỉnh tình hình thực hiện nhiệm vụ", "xem xét, chỉ đạo"},
			[]string{"đề nghị Lãnh đạo", "Quý cơ quan"}},
		{"office", office(), "[Theo dõi] Kế hoạch CCHC năm 2027", []string{
			"Kính gửi: Văn phòng Ủy ban nhân dân tỉnh Ninh Thuận", "thông báo để Văn phòng UBND tỉnh theo dõi, tham mưu UBND tỉnh chỉ đạo"},
			[]string{"hoàn thành và gửi về"}},
		{"own head", ownReport(), "[Quá hạn] Báo cáo CCHC định kỳ quý I/2026 — hạn 31/03/2026 (đã quá hạn 7 ngày)", []string{
			"Phòng Cải cách hành chính kính báo cáo Giám đốc Sở Nội vụ: thực hiện", "do Sở Nội vụ thực hiện chưa hoàn thành",
			"kính đề nghị Giám đốc Sở Nội vụ quan tâm, chỉ đạo khẩn trương hoàn thành"}, []string{"Sở Nội vụ đề nghị Sở Nội vụ", "gửi về Sở Nội vụ"}},
		{"digest", digest, "[Tổng hợp] Nhắc hạn và quá hạn ngày 24/03/2026 — 2 nhiệm vụ", []string{"Kế hoạch CCHC năm 2027"}, nil},
		{"weekly", weekly(), "[Tổng hợp tuần] Tình hình thực hiện nhiệm vụ, tuần bắt đầu ngày 24/03/2026 — 2 nhiệm vụ", []string{"Kế hoạch CCHC năm 2027"}, nil},
		{"test", test, "[Thử nghiệm] Thư thử nghiệm của Sở Nội vụ tỉnh Ninh Thuận", []string{"thư thử nghiệm", "Trân trọng."}, nil},
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
			for _, w := range c.never {
				if strings.Contains(r.Text+r.HTML+r.Subject, w) {
					t.Errorf("letter says %q:\n%s", w, r.Text)
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
			if !strings.Contains(r.Text, "Sở Nội vụ tỉnh Ninh Thuận\nĐầu mối theo dõi: Phòng Cải cách hành chính") {
				t.Errorf("no contact footer:\n%s", r.Text)
			}
		})
	}
}

// TestDemoSaysSoFirst: a demonstration's letters say so in their first line.
func TestDemoSaysSoFirst(t *testing.T) {
	for _, m := range SampleMessages() {
		r, err := mustTemplates(t).Render(m)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(r.Text, "\n")
		if !strings.HasPrefix(first, "[THƯ MINH HỌA]") || !strings.Contains(r.HTML, "<strong>[THƯ MINH HỌA]</strong>") {
			t.Errorf("%s: first line %q", m.Key, first)
		}
	}
	r, _ := mustTemplates(t).Render(reminder())
	if strings.Contains(r.Text+r.HTML, "MINH HỌA") {
		t.Error("a real letter calls itself a demonstration")
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
		var want []string
		switch m.Kind {
		case duty.KindReminder, duty.KindEscalation:
			it := m.Items[0]
			want = []string{it.Title, it.TaskText, it.Product, it.LegalBasis, it.Coordinating[1],
				DayText(it.Due), DayText(it.EffectiveDue), StatusText(it.DaysLeft), "đã thực hiện 1/3 cuộc",
				it.Regime.ProvinceText(), it.Regime.CutoffText()}
			if !strings.Contains(r.Text, it.ConfirmURL) || !strings.Contains(r.HTML, `href="`+it.ConfirmURL+`"`) {
				t.Errorf("%s: confirm link missing", m.Key)
			}
		case duty.KindOversight, duty.KindDigest, duty.KindWeekly:
			d := m.Duties[0]
			want = []string{d.Title, d.TaskText, d.Product, DayText(d.Due), "đã thực hiện 2/3 cuộc", "được miễn", "Được miễn (1): Sở Công Thương",
				d.Regime.ProvinceText(), d.Regime.CutoffText()}
			for _, a := range d.Agencies {
				want = append(want, a.Name)
			}
			want = want[:len(want)]
		}
		for _, s := range []string{r.Text, r.HTML} {
			for _, w := range want {
				if w == "được miễn" {
					continue
				}
				if !strings.Contains(s, w) {
					t.Errorf("%s: %q missing", m.Key, w)
				}
			}
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
		if r.Subject != "[Nhắc hạn] Tùy chỉnh I.2, II.5" {
			t.Errorf("subject %q", r.Subject)
		}
		if !strings.Contains(r.Text, "Kính gửi: Sở Tư pháp tỉnh Ninh Thuận") {
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

// A duty of a national directory names at most maxListed agencies of a
// state and counts the rest, so that a letter stays readable and small.
func TestOversightCountsBeyondTheListed(t *testing.T) {
	d := duty.Duty{Key: "p/T/2026", TaskID: "T", Title: "Kế hoạch CCHC năm 2026", Due: schedule.NewDate(2026, 3, 20)}
	for i := 1; i <= maxListed+40; i++ {
		d.Agencies = append(d.Agencies, duty.AgencyState{Name: fmt.Sprintf("UBND xã số %d", i), State: duty.DutyOverdue,
			Deadline: schedule.NewDate(2026, 3, 20), DaysLeft: -4})
	}
	m := oversight()
	m.Duties = []duty.Duty{d}
	r, err := mustTemplates(t).Render(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{r.Text, r.HTML} {
		if !strings.Contains(s, fmt.Sprintf("(%d, quá hạn 4 ngày)", maxListed+40)) || !strings.Contains(s, "; và 40 cơ quan khác") ||
			!strings.Contains(s, fmt.Sprintf("UBND xã số %d;", maxListed-1)) || strings.Contains(s, fmt.Sprintf("UBND xã số %d;", maxListed+1)) {
			t.Errorf("the list is not cut at %d names with the rest counted:\n%s", maxListed, s)
		}
	}
}

// TestRegimeDates: a duty letter and an oversight letter of a report
// regime give both deadlines and the period's data window, in the words
// of the duty page; each line only when the duty has it.
func TestRegimeDates(t *testing.T) {
	tm := mustTemplates(t)
	tier := "ngày 20/03/2026 (hạn của cơ quan sớm hơn 3 ngày làm việc)"
	cutoff := "Thời gian chốt số liệu: từ ngày 15/12/2025 đến ngày 14/03/2026"
	cutoffHTML := "Thời gian chốt số liệu</td><td>từ ngày 15/12/2025 đến ngày 14/03/2026"
	cases := []struct {
		name      string
		m         Message
		text      []string
		html      []string
		noTier    func(*Message)
		noCutoff  func(*Message)
		withoutIt func(*Message)
	}{
		{"reminder", regimeReminder(),
			[]string{"   - Hạn tỉnh báo cáo: " + tier + "\n", "   - " + cutoff + "\n"},
			[]string{"Hạn tỉnh báo cáo</td><td>" + tier + "</td>", cutoffHTML + "</td>"},
			func(m *Message) { m.Items[0].Regime.ProvinceDue = 0 },
			func(m *Message) { m.Items[0].Regime.CutoffFrom, m.Items[0].Regime.CutoffTo = 0, 0 },
			func(m *Message) { m.Items[0].Regime = duty.Regime{} }},
		{"oversight", regimeOversight(),
			[]string{"   Hạn tỉnh báo cáo: " + tier + "\n", "   " + cutoff + "\n"},
			[]string{"<br>Hạn tỉnh báo cáo: " + tier + "<br>" + cutoff + "\n"},
			func(m *Message) { m.Duties[0].Regime.ProvinceDue = 0 },
			func(m *Message) { m.Duties[0].Regime.CutoffFrom, m.Duties[0].Regime.CutoffTo = 0, 0 },
			func(m *Message) { m.Duties[0].Regime = duty.Regime{} }},
	}
	render := func(t *testing.T, m Message) Rendered {
		t.Helper()
		r, err := tm.Render(m)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := render(t, c.m)
			for _, w := range c.text {
				if !strings.Contains(r.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, r.Text)
				}
			}
			for _, w := range c.html {
				if !strings.Contains(r.HTML, w) {
					t.Errorf("html lacks %q:\n%s", w, r.HTML)
				}
			}
			for _, o := range []struct {
				name         string
				edit         func(*Message)
				tier, cutoff bool
			}{{"no tier", c.noTier, false, true}, {"no cut-off", c.noCutoff, true, false}, {"neither", c.withoutIt, false, false}} {
				m := c.m
				m.Items = append([]duty.Item(nil), m.Items...)
				m.Duties = append([]duty.Duty(nil), m.Duties...)
				o.edit(&m)
				r := render(t, m)
				for _, s := range []string{r.Text, r.HTML} {
					if got := strings.Contains(s, "Hạn tỉnh báo cáo"); got != o.tier {
						t.Errorf("%s: shows the province's deadline %v, want %v:\n%s", o.name, got, o.tier, s)
					}
					if got := strings.Contains(s, "chốt số liệu"); got != o.cutoff {
						t.Errorf("%s: shows the data cut-off %v, want %v:\n%s", o.name, got, o.cutoff, s)
					}
				}
			}
		})
	}
}
