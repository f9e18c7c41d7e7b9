// Package sqlite is nhachan's store: occurrences, submissions, waivers and
// extensions, the notification outbox and the audit log, in one SQLite file
// (mattn/go-sqlite3), with hand-written SQL and embedded migrations.
//
// Civil dates are stored as TEXT "YYYY-MM-DD" (they sort, they read well in
// the sqlite3 shell, and a deadline is a day, not an instant). Instants are
// stored as TEXT in UTC RFC 3339 with whole seconds ("2026-03-02T01:00:00Z"):
// fixed width, so text order is time order and the lease comparisons can use
// an index, and an admin reading the audit log needs no unixepoch().
//
// The package never reads the wall clock: Options.Now is the only clock.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// driverName is go-sqlite3 with a connect hook for what the DSN cannot
// say: checkpoint the WAL every 100 pages (400 KiB) instead of SQLite's
// 1000. On a small disk a long WAL fills it, and once no commit fits no
// automatic checkpoint can run to give the space back.
const driverName = "sqlite3_nhachan"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			_, err := c.Exec("PRAGMA wal_autocheckpoint = 100", nil)
			return err
		},
	})
}

// Options configures Open.
type Options struct {
	// Now is the clock; required. Every stored instant comes from it, so
	// tests and `nhachan simulate` can move time.
	Now func() time.Time
	// ReadConns caps the read pool; 4 when zero.
	ReadConns int
}

// DB is an open store. It is safe for concurrent use.
//
// It holds two pools on the same file. The write pool has exactly one
// connection and opens every transaction with BEGIN IMMEDIATE, so writers
// queue in Go (in order, cancellable by their context) instead of racing for
// SQLite's lock and depending on busy_timeout, and a read-then-write
// transaction can never fail to upgrade its lock. The read pool is
// query_only and may have several connections: in WAL mode readers see a
// consistent snapshot and neither block the writer nor wait for it, so a slow
// status page cannot delay the sender's MarkSent.
//
// A third pool of one read connection belongs to the health check alone
// (HealthCheck): however busy the read pool is with status pages, the
// daemon can still say whether its database answers.
type DB struct {
	w, r, h *sql.DB
	now     func() time.Time
}

// pragmas are carried by the DSN so that every connection the pools open,
// including ones reopened after an error, gets them; a one-off Exec would
// configure only whichever connection ran it.
func dsn(path string, write bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL") // a recorded submission or "sent" survives power loss
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "on")
	if write {
		q.Set("_txlock", "immediate")
	} else {
		q.Set("_txlock", "deferred")
		q.Set("_query_only", "on")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the database at path, checks it with
// PRAGMA quick_check, and applies pending migrations. It refuses a database
// written by a newer nhachan (ErrSchemaTooNew) rather than guess at it.
//
// Open does not take the daemon lock: `nhachan serve` calls LockDaemon
// first, while one-shot commands (submit, status) share the file with it.
func Open(path string, opts Options) (*DB, error) {
	if opts.Now == nil {
		return nil, errors.New("sqlite: open: Options.Now is required")
	}
	if opts.ReadConns <= 0 {
		opts.ReadConns = 4
	}
	w, err := sql.Open(driverName, dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open(driverName, dsn(path, false))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(opts.ReadConns)
	r.SetMaxIdleConns(opts.ReadConns)
	h, err := sql.Open(driverName, dsn(path, false))
	if err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	h.SetMaxOpenConns(1)
	h.SetMaxIdleConns(1)
	db := &DB{w: w, r: r, h: h, now: opts.Now}

	ctx := context.Background()
	if err := db.check(ctx, "quick_check"); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	before := schemaVersion(ctx, w)
	if err := migrate(ctx, w, migrationFS, db.stamp()); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// After creating or upgrading the schema, start with an empty WAL:
	// what the migrations wrote goes to the database file, and the WAL
	// grows from nothing, so it holds no space that a full disk would let
	// later writes use without the disk saying so. An Open that migrates
	// nothing (a command beside the running daemon) leaves the WAL alone.
	if schemaVersion(ctx, w) != before {
		if err := db.Checkpoint(ctx, true); err != nil {
			db.Close()
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	return db, nil
}

// schemaVersion is the highest migration applied, 0 before the first.
func schemaVersion(ctx context.Context, w *sql.DB) int {
	var v int
	if err := w.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0 // no bookkeeping table yet: a new database
	}
	return v
}

// Close closes the three pools.
func (db *DB) Close() error {
	return errors.Join(db.h.Close(), db.r.Close(), db.w.Close())
}

// integrityCheck runs PRAGMA integrity_check, the thorough (and slow) check
// that also verifies indexes against their tables; nil means "ok".
func (db *DB) integrityCheck(ctx context.Context) error {
	return db.check(ctx, "integrity_check")
}

// QuickCheck runs PRAGMA quick_check: the daemon runs it daily for
// /healthz, cheaper than a full integrity check.
func (db *DB) QuickCheck(ctx context.Context) error {
	return db.check(ctx, "quick_check")
}

// ErrCorrupt is returned (wrapped) when quick_check or integrity_check does
// not answer "ok".
var ErrCorrupt = errors.New("database is corrupt")

// check runs a checking pragma on the write connection: that is the one
// that created the file, so it works before the read pool has a schema.
func (db *DB) check(ctx context.Context, pragma string) error {
	rows, err := db.w.QueryContext(ctx, "PRAGMA "+pragma)
	if err != nil {
		return fmt.Errorf("%s: %w", pragma, err)
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return fmt.Errorf("%s: %w", pragma, err)
		}
		msgs = append(msgs, m)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", pragma, err)
	}
	if len(msgs) == 1 && msgs[0] == "ok" {
		return nil
	}
	// A damaged file can yield hundreds of lines; the first few say enough
	// for the log, and the operator runs the pragma by hand for the rest.
	lines := strings.Split(strings.Join(msgs, "\n"), "\n")
	if len(lines) > 8 {
		lines = append(lines[:8], fmt.Sprintf("… %d more lines", len(lines)-8))
	}
	return fmt.Errorf("%s: %w: %s", pragma, ErrCorrupt, strings.Join(lines, "; "))
}

// instantLayout is fixed width so that text order is time order.
const instantLayout = "2006-01-02T15:04:05Z"

// stamp returns the clock's current instant in storage form.
func (db *DB) stamp() string { return formatInstant(db.now()) }

// formatInstant stores t in UTC, truncated to whole seconds: a "now" never
// reads as later than it is, so nothing becomes due early.
func formatInstant(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(instantLayout)
}

// formatDeadline stores t rounded up to whole seconds, so that a lease or a
// retry time is never shorter than asked for.
func formatDeadline(t time.Time) string {
	t = t.UTC()
	if u := t.Truncate(time.Second); u.Before(t) {
		t = u.Add(time.Second)
	}
	return t.Format(instantLayout)
}

func parseInstant(s string) (time.Time, error) {
	t, err := time.Parse(instantLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored instant %q: %w", s, err)
	}
	return t, nil
}

// inTx runs fn in a write transaction, committing when fn returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
