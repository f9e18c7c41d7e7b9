package main

// The soak harness of `make soak`: a year of virtual time, one month per
// run of the real `nhachan simulate` on the same database, against a
// Mailpit that refuses MAIL and RCPT at random (its chaos triggers). It
// records each run's peak memory and the WAL's peak size, and checks that
// both stay flat and that nothing was lost.

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
	From, To      schedule.Date
	Sent, Failed  int
	MaxRSSKB      int64
	MaxWAL        int64
	Took          time.Duration
	Pending, Rows int
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

	var runs []soakRun
	run := func(from, to schedule.Date) {
		t.Helper()
		r := soakSimulate(t, bin, c, smtpURL(mp), from, to)
		st := outboxStates(t, c.DB)
		r.Pending = st["pending"] + st["claimed"]
		for _, n := range st {
			r.Rows += n
		}
		runs = append(runs, r)
		t.Logf("%s – %s: %5d sent, %4d failed attempts, peak RSS %6.1f MB, peak WAL %6.2f MB, %5d rows (%d not yet sent), %s",
			from, to, r.Sent, r.Failed, float64(r.MaxRSSKB)/1024, float64(r.MaxWAL)/(1<<20), r.Rows, r.Pending, r.Took.Round(time.Millisecond))
	}
	for m := 1; m <= 12; m++ {
		from := schedule.NewDate(2027, time.Month(m), 1)
		to := from.AddDays(schedule.DaysIn(2027, time.Month(m)) - 1)
		run(from, to)
	}
	// Retries of the last days fall due after 31 December: a week more,
	// without faults, lets them go.
	setChaos(t, mp, noChaos)
	run(schedule.NewDate(2028, 1, 1), schedule.NewDate(2028, 1, 7))

	// Nothing lost: every row sent or failed for good, and Mailpit holds
	// exactly the messages the outbox recorded as sent.
	st := outboxStates(t, c.DB)
	if st["pending"] != 0 || st["claimed"] != 0 {
		t.Errorf("outbox states after the year: %v, want none pending or claimed", st)
	}
	// Nobody submits here, so the only cancellations are reminders that
	// retries delayed past their day, superseded by a later step's notice
	// (SupersedePending): that notice must have gone to the same
	// recipient.
	var stale, orphans int
	db := openDBReadOnly(t, c.DB)
	if err := db.QueryRow(`SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM outbox s
			WHERE s.occurrence_id = o.occurrence_id AND s.recipient = o.recipient AND s.state = 'sent'
			AND s.step = substr(o.last_error, length('superseded by ') + 1))), 0)
		FROM outbox o WHERE o.state = 'cancelled'`).Scan(&stale, &orphans); err != nil {
		t.Fatal(err)
	}
	var otherCancel int
	if err := db.QueryRow(`SELECT count(*) FROM outbox WHERE state = 'cancelled' AND last_error NOT LIKE 'superseded by %'`).Scan(&otherCancel); err != nil {
		t.Fatal(err)
	}
	if otherCancel > 0 || orphans > 0 {
		t.Errorf("%d cancelled rows: %d not superseded, %d whose superseding step was never sent to the recipient", stale, otherCancel, orphans)
	}
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
	totalSent, totalFailed := 0, 0
	for _, r := range runs {
		totalSent += r.Sent
		totalFailed += r.Failed
	}
	if totalSent != len(perID) {
		t.Errorf("simulate printed %d messages, Mailpit holds %d distinct Message-IDs", totalSent, len(perID))
	}
	if totalFailed == 0 {
		t.Errorf("no failed attempt in the whole year: Mailpit's chaos did not bite")
	}
	if ic := integrityCheck(t, c.DB); ic != "ok" {
		t.Errorf("PRAGMA integrity_check: %s", ic)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "\n%-23s %6s %7s %10s %10s %7s %8s\n", "run", "sent", "fail*", "peak RSS", "peak WAL", "rows", "time")
	for _, r := range runs {
		fmt.Fprintf(&b, "%s – %s %6d %7d %7.1f MB %7.2f MB %7d %8s\n", r.From, r.To, r.Sent, r.Failed,
			float64(r.MaxRSSKB)/1024, float64(r.MaxWAL)/(1<<20), r.Rows, r.Took.Round(10*time.Millisecond))
	}
	fmt.Fprintf(&b, "* failed: outbox rows in attempts refused with a 4xx (retried later)\n")
	fmt.Fprintf(&b, "year: %d messages (%d distinct in Mailpit, %d duplicates), %d failed attempts retried, outbox %v (cancelled: superseded by a later step that was sent)",
		totalSent, len(perID), dups, totalFailed, st)
	t.Log(b.String())

	// Flat: December costs no more than the first quarter (×1.5 + 5 MB).
	// The baseline is the first quarter's peak, not January's: nobody
	// submits, so overdue repeats (weekly, up to max_repeats) pile onto
	// the new reminders until about March, and a month's work, hence its
	// peak memory, grows until then (January ~47 MB, March ~79 MB in one
	// run); from then on it is steady, and growth would be a leak.
	var base soakRun
	for _, r := range runs[:3] {
		base.MaxRSSKB = max(base.MaxRSSKB, r.MaxRSSKB)
		base.MaxWAL = max(base.MaxWAL, r.MaxWAL)
	}
	last := runs[11]
	if lim := base.MaxRSSKB*3/2 + 5*1024; last.MaxRSSKB > lim {
		t.Errorf("peak RSS grew: first quarter %d KB, December %d KB (limit %d KB)", base.MaxRSSKB, last.MaxRSSKB, lim)
	}
	if lim := base.MaxWAL*3/2 + 5<<20; last.MaxWAL > lim {
		t.Errorf("peak WAL grew: first quarter %d B, December %d B (limit %d B)", base.MaxWAL, last.MaxWAL, lim)
	}
}

// soakSimulate runs `nhachan simulate` over [from, to] on c's database,
// sampling the WAL's size while it runs; the peak RSS is the child's
// rusage.
func soakSimulate(t *testing.T, bin string, c *procConfig, smtp string, from, to schedule.Date) soakRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "simulate", "--quiet", "--from", from.String(), "--to", to.String(),
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
