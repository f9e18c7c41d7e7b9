package notify

// compose: what a message says — its recipient, its items and the
// summaries Sở Nội vụ receives.

import (
	"context"
	"fmt"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/email"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// compose builds the message for one recipient's rows.
func (e *Engine) compose(ctx context.Context, s Setup, now time.Time, today schedule.Date, g []sqlite.Notification) (*gomail.Msg, SentMessage, error) {
	to := email.Recipient{Addr: g[0].Recipient}
	to.Name, _ = s.RecipientName(to.Addr, today)
	m := email.Message{Key: messageKey(g), From: s.From, To: to, Kind: email.KindReminder, Date: now, Copy: true}
	info := SentMessage{To: to.Addr}
	// The agency whose mailbox or head this is: it answers for the items
	// owed by that agency, and only those carry its action links.
	self := s.Planner.Directory.ByEmail(to.Addr)
	answers, others := false, false
	for _, n := range g {
		if n.Kind == string(email.KindWeekly) {
			items, err := e.weeklyItems(ctx, s, today)
			if err != nil {
				return nil, info, err
			}
			m.Kind, m.Copy = email.KindWeekly, false
			m.Items = append(m.Items, items...)
			info.Steps = append(info.Steps, n.Step)
			continue
		}
		if strings.HasPrefix(n.Kind, string(email.KindDigest)) {
			items, err := e.digestItems(ctx, s, today)
			if err != nil {
				return nil, info, err
			}
			m.Kind, m.Copy = email.KindDigest, false
			m.Items = append(m.Items, items...)
			info.Steps = append(info.Steps, n.Step)
			continue
		}
		o, err := e.Store.Occurrence(ctx, n.OccurrenceID)
		if err != nil {
			return nil, info, err
		}
		if o.State != sqlite.StateOpen && o.State != sqlite.StateUnassigned {
			continue
		}
		it, ok := itemFor(s, o, n.Step, today)
		if !ok {
			continue
		}
		if it.Escalation && m.Kind != email.KindDigest {
			m.Kind = email.KindEscalation
		}
		if !strings.HasSuffix(n.Kind, "-copy") {
			m.Copy = false
		}
		if o.AgencyID != "" {
			if self != nil && self.ID == o.AgencyID {
				answers = true
			} else {
				others = true
				if !strings.HasSuffix(n.Kind, "-copy") {
					// The links act for the agency: a coordinating agency or
					// the leadership gets none (Sở Nội vụ's copy keeps them).
					it.ConfirmURL, it.ExtendURL = "", ""
				}
			}
		}
		m.Items = append(m.Items, it)
		info.Steps = append(info.Steps, fmt.Sprintf("%s/%s:%s", o.TaskID, o.Period, n.Step))
	}
	if len(m.Items) == 0 {
		return nil, info, nil
	}
	if m.Kind == email.KindEscalation && !m.Copy && others && !answers {
		// Level 2 to the leadership or Văn phòng UBND tỉnh: they are
		// informed and urge the agency on.
		m.Oversight = true
	}
	r, err := s.Templates.Render(m)
	if err != nil {
		return nil, info, err
	}
	msg, err := email.Build(m, r, s.Domain)
	if err != nil {
		return nil, info, err
	}
	info.Subject, info.Kind, info.MessageID = r.Subject, m.Kind, email.MessageID(m.Key, s.Domain)
	return msg, info, nil
}

// itemFor describes an occurrence in a message.
func itemFor(s Setup, o sqlite.OccurrenceRow, step string, today schedule.Date) (email.Item, bool) {
	t := findTask(s, o.ScheduleID, o.TaskID)
	if t == nil {
		return email.Item{}, false
	}
	dir := s.Planner.Directory
	it := email.Item{
		Key:  fmt.Sprintf("%s/%s/%s/%s", o.ScheduleID, o.TaskID, o.Period, o.NamedAgencyID),
		Step: step, Escalation: strings.HasPrefix(step, "E"),
		TaskID: t.ID, TaskText: t.Text, Product: t.Product, Period: o.Period,
		Due: o.Due, EffectiveDue: o.Deadline, DaysLeft: int(o.Deadline - today),
		LegalBasis: t.LegalBasis,
	}
	if a, ok := dir.Agency(o.AgencyID); ok {
		it.Agency = a.Name
		if s.Links != nil {
			it.ConfirmURL, it.ExtendURL = s.Links(o.ID, a.ID, o.Deadline)
		}
	} else if a, ok := dir.Agency(o.NamedAgencyID); ok {
		it.Agency = a.Name
		it.Unassigned = dir.WhyUnassigned(a, o.Deadline)
	}
	it.Lead = roleNames(dir, t.Lead, o.Deadline)
	it.Coordinating = roleNames(dir, t.Coordinating, o.Deadline)
	return it, true
}

// roleNames names a task's lead or coordinating agencies as a message shows
// them: a group by its own name ("UBND các huyện, thành phố"), never by its
// members, which may be thousands, and an agency by the agency that answers
// for it on the day (its successor after a merger). An agency that nobody
// answers for any more is left out, as it is from the recipients.
func roleNames(dir *model.Directory, ids []string, on schedule.Date) []string {
	var out []string
	seen := map[string]bool{}
	add := func(name string) {
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	for _, id := range ids {
		if g, ok := dir.Group(id); ok {
			add(g.Name)
			continue
		}
		for _, a := range dir.Resolve([]string{id}, on) {
			if a.Agency != nil {
				add(a.Agency.Name)
			}
		}
	}
	return out
}

// digestItems lists what was queued today for the agencies, for Sở Nội
// vụ's daily digest.
func (e *Engine) digestItems(ctx context.Context, s Setup, today schedule.Date) ([]email.Item, error) {
	queued, err := e.Store.EnqueuedSince(ctx, today.In(s.Location))
	if err != nil {
		return nil, err
	}
	var out []email.Item
	seen := map[int64]bool{}
	for _, n := range queued {
		if seen[n.OccurrenceID] {
			continue
		}
		seen[n.OccurrenceID] = true
		o, err := e.Store.Occurrence(ctx, n.OccurrenceID)
		if err != nil {
			return nil, err
		}
		if it, ok := itemFor(s, o, n.Step, today); ok {
			out = append(out, it)
		}
	}
	return out, nil
}

// weeklyItems lists, for the weekly summary: duties due in the next two
// weeks, duties overdue (within the escalation span) and submissions of
// the past seven days.
func (e *Engine) weeklyItems(ctx context.Context, s Setup, today schedule.Date) ([]email.Item, error) {
	span := s.Policy.EscalationSpan() + 14
	open, err := e.Store.OpenOccurrencesBetween(ctx, today.AddDays(-span), today.AddDays(14))
	if err != nil {
		return nil, err
	}
	var out []email.Item
	for _, o := range open {
		if it, ok := itemFor(s, o, "", today); ok {
			out = append(out, it)
		}
	}
	done, err := e.Store.SubmittedBetween(ctx, today.AddDays(-7), today)
	if err != nil {
		return nil, err
	}
	for _, r := range done {
		if it, ok := itemFor(s, r.OccurrenceRow, "", today); ok {
			it.SubmittedOn = r.SubmittedOn
			out = append(out, it)
		}
	}
	return out, nil
}
