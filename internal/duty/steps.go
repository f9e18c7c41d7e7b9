package duty

import (
	"fmt"
	"strconv"

	"github.com/ninhthuan/nhachan/internal/calendar"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// StepKind says whether a step comes before or after the due date. The
// zero value is no kind, so a zero Step is never mistaken for R0.
type StepKind uint8

// The kinds of step.
const (
	Reminder   StepKind = iota + 1 // nhắc hạn, before or on the due date
	Escalation                     // quá hạn, after it
)

// String returns "reminder" or "escalation".
func (k StepKind) String() string {
	switch k {
	case Reminder:
		return "reminder"
	case Escalation:
		return "escalation"
	}
	return "StepKind(" + strconv.Itoa(int(k)) + ")"
}

// Step is one mail of an occurrence's life. Reminders are told apart by
// DaysBefore, escalations by Level (1, 2, then 3 for the first repeat of
// level 2, and so on).
type Step struct {
	Kind       StepKind
	DaysBefore int // reminders: calendar days before the effective due date
	Level      int // escalations
}

// Key is the step's stable name, part of the notification log's unique
// key (occurrence, step, recipient): "R14" … "R0", "E1", "E2", "E3", ….
// It must never change for a given step, or a reload would re-send.
func (s Step) Key() string {
	switch s.Kind {
	case Reminder:
		return "R" + strconv.Itoa(s.DaysBefore)
	case Escalation:
		return "E" + strconv.Itoa(s.Level)
	}
	return "?"
}

// String returns the key.
func (s Step) String() string { return s.Key() }

// Label reads the step aloud, lower-case, as letters and pages name it:
// "nhắc trước 7 ngày", "nhắc vào ngày đến hạn", "thông báo quá hạn lần 2".
func (s Step) Label() string {
	switch {
	case s.Kind == Reminder && s.DaysBefore == 0:
		return "nhắc vào ngày đến hạn"
	case s.Kind == Reminder:
		return "nhắc trước " + strconv.Itoa(s.DaysBefore) + " ngày"
	case s.Kind == Escalation:
		return "thông báo quá hạn lần " + strconv.Itoa(s.Level)
	}
	return s.Key()
}

// ParseStepKey reads back what Key wrote, for the store.
func ParseStepKey(key string) (Step, error) {
	if len(key) >= 2 {
		n, err := strconv.Atoi(key[1:])
		// Atoi accepts "+7" and "007"; a key is only what Key writes.
		if err == nil && strconv.Itoa(n) == key[1:] {
			switch {
			case key[0] == 'R' && n >= 0:
				return Step{Kind: Reminder, DaysBefore: n}, nil
			case key[0] == 'E' && n >= 1:
				return Step{Kind: Escalation, Level: n}, nil
			}
		}
	}
	return Step{}, fmt.Errorf("step key %q: want R<days> or E<level>", key)
}

// Planned is a step with the working day it is sent on.
type Planned struct {
	Step   Step
	SendOn schedule.Date
}

// Steps lists every step of an occurrence effectively due on eff, in send
// order, each on a working day, no two on one day. eff should be the
// effective due date; a non-working eff is rolled forward first, as
// Bộ luật Dân sự 2015, Điều 148 khoản 5 does to the deadline itself.
//
// Reminder Rn is due eff-n calendar days; on a non-working day it goes
// out on the working day before, since a reminder is worthless late.
// E1 is the next working day after eff; E2 eff+Level2AfterDays and repeat
// k eff+Level2AfterDays+k*RepeatEveryDays (counted from the nominal E2, so
// a holiday does not shift the cadence), each on a non-working day moved
// to the working day after, since an escalation must not come early.
//
// Moving only ever lands a step on or after the previous one's day, never
// before it; when two land on one day only the later step of the sequence
// is kept: the reminder closer to the due date (on the Friday before a
// Monday deadline R1, not R3, since one working day is indeed left) or the
// higher escalation level (it is what the occurrence has reached, as
// Reached would say on that day).
func Steps(eff schedule.Date, cal *calendar.Calendar, p Policy) []Planned {
	var days [16]int
	return appendSteps(make([]Planned, 0, len(p.ReminderDays)+2+max(p.MaxRepeats, 0)), eff, cal, p, days[:0])
}

// appendSteps appends the plan to out; days is scratch for the sorted
// reminder days. Both are parameters so that Reached, which runs for
// every open occurrence on every tick, can keep them on its stack.
func appendSteps(out []Planned, eff schedule.Date, cal *calendar.Calendar, p Policy, days []int) []Planned {
	eff = cal.Effective(eff)
	add := func(s Step, on schedule.Date) {
		if n := len(out); n > 0 && out[n-1].SendOn == on {
			out[n-1].Step = s
			return
		}
		out = append(out, Planned{s, on})
	}
	for _, n := range reminderOrder(p.ReminderDays, days) {
		add(Step{Kind: Reminder, DaysBefore: n}, onOrBefore(cal, eff.AddDays(-n)))
	}
	add(Step{Kind: Escalation, Level: 1}, cal.NextWorkingDay(eff))
	for k := 0; k <= max(p.MaxRepeats, 0); k++ {
		add(Step{Kind: Escalation, Level: 2 + k}, repeatDay(eff, cal, p, k))
	}
	return out
}

// repeatDay is the send day of level 2 (k == 0) or of its k-th repeat.
func repeatDay(eff schedule.Date, cal *calendar.Calendar, p Policy, k int) schedule.Date {
	return cal.Effective(eff.AddDays(p.Level2AfterDays + k*p.RepeatEveryDays))
}

// onOrBefore returns d when it is a working day, else the working day
// before it.
func onOrBefore(cal *calendar.Calendar, d schedule.Date) schedule.Date {
	if cal.IsWorkingDay(d) {
		return d
	}
	return cal.PrevWorkingDay(d)
}

// Reason names the outcome of Reached, for logs and tests. The values are
// stable.
type Reason string

// The reasons Reached gives.
const (
	// ReasonNonWorkingDay: nothing is sent on a non-working day; the step
	// reached then goes out on the next working day.
	ReasonNonWorkingDay Reason = "non-working-day"
	// ReasonTooEarly: the first step's day has not come.
	ReasonTooEarly Reason = "too-early"
	// ReasonReminder and ReasonEscalation: a step is reached.
	ReasonReminder   Reason = "reminder"
	ReasonEscalation Reason = "escalation"
	// ReasonCapReached: the last repeat is behind us and its window has
	// closed; the occurrence gets no more mail until something changes
	// (an extension moves eff and opens a new plan).
	ReasonCapReached Reason = "cap-reached"
	// ReasonRemindOnly: the task is soft (escalate: false); after its due
	// date nothing more is sent.
	ReasonRemindOnly Reason = "remind-only"
)

// Reached returns the step an occurrence effectively due on eff has
// reached on day today: the last planned step sent on or before today.
// After downtime the earlier unsent steps collapse into it, so a stale
// "còn 7 ngày" never goes out once the overdue notice is due. ok is false
// on a non-working day, before the first step, and once the cap is
// reached.
//
// A step stays reached until the next one's day, so the engine's unique
// key (occurrence, step, recipient) is what keeps it from going out twice.
// The last step stays reached for RepeatEveryDays (to its send day of the
// repeat the cap forbids), so a mail that was due while the server was
// off still goes out when it comes back within that window; after it,
// Reached says ReasonCapReached and returns the last step with ok false.
func Reached(eff, today schedule.Date, cal *calendar.Calendar, p Policy) (Planned, Reason, bool) {
	if !cal.IsWorkingDay(today) {
		return Planned{}, ReasonNonWorkingDay, false
	}
	var buf [24]Planned
	var days [16]int
	steps := appendSteps(buf[:0], eff, cal, p, days[:0])
	i := len(steps) - 1
	for i >= 0 && steps[i].SendOn > today {
		i--
	}
	switch {
	case i < 0:
		return Planned{}, ReasonTooEarly, false
	case i == len(steps)-1 && today >= repeatDay(cal.Effective(eff), cal, p, max(p.MaxRepeats, 0)+1):
		return steps[i], ReasonCapReached, false
	case steps[i].Step.Kind == Reminder:
		return steps[i], ReasonReminder, true
	}
	return steps[i], ReasonEscalation, true
}

// Next returns the first planned step sent after day after, so the engine
// can index open occurrences by the day they next need attention and skip
// the rest on a tick. ok is false when the plan has no step after it.
func Next(eff, after schedule.Date, cal *calendar.Calendar, p Policy) (Planned, bool) {
	var buf [24]Planned
	var days [16]int
	for _, s := range appendSteps(buf[:0], eff, cal, p, days[:0]) {
		if s.SendOn > after {
			return s, true
		}
	}
	return Planned{}, false
}
