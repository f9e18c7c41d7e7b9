package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// The million-row database is built once per test binary and removed by
// TestMain: building it takes seconds, and b.N loops must not pay for it.
var (
	benchOnce sync.Once
	benchDir  string
	benchPath string
	benchErr  error
)

const benchRows = 1_000_000

// buildBenchDB fills a database with a national plan's worth of open
// occurrences, all due in 2027, in one transaction of prepared inserts.
func buildBenchDB() (string, error) {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "nhachan-bench-")
		if benchErr != nil {
			return
		}
		benchPath = filepath.Join(benchDir, "bench.db")
		c := newClock()
		db, err := Open(benchPath, Options{Now: c.Now})
		if err != nil {
			benchErr = err
			return
		}
		defer db.Close()
		tx, err := db.w.Begin()
		if err != nil {
			benchErr = err
			return
		}
		defer tx.Rollback()
		st, err := tx.Prepare(`INSERT INTO occurrences
			(schedule_id, task_id, period, agency_id, named_agency_id, role, due, effective_due, state, created_at, updated_at)
			VALUES ('qd-2025', ?, ?, ?, ?, 'lead', ?, ?, 'open', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`)
		if err != nil {
			benchErr = err
			return
		}
		defer st.Close()
		first := date("2027-01-01")
		for i := range benchRows {
			task := "t" + strconv.Itoa(i/1000)
			agency := "a" + strconv.Itoa(i%1000)
			due := first.AddDays(i % 365).String()
			if _, err := st.Exec(task, "2027", agency, agency, due, due); err != nil {
				benchErr = err
				return
			}
		}
		benchErr = tx.Commit()
	})
	return benchPath, benchErr
}

// BenchmarkOpenOccurrencesNothingDue is the tick's question on a database
// of 1,000,000 open occurrences none of which is due in the window.
func BenchmarkOpenOccurrencesNothingDue(b *testing.B) {
	path, err := buildBenchDB()
	if err != nil {
		b.Fatal(err)
	}
	c := newClock()
	db, err := Open(path, Options{Now: c.Now})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if n := count(b, db, `SELECT count(*) FROM occurrences`); n != benchRows {
		b.Fatalf("rows = %d", n)
	}
	ctx := context.Background()
	until := date("2026-12-31")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got, err := db.openOccurrences(ctx, until)
		if err != nil || len(got) != 0 {
			b.Fatalf("openOccurrences = %d rows, %v", len(got), err)
		}
	}
}

// BenchmarkClaimNothingReady is the sender's question on the same tick: an
// outbox of 100,000 sent rows with nothing ready.
func BenchmarkClaimNothingReady(b *testing.B) {
	db, c, _ := openTest(b)
	ctx := context.Background()
	ns := make([]duty.Notification, 100_000)
	for i := range ns {
		ns[i] = note(0, "s"+strconv.Itoa(i), "r"+strconv.Itoa(i%500)+"@example.vn")
	}
	if _, err := db.Enqueue(ctx, ns); err != nil {
		b.Fatal(err)
	}
	if _, err := db.w.Exec(`UPDATE outbox SET state = 'sent'`); err != nil {
		b.Fatal(err)
	}
	c.Advance(time.Hour)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got, err := db.Claim(ctx, "w", time.Minute, 50)
		if err != nil || len(got) != 0 {
			b.Fatalf("Claim = %d rows, %v", len(got), err)
		}
	}
}
