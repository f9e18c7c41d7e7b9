package notify

// deliver: claim the ready rows, send one message per recipient over one
// connection per batch, and record each answer.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/email"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// leaseFor is how long a claim holds: long enough for one batch over a slow
// server, short enough that a crashed daemon's claims come back soon.
const leaseFor = 5 * time.Minute

// deliver claims ready notifications and sends them, one message per
// recipient, over one connection per batch.
func (e *Engine) deliver(ctx context.Context, s Setup, now time.Time, today schedule.Date, rep *TickReport) error {
	for round := 0; round < 100; round++ {
		claimed, err := e.Store.Claim(ctx, e.Worker, leaseFor, 50)
		if err != nil {
			return err
		}
		if len(claimed) == 0 {
			return nil
		}
		groups := groupByRecipient(claimed)
		var msgs []*gomail.Msg
		var built [][]sqlite.Notification
		var infos []SentMessage
		for _, g := range groups {
			m, info, err := e.compose(ctx, s, now, today, g)
			if err != nil {
				// A message that cannot be built (a hostile address, a broken
				// template) is a permanent failure of its rows, reported.
				e.Log.Error().Err(err).Str("to", g[0].Recipient).Msg("cannot build message")
				if err := e.Store.MarkFailed(ctx, err.Error(), true, time.Time{}, ids(g)...); err != nil {
					return err
				}
				rep.Failed += len(g)
				continue
			}
			if m == nil {
				// Nothing left to say (every occurrence closed meanwhile).
				if err := e.Store.MarkFailed(ctx, "nothing to send: occurrences closed", true, time.Time{}, ids(g)...); err != nil {
					return err
				}
				continue
			}
			msgs = append(msgs, m)
			built = append(built, g)
			infos = append(infos, info)
		}
		if len(msgs) == 0 {
			continue
		}
		stop := false
		var markErr error
		record := func(i int, res email.Result) {
			if markErr != nil {
				return
			}
			g := built[i]
			switch res.Class {
			case email.OK:
				markErr = e.Store.MarkSent(ctx, infos[i].MessageID, res.Response, ids(g)...)
				rep.Sent = append(rep.Sent, infos[i])
			case email.Permanent:
				e.Log.Error().Err(res.Err).Str("to", g[0].Recipient).Msg("permanent delivery failure")
				markErr = e.Store.MarkFailed(ctx, errText(res), true, time.Time{}, ids(g)...)
				rep.Failed += len(g)
				rep.Failures = append(rep.Failures, Failure{Kind: infos[i].Kind, Class: res.Class})
			default: // temporary or configuration: retry later, with capped backoff
				if res.Class == email.Config {
					e.Log.Error().Err(res.Err).Msg("mail configuration error: check the SMTP settings")
				}
				retry := now.Add(backoff(g[0].Attempts, res.Class))
				markErr = e.Store.MarkFailed(ctx, errText(res), false, retry, ids(g)...)
				rep.Failed += len(g)
				rep.Failures = append(rep.Failures, Failure{Kind: infos[i].Kind, Class: res.Class})
				stop = true
			}
		}
		if es, ok := e.Sender.(email.EachSender); ok {
			// Commit each "sent" as soon as the server said 250: a crash then
			// re-sends at most the message in flight.
			done := make([]bool, len(msgs))
			// If "sent" cannot be committed (disk full), stop sending: each
			// further message would be sent again after the restart.
			sendCtx, cancel := context.WithCancel(ctx)
			results := es.SendEach(sendCtx, msgs, func(i int, r email.Result) {
				done[i] = true
				record(i, r)
				if markErr != nil {
					cancel()
				}
			})
			cancel()
			for i, r := range results {
				if !done[i] {
					record(i, r)
				}
			}
		} else {
			for i, r := range e.Sender.Send(ctx, msgs) {
				record(i, r)
			}
		}
		if markErr != nil {
			return markErr
		}
		if stop {
			// The server is down or refuses us: do not hammer it this tick.
			return nil
		}
	}
	return nil
}

func errText(r email.Result) string {
	if r.Err != nil {
		return r.Err.Error()
	}
	return r.Response
}

// backoff doubles from one minute to an hour for temporary failures; a
// configuration error (auth, TLS) waits the cap at once: it needs a person.
func backoff(attempts int, class email.Class) time.Duration {
	if class == email.Config {
		return time.Hour
	}
	d := time.Minute << min(attempts, 6)
	return min(d, time.Hour)
}

func ids(ns []sqlite.Notification) []int64 {
	out := make([]int64, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

// groupByRecipient puts each recipient's rows together: one message each.
func groupByRecipient(ns []sqlite.Notification) [][]sqlite.Notification {
	by := map[string][]sqlite.Notification{}
	var order []string
	for _, n := range ns {
		// Summaries are their own messages; the day's reminders, copies
		// and escalations to one recipient are grouped into one.
		k := strings.ToLower(n.Recipient)
		if n.Kind == string(email.KindWeekly) || strings.HasPrefix(n.Kind, string(email.KindDigest)) {
			k += "|" + n.Kind
		}
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], n)
	}
	sort.Strings(order)
	out := make([][]sqlite.Notification, 0, len(order))
	for _, k := range order {
		out = append(out, by[k])
	}
	return out
}

// messageKey is deterministic for a set of outbox rows, so that a message
// re-sent after a crash carries the same Message-ID.
func messageKey(g []sqlite.Notification) string {
	keys := make([]string, len(g))
	for i, n := range g {
		keys[i] = n.Key
	}
	sort.Strings(keys)
	h := sha256.Sum256([]byte(strings.Join(keys, "\n")))
	return hex.EncodeToString(h[:])
}
