package main

// Helpers for the process-level tests in process_test.go: they build the
// real nhachan binary once, write a small configuration into a temporary
// folder, run the daemon as a separate process and read back its JSON log,
// its database (read-only) and the mail Mailpit received.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/email/mailpittest"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// binDir holds the binary built for this test run; TestMain removes it.
var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// nhachanBinary builds ./cmd/nhachan once per test run, with the go on
// PATH, and returns the binary's path. Only the process tests pay for it.
func nhachanBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "nhachan-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "nhachan")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", binPath, ".")
		out, err := cmd.CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatalf("cannot build nhachan: %v", binErr)
	}
	return binPath
}

// pollUntil calls cond every 50 ms until it returns true or the deadline
// passes; then it fails the test with what it was waiting for.
func pollUntil(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// lockedBuffer collects a process's output while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// logLine is one line of the daemon's zerolog output.
type logLine map[string]any

func (l logLine) str(k string) string {
	s, _ := l[k].(string)
	return s
}

// proc is a running nhachan process.
type proc struct {
	t       testing.TB
	name    string
	cmd     *exec.Cmd
	stdout  *lockedBuffer
	stderr  *lockedBuffer
	started time.Time
	done    chan struct{} // closed when the process has exited
	waitErr error
}

// startProc starts the binary with args; t.Cleanup kills it if it still
// runs. The timeout bounds its whole life.
func startProc(t *testing.T, name string, timeout time.Duration, args ...string) *proc {
	t.Helper()
	if len(args) > 0 && args[0] == "serve" && os.Geteuid() == 0 {
		args = append(args, "--allow-root") // serve refuses root otherwise; CI runs as root
	}
	return launch(t, name, timeout, func(ctx context.Context) *exec.Cmd {
		cmd := exec.CommandContext(ctx, nhachanBinary(t), args...)
		cmd.WaitDelay = 5 * time.Second
		return cmd
	})
}

// launch starts the command that build makes for a context bounded by
// timeout, collects its output, reaps it, and kills it at cleanup if it
// still runs.
func launch(t testing.TB, name string, timeout time.Duration, build func(context.Context) *exec.Cmd) *proc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	p := &proc{t: t, name: name, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd = build(ctx)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.waitErr = p.cmd.Wait()
		cancel()
		close(p.done)
	}()
	t.Cleanup(func() {
		if !p.exited() {
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("%s (pid %d) stderr:\n%s", p.name, p.cmd.Process.Pid, tail(p.stderr.String(), 40))
		}
	})
	return p
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("… %d lines before", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// wait waits for the process to exit and returns its exit code (-1 when
// killed by a signal).
func (p *proc) wait(timeout time.Duration) int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.t.Fatalf("%s did not exit within %s", p.name, timeout)
	}
	return p.cmd.ProcessState.ExitCode()
}

// signal sends sig to the process.
func (p *proc) signal(sig syscall.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatalf("signal %s to %s: %v", sig, p.name, err)
	}
}

// kill9 kills the process with SIGKILL and waits until it is gone, so
// that the kernel has released its flock.
func (p *proc) kill9() {
	p.t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGKILL) // it may have exited already
	p.wait(10 * time.Second)
}

// stop ends a daemon with SIGTERM and checks it exits 0.
func (p *proc) stop() {
	p.t.Helper()
	p.signal(syscall.SIGTERM)
	if code := p.wait(15 * time.Second); code != 0 {
		p.t.Fatalf("%s exited %d after SIGTERM", p.name, code)
	}
}

// logs parses the JSON lines of stderr; other lines are skipped.
func (p *proc) logs() []logLine {
	var out []logLine
	for _, s := range strings.Split(p.stderr.String(), "\n") {
		var l logLine
		if json.Unmarshal([]byte(s), &l) == nil {
			out = append(out, l)
		}
	}
	return out
}

// countLogs counts the log lines for which match is true.
func (p *proc) countLogs(match func(logLine) bool) int {
	n := 0
	for _, l := range p.logs() {
		if match(l) {
			n++
		}
	}
	return n
}

// waitLog waits until a log line matches, failing early if the process
// exits first.
func (p *proc) waitLog(timeout time.Duration, what string, match func(logLine) bool) logLine {
	p.t.Helper()
	var found logLine
	pollUntil(p.t, timeout, p.name+": log "+what, func() bool {
		for _, l := range p.logs() {
			if match(l) {
				found = l
				return true
			}
		}
		if p.exited() {
			p.t.Fatalf("%s exited (%v) before logging %s:\n%s", p.name, p.waitErr, what, tail(p.stderr.String(), 40))
		}
		return false
	})
	return found
}

