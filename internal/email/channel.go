package email

import (
	"context"
	"fmt"

	"github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// Channel delivers the engine's notices as mail: it renders each notice
// with the templates, builds the go-mail message with deterministic
// headers and sends the batch over one connection. It satisfies the
// engine's channel interface; a reload builds a new Channel (new
// templates, sender identity or server) and swaps it in with the rest of
// the configuration.
type Channel struct {
	Sender    Sender
	Templates *Templates
	// From is the follow-up agency's mailbox and display name; ReplyTo,
	// when set, is its desk.
	From, ReplyTo duty.Recipient
	// Domain is the right-hand side of Message-IDs.
	Domain string
}

// Deliver sends each notice and calls each(i, outcome) once per notice,
// as soon as its outcome is known: a notice whose letter cannot be built
// (a hostile address, a broken template) is a permanent failure of its own
// and does not hold the others back. Cancelling ctx stops the batch; the
// notices not yet attempted are reported as temporary failures.
func (c *Channel) Deliver(ctx context.Context, notices []duty.Notice, each func(i int, o duty.Outcome)) {
	msgs := make([]*mail.Msg, 0, len(notices))
	index := make([]int, 0, len(notices)) // msgs[j] is notices[index[j]]
	outs := make([]duty.Outcome, len(notices))
	for i, n := range notices {
		m := Message{Notice: n, From: c.From, ReplyTo: c.ReplyTo}
		if n.Sender != "" {
			// The follow-up agency as it is named on the send day speaks.
			m.From.Name = n.Sender
		}
		if n.Contact.Addr != "" {
			// Replies go to its desk of the send day.
			m.ReplyTo = duty.Recipient{Addr: n.Contact.Addr, Name: n.Contact.Desk}
		}
		r, err := c.Templates.Render(m)
		var msg *mail.Msg
		if err == nil {
			msg, err = Build(m, r, c.Domain)
		}
		if err != nil {
			each(i, duty.Outcome{Class: duty.Permanent, Err: fmt.Errorf("cannot build the letter: %w", err)})
			continue
		}
		outs[i].Subject, outs[i].MessageID = r.Subject, MessageID(n.Key, c.Domain)
		msgs = append(msgs, msg)
		index = append(index, i)
	}
	if len(msgs) == 0 {
		return
	}
	done := make([]bool, len(msgs))
	report := func(j int, r Result) {
		done[j] = true
		o := outs[index[j]]
		o.Class, o.Err, o.Response = r.Class, r.Err, r.Response
		each(index[j], o)
	}
	var results []Result
	if es, ok := c.Sender.(EachSender); ok {
		// Each outcome as soon as the server answers: the engine commits
		// "sent" right away, so a crash re-sends at most the letter in
		// flight.
		results = es.SendEach(ctx, msgs, report)
	} else {
		results = c.Sender.Send(ctx, msgs)
	}
	for j, r := range results {
		if !done[j] {
			report(j, r)
		}
	}
}
