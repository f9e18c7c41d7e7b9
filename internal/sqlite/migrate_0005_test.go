package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// A database made before migration 0005, with a link submission dated
// before the day it was recorded and an admin's back-dated one, migrates
// without losing anything: both keep their dates and recording instants;
// the link's date (recorded 20/03 08:30 in Vietnam, declared 10/03) waits
// for an admin; the admin's needs nothing.
func TestMigration0005KeepsSubmissions(t *testing.T) {
	ctx := context.Background()
	path, w := databaseBefore(t, 5)
	for _, q := range []string{
		`INSERT INTO occurrences (id, schedule_id, task_id, period, agency_id, named_agency_id, role, due, effective_due, state, created_at, updated_at)
		 VALUES (1, 's', 't1', '2026', 'stp', 'stp', 'lead', '2026-03-15', '2026-03-16', 'submitted', 'x', 'x'),
		        (2, 's', 't2', '2026', 'stp', 'stp', 'lead', '2026-03-15', '2026-03-16', 'submitted', 'x', 'x')`,
		`INSERT INTO submissions (occurrence_id, ref, submitted_on, note, recorded_by, via, recorded_at)
		 VALUES (1, '5/BC', '2026-03-10', '', 'link:stp', 'link', '2026-03-20T01:30:00Z'),
		        (2, '6/BC', '2026-03-10', 'n', 'web:an', 'web', '2026-03-20T01:30:00Z')`,
	} {
		if _, err := w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()

	db, c, _ := openTest(t)
	db.Close()
	db, err := Open(path, Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		id          int64
		ref, on     string
		recordedOn  string
		unconfirmed bool
	}{{1, "5/BC", "2026-03-10", "2026-03-20", true}, {2, "6/BC", "2026-03-10", "", false}} {
		tl, err := db.Timeline(ctx, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		s := tl.Submission
		if s == nil || s.Ref != tc.ref || s.SubmittedOn.String() != tc.on || s.RecordedAt.Format(instantLayout) != "2026-03-20T01:30:00Z" {
			t.Fatalf("occurrence %d: submission %+v", tc.id, s)
		}
		var recOn string
		if s.RecordedOn != 0 {
			recOn = s.RecordedOn.String()
		}
		if recOn != tc.recordedOn || s.Unconfirmed() != tc.unconfirmed {
			t.Errorf("occurrence %d: recorded on %q, unconfirmed %t; want %q, %t", tc.id, recOn, s.Unconfirmed(), tc.recordedOn, tc.unconfirmed)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM extension_requests`); n != 0 {
		t.Errorf("%d extension requests after the migration", n)
	}
}

// databaseBefore makes a database file with the embedded migrations
// numbered below version only, as an earlier release left it, and returns
// its path and a connection to it for the test's rows; the test closes it
// before opening the file with Open, which migrates the rest.
func databaseBefore(t *testing.T, version int) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	old := fstest.MapFS{}
	for _, n := range names {
		var v int
		if _, err := fmt.Sscanf(filepath.Base(n), "%04d_", &v); err != nil {
			t.Fatalf("migration %s: %v", n, err)
		}
		if v >= version {
			continue
		}
		b, err := fs.ReadFile(migrationFS, n)
		if err != nil {
			t.Fatal(err)
		}
		old[n] = &fstest.MapFile{Data: b}
	}
	w, err := sql.Open(driverName, dsn(path, true))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(context.Background(), w, old, "2026-03-01T00:00:00Z"); err != nil {
		t.Fatal(err)
	}
	return path, w
}
