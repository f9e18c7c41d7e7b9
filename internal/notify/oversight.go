package notify

// oversight: the letters to those who follow duties up. Rows are grouped
// by duty (a task for a period); each duty is stated once, with every
// agency that owes it sorted by state as it stands on the send day.

import (
	"context"
	"sort"
	"strings"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// dutyKey identifies a duty: a task of a schedule for one period.
type dutyKey struct{ schedule, task, period string }

func keyOf(o duty.Occurrence) dutyKey { return dutyKey{o.ScheduleID, o.TaskID, o.Period} }

// oversightDuties builds an oversight letter's duties from its rows.
func (e *Engine) oversightDuties(ctx context.Context, s Setup, today schedule.Date, g []duty.Notification) ([]duty.Duty, []string, error) {
	var keys []dutyKey
	var steps []string
	seen := map[dutyKey]bool{}
	for _, n := range g {
		o, err := e.Store.Occurrence(ctx, n.OccurrenceID)
		if err != nil {
			return nil, nil, err
		}
		if o.State != duty.StateOpen && o.State != duty.StateUnassigned {
			continue // submitted or waived since it was queued
		}
		steps = appendStep(steps, s, o, n.Step)
		if k := keyOf(o); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	duties, err := e.duties(ctx, s, today, keys, g[0].Recipient, false)
	return duties, steps, err
}

// duties describes each duty with every agency that owes it, as it stands
// on day today. In an oversight letter the reader's own agency is left
// out (what it owes is in its duty letter); Sở Nội vụ's summaries keep
// it (withSelf). A duty with nobody left to report is dropped.
func (e *Engine) duties(ctx context.Context, s Setup, today schedule.Date, keys []dutyKey, reader string, withSelf bool) ([]duty.Duty, error) {
	dir := s.Planner.Directory
	self := dir.ByEmail(reader)
	if withSelf {
		self = nil
	}
	var out []duty.Duty
	var quota []int64
	for _, k := range keys {
		t := s.Planner.Task(k.schedule, k.task)
		if t == nil {
			continue
		}
		recs, err := e.Store.DutyRecords(ctx, k.schedule, k.task, k.period)
		if err != nil {
			return nil, err
		}
		d := duty.Duty{Key: k.schedule + "/" + k.task + "/" + k.period, TaskID: t.Ref(s.Planner), Title: title(t, k.period),
			TaskText: t.Text, Product: t.Product, LegalBasis: t.LegalBasis, Quota: t.Quota(), QuotaUnit: t.QuotaUnit()}
		for _, r := range recs {
			if r.Role != 0 || r.State == duty.StateHistory {
				continue // coordinating rows are not stored; history is not followed up
			}
			if d.Due == 0 || r.Due < d.Due {
				d.Due = r.Due
			}
			answering := AnsweringOn(dir, r.NamedAgencyID, r.AgencyID, today)
			if self != nil && answering != nil && answering.ID == self.ID {
				continue
			}
			a := duty.AgencyState{Deadline: r.Deadline, DaysLeft: int(r.Deadline - today)}
			named, _ := dir.Agency(r.NamedAgencyID)
			switch {
			case r.State == duty.StateSubmitted:
				a.State, a.SubmittedOn = duty.DutySubmitted, r.SubmittedOn
			case r.State == duty.StateWaived:
				a.State = duty.DutyWaived
			case answering == nil:
				a.State = duty.DutyUnassigned
				if named != nil {
					// "Cơ quan X đã chấm dứt hoạt động …": the name is
					// already said, before the parentheses.
					a.Note = strings.TrimPrefix(dir.WhyUnassigned(named, today), "Cơ quan "+named.Name+" ")
				}
			case r.Deadline < today:
				a.State = duty.DutyOverdue
			default:
				a.State = duty.DutyOpen
			}
			switch {
			case answering != nil:
				a.Name = agencyOn(dir, answering, r.NamedAgencyID)
			case named != nil:
				a.Name = named.Name
			default:
				a.Name = r.NamedAgencyID
			}
			if d.Quota > 1 && (a.State == duty.DutyOpen || a.State == duty.DutyOverdue) {
				quota = append(quota, r.ID)
				a.QuotaDone = -int(r.ID) // filled below
			}
			d.Agencies = append(d.Agencies, a)
		}
		if len(d.Agencies) > 0 {
			d.Regime = duty.RegimeOf(t, k.period, d.Due)
			out = append(out, d)
		}
	}
	if len(quota) > 0 {
		counts, err := e.Store.QuotaCounts(ctx, quota...)
		if err != nil {
			return nil, err
		}
		for i := range out {
			for j := range out[i].Agencies {
				if a := &out[i].Agencies[j]; a.QuotaDone < 0 {
					a.QuotaDone = counts[int64(-a.QuotaDone)]
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due < out[j].Due })
	return out, nil
}

// digestDuties lists what was queued today for the agencies, for Sở Nội
// vụ's daily digest.
func (e *Engine) digestDuties(ctx context.Context, s Setup, today schedule.Date, reader string) ([]duty.Duty, error) {
	queued, err := e.Store.EnqueuedSince(ctx, today.In(s.Location))
	if err != nil {
		return nil, err
	}
	var keys []dutyKey
	read := map[int64]bool{} // occurrences already looked up
	seen := map[dutyKey]bool{}
	for _, n := range queued {
		if n.OccurrenceID == 0 || read[n.OccurrenceID] {
			continue
		}
		o, err := e.Store.Occurrence(ctx, n.OccurrenceID)
		if err != nil {
			return nil, err
		}
		read[o.ID] = true
		if k := keyOf(o); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return e.duties(ctx, s, today, keys, reader, true)
}

// weeklyDuties lists, for the weekly summary, the duties with an agency
// due in the next two weeks, overdue (within the escalation span) or
// submitted in the past seven days, each with all its agencies.
func (e *Engine) weeklyDuties(ctx context.Context, s Setup, today schedule.Date, reader string) ([]duty.Duty, error) {
	span := s.Policy.EscalationSpan() + 14
	open, err := e.Store.OpenOccurrencesBetween(ctx, today.AddDays(-span), today.AddDays(14))
	if err != nil {
		return nil, err
	}
	done, err := e.Store.SubmittedBetween(ctx, today.AddDays(-7), today)
	if err != nil {
		return nil, err
	}
	var keys []dutyKey
	seen := map[dutyKey]bool{}
	add := func(o duty.Occurrence) {
		if k := keyOf(o); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for _, o := range open {
		add(o)
	}
	for _, r := range done {
		add(r.Occurrence)
	}
	return e.duties(ctx, s, today, keys, reader, true)
}
