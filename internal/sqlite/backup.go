package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// Meta keys written by backup and restore.
const (
	// MetaBackupTakenAt is set in a backup copy: the instant (UTC, from the
	// store's clock, read before the snapshot) the backup was taken.
	MetaBackupTakenAt = "backup_taken_at"
	// MetaRestoredFrom is set by RestoreBackup in the restored database:
	// the MetaBackupTakenAt of the backup it came from.
	MetaRestoredFrom = "restored_from_backup_taken_at"
	// MetaRestoreAcknowledged is set by the daemon once it has logged that
	// the database was restored; RestoreBackup clears it.
	MetaRestoreAcknowledged = "restore_acknowledged"
)

// BackupInfo describes a backup file.
type BackupInfo struct {
	Path string
	// TakenAt is read from the clock just before the snapshot, truncated to
	// whole seconds: everything committed before it is in the backup, and
	// something committed at or after it may or may not be.
	TakenAt time.Time
	Bytes   int64
}

// ErrNotBackup is returned (wrapped) by ReadBackup for a database that has
// no MetaBackupTakenAt, i.e. was not written by Backup.
var ErrNotBackup = errors.New("not an nhachan backup (no backup_taken_at)")

// Backup writes a consistent copy of the database to dest while the store
// stays in use. VACUUM INTO takes a snapshot on a read connection (in WAL
// mode it neither blocks the writer nor waits for it) into a temporary file
// beside dest; the copy gets MetaBackupTakenAt, is switched to a rollback
// journal so that it is one self-contained file, passes PRAGMA
// integrity_check opened read-only, is fsynced, and is renamed over dest,
// whose folder is then fsynced. dest is never left half written: on any
// error the temporary file is removed and dest is untouched.
func (db *DB) Backup(ctx context.Context, dest string) (BackupInfo, error) {
	dest, err := filepath.Abs(dest)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	tmp, err := tempName(dest)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			removeDB(tmp)
		}
	}()
	// Read before the snapshot: a restore warns about mail sent at or after
	// this instant, so it must not be later than the snapshot.
	taken := db.now().UTC().Truncate(time.Second)
	if err := db.vacuumInto(ctx, tmp); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	if err := editCopy(ctx, tmp, func(c *sql.Conn) error {
		_, err := c.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, MetaBackupTakenAt, formatInstant(taken))
		return err
	}); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	if err := checkFile(ctx, tmp, "integrity_check"); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: copy %s: %w", tmp, err)
	}
	n, err := syncFile(tmp)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	ok = true
	if err := syncDir(filepath.Dir(dest)); err != nil {
		return BackupInfo{}, fmt.Errorf("backup: %w", err)
	}
	return BackupInfo{Path: dest, TakenAt: taken, Bytes: n}, nil
}

// vacuumInto writes a snapshot of the database to the new file tmp. The
// read pool is query_only, which SQLite takes to forbid VACUUM INTO too, and
// the write pool would hold up every writer for the length of the copy; so
// it runs on a connection of its own, which in WAL mode needs only a read
// transaction.
func (db *DB) vacuumInto(ctx context.Context, tmp string) error {
	var seq int
	var name, file string
	if err := db.r.QueryRowContext(ctx, `SELECT seq, name, file FROM pragma_database_list WHERE name = 'main'`).Scan(&seq, &name, &file); err != nil {
		return fmt.Errorf("database file: %w", err)
	}
	h, err := openFile(file, true)
	if err != nil {
		return err
	}
	defer h.Close()
	if _, err := h.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return fmt.Errorf("vacuum into %s: %w", tmp, err)
	}
	return nil
}

// ReadBackup checks a backup file read-only with PRAGMA integrity_check and
// returns when it was taken. It writes nothing, not even a -wal or -shm.
func ReadBackup(ctx context.Context, path string) (BackupInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", path, err)
	}
	if err := checkFile(ctx, path, "integrity_check"); err != nil {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", path, err)
	}
	c, err := openFile(path, true)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", path, err)
	}
	defer c.Close()
	var v string
	err = c.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, MetaBackupTakenAt).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", path, ErrNotBackup)
	}
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", path, err)
	}
	t, err := parseInstant(v)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup %s: %w", path, err)
	}
	return BackupInfo{Path: path, TakenAt: t, Bytes: st.Size()}, nil
}

// Since counts what a database recorded at or after an instant: what a
// restore from a backup taken then would forget.
type Since struct {
	// Sent is the number of outbox rows sent at or after the instant: mail
	// the restored database does not know went out, and may send again.
	Sent int
	// Submissions is the number of submissions recorded after the instant:
	// they are not in the backup.
	Submissions int
}

