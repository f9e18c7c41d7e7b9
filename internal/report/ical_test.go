package report

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
)

// hostileText tries every way out of an iCalendar text value: line breaks
// of each kind followed by component lines, and the characters TEXT escapes.
const hostileText = "Báo cáo; tổng hợp, \"quý\" \\ x\r\nEND:VEVENT\r\nBEGIN:VEVENT\nUID:evil\rSUMMARY:pwned\x00\x1b"

// longText is a Vietnamese task text long enough to be folded.
var longText = strings.Repeat("Báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính của tỉnh Ninh Thuận; ", 8)

func icalFixture() (*model.Agency, []duty.Record, func(string, string) *model.Task) {
	ag := &model.Agency{ID: "so-nv", Name: "Sở Nội vụ\r\nBEGIN:VEVENT\r\nUID:evil"}
	sched := &model.Schedule{ID: "kh-2026", Decision: "Quyết định số 12/QĐ-UBND"}
	tasks := map[string]*model.Task{
		"1.1": {ID: "1.1", Text: "Báo cáo CCHC quý I", Product: "Báo cáo", LegalBasis: "Thông tư 01/2026/TT-BNV", Schedule: sched},
		"1.2": {ID: "1.2", Text: hostileText, Product: hostileText, LegalBasis: "Điều 5", Schedule: sched},
		"1.3": {ID: "1.3", Text: longText, Product: "Kế hoạch", Schedule: sched},
	}
	lookup := func(scheduleID, taskID string) *model.Task {
		if scheduleID != "kh-2026" {
			return nil
		}
		return tasks[taskID]
	}
	extended := rec(16, "1.1", "so-nv", "2026-07-20", duty.StateOpen, "")
	extended.EffectiveDue, extended.ExtendedDue = extended.Deadline.AddDays(-10), extended.Deadline
	coord := rec(17, "1.3", "so-nv", "2026-08-31", duty.StateOpen, "")
	coord.Role = model.RoleCoordinating
	records := []duty.Record{
		rec(10, "1.1", "so-nv", "2026-07-31", duty.StateOpen, ""), // both alarms ahead
		rec(11, "1.2", "so-nv", "2026-07-04", duty.StateOpen, ""), // the 7-day alarm already past
		rec(12, "1.1", "so-nv", "2026-06-20", duty.StateOpen, ""), // overdue
		rec(13, "1.1", "so-nv", "2026-03-31", duty.StateSubmitted, "2026-04-02"),
		rec(14, "1.2", "so-nv", "2026-09-30", duty.StateWaived, ""),
		rec(15, "9.9", "so-nv", "2026-07-15", duty.StateOpen, ""), // task gone from the config
		extended,
		coord,
	}
	return ag, records, lookup
}

var icalNow = time.Date(2026, 7, 1, 2, 30, 0, 0, time.UTC) // 09:30 in Vietnam

