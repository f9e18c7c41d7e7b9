package main

// Operations tests of the deployment issue: a backup taken under load by
// the daemon's unprivileged user, restored without losing a submission;
// and a database on a small filesystem that fills up while the daemon
// wants to send.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/email/mailpittest"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// unprivUID is nobody: the daemon's dedicated user in the tests.
const unprivUID = 65534

// asUser runs processes as an unprivileged user: a copy of the binary it
// can execute, and its credentials.
type asUser struct {
	bin  string
	cred *syscall.Credential
}

// newAsUser copies the binary into dir (which the user can reach) and
// gives dir and everything under it to the user.
func newAsUser(t *testing.T, dir string) *asUser {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("not root: cannot switch to an unprivileged user (uid 65534) to run the daemon without --allow-root")
	}
	src, err := os.ReadFile(nhachanBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bin", "nhachan")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, src, 0o755); err != nil {
		t.Fatal(err)
	}
	// t.TempDir's folders are 0700 root: let the user through to dir.
	for p := filepath.Dir(dir); p != "/" && p != "." && strings.HasPrefix(p, os.TempDir()) && p != os.TempDir(); p = filepath.Dir(p) {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	err = filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, unprivUID, unprivUID)
	})
	if err != nil {
		t.Fatal(err)
	}
	return &asUser{bin: bin, cred: &syscall.Credential{Uid: unprivUID, Gid: unprivUID, NoSetGroups: true}}
}

func (u *asUser) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, u.bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: u.cred}
	cmd.Env = append(os.Environ(), "HOME=/nonexistent", "USER=nobody", "LOGNAME=nobody")
	cmd.Dir = filepath.Dir(filepath.Dir(u.bin))
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// start is startProc as the user, without --allow-root.
func (u *asUser) start(t *testing.T, name string, timeout time.Duration, args ...string) *proc {
	t.Helper()
	return launch(t, name+" as uid "+fmt.Sprint(unprivUID), timeout, func(ctx context.Context) *exec.Cmd {
		return u.command(ctx, args...)
	})
}

