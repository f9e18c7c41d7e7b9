package main

// Process-level tests: the real nhachan binary, built once per run, serves
// as a separate process against a real Mailpit on loopback. They prove what
// only a process can: the daemon lock, kill -9, signals and file watching.

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ninhthuan/nhachan/internal/email/mailpittest"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// processAgencies is the size of the generated directory: each agency gets
// one reminder and Sở Nội vụ one grouped copy.
const processAgencies = 250

// waitAllDelivered waits until Mailpit holds a message for every expected
// recipient and the outbox has nothing pending or claimed.
func waitAllDelivered(t *testing.T, mp *mailpittest.Server, c *procConfig, timeout time.Duration) {
	t.Helper()
	want := c.expectedRecipients()
	pollUntil(t, timeout, "every recipient's mail in Mailpit and an empty outbox", func() bool {
		if messageCount(t, mp) < len(want) {
			return false
		}
		got := map[string]bool{}
		for _, m := range allMessages(t, mp) {
			for _, r := range recipientsOf(m) {
				got[r] = true
			}
		}
		for _, r := range want {
			if !got[r] {
				return false
			}
		}
		st := outboxStates(t, c.DB)
		return st["pending"] == 0 && st["claimed"] == 0
	})
}

func TestSecondServeExitsFast(t *testing.T) {
	mp := mailpittest.Start(t)
	c := writeProcConfig(t, processAgencies, smtpURL(mp), 3)
	first := startProc(t, "serve#1", 2*time.Minute, "serve", "--listen", "127.0.0.1:0", "--config", c.File)
	first.waitStarted()
	waitAllDelivered(t, mp, c, 60*time.Second)
	delivered := messageCount(t, mp)
	t.Logf("first daemon delivered %d messages", delivered)

	// The first daemon's tick ends after the last delivery with a
	// checkpoint that writes the database: the files are compared from
	// the moment they stay unchanged for longer than a tick (1 s).
	files := []string{c.DB, c.DB + "-wal"}
	before := stableStamps(t, files, 1500*time.Millisecond, 30*time.Second)

	second := startProc(t, "serve#2", 30*time.Second, "serve", "--listen", "127.0.0.1:0", "--config", c.File)
	code := second.wait(10 * time.Second)
	took := time.Since(second.started)
	t.Logf("second serve exited %d after %s: %s", code, took.Round(time.Millisecond), strings.TrimSpace(second.stderr.String()))
	if code == 0 {
		t.Errorf("second serve exited 0; want non-zero")
	}
	if took > time.Second {
		t.Logf("NOTE: second serve took %s, more than the 1 s the issue asks for", took)
	}
	msg := strings.ToLower(second.stderr.String())
	if !strings.Contains(msg, "lock") || !strings.Contains(msg, "pid") {
		t.Errorf("second serve's message does not name the lock and the pid holding it:\n%s", second.stderr.String())
	}
	if want := "pid " + itoaPid(first); !strings.Contains(second.stderr.String(), want) {
		t.Errorf("second serve's message does not name the first daemon's %q:\n%s", want, second.stderr.String())
	}
	for _, f := range files {
		if after := fileStamp(t, f); after != before[f] {
			t.Errorf("%s changed while the second serve ran:\nbefore %s\nafter  %s", f, before[f], after)
		}
	}
	if first.exited() {
		t.Fatalf("the first daemon exited: %v", first.waitErr)
	}
	if n := messageCount(t, mp); n != delivered {
		t.Errorf("Mailpit holds %d messages after the second serve, want %d", n, delivered)
	}
	first.stop()
}

// stableStamps waits until the files' stamps (fileStamp) stay the same for
// quiet, and returns them.
func stableStamps(t *testing.T, files []string, quiet, timeout time.Duration) map[string]string {
	t.Helper()
	read := func() map[string]string {
		m := map[string]string{}
		for _, f := range files {
			m[f] = fileStamp(t, f)
		}
		return m
	}
	last, since := read(), time.Now()
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		cur := read()
		if !maps.Equal(cur, last) {
			last, since = cur, time.Now()
			continue
		}
		if time.Since(since) >= quiet {
			return cur
		}
	}
	t.Fatalf("%v kept changing for %s", files, timeout)
	return nil
}

