package notify

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/mail"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	gomail "github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/calendar"
	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/email"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// captureSender is a hand-written fake transport: it renders every message
// to bytes (so that Build's output is exercised) and parses it back.
type captureSender struct {
	got []sentMail
}

type sentMail struct {
	date    time.Time
	to      string
	subject string
	tasks   string
	header  mail.Header
	body    string
}

func (c *captureSender) Send(_ context.Context, msgs []*gomail.Msg) []email.Result {
	out := make([]email.Result, len(msgs))
	for i, m := range msgs {
		var buf bytes.Buffer
		if _, err := m.WriteTo(&buf); err != nil {
			out[i] = email.Result{Class: duty.Permanent, Err: err}
			continue
		}
		pm, err := mail.ReadMessage(&buf)
		if err != nil {
			out[i] = email.Result{Class: duty.Permanent, Err: err}
			continue
		}
		d, _ := pm.Header.Date()
		subj, _ := new(mime.WordDecoder).DecodeHeader(pm.Header.Get("Subject"))
		c.got = append(c.got, sentMail{date: d, to: pm.Header.Get("To"), subject: subj,
			tasks: pm.Header.Get("X-Nhachan-Tasks"), header: pm.Header})
		out[i] = email.Result{Class: duty.Delivered, Response: "250 ok"}
	}
	return out
}

