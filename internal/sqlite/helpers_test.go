package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

func TestMain(m *testing.M) {
	// The second-process lock test re-executes this binary as the
	// "other daemon".
	if path := os.Getenv(lockHelperEnv); path != "" {
		os.Exit(lockHelper(path))
	}
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// clock is a settable clock shared by goroutines.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// openTest opens a store on a fresh file in t.TempDir().
func openTest(t testing.TB) (*DB, *clock, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "nhachan.db")
	c := newClock()
	db, err := Open(path, Options{Now: c.Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, c, path
}

func date(s string) schedule.Date {
	d, err := schedule.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// occ builds an occurrence row of task for agency with both due dates d.
func occ(task, agency, d string) duty.Occurrence {
	return duty.Occurrence{
		ScheduleID: "qd-2025", TaskID: task, Period: "2026",
		AgencyID: agency, NamedAgencyID: agency, Role: model.RoleLead,
		Due: date(d), EffectiveDue: date(d),
	}
}

// mustUpsert stores rows and returns them with their ids.
func mustUpsert(t testing.TB, db *DB, rows ...duty.Occurrence) []duty.Occurrence {
	t.Helper()
	if _, err := db.UpsertOccurrences(context.Background(), rows); err != nil {
		t.Fatalf("UpsertOccurrences: %v", err)
	}
	return rows
}

// count runs a SELECT count(*) … on the write pool (it sees every commit).
func count(t testing.TB, db *DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.w.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func note(occID int64, step, to string) duty.Notification {
	return duty.Notification{Key: fmt.Sprintf("%d/%s/%s", occID, step, to), OccurrenceID: occID, Step: step, Recipient: to, Kind: "reminder"}
}

// queryPlan is SQLite's EXPLAIN QUERY PLAN of q, its steps joined by "; ".
func queryPlan(t *testing.T, db *DB, q string, args ...any) string {
	t.Helper()
	rows, err := db.r.Query(`EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "; ")
}
