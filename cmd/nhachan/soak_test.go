package main

// The soak harness of `make soak`: a year of virtual time in one run of the
// real `nhachan simulate` against a Mailpit that refuses MAIL and RCPT at
// random (its chaos triggers). simulate --resources reports, at the end of
// each simulated month, the goroutines, open files, heap and RSS of the
// process and the WAL's size; the harness checks they stay flat, and that
// nothing was lost or sent twice. Beside it a real daemon serves its web
// pages under load and reloads its configuration (soak_serve_test.go).

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/email/mailpittest"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

const (
	soakAgencies = 100
	// soakChaos is Mailpit's chaos: the percentage of MAIL FROM and RCPT TO
	// commands answered with a 451.
	soakChaos = `{"Sender":{"ErrorCode":451,"Probability":10},"Recipient":{"ErrorCode":451,"Probability":20}}`
	noChaos   = `{"Sender":{"ErrorCode":451,"Probability":0},"Recipient":{"ErrorCode":451,"Probability":0}}`
)

// soakRun is one simulate run's measurements.
type soakRun struct {
	From, To     schedule.Date
	Sent, Failed int
	MaxRSSKB     int64
	MaxWAL       int64
	Took         time.Duration
	// Months are the process's resources at the end of each simulated
	// month (simulate --resources), in order.
	Months []soakMonth
}

// soakMonth is one "Tài nguyên đến hết ngày …" line of simulate --resources.
type soakMonth struct {
	Day        string
	Goroutines int
	OpenFiles  int
	HeapMB     float64
	RSSMB      float64
	WALMB      float64
}

