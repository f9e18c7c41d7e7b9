package main

// BenchmarkServeStartup_Province measures the real daemon as an operator
// sees it: how long `nhachan serve` takes, from exec to the first 200 of
// /healthz, on the shipped provincial configuration with several years of
// history in its database, and how much memory it holds once idle. `make
// bench` (.ci/bench-table.sh) prints its metrics in the benchmark table;
// the goal (issue "Ready for a provincial server") is an idle RSS under
// 30 MB. Nothing here asserts a time: the numbers are reported, not judged.

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/config"
)

// startupIdle is how long the daemon idles after its first tick before its
// memory is read: long enough for the tick's garbage to settle, short
// enough to keep `make bench` short.
const startupIdle = 2 * time.Second

// benchBinary builds the daemon as it is deployed — `make build-static`,
// the target the Dockerfile runs and the README installs for systemd —
// into dir.
func benchBinary(b *testing.B, dir string) string {
	b.Helper()
	bin := filepath.Join(dir, "nhachan")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "make", "-s", "-C", filepath.Join("..", ".."), "build-static", "BIN="+bin)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("make build-static: %v\n%s", err, out)
	}
	return bin
}

// copyTree copies the regular files under src to dst.
func copyTree(b testing.TB, src, dst string) {
	b.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		b.Fatalf("copy %s: %v", src, err)
	}
}

// provinceFixture copies the shipped configuration (config/ and
// schedules/, the layout its relative paths expect) into a temporary
// folder, so that the database and the outbox folder land there and
// nothing under the repository is written. It returns the copied
// configuration file and the configuration.
func provinceFixture(b *testing.B) (string, *config.Config) {
	b.Helper()
	root := b.TempDir()
	copyTree(b, filepath.Join("..", "..", "config"), filepath.Join(root, "config"))
	copyTree(b, filepath.Join("..", "..", "schedules"), filepath.Join(root, "schedules"))
	cfgFile := filepath.Join(root, "config", "nhachan.yaml")
	cfg, diags := config.Load(cfgFile)
	if diags.HasErrors() {
		b.Fatalf("the shipped configuration does not load:\n%v", diags.Errors())
	}
	if cfg.Daemon.SMTP != nil {
		b.Fatal("the shipped configuration has an SMTP server: the benchmark must not send mail to the network")
	}
	for _, p := range []string{cfg.Daemon.Database, cfg.Daemon.OutboxDir} {
		if rel, err := filepath.Rel(root, p); err != nil || strings.HasPrefix(rel, "..") {
			b.Fatalf("%s lies outside the temporary folder %s", p, root)
		}
	}
	return cfgFile, cfg
}

// benchSimulate fills the database with history: the real engine, on a
// virtual clock, from 1/1/2022 to yesterday (Vietnam), with the outbox
// folder sender. The daemon then starts on a database a long-running
// deployment would have.
func benchSimulate(b *testing.B, bin, cfgFile, dbPath string) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	yesterday := vnToday().AddDays(-1)
	cmd := exec.CommandContext(ctx, bin, "simulate", "--config", cfgFile, "--db", dbPath,
		"--from", "2022-01-01", "--to", yesterday.String(), "--quiet")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("nhachan simulate: %v\n%s", err, out)
	}
	// The messages the simulation wrote are not needed.
	if err := os.RemoveAll(filepath.Join(filepath.Dir(dbPath), "simulate-outbox")); err != nil {
		b.Fatal(err)
	}
}