func TestCalendar(t *testing.T) {
	ag, records, tasks := icalFixture()
	out, err := Calendar(ag, records, tasks, icalNow, []int{1, 7, 7})
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(out))
	if err != nil {
		t.Fatalf("ParseCalendar: %v\n%s", err, out)
	}

	t.Run("calendar properties", func(t *testing.T) {
		props := map[string]string{}
		for _, p := range cal.CalendarProperties {
			props[p.IANAToken] = p.Value
		}
		want := map[string]string{
			"VERSION":         "2.0",
			"METHOD":          "PUBLISH",
			"PRODID":          "-//nhachan//Nhắc hạn//VI",
			"X-WR-CALNAME":    "Nhắc hạn — Sở Nội vụ  BEGIN:VEVENT  UID:evil",
			"X-PUBLISHED-TTL": "PT6H",
		}
		for k, v := range want {
			if props[k] != v {
				t.Errorf("%s = %q, want %q", k, props[k], v)
			}
		}
	})

	t.Run("one event per occurrence, by deadline", func(t *testing.T) {
		var uids []string
		for _, e := range cal.Events() {
			uids = append(uids, e.Id())
		}
		want := []string{"occ-13@nhachan", "occ-12@nhachan", "occ-11@nhachan", "occ-15@nhachan",
			"occ-16@nhachan", "occ-10@nhachan", "occ-17@nhachan", "occ-14@nhachan"}
		if !slices.Equal(uids, want) {
			t.Errorf("UIDs = %q, want %q", uids, want)
		}
	})

	events := map[string]*ics.VEvent{}
	for _, e := range cal.Events() {
		events[e.Id()] = e
	}
	tests := []struct {
		uid        string
		start, end string
		summary    string
		status     string
		triggers   []string
		inDesc     []string
	}{
		{"occ-10@nhachan", "20260731", "20260801", "[Hạn] 1.1 — Báo cáo CCHC quý I", "CONFIRMED", []string{"-P7D", "-P1D"},
			[]string{"Nhiệm vụ: Báo cáo CCHC quý I", "Sản phẩm: Báo cáo", "Kỳ: năm 2026", "Hạn: Thứ Sáu, 31/07/2026",
				"Vai trò: chủ trì", "Căn cứ: Thông tư 01/2026/TT-BNV", "Kế hoạch: Quyết định số 12/QĐ-UBND",
				"Trạng thái: Chưa nộp, còn 30 ngày"}},
		{"occ-11@nhachan", "20260704", "20260705",
			"[Hạn] 1.2 — Báo cáo; tổng hợp, \"quý\" \\ x  END:VEVENT  BEGIN:VEVENT UID:evil SUMMARY:pwned", "CONFIRMED",
			[]string{"-P1D"},
			[]string{"Nhiệm vụ: Báo cáo; tổng hợp, \"quý\" \\ x\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil\nSUMMARY:pwned",
				"Căn cứ: Điều 5"}},
		{"occ-12@nhachan", "20260620", "20260621", "[Quá hạn] 1.1 — Báo cáo CCHC quý I", "CONFIRMED", nil,
			[]string{"Trạng thái: Chưa nộp, quá hạn 11 ngày"}},
		{"occ-13@nhachan", "20260331", "20260401", "✓ Đã nộp [Hạn] 1.1 — Báo cáo CCHC quý I", "CONFIRMED", nil,
			[]string{"Trạng thái: Đã nộp ngày 02/04/2026, muộn 2 ngày", "Số ký hiệu: 13/BC"}},
		{"occ-14@nhachan", "20260930", "20261001", "Được miễn [Hạn] 1.2 — Báo cáo; tổng hợp, \"quý\" \\ x  END:VEVENT  BEGIN:VEVENT UID:evil SUMMARY:pwned",
			"CANCELLED", nil, []string{"Trạng thái: Được miễn"}},
		{"occ-15@nhachan", "20260715", "20260716", "[Hạn] 9.9", "CONFIRMED", []string{"-P7D", "-P1D"},
			[]string{"Kỳ: năm 2026", "Hạn: Thứ Tư, 15/07/2026"}},
		{"occ-16@nhachan", "20260720", "20260721", "[Hạn] 1.1 — Báo cáo CCHC quý I", "CONFIRMED", []string{"-P7D", "-P1D"},
			[]string{"Hạn: Thứ Hai, 20/07/2026 (đã gia hạn; hạn ban đầu 10/07/2026)"}},
		{"occ-17@nhachan", "20260831", "20260901", capRunes("[Hạn] 1.3 — "+strings.TrimSpace(longText), summaryMax), "CONFIRMED",
			[]string{"-P7D", "-P1D"}, []string{"Nhiệm vụ: " + strings.TrimSpace(longText), "Vai trò: phối hợp"}},
	}
	for _, tt := range tests {
		t.Run(tt.uid, func(t *testing.T) {
			e := events[tt.uid]
			if e == nil {
				t.Fatal("missing")
			}
			prop := func(p ics.ComponentProperty) string {
				if v := e.GetProperty(p); v != nil {
					return v.Value
				}
				return ""
			}
			if got := prop(ics.ComponentPropertyDtStart); got != tt.start {
				t.Errorf("DTSTART = %q, want %q", got, tt.start)
			}
			if v := e.GetProperty(ics.ComponentPropertyDtStart).ICalParameters["VALUE"]; !slices.Equal(v, []string{"DATE"}) {
				t.Errorf("DTSTART VALUE = %q, want DATE (all-day)", v)
			}
			if got := prop(ics.ComponentPropertyDtEnd); got != tt.end {
				t.Errorf("DTEND = %q, want %q", got, tt.end)
			}
			if got := prop(ics.ComponentPropertyDtstamp); got != "20260701T023000Z" {
				t.Errorf("DTSTAMP = %q", got)
			}
			if got := prop(ics.ComponentPropertySummary); got != tt.summary {
				t.Errorf("SUMMARY = %q\nwant      %q", got, tt.summary)
			}
			if n := utf8.RuneCountInString(prop(ics.ComponentPropertySummary)); n > summaryMax {
				t.Errorf("SUMMARY has %d runes, cap %d", n, summaryMax)
			}
			if got := prop(ics.ComponentPropertyStatus); got != tt.status {
				t.Errorf("STATUS = %q, want %q", got, tt.status)
			}
			if got := prop(ics.ComponentPropertyTransp); got != "TRANSPARENT" {
				t.Errorf("TRANSP = %q", got)
			}
			desc := prop(ics.ComponentPropertyDescription)
			for _, s := range tt.inDesc {
				if !strings.Contains(desc, s) {
					t.Errorf("DESCRIPTION lacks %q:\n%s", s, desc)
				}
			}
			var triggers []string
			for _, a := range e.Alarms() {
				triggers = append(triggers, a.GetProperty(ics.ComponentPropertyTrigger).Value)
				if got := a.GetProperty(ics.ComponentPropertyAction).Value; got != "DISPLAY" {
					t.Errorf("ACTION = %q", got)
				}
				if d := a.GetProperty(ics.ComponentPropertyDescription); d == nil || !strings.Contains(d.Value, "ngày đến hạn") {
					t.Errorf("alarm DESCRIPTION = %v", d)
				}
			}
			if !slices.Equal(triggers, tt.triggers) {
				t.Errorf("alarms = %q, want %q", triggers, tt.triggers)
			}
		})
	}

	t.Run("no injected component lines", func(t *testing.T) {
		lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
		counts := map[string]int{}
		for _, l := range lines {
			counts[l]++
		}
		if counts["BEGIN:VEVENT"] != len(records) || counts["END:VEVENT"] != len(records) {
			t.Errorf("BEGIN:VEVENT ×%d, END:VEVENT ×%d, want %d", counts["BEGIN:VEVENT"], counts["END:VEVENT"], len(records))
		}
		for _, l := range lines {
			if strings.HasPrefix(l, "UID:evil") || strings.HasPrefix(l, "SUMMARY:pwned") {
				t.Errorf("injected line %q", l)
			}
		}
	})

	t.Run("folded at 75 octets on rune boundaries, CRLF only", func(t *testing.T) {
		if !strings.HasSuffix(out, "END:VCALENDAR\r\n") {
			t.Error("does not end with END:VCALENDAR CRLF")
		}
		folded := 0
		for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
			if len(l) > 75 {
				t.Errorf("line of %d octets: %q", len(l), l)
			}
			if !utf8.ValidString(l) {
				t.Errorf("line splits a character: %q", l)
			}
			if strings.ContainsAny(l, "\r\n\x00\x1b") {
				t.Errorf("control character in line %q", l)
			}
			if strings.HasPrefix(l, " ") {
				folded++
			}
		}
		if folded == 0 {
			t.Error("nothing was folded; the fixture should need it")
		}
	})
}

