package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestOpenMigratesOnce(t *testing.T) {
	db, c, path := openTest(t)
	type row struct {
		version int
		at      string
	}
	read := func(db *DB) []row {
		rows, err := db.w.Query(`SELECT version, applied_at FROM schema_migrations ORDER BY version`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.version, &r.at); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := read(db)
	if len(first) != 6 || first[0].version != 1 || first[5].version != 6 || first[0].at != "2026-03-02T08:00:00Z" {
		t.Fatalf("after first open: %+v", first)
	}
	db.Close()

	c.Advance(24 * time.Hour)
	db2, err := Open(path, Options{Now: c.Now})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db2.Close()
	if again := read(db2); fmt.Sprint(again) != fmt.Sprint(first) {
		t.Fatalf("reopen re-applied migrations: %+v", again)
	}
}

func TestOpenRequiresClock(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "x.db"), Options{}); err == nil {
		t.Fatal("Open without a clock succeeded")
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	db, c, path := openTest(t)
	if _, err := db.w.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'x')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := Open(path, Options{Now: c.Now})
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open of a version-99 database: err = %v, want ErrSchemaTooNew", err)
	}
}

// TestOpenQuickCheck corrupts a page that no migration reads, an index of
// a table of its own, so only quick_check can notice.
func TestOpenQuickCheck(t *testing.T) {
	db, c, path := openTest(t)
	if err := db.integrityCheck(context.Background()); err != nil {
		t.Fatalf("integrityCheck of a fresh database: %v", err)
	}
	for _, q := range []string{
		`CREATE TABLE junk (a TEXT)`,
		`CREATE INDEX junk_a ON junk (a)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO junk SELECT hex(randomblob(50)) FROM n`,
	} {
		if _, err := db.w.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var root, pageSize int64
	if err := db.w.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'junk_a'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := db.w.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	// Fold the WAL into the main file so the bytes we overwrite are the
	// ones SQLite will read.
	if _, err := db.w.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	garbage := []byte(strings.Repeat("\xff", 64))
	if _, err := f.WriteAt(garbage, (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
	f.Close()

	_, err = Open(path, Options{Now: c.Now})
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open of a corrupt database: err = %v, want ErrCorrupt", err)
	}
	t.Logf("refused: %v", err)
}

func TestMigrate(t *testing.T) {
	init, err := migrationFS.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	files := func(extra map[string]string) fstest.MapFS {
		fs := fstest.MapFS{"migrations/0001_init.sql": {Data: init}}
		for name, sql := range extra {
			fs["migrations/"+name] = &fstest.MapFile{Data: []byte(sql)}
		}
		return fs
	}
	tests := []struct {
		name        string
		steps       []fstest.MapFS // applied in turn to the same database
		wantErr     string
		wantVersion int
		wantTables  []string // tables that must exist (or, prefixed with !, not)
	}{
		{
			name:        "forward in order",
			steps:       []fstest.MapFS{files(nil), files(map[string]string{"0002_more.sql": `CREATE TABLE more (x INTEGER)`})},
			wantVersion: 2,
			wantTables:  []string{"occurrences", "more"},
		},
		{
			name: "a failing migration leaves the previous version",
			steps: []fstest.MapFS{files(map[string]string{
				"0002_half.sql": `CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);`,
			})},
			wantErr:     "0002_half.sql",
			wantVersion: 1,
			wantTables:  []string{"occurrences", "!half"},
		},
		{
			name:        "a gap is refused",
			steps:       []fstest.MapFS{files(map[string]string{"0003_gap.sql": `SELECT 1`})},
			wantErr:     "want version 2",
			wantVersion: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := sql.Open("sqlite3", dsn(filepath.Join(t.TempDir(), "m.db"), true))
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			w.SetMaxOpenConns(1)
			for _, fs := range tt.steps {
				err = migrate(context.Background(), w, fs, "2026-03-02T08:00:00Z")
			}
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			var v int
			w.QueryRow(`SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
			if v != tt.wantVersion {
				t.Errorf("version = %d, want %d", v, tt.wantVersion)
			}
			for _, name := range tt.wantTables {
				want := !strings.HasPrefix(name, "!")
				name = strings.TrimPrefix(name, "!")
				var n int
				w.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, name).Scan(&n)
				if (n == 1) != want {
					t.Errorf("table %s exists = %v, want %v", name, n == 1, want)
				}
			}
		})
	}
}
