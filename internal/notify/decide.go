package notify

// decide: which step each open duty has reached today, and to whom it
// goes — the rows the outbox will deliver.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// decide enqueues the step each open occurrence has reached today.
func (e *Engine) decide(ctx context.Context, s Setup, today schedule.Date, rep *TickReport) error {
	cal := s.Planner.Calendar
	span, ahead := s.Policy.EscalationSpan()+14, horizon(s)
	open, err := e.Store.OpenOccurrencesBetween(ctx, today.AddDays(-span), today.AddDays(ahead))
	if err != nil {
		return err
	}
	// Duties nobody answers for go to Sở Nội vụ, so that somebody acts.
	orphans, err := e.Store.UnassignedBetween(ctx, today.AddDays(-span), today.AddDays(ahead))
	if err != nil {
		return err
	}
	open = append(open, orphans...)
	stepDay := today
	if s.AnyTime && !cal.IsWorkingDay(today) {
		stepDay = cal.PrevWorkingDay(today) // steps fall on working days
	}
	dir := s.Planner.Directory
	// Everyone is taken as they are on the send day: Sở Nội vụ, Văn phòng
	// UBND tỉnh and the leadership lists, like the agencies below. Mail
	// about a Ninh Thuận duty sent after the merger goes to Khánh Hòa,
	// and nothing goes to an agency before it exists.
	base := Recipients{FollowUpLeadership: duty.AddrsOn(s.FollowUpLeadership, today), ProvincialLeadership: duty.AddrsOn(s.ProvincialLeadership, today)}
	if a, ok := dir.Agency(s.FollowUp); ok {
		base.FollowUp = a
	}
	if a, ok := dir.Agency(s.ProvincialOffice); ok {
		base.ProvincialOffice = a
	}
	rcpt := base.On(dir, today)
	var batch []duty.Notification
	for _, o := range open {
		t := findTask(s, o.ScheduleID, o.TaskID)
		if t == nil || e.dropped[o.ID] {
			continue // no longer planned: keep the row, send nothing
		}
		pol := s.Policy
		if t.ReminderDays != nil {
			pol.ReminderDays = t.ReminderDays
		}
		pl, reason, ok := duty.Reached(o.Deadline, stepDay, cal, pol)
		if ok && t.RemindOnly && pl.Step.Kind == duty.Escalation {
			reason, ok = duty.ReasonRemindOnly, false
		}
		if !ok {
			e.Log.Debug().Int64("occurrence", o.ID).Str("reason", string(reason)).Msg("nothing to send")
			continue
		}
		agency := AnsweringOn(dir, o.NamedAgencyID, o.AgencyID, today)
		var coord []*model.Agency
		if pol.RemindCoordinating {
			for _, a := range dir.Resolve(t.Coordinating, today) {
				if a.Agency != nil {
					coord = append(coord, a.Agency)
				}
			}
		}
		kind := string(duty.KindReminder)
		if pl.Step.Kind == duty.Escalation {
			kind = string(duty.KindEscalation)
		}
		targets := rcpt.For(agency, coord, pl.Step, pol)
		addrs := make([]string, 0, len(targets))
		for _, tg := range targets {
			batch = append(batch, duty.Notification{
				Key:          fmt.Sprintf("occ/%d/%s/%s", o.ID, pl.Step.Key(), strings.ToLower(tg.Addr)),
				OccurrenceID: o.ID, Step: pl.Step.Key(), Recipient: tg.Addr, Kind: kindFor(kind, tg),
			})
			addrs = append(addrs, tg.Addr)
		}
		// Level 2 and its repeats go to the agency's head and above, not
		// to the agency's own mailboxes. Those get the overdue notice (E1)
		// once, even when E1's day was missed (downtime, or E1 and E2 on
		// one day after a long holiday): the key is E1's, so an E1 already
		// sent or queued is not sent again.
		if pl.Step.Kind == duty.Escalation && pl.Step.Level >= 2 {
			e1 := duty.Step{Kind: duty.Escalation, Level: 1}
			for _, tg := range rcpt.For(agency, coord, e1, pol) {
				if tg.Why != WhyAgency || slices.ContainsFunc(addrs, func(a string) bool { return strings.EqualFold(a, tg.Addr) }) {
					continue
				}
				batch = append(batch, duty.Notification{
					Key:          fmt.Sprintf("occ/%d/%s/%s", o.ID, e1.Key(), strings.ToLower(tg.Addr)),
					OccurrenceID: o.ID, Step: e1.Key(), Recipient: tg.Addr, Kind: string(duty.KindEscalation),
				})
			}
		}
		n, err := e.Store.SupersedePending(ctx, o.ID, pl.Step.Key(), addrs)
		if err != nil {
			return err
		}
		rep.Superseded += n
	}
	if s.Policy.DailyDigest && len(batch) > 0 {
		if fu := rcpt.FollowUp; fu != nil {
			for _, addr := range fu.Email {
				batch = append(batch, duty.Notification{
					Key: "digest/" + today.String() + "/" + strings.ToLower(addr), Step: "digest/" + today.String(),
					Recipient: addr, Kind: string(duty.KindDigest),
				})
			}
		}
	}
	// Sở Nội vụ's weekly summary, on the first working day of each week.
	if s.Policy.WeeklySummary && firstWorkingDayOfWeek(s, today) {
		if fu := rcpt.FollowUp; fu != nil {
			y, w := today.In(time.UTC).ISOWeek()
			week := fmt.Sprintf("%04d-W%02d", y, w)
			for _, addr := range fu.Email {
				batch = append(batch, duty.Notification{
					Key: "weekly/" + week + "/" + strings.ToLower(addr), Step: "weekly/" + week,
					Recipient: addr, Kind: string(duty.KindWeekly),
				})
			}
		}
	}
	n, err := e.Store.Enqueue(ctx, batch)
	if err != nil {
		return err
	}
	rep.Enqueued = n
	return nil
}

