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
	base := Recipients{FollowUpLeadership: s.FollowUpLeadership, ProvincialLeadership: s.ProvincialLeadership}
	if a, ok := dir.Agency(s.FollowUp); ok {
		base.FollowUp = a
	}
	if a, ok := dir.Agency(s.ProvincialOffice); ok {
		base.ProvincialOffice = a
	}
	var batch []duty.Notification
	for _, o := range open {
		t := findTask(s, o.ScheduleID, o.TaskID)
		if t == nil {
			continue // the task left the schedule: keep the row, send nothing
		}
		pol := s.Policy
		if t.ReminderDays != nil {
			pol.ReminderDays = t.ReminderDays
		}
		pl, reason, ok := duty.Reached(o.Deadline, stepDay, cal, pol)
		if !ok {
			e.Log.Debug().Int64("occurrence", o.ID).Str("reason", string(reason)).Msg("nothing to send")
			continue
		}
		agency, _ := dir.Agency(o.AgencyID)
		var coord []*model.Agency
		if pol.RemindCoordinating {
			for _, a := range dir.Resolve(t.Coordinating, o.Deadline) {
				if a.Agency != nil {
					coord = append(coord, a.Agency)
				}
			}
		}
		kind := string(duty.KindReminder)
		if pl.Step.Kind == duty.Escalation {
			kind = string(duty.KindEscalation)
		}
		// Route Sở Nội vụ and the provincial office on the day the duty is
		// owed, like the agency itself: across a merger both sides agree.
		rcpt := base.On(dir, o.Deadline)
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
		if fu := base.On(dir, today).FollowUp; fu != nil {
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
		if fu := base.On(dir, today).FollowUp; fu != nil {
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

// kindFor marks Sở Nội vụ's copies, so that their message says so.
func kindFor(kind string, tg Target) string {
	if tg.Copy {
		return kind + "-copy"
	}
	return kind
}