func TestSoakYear(t *testing.T) {
	if os.Getenv("NHACHAN_SOAK") != "1" {
		t.Skip("a long harness, not a correctness test: `make soak` runs it (NHACHAN_SOAK=1)")
	}
	mp := mailpittest.Start(t, mailpittest.WithArgs("--enable-chaos"))
	setChaos(t, mp, soakChaos)
	c := writeProcConfigAt(t, soakAgencies, "", schedule.NewDate(2027, 1, 1), schedule.NewDate(2027, 12, 31))
	writeFile(t, c.Schedule, soakScheduleYAML())
	bin := nhachanBinary(t)
	daemon := startServeSoak(t)

	// The whole year in one process, so that what it holds at the end of
	// each month shows a leak; then, in a second process on the same
	// database (it continues where the first stopped), a week without
	// faults lets the retries of the last days go.
	year := soakSimulate(t, bin, c, smtpURL(mp), schedule.NewDate(2027, 1, 1), schedule.NewDate(2027, 12, 31))
	setChaos(t, mp, noChaos)
	tailRun := soakSimulate(t, bin, c, smtpURL(mp), schedule.NewDate(2028, 1, 1), schedule.NewDate(2028, 1, 7))
	if len(year.Months) != 12 {
		t.Fatalf("simulate --resources printed %d monthly lines for 2027, want 12", len(year.Months))
	}

	// Nothing lost: every row sent or failed for good, and Mailpit holds
	// exactly the messages the outbox recorded as sent.
	st := outboxStates(t, c.DB)
	if st["pending"] != 0 || st["claimed"] != 0 {
		t.Errorf("outbox states after the year: %v, want none pending or claimed", st)
	}
	// Nobody submits here, so the only cancellations are reminders that
	// retries delayed past their day, superseded by a later step's notice
	// (SupersedePending). Following "superseded by" from row to row (a
	// superseding notice may itself be held back until the next step: R1
	// by R0, R0 by E1) must end at a notice sent to the same recipient.
	db := openDBReadOnly(t, c.DB)
	type rowKey struct {
		occ        int64
		rcpt, step string
	}
	type rowVal struct{ state, lastError string }
	byKey := map[rowKey]rowVal{}
	var cancelled []rowKey
	rows, err := db.Query(`SELECT occurrence_id, recipient, step, state, last_error FROM outbox WHERE occurrence_id IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k rowKey
		var v rowVal
		if err := rows.Scan(&k.occ, &k.rcpt, &k.step, &v.state, &v.lastError); err != nil {
			t.Fatal(err)
		}
		byKey[k] = v
		if v.state == "cancelled" {
			cancelled = append(cancelled, k)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	var orphans []string
	chains := map[int]int{} // length of the chain to the sent notice
	for _, k := range cancelled {
		cur, n := k, 0
		for byKey[cur].state == "cancelled" && n < 50 {
			next, ok := strings.CutPrefix(byKey[cur].lastError, "superseded by ")
			if !ok {
				break
			}
			cur.step, n = next, n+1
		}
		if byKey[cur].state != "sent" {
			orphans = append(orphans, fmt.Sprintf("occurrence %d %s %s → %s (%q)", k.occ, k.rcpt, k.step, cur.step, byKey[cur].state))
			continue
		}
		chains[n]++
	}
	if len(orphans) > 0 {
		t.Errorf("%d of %d cancelled rows do not lead to a notice sent to the same recipient, e.g. %v", len(orphans), len(cancelled), orphans[:min(5, len(orphans))])
	}
	t.Logf("cancelled rows by the number of supersessions to the notice sent instead: %v", chains)

	// Messages per month of virtual time (sent_at is UTC; the months are
	// the province's, UTC+7).
	perMonth := map[string]int{}
	rows, err = db.Query(`SELECT strftime('%Y-%m', sent_at, '+7 hours'), count(DISTINCT message_id)
		FROM outbox WHERE state = 'sent' GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var m string
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			t.Fatal(err)
		}
		perMonth[m] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()

	sentIDs := map[string]bool{}
	for _, ids := range sentMessageIDs(t, c.DB) {
		for id := range ids {
			sentIDs[id] = true
		}
	}
	msgs := allMessages(t, mp)
	perID := map[string]int{}
	for _, m := range msgs {
		perID[m.MessageID]++
	}
	for id := range perID {
		if !sentIDs[id] {
			t.Errorf("Mailpit holds Message-ID %s, which the outbox did not record as sent", id)
		}
	}
	missing := 0
	for id := range sentIDs {
		if perID[id] == 0 {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d Message-IDs recorded as sent are not in Mailpit", missing)
	}
	dups := len(msgs) - len(perID)
	totalSent, totalFailed := year.Sent+tailRun.Sent, year.Failed+tailRun.Failed
	if totalSent != len(perID) {
		t.Errorf("simulate printed %d messages, Mailpit holds %d distinct Message-IDs", totalSent, len(perID))
	}
	if dups != 0 {
		t.Errorf("%d duplicates in Mailpit: without crashes there must be none", dups)
	}
	if totalFailed == 0 {
		t.Errorf("no failed attempt in the whole year: Mailpit's chaos did not bite")
	}
	if ic := integrityCheck(t, c.DB); ic != "ok" {
		t.Errorf("PRAGMA integrity_check: %s", ic)
	}
	daemon.finish()

	var b strings.Builder
	fmt.Fprintf(&b, "\n%-10s %6s %10s %10s %10s %10s %10s\n", "month", "sent", "goroutines", "open files", "heap", "RSS", "WAL")
	for _, m := range year.Months {
		month := m.Day[6:10] + "-" + m.Day[3:5]
		fmt.Fprintf(&b, "%-10s %6d %10d %10d %7.1f MB %7.1f MB %7.2f MB\n", month, perMonth[month], m.Goroutines, m.OpenFiles, m.HeapMB, m.RSSMB, m.WALMB)
	}
	fmt.Fprintf(&b, "2027 in one process: %d messages, %d failed attempts retried (Mailpit chaos: 10%% of MAIL FROM, 20%% of RCPT TO answered 451), peak RSS %.1f MB, peak WAL %.2f MB (sampled every 20 ms), %s\n",
		year.Sent, year.Failed, float64(year.MaxRSSKB)/1024, float64(year.MaxWAL)/(1<<20), year.Took.Round(10*time.Millisecond))
	fmt.Fprintf(&b, "1–7/1/2028 without faults, a second process: %d messages, %d failed attempts\n", tailRun.Sent, tailRun.Failed)
	fmt.Fprintf(&b, "in all: %d messages, %d distinct in Mailpit, %d duplicates, %d missing; outbox %v (cancelled: superseded by a later step that was sent)",
		totalSent, len(perID), dups, missing, st)
	t.Log(b.String())

	// Flat: December holds no more than the first quarter. Goroutines and
	// open files do not move at all (a little slack for the runtime); the
	// memory and the WAL may by ×1.5 + 5 MB. The baseline is the first
	// quarter, not January: nobody submits, so overdue repeats (weekly, up
	// to max_repeats) pile onto the new reminders until about March, and
	// a month's work grows until then; from then on it is steady, and
	// growth would be a leak.
	var base soakMonth
	for _, m := range year.Months[:3] {
		base.Goroutines = max(base.Goroutines, m.Goroutines)
		base.OpenFiles = max(base.OpenFiles, m.OpenFiles)
		base.RSSMB = max(base.RSSMB, m.RSSMB)
		base.HeapMB = max(base.HeapMB, m.HeapMB)
		base.WALMB = max(base.WALMB, m.WALMB)
	}
	// Goroutines and open files are counted at one instant, which may
	// catch one that is about to end (database/sql watches each
	// transaction's context from a goroutine of its own): a leak is what
	// stays, so the fewest of the last quarter may not exceed the most of
	// the first.
	lastGoroutines, lastFiles := year.Months[9].Goroutines, year.Months[9].OpenFiles
	for _, m := range year.Months[9:] {
		lastGoroutines, lastFiles = min(lastGoroutines, m.Goroutines), min(lastFiles, m.OpenFiles)
	}
	if lastGoroutines > base.Goroutines {
		t.Errorf("goroutines grew: at least %d at each end of month of the last quarter, at most %d in the first", lastGoroutines, base.Goroutines)
	}
	if lastFiles > base.OpenFiles {
		t.Errorf("open files grew: at least %d at each end of month of the last quarter, at most %d in the first", lastFiles, base.OpenFiles)
	}
	for _, m := range year.Months[3:] {
		if lim := base.RSSMB*1.5 + 5; m.RSSMB > lim {
			t.Errorf("%s: RSS %.1f MB, over %.1f MB (first quarter %.1f MB)", m.Day, m.RSSMB, lim, base.RSSMB)
		}
		if lim := base.HeapMB*1.5 + 5; m.HeapMB > lim {
			t.Errorf("%s: heap %.1f MB, over %.1f MB (first quarter %.1f MB)", m.Day, m.HeapMB, lim, base.HeapMB)
		}
		if lim := base.WALMB*1.5 + 5; m.WALMB > lim {
			t.Errorf("%s: WAL %.2f MB, over %.2f MB (first quarter %.2f MB)", m.Day, m.WALMB, lim, base.WALMB)
		}
	}
}

// soakSimulate runs `nhachan simulate --resources` over [from, to] on c's
// database, sampling the WAL's size while it runs; the peak RSS is the
// child's rusage.
func soakSimulate(t *testing.T, bin string, c *procConfig, smtp string, from, to schedule.Date) soakRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "simulate", "--quiet", "--resources", "--from", from.String(), "--to", to.String(),
		"--db", c.DB, "--smtp", smtp, "--config", c.File)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 5 * time.Second
	var maxWAL atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if fi, err := os.Stat(c.DB + "-wal"); err == nil && fi.Size() > maxWAL.Load() {
				maxWAL.Store(fi.Size())
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	close(stop)
	<-sampled
	if err != nil {
		t.Fatalf("simulate %s – %s: %v\n%s\n%s", from, to, err, errb.String(), tail(out.String(), 20))
	}
	r := soakRun{From: from, To: to, MaxWAL: maxWAL.Load(), Took: took}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.MaxRSSKB = ru.Maxrss // kilobytes on Linux
	}
	if _, err := fmt.Sscanf(lastLine(out.String(), "Tổng cộng: "), "Tổng cộng: %d thư đã gửi, %d lượt gửi lỗi.", &r.Sent, &r.Failed); err != nil {
		t.Fatalf("simulate %s – %s: cannot read its total: %v\n%s", from, to, err, out.String())
	}
	for _, l := range strings.Split(out.String(), "\n") {
		if !strings.HasPrefix(l, "Tài nguyên đến hết ngày ") {
			continue
		}
		var m soakMonth
		if _, err := fmt.Sscanf(l, "Tài nguyên đến hết ngày %10s: goroutines=%d open_files=%d heap_mb=%g rss_mb=%g wal_mb=%g",
			&m.Day, &m.Goroutines, &m.OpenFiles, &m.HeapMB, &m.RSSMB, &m.WALMB); err != nil {
			t.Fatalf("simulate: cannot read %q: %v", l, err)
		}
		r.Months = append(r.Months, m)
	}
	return r
}