// crashAgenciesPerKill sizes the crash test's directory so that delivery
// lasts through the kills: most kills come 0–200 ms after the daemon's
// first message (about 20–40 messages each on loopback), so 40 agencies per
// kill — 800 for the default 20 kills, 4,000 for `make crash`'s 100 — leave
// mail to deliver for the last kill too.
const crashAgenciesPerKill = 40

// crashStartupKillEvery: every this many kills, the kill comes at a random
// moment 0–400 ms after the process started (start-up, materialising,
// claiming) instead of after its first delivery.
const crashStartupKillEvery = 5

// crashKills is NHACHAN_CRASH_KILLS when set (`make crash` uses 100), else
// 20.
func crashKills(t *testing.T) int {
	if s := os.Getenv("NHACHAN_CRASH_KILLS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("NHACHAN_CRASH_KILLS=%q: want a positive integer", s)
		}
		return v
	}
	return 20
}

// crashSeed is NHACHAN_CRASH_SEED when set (to replay a failure), else the
// clock.
func crashSeed(t *testing.T) uint64 {
	if s := os.Getenv("NHACHAN_CRASH_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("NHACHAN_CRASH_SEED: %v", err)
		}
		return v
	}
	return uint64(time.Now().UnixNano())
}

// TestCrashKill9 is the crash test: kill -9 the daemon 20 times
// (NHACHAN_CRASH_KILLS), four in five at a random moment 0–200 ms after its
// first message reached Mailpit (while it delivers), the fifth at a random
// moment of its first 400 ms (start-up), and restart it each time on the
// same database;
// afterwards every message was delivered, duplicates (the same Message-ID
// twice) number at most one per kill (the message between the server's 250
// and the commit of "sent"), and the database passes integrity_check.
func TestCrashKill9(t *testing.T) {
	kills := crashKills(t)
	seed := crashSeed(t)
	t.Logf("seed %d (replay with NHACHAN_CRASH_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	mp := mailpittest.Start(t)
	c := writeProcConfig(t, crashAgenciesPerKill*kills, smtpURL(mp), 3)
	want := c.expectedRecipients()
	nhachanBinary(t) // build before the first timed start

	duringDelivery, claimedTotal := 0, 0
	for i := 1; i <= kills; i++ {
		before := messageCount(t, mp)
		p := startProc(t, fmt.Sprintf("serve#%d", i), time.Minute, "serve", "--listen", "127.0.0.1:0", "--config", c.File)
		// The kill's moment is the point of the test: a random sleep from
		// a point in the daemon's life, not a poll for a state.
		what := ""
		if i%crashStartupKillEvery == 0 || before >= len(want) {
			delay := time.Duration(rng.IntN(401)) * time.Millisecond
			time.Sleep(delay - time.Since(p.started))
			what = fmt.Sprintf("%3d ms after start", delay.Milliseconds())
		} else {
			first := waitMessageCountAbove(t, mp, p, before, 30*time.Second)
			delay := time.Duration(rng.IntN(201)) * time.Millisecond
			time.Sleep(delay)
			what = fmt.Sprintf("%3d ms after its first message (%4d ms after start)", delay.Milliseconds(), first.Milliseconds())
		}
		if p.exited() {
			t.Fatalf("serve#%d exited by itself before the kill (%v):\n%s", i, p.waitErr, tail(p.stderr.String(), 20))
		}
		p.kill9()
		if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("serve#%d did not die by SIGKILL: %v", i, p.cmd.ProcessState)
		}
		n := messageCount(t, mp)
		if n < len(want) && n > before {
			duringDelivery++
		}
		// The killed daemon's claims are released by the next daemon at
		// start (it holds the lock): nothing waits out the lease.
		left := outboxStates(t, c.DB)["claimed"]
		claimedTotal += left
		t.Logf("kill %3d %s: Mailpit holds %4d messages (+%3d); %3d rows left claimed", i, what, n, n-before, left)
	}
	// The harness must test what it says: most kills interrupt delivery.
	if duringDelivery < kills/2 {
		t.Errorf("only %d of %d kills landed while the daemon was delivering", duringDelivery, kills)
	}

	final := startProc(t, "serve#final", time.Duration(3*kills)*time.Second+time.Minute, "serve", "--listen", "127.0.0.1:0", "--config", c.File)
	final.waitStarted()
	waitAllDelivered(t, mp, c, time.Duration(3*kills)*time.Second)
	final.stop()

	st := outboxStates(t, c.DB)
	total := 0
	for _, n := range st {
		total += n
	}
	if st["sent"] != total {
		t.Errorf("outbox states %v: want every row sent", st)
	}
	if ic := integrityCheck(t, c.DB); ic != "ok" {
		t.Errorf("PRAGMA integrity_check: %s", ic)
	}

	msgs := allMessages(t, mp)
	sent := sentMessageIDs(t, c.DB)
	perID := map[string]int{}
	perRcpt := map[string]map[string]int{}
	for _, m := range msgs {
		perID[m.MessageID]++
		for _, r := range recipientsOf(m) {
			if perRcpt[r] == nil {
				perRcpt[r] = map[string]int{}
			}
			perRcpt[r][m.MessageID]++
		}
	}
	wanted := map[string]bool{}
	for _, r := range want {
		wanted[r] = true
		ids := perRcpt[r]
		if len(ids) == 0 {
			t.Errorf("%s got no message", r)
			continue
		}
		if len(sent[r]) != 1 {
			t.Errorf("%s: the outbox recorded Message-IDs %v, want exactly one", r, sent[r])
		}
		for id := range ids {
			if !sent[r][id] {
				t.Errorf("%s got Message-ID %s, which the outbox did not record as sent to it (%v)", r, id, sent[r])
			}
		}
	}
	for r := range perRcpt {
		if !wanted[r] {
			t.Errorf("unexpected recipient %s", r)
		}
	}
	dups := 0
	for id, n := range perID {
		if n > 1 {
			dups += n - 1
			t.Logf("duplicate: Message-ID %s delivered %d times", id, n)
		}
	}
	t.Logf("%d of %d kills landed while the daemon was delivering; %d claimed rows released by restarts in all",
		duringDelivery, kills, claimedTotal)
	t.Logf("crash: kills=%d delivered=%d duplicates=%d seed=%d", kills, len(msgs), dups, seed)
	if len(perID) < 200 {
		t.Errorf("only %d distinct messages: the crash test needs at least 200", len(perID))
	}
	if dups > kills {
		t.Errorf("%d duplicates for %d kills: each kill may re-send at most the one message in flight", dups, kills)
	}
}

