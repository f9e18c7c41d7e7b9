package httpui

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the snapshot reads the file directly
	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/calendar"
	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/notify"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

var hcm = mustLoc("Asia/Ho_Chi_Minh")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func d(s string) schedule.Date {
	v, err := schedule.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// The hostile names: markup, both quotes, and a header injection attempt.
const (
	evilName = "<script>alert(\"x\")</script> Sở 'Độc' \"hại\"\r\nX-Injected: 1"
	evilTask = "T<script>\"'\r\nX"
)

func agency(id, name string) *model.Agency {
	return &model.Agency{ID: id, Name: name, Email: []string{id + "@t.example"},
		Head:      model.Head{Title: "Giám đốc", Email: "head-" + id + "@t.example"},
		ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate}
}

// testSetup: three agencies, one of them with a hostile name, and three
// tasks, one with a hostile id.
func testSetup(t *testing.T) notify.Setup {
	t.Helper()
	cal, err := calendar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := model.NewDirectory([]*model.Agency{
		agency("snv", "Sở Nội vụ"), agency("stp", "Sở Tư pháp"), agency("evil", evilName),
	}, nil)
	s := &model.Schedule{ID: "p", Title: "Kế hoạch cải cách hành chính năm 2026",
		From: d("2026-01-01"), Until: d("2026-12-31"), CarryUntil: d("2026-12-31")}
	for _, tk := range []*model.Task{
		{ID: "T1", Text: "Báo cáo công tác cải cách hành chính quý I", Time: "trước ngày 20/3 hằng năm", Lead: []string{"stp"}},
		{ID: "T2", Text: "Kế hoạch kiểm tra", Time: "Quý II hằng năm", Lead: []string{"stp"}},
		{ID: evilTask, Text: "<b>Nhiệm vụ</b> \"độc\" hại@example.org", Time: "tháng 12", Lead: []string{"evil"}},
	} {
		tk.Schedule = s
		tk.Parsed = schedule.Parse(tk.Time, schedule.Options{})
		s.Tasks = append(s.Tasks, tk)
	}
	return notify.Setup{
		Planner: &model.Planner{Directory: dir, Calendar: cal, Schedules: []*model.Schedule{s}},
		Policy:  duty.DefaultPolicy(), TrackingStart: d("2026-01-01"), Location: hcm,
		FollowUp: "snv", FollowUpLeadership: duty.Always("lanhdao-snv@t.example"),
	}
}

// fixture is a server over a store holding one of each status.
type fixture struct {
	t      *testing.T
	srv    *Server
	rt     *Runtime // what the configuration decides; tests change it in place
	h      http.Handler
	store  *sqlite.DB
	path   string
	now    time.Time
	health Health
	ids    map[string]int64 // by name below
}

// The day the pages are looked at: Monday 15/6/2026, 10:00 in Vietnam.
var today = time.Date(2026, 6, 15, 10, 0, 0, 0, hcm)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, now: today, path: filepath.Join(t.TempDir(), "n.db"), ids: map[string]int64{}}
	var err error
	// The store's clock runs at the fixture's time, so the timeline's
	// instants are the test's.
	f.store, err = sqlite.Open(f.path, sqlite.Options{Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.store.Close() })
	setup := testSetup(t)
	f.health = Health{Started: today.Add(-time.Hour), LastTick: today.Add(-30 * time.Second), TickEvery: time.Minute}
	f.rt = &Runtime{Setup: setup}
	f.srv = &Server{Store: f.store, Runtime: func() *Runtime { return f.rt }, Now: func() time.Time { return f.now },
		Health: func() Health { return f.health }, Log: zerolog.Nop()}
	f.h = f.srv.Handler()
	f.seed()
	return f
}

func row(task, agency, due string) duty.Occurrence {
	return duty.Occurrence{ScheduleID: "p", TaskID: task, Period: "2026", AgencyID: agency, NamedAgencyID: agency,
		Role: model.RoleLead, Due: d(due), EffectiveDue: d(due)}
}