// countOccurrences is the size of the occurrences table.
func countOccurrences(b *testing.B, dbPath string) int {
	b.Helper()
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM occurrences`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// startupRun is what one start of the daemon measured.
type startupRun struct {
	toHealthy   time.Duration // exec to the first 200 of /healthz
	toFirstTick time.Duration // exec to a /healthz that reports a tick
	idleRSS     float64       // VmRSS after idling, MB
	idleAnon    float64       // of which anonymous memory (RssAnon): heap, stacks, SQLite's cache
	idleFile    float64       // of which file pages (RssFile): mostly the binary's code
	peakRSS     float64       // VmHWM at the same moment, MB
}

// healthzState is the part of /healthz the benchmark reads.
type healthzState struct {
	Status   string     `json:"status"`
	LastTick *time.Time `json:"last_tick"`
}

// getHealthz asks /healthz once; code 0 means no answer.
func getHealthz(client *http.Client, url string) (int, healthzState) {
	var h healthzState
	resp, err := client.Get(url)
	if err != nil {
		return 0, h
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	_ = json.Unmarshal(body, &h)
	return resp.StatusCode, h
}

// procStatusMB reads the memory lines of a running process's
// /proc/PID/status (VmRSS, VmHWM, RssAnon, RssFile), in MB.
func procStatusMB(pid int) (map[string]float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		switch k {
		case "VmRSS", "VmHWM", "RssAnon", "RssFile":
		default:
			continue
		}
		fields := strings.Fields(v) // "12345 kB"
		if !ok || len(fields) != 2 || fields[1] != "kB" {
			return nil, fmt.Errorf("/proc/%d/status: %s:%s", pid, k, v)
		}
		kb, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return nil, err
		}
		out[k] = kb / 1024
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, k := range []string{"VmRSS", "VmHWM", "RssAnon", "RssFile"} {
		if _, ok := out[k]; !ok {
			return nil, fmt.Errorf("/proc/%d/status has no %s", pid, k)
		}
	}
	return out, nil
}

// serveOnce starts `nhachan serve` on cfgFile, waits for /healthz to
// answer 200, then for the first tick, idles, reads the memory and stops
// the daemon with SIGTERM (it must exit 0 and log no error).
func serveOnce(b *testing.B, bin, cfgFile string) startupRun {
	b.Helper()
	args := []string{"serve", "--config", cfgFile, "--listen", "127.0.0.1:0"}
	if os.Geteuid() == 0 {
		args = append(args, "--allow-root") // serve refuses root otherwise; CI runs as root
	}
	p := launch(b, "serve", 2*time.Minute, func(ctx context.Context) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.WaitDelay = 5 * time.Second
		return cmd
	})
	fail := func(format string, a ...any) {
		b.Helper()
		b.Fatalf(format+"\nnhachan serve stderr:\n%s", append(a, tail(p.stderr.String(), 40))...)
	}
	// The listen address is in the log (port 0 picks a free one); polled
	// every millisecond, as the start-up is what is measured.
	var healthz string
	for healthz == "" {
		for _, l := range p.logs() {
			switch l.str("message") {
			case "web pages, /healthz and /metrics":
				healthz = l.str("listen") + "/healthz"
			case "nhachan serve started":
				if !strings.HasPrefix(l.str("mail"), "outbox ") {
					fail("the daemon sends mail via %q, not to its outbox folder", l.str("mail"))
				}
			}
		}
		switch {
		case healthz != "":
		case p.exited():
			fail("nhachan serve exited (%v) before listening", p.waitErr)
		case time.Since(p.started) > time.Minute:
			fail("nhachan serve did not listen within a minute")
		default:
			time.Sleep(time.Millisecond)
		}
	}

	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var run startupRun
	for run.toFirstTick == 0 {
		code, h := getHealthz(client, healthz)
		if code == http.StatusOK {
			if run.toHealthy == 0 {
				run.toHealthy = time.Since(p.started)
			}
			if h.LastTick != nil {
				run.toFirstTick = time.Since(p.started)
				break
			}
		}
		if p.exited() {
			fail("nhachan serve exited (%v) before its first tick", p.waitErr)
		}
		if time.Since(p.started) > time.Minute {
			fail("no healthy first tick within a minute (/healthz status %d)", code)
		}
		time.Sleep(time.Millisecond)
	}

	// Idle, then read the memory of a daemon that is healthy and has
	// nothing to do.
	time.Sleep(startupIdle)
	if code, h := getHealthz(client, healthz); code != http.StatusOK {
		fail("/healthz answered %d (%s) after idling", code, h.Status)
	}
	mem, err := procStatusMB(p.cmd.Process.Pid)
	if err != nil {
		fail("%v", err)
	}
	run.idleRSS, run.peakRSS = mem["VmRSS"], mem["VmHWM"]
	run.idleAnon, run.idleFile = mem["RssAnon"], mem["RssFile"]

	p.stop()
	for _, l := range p.logs() {
		if lv := l.str("level"); lv == "error" || lv == "fatal" {
			fail("nhachan serve logged an error: %v", l)
		}
	}
	return run
}

// BenchmarkServeStartup_Province starts the daemon on the shipped
// provincial configuration (its agencies and the 681 plan) over a database
// holding the history of 1/1/2022 to yesterday. One untimed start first
// does the day's work (today's reminders go to the outbox folder), as on
// any day the daemon already ran; each measured iteration is then the
// restart of a daemon with nothing due (benchRestarts).
func BenchmarkServeStartup_Province(b *testing.B) {
	if testing.Short() {
		b.Skip("starts the real daemon")
	}
	bin := benchBinary(b, b.TempDir())
	cfgFile, cfg := provinceFixture(b)
	benchSimulate(b, bin, cfgFile, cfg.Daemon.Database)
	benchRestarts(b, bin, cfgFile, cfg)
}

// BenchmarkServeStartup_National is the same on a generated national
// directory: 34 provinces × 100 agencies, each province's 60 tasks owed by
// its agencies (nationalTimes), mail to the outbox folder. The untimed
// first start materialises the window and sends the day's reminders; the
// measured restarts find the window stored and nothing due.
func BenchmarkServeStartup_National(b *testing.B) {
	if testing.Short() {
		b.Skip("starts the real daemon")
	}
	bin := benchBinary(b, b.TempDir())
	cfgFile, cfg := nationalFixture(b)
	benchRestarts(b, bin, cfgFile, cfg)
}

// benchRestarts starts the daemon once untimed (the day's work), then
// measures each restart: exec → /healthz 200 (ms/start) → first tick
// (ms/first-tick) → 2 s idle → VmRSS (MB-idle-RSS, the largest of the
// iterations, split into MB-idle-anon and MB-idle-file) and VmHWM
// (MB-peak-RSS) → SIGTERM. ns/op includes the idle time and means nothing;
// run it with a fixed count, e.g. -benchtime 5x.
func benchRestarts(b *testing.B, bin, cfgFile string, cfg *config.Config) {
	b.Helper()
	serveOnce(b, bin, cfgFile) // today's tick, untimed
	occurrences := countOccurrences(b, cfg.Daemon.Database)

	var sumStart, sumTick time.Duration
	var idle, anon, file, peak float64
	n := 0
	for b.Loop() {
		r := serveOnce(b, bin, cfgFile)
		sumStart += r.toHealthy
		sumTick += r.toFirstTick
		if r.idleRSS > idle { // the iteration with the largest RSS, all its parts
			idle, anon, file = r.idleRSS, r.idleAnon, r.idleFile
		}
		peak = max(peak, r.peakRSS)
		n++
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(n) }
	b.ReportMetric(ms(sumStart), "ms/start")
	b.ReportMetric(ms(sumTick), "ms/first-tick")
	b.ReportMetric(idle, "MB-idle-RSS")
	b.ReportMetric(anon, "MB-idle-anon")
	b.ReportMetric(file, "MB-idle-file")
	b.ReportMetric(peak, "MB-peak-RSS")
	b.ReportMetric(float64(len(cfg.Planner().Directory.Agencies())), "agencies")
	b.ReportMetric(float64(occurrences), "occurrences")
}

// nationalTimes is the mix of a generated province's 60 tasks, as in
// internal/model's national planning benchmark: the frequent kinds weigh
// most, so that the numbers are not flattered.
var nationalTimes = []struct {
	n    int
	time string
}{
	{10, "trước ngày 15 hằng tháng"},
	{10, "chậm nhất vào ngày 20 tháng cuối quý"},
	{10, "định kỳ 6 tháng"},
	{12, "Quý I hàng năm"},
	{8, "Trước 31/12 hàng năm"},
	{5, "trước ngày 10/12 của năm trước liền kề năm kế hoạch"},
	{2, "Quý IV/2027"},
	{1, "hằng tuần"},
	{2, "Thường xuyên trong năm"},
}

// nationalFixture writes the national configuration into a temporary
// folder, with the shipped holidays, and loads it.
func nationalFixture(b *testing.B) (string, *config.Config) {
	b.Helper()
	root := b.TempDir()
	holidays, err := filepath.Abs(filepath.Join("..", "..", "config", "holidays"))
	if err != nil {
		b.Fatal(err)
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	var ag, main strings.Builder
	ag.WriteString("groups:\n")
	for p := range 34 {
		fmt.Fprintf(&ag, "  - {id: p%02d-all, name: \"Các cơ quan tỉnh số %d\"}\n", p, p+1)
	}
	ag.WriteString(`agencies:
  - id: bo-noi-vu
    name: "Bộ Nội vụ"
    email: ["vanthu@bnv.example"]
    head: {title: "Bộ trưởng Bộ Nội vụ", email: "botruong@bnv.example"}
  - id: van-phong-chinh-phu
    name: "Văn phòng Chính phủ"
    email: ["vanthu@vpcp.example"]
    head: {title: "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ", email: "chunhiem@vpcp.example"}
`)
	fmt.Fprintf(&main, `timezone: Asia/Ho_Chi_Minh
directory: agencies.yaml
holidays: %q
database: var/nhachan.db
mail:
  outbox_dir: var/outbox
recipients:
  follow_up: bo-noi-vu
  provincial_office: van-phong-chinh-phu
schedules:
`, holidays)
	for p := range 34 {
		for a := range 100 {
			fmt.Fprintf(&ag, `  - id: p%02d-a%03d
    name: "Cơ quan số %d tỉnh số %d"
    groups: [p%02d-all]
    email: ["a%03d@p%02d.example"]
    head: {title: "Thủ trưởng", email: "tt%03d@p%02d.example"}
`, p, a, a+1, p+1, p, a, p, a, p)
		}
		var sc strings.Builder
		fmt.Fprintf(&sc, `id: KH-P%02d
title: "Kế hoạch cải cách hành chính tỉnh số %d"
decision: "Quyết định số %d/QĐ-UBND"
period: {from: 2021-01-01, until: 2030-12-31}
follow_up: bo-noi-vu
sections:
  - {id: "I", title: "NHIỆM VỤ"}
tasks:
`, p, p+1, p+1)
		i := 0
		for _, k := range nationalTimes {
			for range k.n {
				i++
				fmt.Fprintf(&sc, `  - id: "P%02d.%d"
    section: "I"
    task: "Nhiệm vụ số %d"
    time: %q
    lead_text: "Các cơ quan tỉnh số %d"
    lead: [p%02d-all]
    legal_basis: "Mục I.%d"
`, p, i, i, k.time, p+1, p, i)
			}
		}
		name := fmt.Sprintf("kh-p%02d.yaml", p)
		write(name, sc.String())
		fmt.Fprintf(&main, "  - file: %s\n", name)
	}
	write("agencies.yaml", ag.String())
	write("nhachan.yaml", main.String())
	cfgFile := filepath.Join(root, "nhachan.yaml")
	cfg, diags := config.Load(cfgFile)
	if diags.HasErrors() {
		b.Fatalf("the national configuration does not load:\n%v", diags.Errors())
	}
	return cfgFile, cfg
}