// TestSighupReloadKeepsOldConfigOnError: a broken schedule file and SIGHUP
// log file:line:col and "configuration not reloaded" and the daemon runs
// on; the fixed file and SIGHUP reload it; an edit without a signal is
// picked up by the file watcher; no reload re-sends any mail.
func TestSighupReloadKeepsOldConfigOnError(t *testing.T) {
	mp := mailpittest.Start(t)
	c := writeProcConfig(t, 20, smtpURL(mp), 3)
	d := startProc(t, "serve", 2*time.Minute, "serve", "--listen", "127.0.0.1:0", "--config", c.File)
	d.waitStarted()
	waitAllDelivered(t, mp, c, 60*time.Second)
	delivered := messageCount(t, mp)
	rows := outboxStates(t, c.DB)

	reloadIs := func(why, msg string) func(logLine) bool {
		return func(l logLine) bool { return l.str("reload") == why && strings.HasPrefix(l.str("message"), msg) }
	}
	good := c.scheduleYAML("")

	// 1. A broken file: the old configuration stays in force.
	writeFile(t, c.Schedule, good+"bogus_key: 1\n")
	d.signal(syscall.SIGHUP)
	d.waitLog(10*time.Second, "SIGHUP: configuration not reloaded", reloadIs("SIGHUP", "configuration not reloaded"))
	diag := regexp.MustCompile(`schedule\.yaml:\d+:\d+: `)
	var pos string
	for _, l := range d.logs() {
		if l.str("reload") == "SIGHUP" && diag.MatchString(l.str("message")) {
			pos = l.str("message")
		}
	}
	if pos == "" {
		t.Fatalf("no file:line:col diagnostic for the broken schedule in the log:\n%s", tail(d.stderr.String(), 20))
	}
	t.Logf("reported: %s", pos)
	if !strings.Contains(pos, "bogus_key") {
		t.Errorf("the diagnostic does not name the unknown key: %s", pos)
	}
	// The daemon runs on: it answers the next signal, below, and has not
	// exited.
	if d.exited() {
		t.Fatalf("the daemon exited after a bad reload: %v", d.waitErr)
	}

	// 2. Fixed, with a signal: reloaded, with what it changes counted as
	// `check --impact` counts it (the same plan: nothing).
	writeFile(t, c.Schedule, good)
	d.signal(syscall.SIGHUP)
	d.waitLog(10*time.Second, "SIGHUP: configuration reloaded", reloadIs("SIGHUP", "configuration reloaded"))
	for _, l := range d.logs() {
		if reloadIs("SIGHUP", "configuration reloaded")(l) && (l["add"] != 0.0 || l["move"] != 0.0 || l["drop"] != 0.0) {
			t.Errorf("reload of the same plan logged add %v, move %v, drop %v; want 0, 0, 0", l["add"], l["move"], l["drop"])
		}
	}

	// The watcher (polling every 2 s) sees these edits too; let it catch up
	// with the fixed file before the next edit, so that the reload below
	// can only come from that edit.
	d.waitLog(10*time.Second, "file change: configuration reloaded", reloadIs("file change", "configuration reloaded"))
	before := d.countLogs(reloadIs("file change", "configuration reloaded"))

	// 3. An edit without a signal: the watcher reloads within a few seconds.
	writeFile(t, c.Schedule, good+"# sửa tay, không gửi tín hiệu\n")
	pollUntil(t, 10*time.Second, "a reload on file change", func() bool {
		return d.countLogs(reloadIs("file change", "configuration reloaded")) > before
	})

	// No reload re-sends anything: every reload pokes a tick; give a few
	// ticks (every second) the chance to send, then count.
	time.Sleep(3 * time.Second)
	if n := messageCount(t, mp); n != delivered {
		t.Errorf("Mailpit holds %d messages after the reloads, want %d as before", n, delivered)
	}
	if st := outboxStates(t, c.DB); fmt.Sprint(st) != fmt.Sprint(rows) {
		t.Errorf("outbox after the reloads: %v, before them: %v", st, rows)
	}
	d.stop()
}

