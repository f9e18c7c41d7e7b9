package notify

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/calendar"
	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/email"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// The million-occurrence database is built at most once per test binary,
// and only by a benchmark (so a plain `go test` never pays for it); TestMain
// removes it.
var (
	tickBenchOnce sync.Once
	tickBenchDir  string
	tickBenchPath string
	tickBenchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if tickBenchDir != "" {
		os.RemoveAll(tickBenchDir)
	}
	os.Exit(code)
}

// tickBenchNow is a working day (Tuesday 9/3/2027) after the send hour: the
// decide step runs. The window it looks at is [15/12/2026, 30/3/2027].
func tickBenchNow(loc *time.Location) time.Time { return time.Date(2027, 3, 9, 10, 0, 0, 0, loc) }

// tickBenchSetup is a real setup whose only task falls on 20/6 each year:
// nothing of it lies in the materialisation window around tickBenchNow.
func tickBenchSetup(tb testing.TB) Setup {
	tb.Helper()
	cal, err := calendar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	dir := model.NewDirectory([]*model.Agency{agency("snv"), agency("a"), agency("vp")}, nil)
	s := &model.Schedule{ID: "p", From: d("2021-01-01"), Until: d("2030-12-31"), CarryUntil: d("2030-12-31")}
	tk := &model.Task{ID: "T1", Text: "Báo cáo một", Time: "trước ngày 20/6 hằng năm", Lead: []string{"a"}, Schedule: s}
	tk.Parsed = schedule.Parse(tk.Time, schedule.Options{})
	s.Tasks = []*model.Task{tk}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		tb.Fatal(err)
	}
	tpl, err := email.LoadTemplates("")
	if err != nil {
		tb.Fatal(err)
	}
	return Setup{
		Planner: &model.Planner{Directory: dir, Calendar: cal, Schedules: []*model.Schedule{s}},
		Policy:  duty.DefaultPolicy(), TrackingStart: d("2021-01-01"), Location: loc,
		Channel: &email.Channel{Templates: tpl, Domain: "t.example",
			From: duty.Recipient{Addr: "nhachan@t.example", Name: "Hệ thống nhắc hạn"}},
		FollowUp: "snv", ProvincialOffice: "vp",
	}
}

// fillTickBench stores n occurrences none of which is due around
// tickBenchNow: a quarter submitted in past years, a quarter history, a
// quarter open and due in 2028–2030 (beyond the horizon), a quarter open but
// abandoned years ago (before the escalation span). Rows go in through
// UpsertOccurrences, in batches of 50,000.
func fillTickBench(path string, n int) error {
	store, err := sqlite.Open(path, sqlite.Options{Now: func() time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		return err
	}
	defer store.Close()
	const batch = 50_000
	rows := make([]duty.Occurrence, 0, min(n, batch))
	past, future := d("2021-01-01"), d("2028-01-01")
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		_, err := store.UpsertOccurrences(context.Background(), rows)
		rows = rows[:0]
		return err
	}
	for i := range n {
		ag := "a" + strconv.Itoa(i%1000)
		r := duty.Occurrence{
			ScheduleID: "bench", TaskID: "t" + strconv.Itoa(i/1000), Period: "kỳ", AgencyID: ag, NamedAgencyID: ag,
			Role: model.RoleLead,
		}
		switch i % 4 {
		case 0:
			r.State, r.Due = duty.StateSubmitted, past.AddDays(i%2000) // 2021–2026-06
		case 1:
			r.State, r.Due = duty.StateHistory, past.AddDays(i%1500)
		case 2:
			r.State, r.Due = duty.StateOpen, future.AddDays(i%1000) // 2028–2030
		case 3:
			r.State, r.Due = duty.StateOpen, past.AddDays(i%1400) // before 11/2024
		}
		r.EffectiveDue = r.Due
		rows = append(rows, r)
		if len(rows) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

func tickBenchMillion() (string, error) {
	tickBenchOnce.Do(func() {
		tickBenchDir, tickBenchErr = os.MkdirTemp("", "nhachan-tick-bench-")
		if tickBenchErr != nil {
			return
		}
		tickBenchPath = filepath.Join(tickBenchDir, "tick.db")
		tickBenchErr = fillTickBench(tickBenchPath, 1_000_000)
	})
	return tickBenchPath, tickBenchErr
}

// countRows reads the table size straight from the file, to prove the
// benchmark runs over what it says.
func countRows(tb testing.TB, path string) (total, open int) {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE state = 'open') FROM occurrences`).Scan(&total, &open); err != nil {
		tb.Fatal(err)
	}
	return total, open
}

// benchTick measures one Tick of an engine already materialised for the
// day, over the database at path, with nothing due.
func benchTick(b *testing.B, path string, want int) {
	if total, open := countRows(b, path); total != want {
		b.Fatalf("database has %d occurrences (%d open), want %d", total, open, want)
	}
	s := tickBenchSetup(b)
	now := tickBenchNow(s.Location)
	clock := func() time.Time { return now }
	store, err := sqlite.Open(path, sqlite.Options{Now: clock})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	sender := &captureSender{}
	s.Channel.(*email.Channel).Sender = sender
	eng := New(store, func() *Setup { return &s }, clock, zerolog.Nop())
	if !eng.windowOpen(s, now, schedule.DateOf(now.In(s.Location))) {
		b.Fatal("send window closed at the benchmark's clock: decide would not run")
	}
	ctx := context.Background()
	// The day's first tick materialises (nothing: the task is due in June).
	if rep, err := eng.Tick(ctx); err != nil || rep.Inserted != 0 || rep.Enqueued != 0 || len(rep.Sent) != 0 {
		b.Fatalf("first tick: %+v, %v", rep, err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rep, err := eng.Tick(ctx)
		if err != nil || rep.Inserted != 0 || rep.Enqueued != 0 || len(rep.Sent) != 0 || rep.Failed != 0 {
			b.Fatalf("tick: %+v, %v", rep, err)
		}
	}
	b.StopTimer()
	if len(sender.got) != 0 {
		b.Fatalf("%d messages sent; nothing was due", len(sender.got))
	}
}

// BenchmarkTickNothingDue_10k is a tick over 10,000 stored occurrences:
// the baseline that BenchmarkTickNothingDue_1M is compared with.
func BenchmarkTickNothingDue_10k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "tick.db")
	if err := fillTickBench(path, 10_000); err != nil {
		b.Fatal(err)
	}
	benchTick(b, path, 10_000)
}

// BenchmarkTickNothingDue_1M is the same tick over 1,000,000 (100 times
// more): it must cost the same (issue 3: a few milliseconds, independent of
// the total).
func BenchmarkTickNothingDue_1M(b *testing.B) {
	path, err := tickBenchMillion()
	if err != nil {
		b.Fatal(err)
	}
	benchTick(b, path, 1_000_000)
}