// seed stores, through the store's own API, one duty of each status and
// a mail history with addresses in its SMTP texts.
func (f *fixture) seed() {
	t, ctx := f.t, context.Background()
	names := []string{"ontime", "late", "soon", "intime", "overdue", "waived", "hostile", "extended", "lastyear"}
	rows := []duty.Occurrence{
		row("T1", "stp", "2026-03-20"), row("T1", "snv", "2026-03-20"), row("T2", "stp", "2026-06-20"),
		row("T2", "snv", "2026-09-30"), row("T2", "evil", "2026-05-29"), row("T1", "evil", "2026-03-20"),
		row(evilTask, "evil", "2026-12-01"), row("T2", "snv", "2026-06-01"), row("T1", "stp", "2025-03-20"),
	}
	rows[8].Period = "2025"
	rows[7].Period = "2026-bổ sung"
	f.now = time.Date(2026, 3, 1, 8, 0, 0, 0, hcm)
	if _, err := f.store.UpsertOccurrences(ctx, rows); err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		f.ids[n] = rows[i].ID
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.store.RecordSubmission(ctx, duty.Submission{OccurrenceID: f.ids["ontime"], Ref: "12/BC-STP",
		SubmittedOn: d("2026-03-18"), Note: "gửi bởi chuyenvien@stp.example", RecordedBy: "admin@t.example", Via: duty.ViaWeb}))
	must(f.store.RecordSubmission(ctx, duty.Submission{OccurrenceID: f.ids["late"], SubmittedOn: d("2026-03-25"),
		RecordedBy: "admin", Via: duty.ViaCLI}))
	must(f.store.Waive(ctx, f.ids["waived"], "Không phát sinh nội dung báo cáo", "admin"))
	must(f.store.Extend(ctx, f.ids["extended"], d("2026-07-31"), "Chờ số liệu của Bộ", "admin"))

	// The overdue duty's mail: R7 sent, E1 to the head failed for good.
	f.now = time.Date(2026, 5, 22, 8, 0, 0, 0, hcm)
	o := f.ids["overdue"]
	_, err := f.store.Enqueue(ctx, []duty.Notification{
		{Key: fmt.Sprintf("occ/%d/R7/evil@t.example", o), OccurrenceID: o, Step: "R7", Recipient: "evil@t.example", Kind: "reminder"},
		{Key: fmt.Sprintf("occ/%d/R7/lanhdao-snv@t.example", o), OccurrenceID: o, Step: "R7", Recipient: "LanhDao-SNV@t.example", Kind: "reminder-copy"},
	})
	must(err)
	claimed, err := f.store.Claim(ctx, "w", time.Minute, 10)
	must(err)
	f.now = f.now.Add(time.Minute)
	for _, c := range claimed {
		must(f.store.MarkSent(ctx, "<m1@t.example>", "250 2.0.0 Ok: queued as <abc@mx.example>", c.ID))
	}
	f.now = time.Date(2026, 6, 1, 8, 0, 0, 0, hcm)
	_, err = f.store.Enqueue(ctx, []duty.Notification{
		{Key: fmt.Sprintf("occ/%d/E1/head-evil@t.example", o), OccurrenceID: o, Step: "E1", Recipient: "head-evil@t.example", Kind: "escalation"},
		{Key: fmt.Sprintf("occ/%d/E1/someone@else.example", o), OccurrenceID: o, Step: "E1", Recipient: "someone@else.example", Kind: "escalation"},
	})
	must(err)
	claimed, err = f.store.Claim(ctx, "w", time.Minute, 10)
	must(err)
	ids := make([]int64, len(claimed))
	for i, c := range claimed {
		ids[i] = c.ID
	}
	must(f.store.MarkFailed(ctx, "550 5.1.1 <head-evil@t.example>: Recipient address rejected", true, time.Time{}, ids...))
	f.now = today
}

// do runs one request through the handler.
func (f *fixture) do(method, target string) *http.Response {
	f.t.Helper()
	req := httptest.NewRequest(method, target, nil)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec.Result()
}

// get runs a GET and returns its status and body.
func (f *fixture) get(target string) (int, string) {
	f.t.Helper()
	return f.request(http.MethodGet, target)
}

// request runs a request and returns its status and body.
func (f *fixture) request(method, target string) (int, string) {
	f.t.Helper()
	res := f.do(method, target)
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// snapshot dumps every table of the database file, row by row, through a
// connection of its own: what a request must never change.
func (f *fixture) snapshot() string {
	f.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+f.path+"?mode=ro")
	if err != nil {
		f.t.Fatal(err)
	}
	defer db.Close()
	tables, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		f.t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		tables.Scan(&n)
		names = append(names, n)
	}
	tables.Close()
	var b strings.Builder
	for _, n := range names {
		rows, err := db.Query(`SELECT * FROM "` + n + `" ORDER BY rowid`)
		if err != nil {
			f.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			fmt.Fprintf(&b, "%s %v\n", n, vals)
		}
		rows.Close()
	}
	return b.String()
}
