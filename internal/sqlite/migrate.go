package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// ErrSchemaTooNew is returned by Open for a database that a newer nhachan
// has migrated: running old code against a schema it does not know could
// lose data, so the operator must upgrade the binary instead.
var ErrSchemaTooNew = errors.New("database schema is newer than this nhachan")

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads migrations/NNNN_name.sql from fsys in version order.
// Versions must start at 1 and have no gaps, so that a missing file is a
// build error rather than a silently skipped step.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var ms []migration
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: want NNNN_name.sql", base)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", base, err)
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: want version %d (no gaps, no duplicates)", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies every migration newer than the database's version, each
// in its own transaction together with its schema_migrations row, so a
// failed migration leaves the database at the previous version. Forward
// only: there are no down migrations, a backup is the way back.
func migrate(ctx context.Context, w *sql.DB, fsys fs.FS, now string) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	// The bookkeeping table is created outside the numbered migrations
	// because they need it to record themselves.
	if _, err := w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := applyOne(ctx, w, m, len(ms), now); err != nil {
			return err
		}
	}
	// A database with nothing pending may still be newer than we are.
	var v int
	if err := w.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > len(ms) {
		return fmt.Errorf("version %d, this binary knows %d: %w", v, len(ms), ErrSchemaTooNew)
	}
	return nil
}

// applyOne applies m unless the database already has it. The version is
// read inside the (IMMEDIATE) transaction, so two processes opening a new
// database at once cannot both apply the same step.
func applyOne(ctx context.Context, w *sql.DB, m migration, known int, now string) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: begin: %w", m.name, err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return fmt.Errorf("migration %s: read schema version: %w", m.name, err)
	}
	if v > known {
		return fmt.Errorf("version %d, this binary knows %d: %w", v, known, ErrSchemaTooNew)
	}
	if v >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, m.version, now); err != nil {
		return fmt.Errorf("migration %s: record: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", m.name, err)
	}
	return nil
}
