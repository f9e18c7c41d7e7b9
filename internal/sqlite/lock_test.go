package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
)

const lockHelperEnv = "NHACHAN_SQLITE_LOCK_HELPER"

// lockHelper is the second daemon: it does what `nhachan serve` does first
// (LockDaemon, then Open) and reports. Exit 3 means "refused", as wanted.
func lockHelper(path string) int {
	release, err := LockDaemon(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		if errors.Is(err, ErrLocked) {
			return 3
		}
		return 1
	}
	defer release()
	// Not reached when the lock works; if it is, make the damage visible.
	db, err := Open(path, Options{Now: func() time.Time { return time.Unix(0, 0) }})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	db.UpsertOccurrences(context.Background(), []duty.Occurrence{occ("intruder", "so-x", "2026-01-01")})
	return 0
}

// fingerprint hashes the database and its WAL, so "wrote nothing" is a
// byte-for-byte claim.
func fingerprint(t *testing.T, path string) string {
	t.Helper()
	h := sha256.New()
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		h.Write(b)
		if fi, err := os.Stat(p); err == nil {
			fmt.Fprint(h, fi.ModTime().UnixNano(), fi.Size())
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestLockDaemonSecondProcess(t *testing.T) {
	db, _, path := openTest(t)
	release, err := LockDaemon(path)
	if err != nil {
		t.Fatalf("LockDaemon: %v", err)
	}
	defer release()
	mustUpsert(t, db, occ("t1", "so-noi-vu", "2026-03-10"))
	before := fingerprint(t, path)

	// A blocking lock would hang here forever, so any bound catches it;
	// the bound is generous so that a loaded machine does not flake, and
	// the elapsed time is logged for the record.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), lockHelperEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	elapsed := time.Since(start)
	t.Logf("second process refused in %s: %s", elapsed, strings.TrimSpace(stderr.String()))

	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("second process: err = %v, want exit status 3; stderr: %s", err, stderr.String())
	}
	if want := "pid " + strconv.Itoa(os.Getpid()); !strings.Contains(stderr.String(), want) {
		t.Errorf("message %q does not name the holder (%s)", stderr.String(), want)
	}
	if after := fingerprint(t, path); after != before {
		t.Error("the second process changed the database")
	}
	if n := count(t, db, `SELECT count(*) FROM occurrences`); n != 1 {
		t.Errorf("occurrences = %d, want 1", n)
	}
}

func TestLockDaemonRelease(t *testing.T) {
	path := t.TempDir() + "/nhachan.db"
	release, err := LockDaemon(path)
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to the open file description, so a second open in
	// the same process conflicts too: the same check as another process.
	if _, err := LockDaemon(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second LockDaemon: err = %v, want ErrLocked", err)
	}
	release()
	release2, err := LockDaemon(path)
	if err != nil {
		t.Fatalf("LockDaemon after release: %v", err)
	}
	release2()
}