// TestSimulateToMailpit runs simulate with the shipped demo configuration
// (the production one ends with its plan in 2025) over 2027 against Mailpit: every message printed arrived, with its simulated
// day as its Date, a clean Vietnamese subject, and nothing more is sent by a
// second run over the same range on the same database.
func TestSimulateToMailpit(t *testing.T) {
	mp := mailpittest.Start(t)
	db := filepath.Join(t.TempDir(), "simulate.db")
	args := []string{"simulate", "--from", "2027-01-01", "--to", "2027-12-31", "--db", db, "--smtp", smtpURL(mp), "--config", demoConfig}
	start := time.Now()
	code, out, errs := runCmd(t, 2*time.Minute, args...)
	if code != 0 {
		t.Fatalf("simulate exited %d:\n%s\n%s", code, errs, tail(out, 20))
	}
	printed, total := parseSimulate(t, out)
	t.Logf("simulate 2027: %d messages in %s", total, time.Since(start).Round(time.Millisecond))
	if total == 0 || total != len(printed) {
		t.Fatalf("simulate's total %d, %d lines printed", total, len(printed))
	}
	msgs := allMessages(t, mp)
	if len(msgs) != total {
		t.Fatalf("Mailpit holds %d messages, simulate printed %d", len(msgs), total)
	}

	// Each printed (recipient, subject) is one message, dated on its day.
	type key struct{ to, subject string }
	want := map[key][]schedule.Date{}
	for _, s := range printed {
		k := key{s.To, s.Subject}
		want[k] = append(want[k], s.Day)
	}
	realToday := vnToday()
	loc := defaultLocation()
	ids := map[string]bool{}
	capped := 0
	for _, sum := range msgs {
		m := mp.Message(t, sum.ID)
		// The demo's letters say what they are before anything else.
		if first, _, _ := strings.Cut(m.Text, "\n"); !strings.HasPrefix(first, "[THƯ MINH HỌA]") {
			t.Errorf("%s: a demo letter starts %q", m.Subject, first)
		}
		if ids[m.MessageID] {
			t.Errorf("Message-ID %s twice", m.MessageID)
		}
		ids[m.MessageID] = true
		subj := m.Subject
		if !utf8.ValidString(subj) || strings.ContainsRune(subj, utf8.RuneError) || strings.Contains(subj, "=?") {
			t.Errorf("subject does not decode cleanly: %q", subj)
		}
		if !strings.HasPrefix(subj, "[Nhắc hạn]") && !strings.HasPrefix(subj, "[Quá hạn]") && !strings.HasPrefix(subj, "[Theo dõi]") && !strings.HasPrefix(subj, "[Tổng hợp tuần]") {
			t.Errorf("subject %q starts with none of [Nhắc hạn], [Quá hạn], [Theo dõi], [Tổng hợp tuần]", subj)
		}
		date := schedule.DateOf(m.Date.In(loc))
		if m.Date.In(loc).Year() != 2027 || date == realToday {
			t.Errorf("%s: Date %s is not a simulated time in 2027", subj, m.Date)
		}
		if len(m.To) != 1 {
			t.Errorf("%s: To %v, want one recipient", subj, m.To)
			continue
		}
		to := strings.ToLower(m.To[0].Address)
		k := key{to, subj}
		days, ok := want[k]
		if !ok {
			// The mail caps a subject at 150 runes with "…"; simulate prints
			// it whole.
			for w := range want {
				if w.to == to && strings.HasSuffix(subj, "…") && strings.HasPrefix(w.subject, strings.TrimSuffix(subj, "…")) {
					k, days, ok = w, want[w], true
					capped++
					break
				}
			}
		}
		if !ok {
			t.Errorf("Mailpit has %s %q, which simulate did not print", to, subj)
			continue
		}
		found := false
		for i, d := range days {
			if d == date {
				want[k] = append(days[:i:i], days[i+1:]...)
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s %q dated %s (%s), simulate printed it on %v", to, subj, date, m.Date, days)
		}
	}

	if capped > 0 {
		t.Logf("%d subjects were capped at 150 runes in the mail (simulate prints them whole)", capped)
	}

	// The same range again on the same database: it continues after the end
	// and sends nothing.
	code, out2, errs := runCmd(t, 2*time.Minute, args...)
	if code != 0 {
		t.Fatalf("second simulate exited %d:\n%s\n%s", code, errs, out2)
	}
	if !strings.Contains(out2, "tiếp tục") {
		t.Errorf("second simulate does not say it continues:\n%s", out2)
	}
	if _, total2 := parseSimulate(t, out2); total2 != 0 {
		t.Errorf("second simulate sent %d messages, want 0:\n%s", total2, out2)
	}
	if n := messageCount(t, mp); n != total {
		t.Errorf("Mailpit holds %d messages after the second run, want %d", n, total)
	}
	t.Logf("second run: %s", strings.TrimSpace(out2))
}

// TestSubmitStopsReminders: simulate reaches the first reminder of a task
// for three agencies; `nhachan submit` records agency 1's report; simulating
// on past the due date sends agency 1 (and its head) nothing more, and Sở
// Nội vụ's copies no longer list it, while the two others are reminded and
// escalated as before.
func TestSubmitStopsReminders(t *testing.T) {
	mp := mailpittest.Start(t)
	due := schedule.NewDate(2027, 3, 15) // Monday: R14 falls on Monday 1 March
	c := writeProcConfigAt(t, 3, "", schedule.NewDate(2027, 1, 1), due)
	sim := func(from, to string) (string, int) {
		t.Helper()
		code, out, errs := runCmd(t, time.Minute, "simulate", "--from", from, "--to", to, "--db", c.DB, "--smtp", smtpURL(mp), "--config", c.File)
		if code != 0 {
			t.Fatalf("simulate %s–%s exited %d:\n%s\n%s", from, to, code, errs, out)
		}
		_, total := parseSimulate(t, out)
		return out, total
	}

	out, n := sim("2027-02-22", "2027-03-03")
	if n != 4 {
		t.Fatalf("first range: %d messages, want 4 (three R14 reminders and Sở Nội vụ's copy):\n%s", n, out)
	}
	before := map[string]bool{}
	for _, m := range allMessages(t, mp) {
		before[m.ID] = true
	}

	code, sout, serr := runCmd(t, time.Minute, "submit", "--task", "I.1", "--agency", "co-quan-001", "--period", due.String(),
		"--ref", "15/BC-CQ1", "--db", c.DB, "--config", c.File)
	if code != 0 || !strings.Contains(sout, "Đã ghi nhận") {
		t.Fatalf("submit exited %d:\n%s\n%s", code, sout, serr)
	}
	t.Logf("submit: %s", strings.TrimSpace(sout))

	out, n = sim("2027-03-04", "2027-04-30")
	var after []mailpittest.Summary
	for _, m := range allMessages(t, mp) {
		if !before[m.ID] {
			after = append(after, m)
		}
	}
	if len(after) != n || n == 0 {
		t.Fatalf("second range: simulate printed %d messages, Mailpit got %d new:\n%s", n, len(after), out)
	}
	stopped := map[string]bool{agencyAddr(1): true, "thutruong001@t.example": true}
	others := map[string]int{}
	item1 := regexp.MustCompile(`Cơ quan thực hiện: Cơ quan thử nghiệm số 1\b`)
	for _, s := range after {
		m := mp.Message(t, s.ID)
		h := mp.Headers(t, s.ID)
		if got := h["X-Nhachan-Tasks"]; len(got) != 1 || got[0] != "I.1" {
			t.Errorf("%s: X-Nhachan-Tasks %v, want I.1", m.Subject, got)
		}
		for _, r := range recipientsOf(s) {
			if stopped[r] {
				t.Errorf("%s got %q on %s after agency 1's submission", r, m.Subject, m.Date)
			}
			others[r]++
		}
		if item1.MatchString(m.Text) || strings.Contains(m.Subject, "số 1;") || strings.HasSuffix(m.Subject, "số 1") {
			t.Errorf("%q to %v on %s still lists agency 1's occurrence", m.Subject, recipientsOf(s), m.Date)
		}
	}
	for _, r := range []string{agencyAddr(2), agencyAddr(3), followUpAddr, "thutruong002@t.example"} {
		if others[r] == 0 {
			t.Errorf("%s got nothing after the submission: the simulation did not go on for the others (%v)", r, others)
		}
	}
	t.Logf("after the submission: %d messages, by recipient %v", n, others)

	code, st, serr := runCmd(t, time.Minute, "status", "--year", "2027", "--db", c.DB, "--config", c.File)
	if code != 0 || !strings.Contains(st, "Đã nộp đúng hạn: 1") {
		t.Errorf("status exited %d, want one submitted occurrence:\n%s\n%s", code, st, serr)
	}
}
