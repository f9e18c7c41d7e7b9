package model

import (
	"sort"

	"github.com/ninhthuan/nhachan/internal/calendar"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Role is an agency's part in a task.
type Role string

// The roles, as the decision's columns name them.
const (
	RoleLead         Role = "lead"         // cơ quan chủ trì
	RoleCoordinating Role = "coordinating" // cơ quan phối hợp
)

// Occurrence is one duty of one agency: a task, a period (kỳ), the due
// dates and who answers for it.
type Occurrence struct {
	Schedule *Schedule
	Task     *Task
	Period   string
	// Due is the nominal due date the text gives (after any
	// working_days_before shift); EffectiveDue is Due rolled forward to a
	// working day (Bộ luật Dân sự 2015, Điều 148 khoản 5).
	Due, EffectiveDue schedule.Date
	Quota             int
	Role              Role
	Assignee          Assignee
}

// Filter narrows a plan. Empty fields match everything.
type Filter struct {
	Agency string // matches the answering or the named agency
	Task   string
	// LeadOnly leaves out coordinating agencies.
	LeadOnly bool
}

// Planner turns schedules into occurrences. It is immutable and safe for
// concurrent use.
type Planner struct {
	Directory *Directory
	Calendar  *calendar.Calendar
	Schedules []*Schedule
}

// Plan returns every occurrence whose nominal due date lies in [from, to],
// sorted by effective due date, then schedule and task order, then role and
// directory order.
func (p *Planner) Plan(from, to schedule.Date, f Filter) []Occurrence {
	var out []Occurrence
	for _, s := range p.Schedules {
		for _, t := range s.Tasks {
			if f.Task != "" && t.ID != f.Task {
				continue
			}
			if !t.Parsed.Kind.HasDueDates() {
				continue
			}
			out = p.appendTask(out, s, t, from, to, f)
		}
	}
	order := p.taskOrder()
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if a.EffectiveDue != b.EffectiveDue {
			return a.EffectiveDue < b.EffectiveDue
		}
		if oa, ob := order[a.Task], order[b.Task]; oa != ob {
			return oa < ob
		}
		if a.Period != b.Period {
			return a.Period < b.Period
		}
		// Lead rows first; within a role, Resolve already gave directory order.
		return a.Role == RoleLead && b.Role != RoleLead
	})
	return out
}

func (p *Planner) taskOrder() map[*Task]int {
	m := make(map[*Task]int)
	n := 0
	for _, s := range p.Schedules {
		for _, t := range s.Tasks {
			m[t] = n
			n++
		}
	}
	return m
}

// appendTask adds the occurrences of one task to out.
func (p *Planner) appendTask(out []Occurrence, s *Schedule, t *Task, from, to schedule.Date, f Filter) []Occurrence {
	// A working_days_before shift moves dates earlier, so widen the window
	// the rule is asked for and filter on the shifted date.
	margin := 0
	if t.WorkingDaysBefore > 0 {
		margin = t.WorkingDaysBefore*3 + 30
	}
	for _, o := range t.Parsed.Between(from, to.AddDays(margin)) {
		if !inPlanPeriod(s, o) {
			continue
		}
		due := o.Due
		if t.WorkingDaysBefore > 0 {
			due = p.Calendar.AddWorkingDays(due, -t.WorkingDaysBefore)
		}
		if due < from || due > to {
			continue
		}
		eff := p.Calendar.Effective(due)
		base := Occurrence{Schedule: s, Task: t, Period: o.Period, Due: due, EffectiveDue: eff, Quota: o.Quota}
		// Route on the effective due date: that is the day the duty is owed.
		leads := p.Directory.Resolve(t.Lead, eff)
		out = p.appendRole(out, base, RoleLead, leads, nil, f)
		if !f.LeadOnly && len(t.Coordinating) > 0 {
			out = p.appendRole(out, base, RoleCoordinating, p.Directory.Resolve(t.Coordinating, eff), leads, f)
		}
	}
	return out
}

// appendRole adds one row per assignee, leaving out those in except: an
// agency that leads a task is not also its coordinator, even when a group
// in the coordinating column ("Các Sở, ban, ngành") includes it.
func (p *Planner) appendRole(out []Occurrence, base Occurrence, role Role, assignees, except []Assignee, f Filter) []Occurrence {
next:
	for _, as := range assignees {
		if f.Agency != "" && as.ID() != f.Agency && as.Named.ID != f.Agency {
			continue
		}
		for _, l := range except {
			if l.Agency != nil && l.Agency == as.Agency {
				continue next
			}
		}
		o := base
		o.Role = role
		o.Assignee = as
		out = append(out, o)
	}
	return out
}

// inPlanPeriod reports whether an occurrence belongs to the schedule's
// period: its kỳ starts no later than the (carried) end of the plan, and it
// is not due before the plan was issued — a decision cannot make anyone late
// for a date before it existed.
func inPlanPeriod(s *Schedule, o schedule.Occurrence) bool {
	if o.Due < s.From {
		return false
	}
	y, ok := periodStartYear(o.Period)
	if !ok {
		return o.Due <= s.CarryUntil
	}
	return y <= s.CarryUntil.Year()
}

// periodStartYear reads the leading year of a period label ("2027-Q1").
func periodStartYear(label string) (int, bool) {
	if len(label) < 4 {
		return 0, false
	}
	y := 0
	for i := 0; i < 4; i++ {
		c := label[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		y = y*10 + int(c-'0')
	}
	return y, true
}