func d(s string) schedule.Date {
	v, err := schedule.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func agency(id string, groups ...string) *model.Agency {
	return &model.Agency{ID: id, Name: "Cơ quan " + id, Groups: groups, Email: []string{id + "@t.example"},
		Head:      model.Head{Title: "Thủ trưởng", Email: "head-" + id + "@t.example"},
		ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate}
}

// testSetup: Sở Nội vụ (snv) follows up; agency a owes T1 and T3 on
// 20/6 each year; snv itself owes T2 in Quý I.
func testSetup(t *testing.T) Setup {
	t.Helper()
	cal, err := calendar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := model.NewDirectory([]*model.Agency{agency("snv"), agency("a"), agency("vp")}, nil)
	s := &model.Schedule{ID: "p", From: d("2021-01-01"), Until: d("2030-12-31"), CarryUntil: d("2030-12-31")}
	for _, tk := range []*model.Task{
		{ID: "T1", Text: "Báo cáo một", Time: "trước ngày 20/6 hằng năm", Lead: []string{"a"}, Coordinating: []string{"vp"}},
		{ID: "T2", Text: "Kế hoạch hai", Time: "Quý I hàng năm", Lead: []string{"snv"}},
		{ID: "T3", Text: "Báo cáo ba", Time: "trước ngày 20/6 hằng năm", Lead: []string{"a"}},
	} {
		tk.Schedule = s
		tk.Parsed = schedule.Parse(tk.Time, schedule.Options{})
		s.Tasks = append(s.Tasks, tk)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	tpl, err := email.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	pol := duty.DefaultPolicy()
	pol.MaxRepeats = 2
	pol.WeeklySummary = false // its own test below
	return Setup{
		Planner: &model.Planner{Directory: dir, Calendar: cal, Schedules: []*model.Schedule{s}},
		Policy:  pol, TrackingStart: d("2027-01-01"), Location: loc,
		Channel: &email.Channel{Templates: tpl, Domain: "t.example",
			From: duty.Recipient{Addr: "nhachan@t.example", Name: "Hệ thống nhắc hạn"}},
		FollowUp: "snv", FollowUpLeadership: duty.Always("lanhdao-snv@t.example"),
		ProvincialOffice: "vp", ProvincialLeadership: duty.Always("lanhdao-ubnd@t.example"),
	}
}

type harness struct {
	t      *testing.T
	eng    *Engine
	setup  atomic.Pointer[Setup] // what the engine reads; swap stores a new one
	store  *sqlite.DB
	sender *captureSender
	now    time.Time
	loc    *time.Location
}

func newHarness(t *testing.T) *harness {
	h := &harness{t: t, sender: &captureSender{}}
	s := testSetup(t)
	h.loc = s.Location
	var err error
	h.store, err = sqlite.Open(filepath.Join(t.TempDir(), "n.db"), sqlite.Options{Now: func() time.Time { return h.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.store.Close() })
	h.setup.Store(&s)
	h.eng = New(h.store, h.setup.Load, func() time.Time { return h.now }, zerolog.Nop())
	h.setSender(h.sender)
	return h
}

// setSender makes the engine deliver through the mail channel over
// sender, as a reload with another transport would.
func (h *harness) setSender(sender email.Sender) {
	s := *h.setup.Load()
	ch := *s.Channel.(*email.Channel)
	ch.Sender = sender
	s.Channel = &ch
	h.setup.Store(&s)
}

// run ticks every day of [from, to] at 07:00 (window closed), 09:00 and
// 09:00 again (a doubled tick), 15:00.
func (h *harness) run(from, to string) {
	for day := d(from); day <= d(to); day = day.AddDays(1) {
		for _, hm := range []time.Duration{7 * time.Hour, 9 * time.Hour, 9 * time.Hour, 15 * time.Hour} {
			h.now = day.In(h.loc).Add(hm)
			if _, err := h.eng.Tick(context.Background()); err != nil {
				h.t.Fatalf("%s: %v", day, err)
			}
		}
	}
}

func (h *harness) submit(task, period, on string) {
	rows, err := h.store.FindOccurrences(context.Background(), task, map[string]string{"T1": "a", "T2": "snv", "T3": "a"}[task], period)
	if err != nil || len(rows) != 1 {
		h.t.Fatalf("find %s %s: %v %v", task, period, rows, err)
	}
	if err := h.store.RecordSubmission(context.Background(), duty.Submission{OccurrenceID: rows[0].ID, SubmittedOn: d(on), RecordedBy: "test", Via: duty.ViaCLI}); err != nil {
		h.t.Fatal(err)
	}
}

// log renders what was sent as "date to kind tasks" lines, sorted.
func (h *harness) log() []string {
	var out []string
	for _, m := range h.sender.got {
		kind := "?"
		switch {
		case strings.HasPrefix(m.subject, "[Nhắc hạn]"):
			kind = "nhac"
		case strings.HasPrefix(m.subject, "[Quá hạn]"):
			kind = "qua"
		case strings.HasPrefix(m.subject, "[Theo dõi]"):
			kind = "theo"
		}
		out = append(out, fmt.Sprintf("%s %s %s %s", m.date.In(h.loc).Format("2006-01-02"), addrOnly(m.to), kind, m.tasks))
	}
	sort.Strings(out)
	return out
}

func addrOnly(s string) string {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return s
	}
	return a.Address
}

func TestYearSendsExactlyTheExpectedMail(t *testing.T) {
	h := newHarness(t)
	h.run("2027-01-01", "2027-06-09")
	h.submit("T3", "2027", "2027-06-10") // before its due date: stops every later mail
	h.run("2027-06-10", "2027-06-29")
	h.submit("T1", "2027", "2027-06-30")
	h.run("2027-06-30", "2027-12-31")
	want := []string{
		// T2, led by Sở Nội vụ itself: no copies; level 2 goes to the provincial leadership.
		"2027-03-17 snv@t.example nhac T2",
		"2027-03-24 snv@t.example nhac T2",
		"2027-03-26 snv@t.example nhac T2", // R3 falls on Sunday 28/3: the working day before
		"2027-03-30 snv@t.example nhac T2",
		"2027-03-31 snv@t.example nhac T2",
		"2027-04-01 head-snv@t.example qua T2",
		"2027-04-01 snv@t.example qua T2",
		"2027-04-07 head-snv@t.example qua T2",
		"2027-04-07 lanhdao-ubnd@t.example theo T2",
		"2027-04-07 vp@t.example theo T2",
		"2027-04-14 head-snv@t.example qua T2",
		"2027-04-14 lanhdao-ubnd@t.example theo T2",
		"2027-04-14 vp@t.example theo T2",
		"2027-04-21 head-snv@t.example qua T2",
		"2027-04-21 lanhdao-ubnd@t.example theo T2",
		"2027-04-21 vp@t.example theo T2",
		// T1 and T3 of agency a, due Sunday 20/6/2027, effective Monday 21/6: one
		// message a day to a; Sở Nội vụ follows it up in an oversight letter ([Theo dõi]).
		"2027-06-07 a@t.example nhac T1, T3",
		"2027-06-07 snv@t.example theo T1, T3",
		"2027-06-14 a@t.example nhac T1",
		"2027-06-14 snv@t.example theo T1",
		"2027-06-18 a@t.example nhac T1", // R3 (18/6) and R1 (Sunday 20/6 → Friday 18/6) merge
		"2027-06-18 snv@t.example theo T1",
		"2027-06-21 a@t.example nhac T1",
		"2027-06-21 snv@t.example theo T1",
		"2027-06-22 a@t.example qua T1",
		"2027-06-22 head-a@t.example qua T1",
		"2027-06-22 snv@t.example theo T1",
		"2027-06-28 head-a@t.example qua T1",
		"2027-06-28 lanhdao-snv@t.example theo T1",
		"2027-06-28 snv@t.example theo T1",
		"2027-06-28 vp@t.example theo T1",
	}
	got := h.log()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sent mail differs.\ngot:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	cal := testSetup(t).Planner.Calendar
	seen := map[string]bool{}
	for _, m := range h.sender.got {
		day := schedule.DateOf(m.date.In(h.loc))
		if !cal.IsWorkingDay(day) {
			t.Errorf("mail sent on a non-working day %s", day)
		}
		if h := m.date.In(h.loc).Hour(); h < 8 {
			t.Errorf("mail sent at %d:00, before the send hour", h)
		}
		key := day.String() + " " + m.to
		if seen[key] {
			t.Errorf("two messages to %s on %s", m.to, day)
		}
		seen[key] = true
		id := m.header.Get("Message-Id")
		if seen[id] {
			t.Errorf("Message-ID %s used twice", id)
		}
		seen[id] = true
	}
}

func TestDowntimeSendsOnlyTheStepReached(t *testing.T) {
	h := newHarness(t)
	h.run("2027-06-01", "2027-06-06")
	// Down from 6/6 to 6/16: R14 (7/6) and R7 (14/6) were missed.
	h.run("2027-06-16", "2027-06-16")
	// Down again from 6/19 to 6/29: R1/R3, R0, E1 and E2 (28/6) were missed.
	// E2 is reached; the agency's own mailbox, which E2 does not address,
	// still gets the overdue notice (E1) it never had.
	h.run("2027-06-30", "2027-06-30")
	want := []string{
		"2027-06-16 a@t.example nhac T1, T3",
		"2027-06-16 snv@t.example theo T1, T3",
		"2027-06-30 a@t.example qua T1, T3",
		"2027-06-30 head-a@t.example qua T1, T3",
		"2027-06-30 lanhdao-snv@t.example theo T1, T3",
		"2027-06-30 snv@t.example theo T1, T3",
		"2027-06-30 vp@t.example theo T1, T3",
	}
	if got := h.log(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("catch-up differs.\ngot:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The catch-up mail says what is true now: overdue, not "còn 7 ngày".
	for _, m := range h.sender.got {
		if m.date.In(h.loc).Day() == 16 && !strings.Contains(m.subject, "còn") {
			t.Errorf("16/6 subject %q should say days left", m.subject)
		}
	}
}

func TestRestartAndReloadSendNothingTwice(t *testing.T) {
	h := newHarness(t)
	h.run("2027-06-07", "2027-06-07")
	n := len(h.sender.got)
	// A new engine on the same database (a restart) and a swapped setup (a
	// reload) on the same day send nothing more.
	h.eng = New(h.store, h.setup.Load, func() time.Time { return h.now }, zerolog.Nop())
	h.swap(testSetup(t))
	h.run("2027-06-07", "2027-06-07")
	if len(h.sender.got) != n {
		t.Fatalf("restart re-sent: %d → %d messages", n, len(h.sender.got))
	}
}

func TestDutiesDueBeforeTrackingStartAreHistory(t *testing.T) {
	h := newHarness(t)
	s := testSetup(t)
	s.TrackingStart = d("2027-06-25") // T1 and T3 were due (effectively) on 21/6
	h.swap(s)
	h.run("2027-06-25", "2027-07-10")
	if got := h.log(); len(got) != 0 {
		t.Fatalf("history was reminded:\n%s", strings.Join(got, "\n"))
	}
	rows, err := h.store.FindOccurrences(context.Background(), "T1", "a", "2027")
	if err != nil || len(rows) != 1 || rows[0].State != duty.StateHistory {
		t.Fatalf("T1 2027: %+v %v", rows, err)
	}
}

func TestDailyDigestReplacesCopies(t *testing.T) {
	h := newHarness(t)
	s := testSetup(t)
	s.Policy.DailyDigest = true
	h.swap(s)
	h.run("2027-06-07", "2027-06-08")
	var lines []string
	for _, m := range h.sender.got {
		lines = append(lines, m.date.In(h.loc).Format("2006-01-02")+" "+addrOnly(m.to)+" "+strings.Fields(m.subject)[0]+" "+m.tasks)
	}
	sort.Strings(lines)
	want := []string{
		"2027-06-07 a@t.example [Nhắc T1, T3",
		"2027-06-07 snv@t.example [Tổng T1, T3",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestUnassignedDutiesGoToSoNoiVu(t *testing.T) {
	h := newHarness(t)
	s := testSetup(t)
	a, _ := s.Planner.Directory.Agency("a")
	a.ValidUntil = d("2027-05-31") // ended, no successor
	h.swap(s)
	h.run("2027-06-07", "2027-06-07")
	got := h.log()
	want := []string{"2027-06-07 snv@t.example theo T1, T3"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWeeklySummaryToSoNoiVu(t *testing.T) {
	h := newHarness(t)
	s := testSetup(t)
	s.Policy.WeeklySummary = true
	h.swap(s)
	h.run("2027-06-01", "2027-06-09")
	h.submit("T3", "2027", "2027-06-09")
	h.run("2027-06-10", "2027-06-15")
	var weekly []string
	for _, m := range h.sender.got {
		if strings.HasPrefix(m.subject, "[Tổng hợp tuần]") {
			weekly = append(weekly, m.date.In(h.loc).Format("2006-01-02")+" "+addrOnly(m.to)+" "+m.tasks)
		}
	}
	// Mondays 7/6 and 14/6: T1 and T3 due within two weeks; on 14/6 T3 is
	// listed as submitted in the past week, T1 still due.
	want := []string{"2027-06-07 snv@t.example T1, T3", "2027-06-14 snv@t.example T1, T3"}
	if strings.Join(weekly, "\n") != strings.Join(want, "\n") {
		t.Fatalf("weekly summaries:\n%s\nwant:\n%s", strings.Join(weekly, "\n"), strings.Join(want, "\n"))
	}
	// The summary is its own message: the oversight letters of the day
	// still go out.
	copies := 0
	for _, m := range h.sender.got {
		if addrOnly(m.to) == "snv@t.example" && strings.HasPrefix(m.subject, "[Theo dõi]") {
			copies++
		}
	}
	if copies == 0 {
		t.Error("the weekly summary swallowed the day's copies")
	}
}

// swap installs s (a reload) keeping the harness's transport.
func (h *harness) swap(s Setup) {
	sender := h.setup.Load().Channel.(*email.Channel).Sender
	h.setup.Store(&s)
	h.setSender(sender)
}