// CountSince opens the database at path read-only (no migration, no
// check) and counts what a restore from the backup at backupPath, taken at
// t, would forget. Instants have whole seconds, so sent mail counts from
// the second of t itself (the doubt goes to the warning). Submissions are
// compared by content: those whose occurrence has no submission in the
// backup, so none is lost without being counted, whatever its second.
func CountSince(ctx context.Context, path, backupPath string, t time.Time) (Since, error) {
	c, err := openFile(path, true)
	if err != nil {
		return Since{}, err
	}
	defer c.Close()
	at := formatInstant(t)
	var s Since
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE state = 'sent' AND sent_at >= ?`, at).Scan(&s.Sent); err != nil {
		return Since{}, fmt.Errorf("count sent since %s in %s: %w", at, path, err)
	}
	conn, err := c.Conn(ctx)
	if err != nil {
		return Since{}, fmt.Errorf("count submissions: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS backup`, backupPath); err != nil {
		return Since{}, fmt.Errorf("attach backup %s: %w", backupPath, err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM main.submissions s WHERE NOT EXISTS
		(SELECT 1 FROM backup.submissions b WHERE b.occurrence_id = s.occurrence_id)`).Scan(&s.Submissions); err != nil {
		return Since{}, fmt.Errorf("count submissions missing from %s: %w", backupPath, err)
	}
	return s, nil
}

// RestoreInfo describes a restore.
type RestoreInfo struct {
	Backup BackupInfo
	// Kept is where the replaced database was kept (a hard link to it, with
	// its -wal when there was one); "" when there was none or the link
	// could not be made.
	Kept string
}

// RestoreBackup replaces the database at dbPath with the backup at from.
// The caller must hold the daemon lock (LockDaemon), and no other process
// may have the database open: a one-shot command running meanwhile would
// write to the replaced file.
//
// The backup is checked, copied beside dbPath, given MetaRestoredFrom (and
// MetaRestoreAcknowledged is cleared) so that the daemon warns at its next
// start, checked again, fsynced and renamed into place; the folder is then
// fsynced. The old database is checkpointed first and kept as
// dbPath+".before-restore-<now>" (a hard link), and its -wal and -shm are
// removed before the rename so that no stale log is ever applied to the
// restored file.
func RestoreBackup(ctx context.Context, from, dbPath string, now time.Time) (RestoreInfo, error) {
	info, err := ReadBackup(ctx, from)
	if err != nil {
		return RestoreInfo{}, err
	}
	dbPath, err = filepath.Abs(dbPath)
	if err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	tmp, err := tempName(dbPath)
	if err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			removeDB(tmp)
		}
	}()
	if err := copyFile(from, tmp); err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	if err := editCopy(ctx, tmp, func(c *sql.Conn) error {
		if _, err := c.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, MetaRestoredFrom, formatInstant(info.TakenAt)); err != nil {
			return err
		}
		_, err := c.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, MetaRestoreAcknowledged)
		return err
	}); err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	if err := checkFile(ctx, tmp, "quick_check"); err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: copy %s: %w", tmp, err)
	}
	if _, err := syncFile(tmp); err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	ri := RestoreInfo{Backup: info}
	if _, err := os.Stat(dbPath); err == nil {
		// Fold the old log into the old file; a damaged database may refuse,
		// and its -wal is then kept beside the link below.
		checkpoint(ctx, dbPath)
		kept := dbPath + ".before-restore-" + now.UTC().Format("20060102T150405Z")
		if err := os.Link(dbPath, kept); err == nil {
			ri.Kept = kept
			if err := os.Link(dbPath+"-wal", kept+"-wal"); err != nil && !errors.Is(err, os.ErrNotExist) {
				ri.Kept = ""
			}
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return RestoreInfo{}, fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return RestoreInfo{}, fmt.Errorf("restore: %w", err)
	}
	ok = true
	if err := syncDir(filepath.Dir(dbPath)); err != nil {
		return ri, fmt.Errorf("restore: %w", err)
	}
	return ri, nil
}

// fileDSN is the DSN of a connection to a single file outside the pools:
// no WAL switch, no query_only pragma, read-only by the URI when ro.
func fileDSN(path string, ro bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", "5000")
	if ro {
		q.Set("mode", "ro")
	}
	return "file:" + path + "?" + q.Encode()
}

// openFile opens a one-connection handle on path.
func openFile(path string, ro bool) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err // mode=rw would otherwise fail less clearly
	}
	c, err := sql.Open("sqlite3", fileDSN(path, ro))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	c.SetMaxOpenConns(1)
	return c, nil
}

// editCopy runs fn on a fresh read-write connection to the copy at path and
// then switches it to a rollback journal, so that closing leaves one
// self-contained file and no -wal.
func editCopy(ctx context.Context, path string, fn func(*sql.Conn) error) error {
	h, err := openFile(path, false)
	if err != nil {
		return err
	}
	defer h.Close()
	c, err := h.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer c.Close()
	if err := fn(c); err != nil {
		return fmt.Errorf("edit %s: %w", path, err)
	}
	var mode string
	if err := c.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode); err != nil {
		return fmt.Errorf("edit %s: journal mode: %w", path, err)
	}
	if mode != "delete" {
		return fmt.Errorf("edit %s: journal mode stays %q", path, mode)
	}
	return nil
}

// checkFile runs a checking pragma on path opened read-only.
func checkFile(ctx context.Context, path, pragma string) error {
	h, err := openFile(path, true)
	if err != nil {
		return err
	}
	defer h.Close()
	// check only uses db.w; a DB with that one handle is enough.
	return (&DB{w: h}).check(ctx, pragma)
}

// checkpoint folds the -wal of the database at path into it; best effort.
func checkpoint(ctx context.Context, path string) {
	h, err := openFile(path, false)
	if err != nil {
		return
	}
	defer h.Close()
	_, _ = h.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
}

// copyFile copies src to a new file dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return out.Close()
}

// tempName returns an unused name beside path for a file to rename over it.
func tempName(path string) (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return path + ".tmp-" + hex.EncodeToString(b), nil
}

// removeDB removes a database file and whatever SQLite left beside it.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// syncFile fsyncs path and returns its size.
func syncFile(path string) (int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("fsync %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// syncDir fsyncs a folder, making a rename in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}
