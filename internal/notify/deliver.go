package notify

// deliver: claim the ready rows, hand one notice per recipient to the
// channel, and record each outcome.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// leaseFor is how long a claim holds: long enough for one batch over a slow
// server, short enough that a crashed daemon's claims come back soon.
const leaseFor = 5 * time.Minute

// deliver claims ready notifications and hands them to the channel, one
// notice per recipient, one batch per claim.
func (e *Engine) deliver(ctx context.Context, s Setup, now time.Time, today schedule.Date, rep *TickReport) error {
	for round := 0; round < 100; round++ {
		claimed, err := e.Store.Claim(ctx, e.Worker, leaseFor, 50)
		if err != nil {
			return err
		}
		if len(claimed) == 0 {
			return nil
		}
		var notices []duty.Notice
		var groups [][]duty.Notification
		var steps [][]string
		for _, g := range groupByRecipient(claimed) {
			n, st, err := e.compose(ctx, s, now, today, g)
			if err != nil {
				return err
			}
			if len(n.Items) == 0 && len(n.Duties) == 0 {
				// Nothing left to say (every occurrence closed meanwhile).
				if err := e.Store.MarkFailed(ctx, "nothing to send: occurrences closed", true, time.Time{}, ids(g)...); err != nil {
					return err
				}
				continue
			}
			notices = append(notices, n)
			groups = append(groups, g)
			steps = append(steps, st)
		}
		if len(notices) == 0 {
			continue
		}
		stop, err := e.send(ctx, s.Channel, now, notices, groups, steps, rep)
		if err != nil {
			return err
		}
		if stop {
			// The server is down or refuses us: do not hammer it this tick.
			return nil
		}
	}
	return nil
}

// send hands the notices to the channel and records each outcome as soon
// as it is known. It reports stop when the channel failed for now (retry
// next tick), and an error when an outcome could not be recorded: then the
// batch is cancelled, since each further notice would be sent again after
// a restart.
func (e *Engine) send(ctx context.Context, ch Channel, now time.Time, notices []duty.Notice, groups [][]duty.Notification, steps [][]string, rep *TickReport) (stop bool, err error) {
	sendCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch.Deliver(sendCtx, notices, func(i int, o duty.Outcome) {
		if err != nil {
			return
		}
		g := groups[i]
		switch o.Class {
		case duty.Delivered:
			err = e.Store.MarkSent(ctx, o.MessageID, o.Response, ids(g)...)
			rep.Sent = append(rep.Sent, SentMessage{To: notices[i].To.Addr, Subject: o.Subject,
				MessageID: o.MessageID, Kind: notices[i].Kind, Steps: steps[i]})
		case duty.Permanent:
			e.Log.Error().Err(o.Err).Str("to", g[0].Recipient).Msg("permanent delivery failure")
			err = e.Store.MarkFailed(ctx, errText(o), true, time.Time{}, ids(g)...)
			rep.Failed += len(g)
			rep.Failures = append(rep.Failures, Failure{Kind: notices[i].Kind, Class: o.Class})
		default: // temporary or misconfigured: retry later, with capped backoff
			if o.Class == duty.Misconfigured {
				e.Log.Error().Err(o.Err).Msg("delivery configuration error: check the SMTP settings")
			}
			err = e.Store.MarkFailed(ctx, errText(o), false, now.Add(backoff(g[0].Attempts, o.Class)), ids(g)...)
			rep.Failed += len(g)
			rep.Failures = append(rep.Failures, Failure{Kind: notices[i].Kind, Class: o.Class})
			stop = true
		}
		if err != nil {
			cancel()
		}
	})
	return stop, err
}

func errText(o duty.Outcome) string {
	if o.Err != nil {
		return o.Err.Error()
	}
	return o.Response
}

// backoff doubles from one minute to an hour for temporary failures; a
// configuration error (auth, TLS) waits the cap at once: it needs a person.
func backoff(attempts int, class duty.Class) time.Duration {
	if class == duty.Misconfigured {
		return time.Hour
	}
	d := time.Minute << min(attempts, 6)
	return min(d, time.Hour)
}

func ids(ns []duty.Notification) []int64 {
	out := make([]int64, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

// groupByRecipient puts each recipient's rows together: one message each.
func groupByRecipient(ns []duty.Notification) [][]duty.Notification {
	by := map[string][]duty.Notification{}
	var order []string
	for _, n := range ns {
		// Summaries are their own messages; the day's reminders, copies
		// and escalations to one recipient are grouped into one.
		k := strings.ToLower(n.Recipient)
		// What a recipient owes and what it oversees are two letters.
		if n.Kind == string(duty.KindWeekly) || strings.HasPrefix(n.Kind, string(duty.KindDigest)) {
			k += "|" + n.Kind
		} else if IsOversight(n.Kind) {
			k += "|oversight"
		}
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], n)
	}
	sort.Strings(order)
	out := make([][]duty.Notification, 0, len(order))
	for _, k := range order {
		out = append(out, by[k])
	}
	return out
}

// messageKey is deterministic for a set of outbox rows, so that a message
// re-sent after a crash carries the same Message-ID.
func messageKey(g []duty.Notification) string {
	keys := make([]string, len(g))
	for i, n := range g {
		keys[i] = n.Key
	}
	sort.Strings(keys)
	h := sha256.Sum256([]byte(strings.Join(keys, "\n")))
	return hex.EncodeToString(h[:])
}
