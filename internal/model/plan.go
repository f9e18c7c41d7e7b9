package model

import (
	"sync"

	"github.com/ninhthuan/nhachan/internal/calendar"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Role is an agency's part in a task.
type Role uint8

// The roles, as the decision's columns name them.
const (
	RoleLead         Role = iota // cơ quan chủ trì
	RoleCoordinating             // cơ quan phối hợp
)

// String returns the stable name of the role: "lead" or "coordinating".
func (r Role) String() string {
	if r == RoleCoordinating {
		return "coordinating"
	}
	return "lead"
}

// Occurrence is one duty of one agency: a task, a period (kỳ), the due
// dates and who answers for it. It is kept small (56 bytes): a national
// plan holds about a million of them.
type Occurrence struct {
	Task   *Task
	Period string
	// Due is the nominal due date the text gives (after any
	// working_days_before shift); EffectiveDue is Due rolled forward to a
	// working day (Bộ luật Dân sự 2015, Điều 148 khoản 5).
	Due, EffectiveDue schedule.Date
	Quota             int32
	Role              Role
	Assignee          Assignee
}

// RuleDue returns the date the task's rule gives for the occurrence's
// period: the province's deadline when working_days_before makes the
// agency's (Due) earlier, else Due itself. It is computed, not stored, to
// keep a national plan's million occurrences small.
func (o *Occurrence) RuleDue() schedule.Date {
	if o.Task == nil || o.Task.WorkingDaysBefore == 0 {
		return o.Due
	}
	if d, ok := o.Task.RuleDue(o.Period); ok {
		return d
	}
	return o.Due
}

// Schedule returns the schedule the occurrence's task belongs to.
func (o *Occurrence) Schedule() *Schedule { return o.Task.Schedule }

// Filter narrows a plan. Empty fields match everything.
type Filter struct {
	Agency string // matches the answering or the named agency
	// Task is a task id; with Schedule set, only that plan's task, else
	// the id in every plan (resolve a user's "PLAN/ID" with FindTask).
	Schedule string
	Task     string
	// LeadOnly leaves out coordinating agencies.
	LeadOnly bool
}

// Planner turns schedules into occurrences. It is immutable and safe for
// concurrent use.
type Planner struct {
	Directory *Directory
	Calendar  *calendar.Calendar
	Schedules []*Schedule

	indexOnce sync.Once
	tasks     map[taskKey]*Task
}

type taskKey struct{ schedule, task string }

// Task returns the task of a schedule, or nil when the configuration no
// longer has it (a stored occurrence can outlive its task). The index is
// built on first use: the daemon asks for every open occurrence each tick.
func (p *Planner) Task(scheduleID, taskID string) *Task {
	p.indexOnce.Do(func() {
		p.tasks = make(map[taskKey]*Task)
		for _, s := range p.Schedules {
			for _, t := range s.Tasks {
				p.tasks[taskKey{s.ID, t.ID}] = t
			}
		}
	})
	return p.tasks[taskKey{scheduleID, taskID}]
}

// Plan returns every occurrence whose nominal due date lies in [from, to],
// ordered by effective due date, then schedule and task order, period,
// role (lead first) and directory order.
func (p *Planner) Plan(from, to schedule.Date, f Filter) []Occurrence {
	out := make([]Occurrence, 0, p.estimate(from, to, f))
	for _, s := range p.Schedules {
		for _, t := range s.Tasks {
			if !f.matches(t) {
				continue
			}
			out = p.appendTask(out, t, from, to, f)
		}
	}
	return sortByEffectiveDue(out)
}

func (f Filter) matches(t *Task) bool {
	if f.Task != "" && t.ID != f.Task || f.Schedule != "" && t.Schedule.ID != f.Schedule {
		return false
	}
	return t.Parsed.Kind.HasDueDates()
}

// estimate sizes the result so that a national plan is allocated once
// rather than grown by doubling (which would hold two copies at the peak).
func (p *Planner) estimate(from, to schedule.Date, f Filter) int {
	n := 0
	for _, s := range p.Schedules {
		for _, t := range s.Tasks {
			if !f.matches(t) {
				continue
			}
			k := len(t.Parsed.Between(from, to))
			if k == 0 {
				continue
			}
			per := len(p.Directory.Resolve(t.Lead, from))
			if !f.LeadOnly {
				per += len(p.Directory.Resolve(t.Coordinating, from))
			}
			n += k * per
		}
	}
	if f.Agency != "" {
		return n / 8
	}
	return n
}

// sortByEffectiveDue is a stable counting sort on the effective due date.
// Rows are generated in schedule, task, period, role and directory order, so
// a stable sort on the date alone gives the documented order, in linear
// time and one extra buffer.
func sortByEffectiveDue(in []Occurrence) []Occurrence {
	if len(in) < 2 {
		return in
	}
	lo, hi := in[0].EffectiveDue, in[0].EffectiveDue
	for i := range in {
		lo, hi = min(lo, in[i].EffectiveDue), max(hi, in[i].EffectiveDue)
	}
	if int64(hi)-int64(lo) > 1<<22 { // absurd span: no bucket array that large
		return in
	}
	pos := make([]int, int(hi-lo)+2)
	for i := range in {
		pos[in[i].EffectiveDue-lo+1]++
	}
	for i := 1; i < len(pos); i++ {
		pos[i] += pos[i-1]
	}
	out := make([]Occurrence, len(in))
	for i := range in {
		k := in[i].EffectiveDue - lo
		out[pos[k]] = in[i]
		pos[k]++
	}
	return out
}

// appendTask adds the occurrences of one task to out.
func (p *Planner) appendTask(out []Occurrence, t *Task, from, to schedule.Date, f Filter) []Occurrence {
	s := t.Schedule
	// A working_days_before shift moves dates earlier, so widen the window
	// the rule is asked for and filter on the shifted date.
	margin := 0
	if t.WorkingDaysBefore > 0 {
		margin = t.WorkingDaysBefore*3 + 30
	}
	for _, o := range t.Parsed.Between(from, to.AddDays(margin)) {
		if s != nil && !inPlanPeriod(s, o) {
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
		base := Occurrence{Task: t, Period: o.Period, Due: due, EffectiveDue: eff, Quota: int32(o.Quota)}
		// Route on the effective due date: that is the day the duty is owed.
		leads := p.Directory.Resolve(t.Lead, eff)
		out = appendRole(out, base, RoleLead, leads, nil, f)
		if !f.LeadOnly && len(t.Coordinating) > 0 {
			out = appendRole(out, base, RoleCoordinating, p.Directory.Resolve(t.Coordinating, eff), leads, f)
		}
	}
	return out
}

// appendRole adds one row per assignee, leaving out those in except: an
// agency that leads a task is not also its coordinator, even when a group
// in the coordinating column ("Các Sở, ban, ngành") includes it.
func appendRole(out []Occurrence, base Occurrence, role Role, assignees, except []Assignee, f Filter) []Occurrence {
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
