package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// TestBackupRestoreCLI: a backup, then a submission and a sent mail, then a
// restore: refused without --force with the count of mail that may be sent
// again; with --force the database is the backup's and the daemon warns
// once at its next start.
func TestBackupRestoreCLI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	bak := filepath.Join(dir, "backup.db")
	// runCLI's instant is 09:00; the backup and what it holds are an hour
	// earlier, what it misses is at 09:00.
	before := time.Date(2026, 11, 26, 8, 0, 0, 0, defaultLocation())
	at := func(now time.Time) func() time.Time { return func() time.Time { return now } }
	submit := func(agency string, now time.Time) {
		t.Helper()
		code, out, errs := runCLIAt(t, now, "submit", "--config", shippedConfig, "--db", db, "--by", "test",
			"--task", "TCTH.1a.hang-nam", "--agency", agency, "--period", "2025", "--date", "2024-12-01")
		if code != 0 {
			t.Fatalf("submit %s: exit %d\n%s%s", agency, code, out, errs)
		}
	}
	submit("so-tu-phap", before)
	code, out, errs := runCLIAt(t, before, "backup", "--to", bak, "--db", db)
	if code != 0 || !strings.Contains(out, "Đã sao lưu") || !strings.Contains(out, bak) {
		t.Fatalf("backup: exit %d\n%s%s", code, out, errs)
	}

	// After the backup: one more submission and one reminder sent.
	after := before.Add(time.Hour)
	submit("so-y-te", after)
	ctx := context.Background()
	store, err := sqlite.Open(db, sqlite.Options{Now: at(after)})
	if err != nil {
		t.Fatal(err)
	}
	later := lookup(t, store, "so-y-te")
	if _, err := store.Enqueue(ctx, []duty.Notification{{Key: "k1", OccurrenceID: later.ID, Step: "remind-7", Recipient: "a@x.vn", Kind: "reminder"}}); err != nil {
		t.Fatal(err)
	}
	claimed, err := store.Claim(ctx, "w", time.Minute, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("Claim = %v, %v", claimed, err)
	}
	if err := store.MarkSent(ctx, "<m@x>", "250 ok", claimed[0].ID); err != nil {
		t.Fatal(err)
	}
	store.Close()

	code, out, errs = runCLI(t, "restore", "--from", bak, "--db", db)
	if code == 0 || !strings.Contains(out, "ghi nhận 1 thư đã gửi") || !strings.Contains(out, "có thể bị gửi lại") ||
		!strings.Contains(out, "1 báo cáo") || !strings.Contains(errs, "--force") {
		t.Fatalf("restore without --force: exit %d\n%s%s", code, out, errs)
	}
	store, err = sqlite.Open(db, sqlite.Options{Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	if o := lookup(t, store, "so-y-te"); o.State != duty.StateSubmitted {
		t.Fatalf("a refused restore changed the database: %+v", o)
	}
	store.Close()

	code, out, errs = runCLI(t, "restore", "--from", bak, "--db", db, "--force")
	if code != 0 || !strings.Contains(out, "Đã khôi phục") || !strings.Contains(out, ".before-restore-") {
		t.Fatalf("restore --force: exit %d\n%s%s", code, out, errs)
	}
	store, err = sqlite.Open(db, sqlite.Options{Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if o := lookup(t, store, "so-tu-phap"); o.State != duty.StateSubmitted {
		t.Errorf("the submission in the backup is missing: %+v", o)
	}
	if o := lookup(t, store, "so-y-te"); o.State == duty.StateSubmitted {
		t.Errorf("the database is not the backup: %+v", o)
	}
	taken, ok, _ := store.Meta(ctx, sqlite.MetaBackupTakenAt)
	if from, _, _ := store.Meta(ctx, sqlite.MetaRestoredFrom); !ok || from != taken {
		t.Errorf("restored_from = %q, backup_taken_at = %q", from, taken)
	}

	// The daemon's start-up warning, once.
	var logb bytes.Buffer
	if err := warnRestored(ctx, store, zerolog.New(&logb)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logb.String(), `"level":"warn"`) || !strings.Contains(logb.String(), taken) {
		t.Errorf("no warning: %s", logb.String())
	}
	logb.Reset()
	if err := warnRestored(ctx, store, zerolog.New(&logb)); err != nil || logb.Len() != 0 {
		t.Errorf("warned twice: %s %v", logb.String(), err)
	}
}

// TestRestoreRefusesWhileDaemonRuns: the daemon lock stops a restore.
func TestRestoreRefusesWhileDaemonRuns(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	bak := filepath.Join(dir, "backup.db")
	store, err := sqlite.Open(db, sqlite.Options{Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Backup(context.Background(), bak); err != nil {
		t.Fatal(err)
	}
	store.Close()
	release, err := sqlite.LockDaemon(db)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "restore", "--from", bak, "--db", db, "--force")
	release()
	if code == 0 || !strings.Contains(errs, "serve") {
		t.Fatalf("restore under a daemon lock: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs = runCLI(t, "restore", "--from", bak, "--db", db); code != 0 {
		t.Fatalf("restore after the daemon stopped: exit %d\n%s%s", code, out, errs)
	}
}

// runCLIAt runs a command in-process at the instant now.
func runCLIAt(t *testing.T, now time.Time, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(env{stdout: &out, stderr: &errb, now: func() time.Time { return now }}, args)
	return code, out.String(), errb.String()
}

func lookup(t *testing.T, store *sqlite.DB, agency string) duty.Occurrence {
	t.Helper()
	rows, err := store.FindOccurrences(context.Background(), "TCTH.1a.hang-nam", agency, "2025")
	if err != nil || len(rows) != 1 {
		t.Fatalf("FindOccurrences %s = %v, %v", agency, rows, err)
	}
	return rows[0]
}