func msgIs(m string) func(logLine) bool {
	return func(l logLine) bool { return l.str("message") == m }
}

// waitStarted waits for the daemon's "nhachan serve started" line.
func (p *proc) waitStarted() {
	p.t.Helper()
	p.waitLog(30*time.Second, `"nhachan serve started"`, msgIs("nhachan serve started"))
}

// runCmd runs a one-shot command to its end and returns its exit code and
// output.
func runCmd(t *testing.T, timeout time.Duration, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, nhachanBinary(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("nhachan %s: timed out after %s\n%s", strings.Join(args, " "), timeout, errb.String())
	}
	if err != nil && cmd.ProcessState == nil {
		t.Fatalf("nhachan %s: %v", strings.Join(args, " "), err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// procConfig is a generated configuration: n agencies in one group, each
// with one address on t.example and a head, and a schedule whose tasks the
// group leads, due a few days from today so that a reminder step is reached
// now, whatever the hour (any_time).
type procConfig struct {
	Dir, File, Schedule, Directory, DB string
	Agencies                           int
	Due                                []schedule.Date
	TrackingStart                      schedule.Date
	SMTPURL                            string
}

const followUpAddr = "vanthu.snv@t.example"

func agencyAddr(i int) string { return fmt.Sprintf("a%03d@t.example", i) }

// expectedRecipients are the agencies' addresses and Sở Nội vụ's (one
// grouped copy).
func (c *procConfig) expectedRecipients() []string {
	out := make([]string, 0, c.Agencies+1)
	for i := 1; i <= c.Agencies; i++ {
		out = append(out, agencyAddr(i))
	}
	return append(out, followUpAddr)
}

// vnToday is today in Vietnam, the daemon's "today".
func vnToday() schedule.Date { return schedule.DateOf(time.Now().In(defaultLocation())) }

// writeProcConfig writes the configuration into a new temporary folder.
// dueInDays are the tasks' due dates relative to today (in Vietnam); the
// tracking start is 30 days ago.
func writeProcConfig(t *testing.T, agencies int, smtpURL string, dueInDays ...int) *procConfig {
	t.Helper()
	today := vnToday()
	var due []schedule.Date
	for _, d := range dueInDays {
		due = append(due, today.AddDays(d))
	}
	return writeProcConfigAt(t, agencies, smtpURL, today.AddDays(-30), due...)
}

// writeProcConfigAt writes the configuration with fixed dates, for the
// simulations. An empty smtpURL leaves mail.smtp out (--smtp gives it).
func writeProcConfigAt(t *testing.T, agencies int, smtpURL string, trackingStart schedule.Date, due ...schedule.Date) *procConfig {
	t.Helper()
	dir := t.TempDir()
	c := &procConfig{
		Dir: dir, File: filepath.Join(dir, "nhachan.yaml"), Schedule: filepath.Join(dir, "schedule.yaml"),
		Directory: filepath.Join(dir, "agencies.yaml"), DB: filepath.Join(dir, "var", "nhachan.db"),
		Agencies: agencies, TrackingStart: trackingStart, SMTPURL: smtpURL, Due: due,
	}

	var ag strings.Builder
	ag.WriteString("groups:\n  - id: cac-co-quan\n    name: \"Các cơ quan thử nghiệm\"\n\nagencies:\n")
	ag.WriteString(`  - id: so-noi-vu
    name: "Sở Nội vụ tỉnh Thử nghiệm"
    short_name: "Sở Nội vụ"
    email: ["` + followUpAddr + `"]
    head: {title: "Giám đốc Sở Nội vụ", email: "giamdoc.snv@t.example"}
  - id: van-phong-ubnd-tinh
    name: "Văn phòng Ủy ban nhân dân tỉnh Thử nghiệm"
    email: ["vanthu.vp@t.example"]
    head: {title: "Chánh Văn phòng", email: "chanhvanphong@t.example"}
`)
	for i := 1; i <= agencies; i++ {
		fmt.Fprintf(&ag, `  - id: co-quan-%03d
    name: "Cơ quan thử nghiệm số %d"
    groups: [cac-co-quan]
    email: ["%s"]
    head: {title: "Thủ trưởng cơ quan %d", email: "thutruong%03d@t.example"}
`, i, i, agencyAddr(i), i, i)
	}
	writeFile(t, c.Directory, ag.String())
	writeFile(t, c.Schedule, c.scheduleYAML(""))

	smtp := "  outbox_dir: var/outbox\n"
	if smtpURL != "" {
		smtp += "  smtp:\n    url: \"" + smtpURL + "\"\n"
	}
	writeFile(t, c.File, `# Generated by processhelp_test.go.
timezone: Asia/Ho_Chi_Minh
directory: agencies.yaml
schedules:
  - file: schedule.yaml
database: var/nhachan.db
tracking_start: `+c.TrackingStart.String()+`
tick: "@every 1s"
mail:
  from: {name: "Hệ thống nhắc hạn - Sở Nội vụ", addr: "nhachan@t.example"}
`+smtp+`policy:
  # The window is open at any hour, so that the test runs whenever.
  any_time: true
  reminder_days: [14, 7, 3, 1, 0]
  # One message per recipient is what these tests count; on a Monday the
  # weekly summary would add one to Sở Nội vụ.
  weekly_summary: false
recipients:
  follow_up: so-noi-vu
  follow_up_leadership: ["lanhdao.snv@t.example"]
  provincial_office: van-phong-ubnd-tinh
  provincial_leadership: ["lanhdao.ubnd@t.example"]
`)
	return c
}

// scheduleYAML is the schedule file; extra is appended at the top level
// (a test breaks the file with it).
func (c *procConfig) scheduleYAML(extra string) string {
	var b strings.Builder
	y := c.Due[0].Year()
	fmt.Fprintf(&b, `id: KH-THU-NGHIEM
title: "Kế hoạch thử nghiệm nhắc hạn"
decision: "Quyết định số 1/QĐ-TN của Ủy ban nhân dân tỉnh Thử nghiệm"
period: {from: %d-01-01, until: %d-12-31}
follow_up: so-noi-vu
sections:
  - {id: "I", title: "NHIỆM VỤ THỬ NGHIỆM"}
tasks:
`, y-1, y+1)
	for i, d := range c.Due {
		fmt.Fprintf(&b, `  - id: "I.%d"
    section: "I"
    task: "Báo cáo thử nghiệm số %d về cải cách hành chính"
    product: "Báo cáo của cơ quan"
    time: "Trước ngày %s"
    lead_text: "Các cơ quan thử nghiệm"
    lead: [cac-co-quan]
    legal_basis: "Mục I.%d Phụ lục kèm theo Quyết định số 1/QĐ-TN"
`, i+1, i+1, d.VN(), i+1)
	}
	b.WriteString(extra)
	return b.String()
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fileStamp is a file's size, modification time and content hash ("absent"
// when it does not exist).
func fileStamp(t *testing.T, name string) string {
	t.Helper()
	st, err := os.Stat(name)
	if os.IsNotExist(err) {
		return "absent"
	}
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return fmt.Sprintf("size=%d mtime=%s sha256=%s", st.Size(), st.ModTime().Format(time.RFC3339Nano), hex.EncodeToString(h[:8]))
}

// openDBReadOnly opens the daemon's database read-only: the test never
// writes through it.
func openDBReadOnly(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// outboxStates counts the outbox rows by state.
func outboxStates(t *testing.T, dbPath string) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT state, count(*) FROM outbox GROUP BY state`)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return map[string]int{}
		}
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		out[s] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// allMessages lists every message Mailpit holds, paging through its API.
func allMessages(t *testing.T, mp *mailpittest.Server) []mailpittest.Summary {
	t.Helper()
	const page = 500
	var all []mailpittest.Summary
	for start := 0; ; start += page {
		var resp struct {
			Total    int
			Messages []mailpittest.Summary
		}
		mailpitGet(t, mp, fmt.Sprintf("/api/v1/messages?start=%d&limit=%d", start, page), &resp)
		all = append(all, resp.Messages...)
		if len(resp.Messages) < page || len(all) >= resp.Total {
			if len(all) != resp.Total {
				// New mail arrived while paging: read again.
				return allMessages(t, mp)
			}
			return all
		}
	}
}

// messageCount is Mailpit's total, in one small request.
func messageCount(t *testing.T, mp *mailpittest.Server) int {
	t.Helper()
	var resp struct{ Total int }
	mailpitGet(t, mp, "/api/v1/messages?limit=1", &resp)
	return resp.Total
}

// waitMessageCountAbove polls Mailpit until it holds more than n messages
// and returns how long after p's start that was; it fails the test if p
// exits or nothing arrives within timeout.
func waitMessageCountAbove(t *testing.T, mp *mailpittest.Server, p *proc, n int, timeout time.Duration) time.Duration {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if messageCount(t, mp) > n {
			return time.Since(p.started)
		}
		if p.exited() {
			t.Fatalf("%s exited before its first message (%v):\n%s", p.name, p.waitErr, tail(p.stderr.String(), 20))
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no new message in Mailpit within %s (it holds %d):\n%s", p.name, timeout, n, tail(p.stderr.String(), 20))
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func mailpitGet(t *testing.T, mp *mailpittest.Server, path string, v any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, mp.APIURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("mailpit GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit GET %s: %s %v: %s", path, resp.Status, err, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("mailpit GET %s: %v", path, err)
	}
}

// searchMessages lists the messages matching a Mailpit search query.
func searchMessages(t *testing.T, mp *mailpittest.Server, query string) []mailpittest.Summary {
	t.Helper()
	var resp struct {
		Total    int
		Messages []mailpittest.Summary
	}
	mailpitGet(t, mp, "/api/v1/search?limit=100000&query="+url.QueryEscape(query), &resp)
	return resp.Messages
}

// recipientsOf returns the lower-cased To addresses of a summary.
func recipientsOf(s mailpittest.Summary) []string {
	var out []string
	for _, a := range s.To {
		out = append(out, strings.ToLower(a.Address))
	}
	return out
}

// smtpURL is the --smtp / mail.smtp.url of a Mailpit on loopback.
func smtpURL(mp *mailpittest.Server) string {
	return fmt.Sprintf("smtp://%s:%d?tls=none", mp.Host, mp.Port)
}

// itoaPid is a process's pid as text.
func itoaPid(p *proc) string { return fmt.Sprint(p.cmd.Process.Pid) }

// integrityCheck runs PRAGMA integrity_check on a stopped daemon's
// database.
func integrityCheck(t *testing.T, dbPath string) string {
	t.Helper()
	db := openDBReadOnly(t, dbPath)
	rows, err := db.Query(`PRAGMA integrity_check`)
	if err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// sentMessageIDs maps each recipient (lower case) to the Message-IDs the
// outbox recorded as sent to it, without angle brackets.
func sentMessageIDs(t *testing.T, dbPath string) map[string]map[string]bool {
	t.Helper()
	db := openDBReadOnly(t, dbPath)
	rows, err := db.Query(`SELECT lower(recipient), message_id FROM outbox WHERE state = 'sent'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]map[string]bool{}
	for rows.Next() {
		var r, id string
		if err := rows.Scan(&r, &id); err != nil {
			t.Fatal(err)
		}
		if out[r] == nil {
			out[r] = map[string]bool{}
		}
		out[r][strings.Trim(id, "<>")] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// simSent is one message simulate printed.
type simSent struct {
	Day         schedule.Date
	To, Subject string
	Steps       string
}

// parseSimulate reads simulate's output: the day lines, the "→ to
// subject [steps]" lines under them, and the total of "Tổng cộng: N thư".
func parseSimulate(t *testing.T, out string) (sent []simSent, total int) {
	t.Helper()
	total = -1
	var day schedule.Date
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "Tổng cộng: "):
			if _, err := fmt.Sscanf(line, "Tổng cộng: %d thư", &total); err != nil {
				t.Fatalf("cannot read the total in %q: %v", line, err)
			}
		case strings.HasPrefix(line, "  → "):
			rest := strings.TrimPrefix(line, "  → ")
			i, j := strings.Index(rest, "  "), strings.LastIndex(rest, "  [")
			if i < 0 || j <= i {
				t.Fatalf("cannot read the sent line %q", line)
			}
			sent = append(sent, simSent{Day: day, To: strings.ToLower(rest[:i]), Subject: rest[i+2 : j], Steps: rest[j+2:]})
		case len(line) > 10 && line[4] == '-' && line[7] == '-' && strings.HasSuffix(line, " thư"):
			d, err := schedule.ParseDate(line[:10])
			if err != nil {
				t.Fatalf("cannot read the day line %q: %v", line, err)
			}
			day = d
		}
	}
	if total < 0 {
		t.Fatalf("no \"Tổng cộng: N thư\" line in simulate's output:\n%s", out)
	}
	return sent, total
}