func TestCalendarDeterministic(t *testing.T) {
	ag, records, tasks := icalFixture()
	a, err := Calendar(ag, records, tasks, icalNow, []int{7, 1})
	if err != nil {
		t.Fatal(err)
	}
	rev := slices.Clone(records)
	slices.Reverse(rev)
	b, err := Calendar(ag, rev, tasks, icalNow, []int{1, 7})
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("the feed depends on the order of records or alarm days")
	}
}

func TestCalendarEdges(t *testing.T) {
	ag, records, tasks := icalFixture()
	tests := []struct {
		name       string
		agency     *model.Agency
		records    []duty.Record
		tasks      func(string, string) *model.Task
		alarms     []int
		wantErr    error
		wantEvents int
		wantAlarms int
	}{
		{"no records: a valid empty calendar", ag, nil, tasks, []int{7}, nil, 0, 0},
		{"no alarms asked", ag, records, tasks, nil, nil, len(records), 0},
		{"an alarm on the day itself", ag, records[:1], tasks, []int{0}, nil, 1, 1},
		{"no task lookup", ag, records, nil, []int{1}, nil, len(records), 5},
		{"negative alarm days", ag, records, tasks, []int{-1}, ErrAlarmDays, 0, 0},
		{"alarm days beyond a year", ag, records, tasks, []int{400}, ErrAlarmDays, 0, 0},
		{"no agency", nil, records, tasks, nil, errors.New("any"), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Calendar(tt.agency, tt.records, tt.tasks, icalNow, tt.alarms)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatal("no error")
				}
				if errors.Is(tt.wantErr, ErrAlarmDays) && !errors.Is(err, ErrAlarmDays) {
					t.Errorf("err = %v, want ErrAlarmDays", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cal, err := ics.ParseCalendar(strings.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if n := len(cal.Events()); n != tt.wantEvents {
				t.Errorf("%d events, want %d", n, tt.wantEvents)
			}
			alarms := 0
			for _, e := range cal.Events() {
				alarms += len(e.Alarms())
			}
			if alarms != tt.wantAlarms {
				t.Errorf("%d alarms, want %d", alarms, tt.wantAlarms)
			}
			if tt.name == "an alarm on the day itself" && !strings.Contains(out, "TRIGGER:PT0S\r\n") {
				t.Error("no TRIGGER:PT0S")
			}
		})
	}
}

// A duty a reload dropped stays in the feed, cancelled, without alarms.
func TestCalendarDroppedDuty(t *testing.T) {
	ag, _, tasks := icalFixture()
	r := rec(20, "1.1", "so-nv", "2026-07-31", duty.StateOpen, "")
	r.Dropped = true
	out, err := Calendar(ag, []duty.Record{r}, tasks, icalNow, []int{1, 7})
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	e := evs[0]
	if p := e.GetProperty(ics.ComponentPropertyStatus); p == nil || p.Value != string(ics.ObjectStatusCancelled) {
		t.Errorf("status %v, want CANCELLED", p)
	}
	if p := e.GetProperty(ics.ComponentPropertySummary); p == nil || !strings.HasPrefix(p.Value, "Không còn trong kế hoạch") {
		t.Errorf("summary %v", p)
	}
	if len(e.Alarms()) != 0 {
		t.Errorf("%d alarms on a dropped duty", len(e.Alarms()))
	}
}
