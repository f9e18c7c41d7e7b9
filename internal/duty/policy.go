package duty

import (
	"errors"
	"fmt"
	"slices"
)

// Policy says when an occurrence is reminded and escalated. It is a value:
// config builds and validates one (and one per task that overrides it) and
// passes it around by value, so a reload cannot change a policy in use.
type Policy struct {
	// ReminderDays are the calendar days before the effective due date on
	// which reminders go out. Any order; duplicates are a Validate error.
	ReminderDays []int
	// Level2AfterDays: level 2 goes out this many calendar days after the
	// effective due date (level 1 is always the next working day).
	Level2AfterDays int
	// RepeatEveryDays is the calendar-day interval of the repeats of
	// level 2.
	RepeatEveryDays int
	// MaxRepeats caps the repeats after level 2; 0 means level 2 is the
	// last mail.
	MaxRepeats int
	// SendHour is the hour (Asia/Ho_Chi_Minh) from which a working day's
	// mail goes out.
	SendHour int
	// CopyFollowUp sends the follow-up agency (Sở Nội vụ) a copy of every
	// reminder and escalation.
	CopyFollowUp bool
	// DailyDigest replaces the copies with one daily digest to the
	// follow-up agency, whatever CopyFollowUp says: the digest is the
	// engine's to build, so For never emits copies while it is on.
	DailyDigest bool
	// RemindCoordinating sends reminders to coordinating agencies too.
	// They are named in every mail either way.
	RemindCoordinating bool
	// WeeklySummary mails Sở Nội vụ, on the first working day of each week,
	// what falls due in the next two weeks, what is overdue and who
	// submitted in the past week.
	WeeklySummary bool
}

// Bounds of a valid policy. They are generous but keep a typo (a year
// instead of days, an hour of 80) from becoming a plan nobody meant.
const (
	MaxReminderDays = 120 // about four months' notice
	MaxIntervalDays = 120 // Level2AfterDays, RepeatEveryDays
	MaxRepeatsLimit = 100 // two years of weekly repeats
)

// DefaultPolicy returns the policy of issue 3: reminders 14, 7, 3 and 1
// days before and on the day, level 1 the next working day, level 2 a
// week after, then weekly repeats, eight at most, from 08:00, with a copy
// to Sở Nội vụ.
func DefaultPolicy() Policy {
	return Policy{
		ReminderDays:    []int{14, 7, 3, 1, 0},
		Level2AfterDays: 7,
		RepeatEveryDays: 7,
		MaxRepeats:      8,
		SendHour:        8,
		CopyFollowUp:    true,
		WeeklySummary:   true,
	}
}

// FieldError is one problem with one policy field. Field is the config
// key (as in nhachan.yaml) so the config loader can point at its line.
type FieldError struct {
	Field string // "reminder_days", "level2_after_days", …
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// EscalationSpan is the number of days from the effective due date to the
// last escalation the policy can send: duties older than that need no more
// attention from the engine.
func (p Policy) EscalationSpan() int {
	return p.Level2AfterDays + p.RepeatEveryDays*(p.MaxRepeats+1)
}

// Validate reports every problem with the policy, each a *FieldError
// (joined with errors.Join), or nil.
func (p Policy) Validate() error {
	var errs []error
	bad := func(field, format string, a ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, a...)})
	}
	seen := make(map[int]bool, len(p.ReminderDays))
	for _, d := range p.ReminderDays {
		switch {
		case d < 0 || d > MaxReminderDays:
			bad("reminder_days", "%d nằm ngoài khoảng 0–%d ngày trước hạn", d, MaxReminderDays)
		case seen[d]:
			bad("reminder_days", "%d được ghi hai lần", d)
		}
		seen[d] = true
	}
	// Level 2 must come after the due date, or it would be a reminder.
	if p.Level2AfterDays < 1 || p.Level2AfterDays > MaxIntervalDays {
		bad("level2_after_days", "%d nằm ngoài khoảng 1–%d", p.Level2AfterDays, MaxIntervalDays)
	}
	// Checked even with no repeats: Reached also uses it to close the
	// window of the last step.
	if p.RepeatEveryDays < 1 || p.RepeatEveryDays > MaxIntervalDays {
		bad("repeat_every_days", "%d nằm ngoài khoảng 1–%d", p.RepeatEveryDays, MaxIntervalDays)
	}
	if p.MaxRepeats < 0 || p.MaxRepeats > MaxRepeatsLimit {
		bad("max_repeats", "%d nằm ngoài khoảng 0–%d", p.MaxRepeats, MaxRepeatsLimit)
	}
	if p.SendHour < 0 || p.SendHour > 23 {
		bad("send_hour", "%d không phải một giờ trong ngày (0–23)", p.SendHour)
	}
	return errors.Join(errs...)
}

// reminderOrder appends days to buf sorted descending without duplicates.
// buf lets Reached keep the copy on its stack.
func reminderOrder(days, buf []int) []int {
	out := append(buf[:0], days...)
	slices.Sort(out)
	out = slices.Compact(out)
	slices.Reverse(out)
	return out
}