// run is runCmd as the user.
func (u *asUser) run(t *testing.T, timeout time.Duration, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := u.command(ctx, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("nhachan %s: timed out after %s\n%s", strings.Join(args, " "), timeout, errb.String())
	}
	if err != nil && cmd.ProcessState == nil {
		t.Fatalf("nhachan %s: %v", strings.Join(args, " "), err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// submittedAgencies maps each agency with a recorded submission to its
// reference.
func submittedAgencies(t *testing.T, dbPath string) map[string]string {
	t.Helper()
	db := openDBReadOnly(t, dbPath)
	rows, err := db.Query(`SELECT o.agency_id, s.ref FROM submissions s JOIN occurrences o ON o.id = s.occurrence_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var a, ref string
		if err := rows.Scan(&a, &ref); err != nil {
			t.Fatal(err)
		}
		out[a] = ref
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBackupUnderLoadAsUnprivilegedUser: the daemon runs as nobody without
// --allow-root and delivers ~200 reminders; submissions are recorded
// through `nhachan submit` while it does; a backup is taken (as nobody)
// while mail is still going out; more submissions follow the backup; the
// daemon stops and the backup is restored with --force. Every submission
// recorded before the backup is in the restored database, which passes
// integrity_check; restore says how many later submissions it drops.
func TestBackupUnderLoadAsUnprivilegedUser(t *testing.T) {
	mp := mailpittest.Start(t)
	c := writeProcConfig(t, 200, smtpURL(mp), 3)
	if err := os.MkdirAll(filepath.Dir(c.DB), 0o755); err != nil {
		t.Fatal(err)
	}
	u := newAsUser(t, c.Dir)
	period := c.Due[0].String()
	backup := filepath.Join(c.Dir, "b.db")

	submit := func(i int, ref string) {
		t.Helper()
		code, out, errs := u.run(t, time.Minute, "submit", "--task", "I.1", "--agency", fmt.Sprintf("co-quan-%03d", i),
			"--period", period, "--ref", ref, "--db", c.DB, "--config", c.File)
		if code != 0 || !strings.Contains(out, "Đã ghi nhận") {
			t.Fatalf("submit agency %d exited %d:\n%s\n%s", i, code, out, errs)
		}
	}

	d := u.start(t, "serve(nobody)", 3*time.Minute, "serve", "--listen", "127.0.0.1:0", "--config", c.File)
	d.waitStarted()
	if strings.Contains(d.stderr.String(), "refusing to run as root") {
		t.Fatalf("serve refused to run as uid %d", unprivUID)
	}

	// Submissions while the daemon delivers (the submit processes write
	// beside it through WAL).
	start := time.Now()
	before := map[string]string{}
	for i := 1; i <= 10; i++ {
		ref := fmt.Sprintf("%d/BC-TRUOC", i)
		submit(i, ref)
		before[fmt.Sprintf("co-quan-%03d", i)] = ref
	}
	atBackupStart := messageCount(t, mp)
	code, out, errs := u.run(t, time.Minute, "backup", "--to", backup, "--db", c.DB)
	atBackupEnd := messageCount(t, mp)
	t.Logf("10 submissions in %s; backup as uid %d with Mailpit at %d → %d messages (of %d): %s",
		time.Since(start).Round(time.Millisecond), unprivUID, atBackupStart, atBackupEnd, len(c.expectedRecipients()), strings.TrimSpace(out))
	if code != 0 {
		t.Fatalf("backup exited %d:\n%s\n%s", code, out, errs)
	}
	if atBackupStart >= len(c.expectedRecipients()) {
		t.Logf("NOTE: delivery had finished before the backup started: the backup was not taken under load")
	}
	if st, err := os.Stat(backup); err != nil {
		t.Fatal(err)
	} else if sys, ok := st.Sys().(*syscall.Stat_t); ok && sys.Uid != unprivUID {
		t.Errorf("backup owned by uid %d, want %d", sys.Uid, unprivUID)
	}

	// Submissions after the backup: restore must say they are dropped.
	for i := 11; i <= 13; i++ {
		submit(i, fmt.Sprintf("%d/BC-SAU", i))
	}
	waitAllDelivered(t, mp, c, 60*time.Second)
	d.stop()

	// Without --force restore refuses (mail and submissions after the backup).
	code, out, errs = u.run(t, time.Minute, "restore", "--from", backup, "--db", c.DB)
	t.Logf("restore without --force exited %d:\n%s%s", code, out, errs)
	if code == 0 {
		t.Errorf("restore without --force succeeded although mail and submissions were recorded after the backup")
	}
	code, out, errs = u.run(t, time.Minute, "restore", "--from", backup, "--force", "--db", c.DB)
	t.Logf("restore --force exited %d:\n%s%s", code, out, errs)
	if code != 0 {
		t.Fatalf("restore --force exited %d", code)
	}
	gap := ""
	if !strings.Contains(out, "có 3 báo cáo đã nộp") {
		// Say why: the instants restore compares.
		var kept string
		for _, l := range strings.Split(out, "\n") {
			if i := strings.Index(l, "được giữ tại "); i >= 0 {
				kept = strings.TrimSuffix(strings.TrimSpace(l[i+len("được giữ tại "):]), ".")
			}
		}
		var at []string
		if kept != "" {
			db := openDBReadOnly(t, kept)
			rows, err := db.Query(`SELECT recorded_at FROM submissions WHERE ref LIKE '%/BC-SAU' ORDER BY id`)
			if err == nil {
				for rows.Next() {
					var s string
					_ = rows.Scan(&s)
					at = append(at, s)
				}
				rows.Close()
			}
		}
		gap = fmt.Sprintf("restore does not say that the 3 submissions recorded after the backup are dropped "+
			"(they were recorded at %v)", at)
		t.Logf("%s:\n%s", gap, out)
	}

	if ic := integrityCheck(t, c.DB); ic != "ok" {
		t.Errorf("restored database: integrity_check %s", ic)
	}
	got := submittedAgencies(t, c.DB)
	for a, ref := range before {
		if got[a] != ref {
			t.Errorf("submission of %s (%s) recorded before the backup: restored database has %q", a, ref, got[a])
		}
	}
	t.Logf("restored database holds %d submissions: %v", len(got), got)
	code, st, errs := u.run(t, time.Minute, "status", "--year", fmt.Sprint(c.Due[0].Year()), "--db", c.DB, "--config", c.File)
	if code != 0 || !strings.Contains(st, fmt.Sprintf("Đã nộp đúng hạn: %d", len(before))) {
		t.Errorf("status exited %d, want %d submitted occurrences:\n%s\n%s", code, len(before), st, errs)
	}

	// The restored daemon starts as nobody and warns once that mail sent
	// after the backup may go out again.
	d2 := u.start(t, "serve(nobody, restored)", time.Minute, "serve", "--listen", "127.0.0.1:0", "--config", c.File)
	d2.waitLog(30*time.Second, "restored-from-backup warning", func(l logLine) bool {
		return strings.HasPrefix(l.str("message"), "the database was restored from a backup")
	})
	d2.stop()
	if gap != "" {
		t.Error(gap)
	}
}

// mountTmpfs mounts a tmpfs of the given size on dir until the test ends.
func mountTmpfs(t *testing.T, dir, size string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0755"); err != nil {
		if os.Geteuid() != 0 {
			t.Skipf("not root: cannot mount a tmpfs on %s: %v", dir, err)
		}
		t.Fatalf("mount -t tmpfs -o size=%s tmpfs %s as root: %v", size, dir, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Logf("umount %s: %v; detaching", dir, err)
			_ = syscall.Unmount(dir, syscall.MNT_DETACH)
		}
	})
}

// fillUntilFull writes name until the filesystem says ENOSPC, then gives
// back leave bytes.
func fillUntilFull(t *testing.T, name string, leave int64) int64 {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for i := range buf {
		buf[i] = byte(i)
	}
	var n int64
	for chunk := len(buf); chunk > 0; {
		w, err := f.Write(buf[:chunk])
		n += int64(w)
		if err == nil {
			continue
		}
		if !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("fill %s: %v", name, err)
		}
		chunk /= 2 // fill the last pages too
	}
	if err := f.Truncate(n - leave); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	return n - leave
}

// healthz returns /healthz's status code and body (0 when unreachable).
func healthz(base string) (int, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.Join(strings.Fields(string(b)), " ")
}

// durableClaims counts the outbox rows whose message may have gone out:
// claimed, sent, or failed after an attempt.
func durableClaims(t *testing.T, dbPath string) int {
	t.Helper()
	db := openDBReadOnly(t, dbPath)
	var n int
	err := db.QueryRow(`SELECT count(DISTINCT lower(recipient)) FROM outbox
		WHERE state IN ('claimed', 'sent') OR (state = 'failed' AND attempts > 0)`).Scan(&n)
	if err != nil {
		t.Fatalf("durable claims: %v", err)
	}
	db.Close()
	return n
}

// TestDiskFull: the database and outbox live on a 2 MiB tmpfs. The daemon
// runs idle (nothing due); a filler file takes all but a few KiB; a reload
// makes 150 agencies due. While the disk is full no message goes out
// without a durable claim (in practice none), /healthz answers 503 and the
// daemon keeps running; once the filler is deleted it resumes by itself
// and delivers every message exactly once, and the database passes
// integrity_check.
func TestDiskFull(t *testing.T) {
	// 2 MiB is the "small filesystem"; 16 MiB leaves room for
	// SQLite's WAL (it checkpoints at 1000 pages, 4 MiB) once space returns.
	for _, size := range []string{"2m", "16m"} {
		t.Run(size, func(t *testing.T) { testDiskFull(t, size) })
	}
}

func testDiskFull(t *testing.T, size string) {
	const agencies = 150
	mp := mailpittest.Start(t)
	c := writeProcConfig(t, agencies, smtpURL(mp), 100) // beyond the horizon: idle
	varDir := filepath.Dir(c.DB)
	mountTmpfs(t, varDir, size)
	filler := filepath.Join(varDir, "filler")

	d := startProc(t, "serve", 3*time.Minute, "serve", "--listen", "127.0.0.1:0", "--config", c.File)
	d.waitStarted()
	base := d.waitLog(10*time.Second, "listen address", msgIs("web pages, /healthz and /metrics")).str("listen")
	pollUntil(t, 10*time.Second, "/healthz 200 while idle", func() bool { code, _ := healthz(base); return code == 200 })
	if n := messageCount(t, mp); n != 0 {
		t.Fatalf("the idle daemon sent %d messages", n)
	}

	filled := fillUntilFull(t, filler, 8<<10)
	var sfs syscall.Statfs_t
	_ = syscall.Statfs(varDir, &sfs)
	t.Logf("filler %d bytes; %d bytes free on the tmpfs", filled, int64(sfs.Bavail)*int64(sfs.Bsize))

	// Make the agencies due: the reload materialises 150 occurrences and
	// enqueues 151 messages — writes that the full disk refuses.
	c.Due = []schedule.Date{vnToday().AddDays(3)}
	writeFile(t, c.Schedule, c.scheduleYAML(""))
	fullAt := time.Now()
	d.signal(syscall.SIGHUP)

	saw503, last := false, ""
	codes := map[int]int{}
	for time.Since(fullAt) < 15*time.Second {
		if d.exited() {
			t.Fatalf("the daemon exited while the disk was full (%v); the issue wants it to keep running:\n%s",
				d.waitErr, tail(d.stderr.String(), 30))
		}
		delivered := messageCount(t, mp)
		claims := durableClaims(t, c.DB)
		if delivered > claims {
			t.Errorf("disk full: Mailpit holds %d messages but only %d recipients have a durable claim", delivered, claims)
		}
		if delivered > 0 {
			t.Errorf("disk full: %d messages delivered while the database could not be written", delivered)
		}
		code, body := healthz(base)
		codes[code]++
		if code == http.StatusServiceUnavailable {
			if !saw503 {
				t.Logf("/healthz %d after %s of full disk: %s", code, time.Since(fullAt).Round(time.Millisecond), body)
			}
			saw503 = true
		}
		last = fmt.Sprintf("%d %s", code, body)
		if saw503 && time.Since(fullAt) > 6*time.Second {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Logf("disk full for %s: /healthz codes %v, last %s; outbox %v",
		time.Since(fullAt).Round(time.Millisecond), codes, last, outboxStates(t, c.DB))
	var errLines []string
	for _, l := range d.logs() {
		if l.str("level") == "error" || l.str("level") == "warn" {
			errLines = append(errLines, fmt.Sprintf("%s: %s %s", l.str("level"), l.str("message"), l.str("error")))
		}
	}
	t.Logf("daemon's errors while full (%d lines), first ones:\n%s", len(errLines), strings.Join(errLines[:min(len(errLines), 6)], "\n"))
	if !saw503 {
		t.Errorf("/healthz never answered 503 while the disk was full (last: %s)", last)
	}

	// Space returns: the daemon resumes by itself.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	freed := time.Now()
	lsVar := func() string {
		var b strings.Builder
		ents, _ := os.ReadDir(varDir)
		for _, e := range ents {
			if fi, err := e.Info(); err == nil {
				fmt.Fprintf(&b, "%s=%d ", e.Name(), fi.Size())
			}
		}
		_ = syscall.Statfs(varDir, &sfs)
		fmt.Fprintf(&b, "(free %d)", int64(sfs.Bavail)*int64(sfs.Bsize))
		return b.String()
	}
	t.Logf("space returned: %s", lsVar())
	if !waitAll(t, mp, c, 30*time.Second) {
		delivered, st := messageCount(t, mp), outboxStates(t, c.DB)
		if delivered > st["sent"] {
			t.Logf("%d messages are in Mailpit whose rows are not marked sent (the MarkSent commit failed and the batch went on sending): "+
				"they go out again when their lease expires", delivered-st["sent"])
		}
		if claims := durableClaims(t, c.DB); delivered > claims {
			t.Errorf("Mailpit holds %d messages but only %d recipients have a durable claim", delivered, claims)
		}
		if d.exited() {
			t.Fatalf("the daemon exited after the space returned: %v", d.waitErr)
		}
		if t.Failed() {
			t.FailNow()
		}
		t.Fatalf("the daemon did not resume within 30 s after the space returned: Mailpit %d of %d, outbox %v, tmpfs %s; last log lines:\n%s",
			messageCount(t, mp), len(c.expectedRecipients()), outboxStates(t, c.DB), lsVar(), tail(d.stderr.String(), 5))
	}
	t.Logf("every message delivered %s after the space returned", time.Since(freed).Round(time.Millisecond))
	pollUntil(t, 15*time.Second, "/healthz 200 after the space returned", func() bool { code, _ := healthz(base); return code == 200 })
	time.Sleep(2 * time.Second) // a few more ticks: nothing more goes out
	d.stop()

	want := c.expectedRecipients()
	per := map[string]int{}
	ids := map[string]int{}
	for _, m := range allMessages(t, mp) {
		ids[m.MessageID]++
		for _, r := range recipientsOf(m) {
			per[r]++
		}
	}
	dups := 0
	for _, n := range ids {
		dups += n - 1
	}
	for _, r := range want {
		if per[r] != 1 {
			t.Errorf("%s got %d messages, want exactly 1", r, per[r])
		}
	}
	if len(per) != len(want) {
		t.Errorf("%d recipients got mail, want %d", len(per), len(want))
	}
	if dups != 0 {
		t.Errorf("%d duplicate Message-IDs", dups)
	}
	if ic := integrityCheck(t, c.DB); ic != "ok" {
		t.Errorf("integrity_check: %s", ic)
	}
	t.Logf("disk full: delivered=%d recipients=%d duplicates=%d outbox=%v", len(ids), len(per), dups, outboxStates(t, c.DB))
}

// waitAll is waitAllDelivered that reports instead of failing.
func waitAll(t *testing.T, mp *mailpittest.Server, c *procConfig, timeout time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if messageCount(t, mp) >= len(c.expectedRecipients()) {
			st := outboxStates(t, c.DB)
			if st["pending"] == 0 && st["claimed"] == 0 {
				return true
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return false
}
