package notify

// compose: what a message says — its recipient, its items and the
// summaries Sở Nội vụ receives.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// compose builds the notice for one recipient's rows, and the steps it
// carries for the log. A notice with no items has nothing left to say.
func (e *Engine) compose(ctx context.Context, s Setup, now time.Time, today schedule.Date, g []duty.Notification) (duty.Notice, []string, error) {
	to := duty.Recipient{Addr: g[0].Recipient}
	to.Name, _ = s.RecipientName(to.Addr, today)
	n := duty.Notice{Key: messageKey(g), To: to, Kind: duty.KindReminder, Date: now.In(s.Location), Copy: true}
	var steps []string
	// The agency whose mailbox or head this is: it answers for the items
	// owed by that agency, and only those carry its action links.
	self := s.Planner.Directory.ByEmail(to.Addr)
	answers, others := false, false
	for _, row := range g {
		if row.Kind == string(duty.KindWeekly) {
			items, err := e.weeklyItems(ctx, s, today)
			if err != nil {
				return n, nil, err
			}
			n.Kind, n.Copy = duty.KindWeekly, false
			n.Items = append(n.Items, items...)
			steps = append(steps, row.Step)
			continue
		}
		if strings.HasPrefix(row.Kind, string(duty.KindDigest)) {
			items, err := e.digestItems(ctx, s, today)
			if err != nil {
				return n, nil, err
			}
			n.Kind, n.Copy = duty.KindDigest, false
			n.Items = append(n.Items, items...)
			steps = append(steps, row.Step)
			continue
		}
		o, err := e.Store.Occurrence(ctx, row.OccurrenceID)
		if err != nil {
			return n, nil, err
		}
		if o.State != duty.StateOpen && o.State != duty.StateUnassigned {
			continue
		}
		it, ok := itemFor(s, o, row.Step, today)
		if !ok {
			continue
		}
		if it.Escalation && n.Kind != duty.KindDigest {
			n.Kind = duty.KindEscalation
		}
		if !strings.HasSuffix(row.Kind, "-copy") {
			n.Copy = false
		}
		if o.AgencyID != "" {
			if self != nil && self.ID == o.AgencyID {
				answers = true
			} else {
				others = true
				if !strings.HasSuffix(row.Kind, "-copy") {
					// The links act for the agency: a coordinating agency or
					// the leadership gets none (Sở Nội vụ's copy keeps them).
					it.ConfirmURL, it.ExtendURL = "", ""
				}
			}
		}
		n.Items = append(n.Items, it)
		steps = append(steps, fmt.Sprintf("%s/%s:%s", o.TaskID, o.Period, row.Step))
	}
	if n.Kind == duty.KindEscalation && !n.Copy && others && !answers {
		// Level 2 to the leadership or Văn phòng UBND tỉnh: they are
		// informed and urge the agency on.
		n.Oversight = true
	}
	return n, steps, nil
}

// itemFor describes an occurrence in a message.
func itemFor(s Setup, o duty.Occurrence, step string, today schedule.Date) (duty.Item, bool) {
	t := findTask(s, o.ScheduleID, o.TaskID)
	if t == nil {
		return duty.Item{}, false
	}
	dir := s.Planner.Directory
	it := duty.Item{
		Key:  fmt.Sprintf("%s/%s/%s/%s", o.ScheduleID, o.TaskID, o.Period, o.NamedAgencyID),
		Step: step, Escalation: isEscalation(step),
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
func (e *Engine) digestItems(ctx context.Context, s Setup, today schedule.Date) ([]duty.Item, error) {
	queued, err := e.Store.EnqueuedSince(ctx, today.In(s.Location))
	if err != nil {
		return nil, err
	}
	var out []duty.Item
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
func (e *Engine) weeklyItems(ctx context.Context, s Setup, today schedule.Date) ([]duty.Item, error) {
	span := s.Policy.EscalationSpan() + 14
	open, err := e.Store.OpenOccurrencesBetween(ctx, today.AddDays(-span), today.AddDays(14))
	if err != nil {
		return nil, err
	}
	var out []duty.Item
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
		if it, ok := itemFor(s, r.Occurrence, "", today); ok {
			it.SubmittedOn = r.SubmittedOn
			out = append(out, it)
		}
	}
	return out, nil
}

// isEscalation reports whether a stored step key is an escalation's.
func isEscalation(key string) bool {
	st, err := duty.ParseStepKey(key)
	return err == nil && st.Kind == duty.Escalation
}
