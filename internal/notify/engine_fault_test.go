package notify

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/email"
)

// flakySender fails every message temporarily while down, and rejects one
// address permanently; otherwise it delivers through capture.
type flakySender struct {
	capture *captureSender
	down    bool
	reject  string
	// busy is an address whose mailbox answers 452 (temporarily) to
	// every message while set.
	busy     string
	attempts int
}

func (f *flakySender) Send(ctx context.Context, msgs []*gomail.Msg) []email.Result {
	out := make([]email.Result, len(msgs))
	var pass []*gomail.Msg
	var at []int
	for i, m := range msgs {
		f.attempts++
		to := m.GetToString()
		switch {
		case f.down:
			out[i] = email.Result{Class: duty.Temporary, Err: errors.New("451 4.3.0 try again later")}
		case f.reject != "" && len(to) == 1 && strings.Contains(strings.ToLower(to[0]), f.reject):
			out[i] = email.Result{Class: duty.Permanent, Err: errors.New("550 5.1.1 mailbox unavailable")}
		case f.busy != "" && len(to) == 1 && (strings.EqualFold(to[0], f.busy) || strings.Contains(strings.ToLower(to[0]), "<"+f.busy+">")):
			out[i] = email.Result{Class: duty.Temporary, Err: errors.New("452 4.2.2 mailbox full")}
		default:
			pass = append(pass, m)
			at = append(at, i)
		}
	}
	for j, r := range f.capture.Send(ctx, pass) {
		out[at[j]] = r
	}
	return out
}

func TestTemporaryFailuresAreRetriedAndDeliveredOnce(t *testing.T) {
	h := newHarness(t)
	fs := &flakySender{capture: h.sender, down: true}
	h.setSender(fs)
	day := d("2027-06-07")
	h.now = day.In(h.loc).Add(9 * time.Hour)
	rep, err := h.eng.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sent) != 0 || rep.Failed == 0 {
		t.Fatalf("server down: sent %d, failed %d", len(rep.Sent), rep.Failed)
	}
	// Still down a minute later: the backoff holds the rows back, no storm.
	before := fs.attempts
	h.now = h.now.Add(30 * time.Second)
	if _, err := h.eng.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if fs.attempts != before {
		t.Errorf("retried inside the backoff: %d attempts → %d", before, fs.attempts)
	}
	fs.down = false
	for i := 0; i < 5; i++ { // the server is back: later ticks deliver
		h.now = h.now.Add(10 * time.Minute)
		if _, err := h.eng.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	got := h.log()
	want := []string{"2027-06-07 a@t.example nhac T1, T3", "2027-06-07 snv@t.example theo T1, T3"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("after recovery got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	depth, err := h.store.OutboxDepth(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if depth.Pending != 0 || depth.Claimed != 0 {
		t.Errorf("outbox not drained: %+v", depth)
	}
}

func TestPermanentFailureForOneRecipientDoesNotBlockOthers(t *testing.T) {
	h := newHarness(t)
	fs := &flakySender{capture: h.sender, reject: "snv@t.example"}
	h.setSender(fs)
	h.now = d("2027-06-07").In(h.loc).Add(9 * time.Hour)
	rep, err := h.eng.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sent) != 1 || rep.Failed == 0 {
		t.Fatalf("sent %d, failed %d; want a delivered, snv failed", len(rep.Sent), rep.Failed)
	}
	if got := h.log(); len(got) != 1 || !strings.Contains(got[0], "a@t.example") {
		t.Fatalf("got %v", got)
	}
	depth, err := h.store.OutboxDepth(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if depth.Failed == 0 || depth.Pending != 0 {
		t.Errorf("the permanent failure is not recorded as failed: %+v", depth)
	}
	// A permanent failure is not retried.
	n := fs.attempts
	h.now = h.now.Add(2 * time.Hour)
	if _, err := h.eng.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if fs.attempts != n {
		t.Errorf("permanent failure retried")
	}
}

// The soak found it: the agency's mailbox refused the overdue notice (E1)
// for a week, until level 2 (E2) was reached, which cancelled the pending
// E1 and, as E2 goes to the head and above, left the agency's own mailbox
// without any overdue notice. A later step now cancels a pending one only
// for the recipients it reaches itself: the agency gets its E1 once the
// mailbox takes mail again, and the head gets E1 and E2 as before.
func TestPendingOverdueNoticeOutlivesLevel2(t *testing.T) {
	h := newHarness(t)
	fs := &flakySender{capture: h.sender}
	h.setSender(fs)
	h.run("2027-06-01", "2027-06-21")
	fs.busy = "a@t.example"
	h.run("2027-06-22", "2027-06-29") // E1 on 22/6, E2 on 28/6
	fs.busy = ""
	h.run("2027-06-30", "2027-07-02")
	var got []string
	for _, l := range h.log() {
		if l >= "2027-06-22" {
			got = append(got, l)
		}
	}
	want := []string{
		"2027-06-22 head-a@t.example qua T1, T3",
		"2027-06-22 snv@t.example theo T1, T3",
		"2027-06-28 head-a@t.example qua T1, T3",
		"2027-06-28 lanhdao-snv@t.example theo T1, T3",
		"2027-06-28 snv@t.example theo T1, T3",
		"2027-06-28 vp@t.example theo T1, T3",
		"2027-06-30 a@t.example qua T1, T3",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("from 22/6 got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	depth, err := h.store.OutboxDepth(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if depth.Pending != 0 || depth.Claimed != 0 {
		t.Errorf("outbox not drained: %+v", depth)
	}
}
