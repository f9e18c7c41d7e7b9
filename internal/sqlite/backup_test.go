package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// TestBackupUnderLoad takes a backup while another goroutine keeps storing
// occurrences and recording submissions: the backup must hold every
// submission committed before Backup was called, pass integrity_check, and
// carry backup_taken_at.
func TestBackupUnderLoad(t *testing.T) {
	db, clk, path := openTest(t)
	ctx := context.Background()

	var (
		mu        sync.Mutex
		committed []int64 // occurrence ids whose submission has committed
	)
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			rows := []duty.Occurrence{occ(fmt.Sprintf("T.%d", i), "so-a", "2026-06-30")}
			if _, err := db.UpsertOccurrences(ctx, rows); err != nil {
				done <- err
				return
			}
			if err := db.RecordSubmission(ctx, duty.Submission{OccurrenceID: rows[0].ID, Ref: "1/BC", SubmittedOn: date("2026-03-01"),
				RecordedBy: "test", Via: duty.ViaCLI}); err != nil {
				done <- err
				return
			}
			mu.Lock()
			committed = append(committed, rows[0].ID)
			mu.Unlock()
		}
	}()
	// Let the writer get going, then note what has committed.
	for {
		mu.Lock()
		n := len(committed)
		mu.Unlock()
		if n >= 50 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	mu.Lock()
	before := append([]int64(nil), committed...)
	mu.Unlock()

	dest := filepath.Join(t.TempDir(), "backup.db")
	info, err := db.Backup(ctx, dest)
	close(stop)
	if werr := <-done; werr != nil {
		t.Fatalf("writer: %v", werr)
	}
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if info.Path != dest || info.Bytes <= 0 || !info.TakenAt.Equal(clk.Now().Truncate(time.Second)) {
		t.Errorf("BackupInfo = %+v", info)
	}
	if st, err := os.Stat(dest); err != nil || st.Size() != info.Bytes {
		t.Errorf("dest: %v, size vs %d", err, info.Bytes)
	}
	// One self-contained file, no temporaries left.
	left, _ := filepath.Glob(dest + "*")
	if len(left) != 1 {
		t.Errorf("files beside the backup: %v", left)
	}

	got, err := ReadBackup(ctx, dest)
	if err != nil {
		t.Fatalf("ReadBackup: %v", err)
	}
	if !got.TakenAt.Equal(info.TakenAt) {
		t.Errorf("backup_taken_at = %v, want %v", got.TakenAt, info.TakenAt)
	}
	b, err := Open(dest, Options{Now: clk.Now})
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer b.Close()
	if err := b.integrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range before {
		o, err := b.Occurrence(ctx, id)
		if err != nil || o.State != duty.StateSubmitted {
			t.Fatalf("occurrence %d committed before the backup: %+v, %v", id, o, err)
		}
	}
	if v, ok, err := b.Meta(ctx, MetaBackupTakenAt); err != nil || !ok || v != formatInstant(info.TakenAt) {
		t.Errorf("meta backup_taken_at = %q %v %v", v, ok, err)
	}
	// The live database has no backup_taken_at: only the copy does.
	if _, ok, _ := db.Meta(ctx, MetaBackupTakenAt); ok {
		t.Error("backup_taken_at written to the live database")
	}
	_ = path
}

// TestBackupFailureLeavesNothing: a backup into a missing folder fails and
// leaves no temporary file; an existing dest survives a failed backup.
func TestBackupFailureLeavesNothing(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	if _, err := db.Backup(ctx, filepath.Join(t.TempDir(), "missing", "b.db")); err == nil {
		t.Fatal("backup into a missing folder succeeded")
	}
	dir := t.TempDir()
	dest := filepath.Join(dir, "b.db")
	if err := os.WriteFile(dest, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.Backup(cctx, dest); err == nil {
		t.Fatal("backup with a cancelled context succeeded")
	}
	if b, _ := os.ReadFile(dest); string(b) != "old" {
		t.Errorf("dest changed by a failed backup: %q", b)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 1 {
		t.Errorf("left behind: %v", left)
	}
}

// TestRestoreBackup replaces a database holding one more sent mail and one
// more submission than the backup, and checks the counts and the meta.
func TestRestoreBackup(t *testing.T) {
	db, clk, path := openTest(t)
	ctx := context.Background()
	rows := mustUpsert(t, db, occ("A", "so-a", "2026-06-30"), occ("B", "so-a", "2026-06-30"))
	dest := filepath.Join(t.TempDir(), "b.db")
	info, err := db.Backup(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	if err := db.RecordSubmission(ctx, duty.Submission{OccurrenceID: rows[1].ID, SubmittedOn: date("2026-03-02"), RecordedBy: "t", Via: duty.ViaCLI}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Enqueue(ctx, []duty.Notification{note(rows[0].ID, "remind-7", "a@x.vn")}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Claim(ctx, "w", time.Minute, 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("Claim = %v, %v", got, err)
	}
	if err := db.MarkSent(ctx, "<m>", "250", got[0].ID); err != nil {
		t.Fatal(err)
	}
	since, err := CountSince(ctx, path, dest, info.TakenAt)
	if err != nil || since != (Since{Sent: 1, Submissions: 1}) {
		t.Fatalf("CountSince = %+v, %v", since, err)
	}
	db.Close()

	ri, err := RestoreBackup(ctx, dest, path, clk.Now())
	if err != nil {
		t.Fatalf("RestoreBackup: %v", err)
	}
	if ri.Kept == "" {
		t.Error("the old database was not kept")
	} else if s, err := CountSince(ctx, ri.Kept, dest, info.TakenAt); err != nil || s.Sent != 1 {
		t.Errorf("kept copy: %+v, %v", s, err)
	}
	r, err := Open(path, Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if o, err := r.Occurrence(ctx, rows[1].ID); err != nil || o.State == duty.StateSubmitted {
		t.Errorf("restored database has the later submission: %+v, %v", o, err)
	}
	if v, ok, _ := r.Meta(ctx, MetaRestoredFrom); !ok || v != formatInstant(info.TakenAt) {
		t.Errorf("restored_from = %q %v", v, ok)
	}
	if _, err := ReadBackup(ctx, filepath.Join(t.TempDir(), "none.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadBackup of a missing file: %v", err)
	}
	if _, err := ReadBackup(ctx, ri.Kept); !errors.Is(err, ErrNotBackup) {
		t.Errorf("ReadBackup of a live database: %v", err)
	}
}