func lastLine(s, prefix string) string {
	found := ""
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			found = l
		}
	}
	return found
}

// setChaos replaces Mailpit's chaos triggers.
func setChaos(t *testing.T, mp *mailpittest.Server, body string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, mp.APIURL+"/api/v1/chaos", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("mailpit PUT /api/v1/chaos: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit PUT /api/v1/chaos: %s: %s", resp.Status, b)
	}
	t.Logf("Mailpit chaos: %s", bytes.TrimSpace(b))
}

// soakScheduleYAML is a year of recurring tasks for the group of
// agencies: two monthly reports and a quarterly one.
func soakScheduleYAML() string {
	var b strings.Builder
	b.WriteString(`id: KH-SOAK
title: "Kế hoạch thử nghiệm một năm"
decision: "Quyết định số 2/QĐ-TN của Ủy ban nhân dân tỉnh Thử nghiệm"
period: {from: 2027-01-01, until: 2027-12-31}
follow_up: so-noi-vu
sections:
  - {id: "I", title: "NHIỆM VỤ ĐỊNH KỲ"}
tasks:
`)
	for i, when := range []string{"trước ngày 15 hằng tháng", "hằng tháng", "chậm nhất vào ngày 20 tháng cuối quý"} {
		fmt.Fprintf(&b, `  - id: "I.%d"
    section: "I"
    task: "Báo cáo định kỳ số %d về cải cách hành chính"
    product: "Báo cáo của cơ quan"
    time: "%s"
    lead_text: "Các cơ quan thử nghiệm"
    lead: [cac-co-quan]
    legal_basis: "Mục I.%d Phụ lục kèm theo Quyết định số 2/QĐ-TN"
`, i+1, i+1, when, i+1)
	}
	return b.String()
}