// firstWorkingDayOfWeek reports whether no working day comes before today
// in its ISO week (Monday, or the day after a Monday holiday). With the
// window open at any time, Monday itself.
func firstWorkingDayOfWeek(s Setup, today schedule.Date) bool {
	cal := s.Planner.Calendar
	monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
	if s.AnyTime {
		return today == monday
	}
	if !cal.IsWorkingDay(today) {
		return false
	}
	for d := monday; d < today; d = d.AddDays(1) {
		if cal.IsWorkingDay(d) {
			return false
		}
	}
	return true
}

// kindFor marks Sở Nội vụ's copies and the other notices to those who
// follow a duty up rather than owe it, so that they go in an oversight
// letter of their own, never in the recipient's duty letter.
func kindFor(kind string, tg Target) string {
	switch {
	case tg.Copy:
		return kind + "-copy"
	case tg.Why == WhyFollowUpLeadership || tg.Why == WhyProvincialOffice || tg.Why == WhyProvincialLeadership || tg.Why == WhyUnassigned:
		return kind + OversightSuffix
	}
	return kind
}

// OversightSuffix marks an outbox kind as oversight ("escalation-oversight").
const OversightSuffix = "-oversight"

// IsOversight reports whether an outbox row's kind belongs in an oversight
// letter: Sở Nội vụ's copy, level 2 to the leadership or Văn phòng UBND
// tỉnh, a duty nobody answers for.
func IsOversight(kind string) bool {
	return strings.HasSuffix(kind, "-copy") || strings.HasSuffix(kind, OversightSuffix)
}

// AnsweringOn returns the agency that answers on day d for a duty the
// schedule named to named (stored as answered by stored on its due date):
// the named agency routed through its successors on d. Nil when nobody
// answers that day: an agency not yet founded, or ended without successor,
// receives nothing, and the duty goes to Sở Nội vụ as unassigned.
func AnsweringOn(dir *model.Directory, named, stored string, d schedule.Date) *model.Agency {
	id := named
	if id == "" {
		id = stored
	}
	if as := dir.Resolve([]string{id}, d); len(as) == 1 && as[0].Agency != nil {
		return as[0].Agency
	}
	return nil
}
