package duty

import (
	"testing"

	"github.com/ninhthuan/nhachan/internal/calendar"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// TestStepsEveryDueDate checks the plan's invariants for every due date
// of 2021–2030 under several policies, and that Reached agrees with Steps
// on every day of every plan.
func TestStepsEveryDueDate(t *testing.T) {
	cal := defaultCal(t)
	tight := DefaultPolicy()
	tight.ReminderDays = []int{3, 2, 1, 0}
	tight.Level2AfterDays, tight.RepeatEveryDays, tight.MaxRepeats = 1, 1, 20
	sparse := DefaultPolicy()
	sparse.ReminderDays = []int{120, 30}
	sparse.MaxRepeats = 0
	policies := map[string]Policy{"default": DefaultPolicy(), "tight": tight, "sparse": sparse}

	first, last := day(t, "2021-01-01"), day(t, "2030-12-31")
	for name, p := range policies {
		t.Run(name, func(t *testing.T) {
			bound := len(p.ReminderDays) + 2 + p.MaxRepeats
			for nominal := first; nominal <= last; nominal++ {
				eff := cal.Effective(nominal)
				steps := Steps(nominal, cal, p)
				if len(steps) == 0 || len(steps) > bound {
					t.Fatalf("%s: %d steps, want 1..%d", nominal, len(steps), bound)
				}
				keys := map[string]bool{}
				for i, s := range steps {
					switch {
					case !cal.IsWorkingDay(s.SendOn):
						t.Fatalf("%s: %s on %s, not a working day", eff, s.Step.Key(), s.SendOn)
					case i > 0 && s.SendOn <= steps[i-1].SendOn:
						t.Fatalf("%s: %s on %s not after %s on %s", eff, s.Step.Key(), s.SendOn, steps[i-1].Step.Key(), steps[i-1].SendOn)
					case s.Step.Kind == Reminder && s.SendOn > eff:
						t.Fatalf("%s: reminder %s after the due date, on %s", eff, s.Step.Key(), s.SendOn)
					case s.Step.Kind == Escalation && s.SendOn <= eff:
						t.Fatalf("%s: escalation %s not after the due date, on %s", eff, s.Step.Key(), s.SendOn)
					case keys[s.Step.Key()]:
						t.Fatalf("%s: step %s twice", eff, s.Step.Key())
					}
					keys[s.Step.Key()] = true
				}
				// R0 is always kept: the due date is a working day and no
				// later reminder can take its day.
				if has0(p) && !keys["R0"] {
					t.Fatalf("%s: no R0 in %s", eff, planString(steps))
				}
				if nominal == eff { // once per effective date is enough
					checkReached(t, cal, eff, steps, p)
				}
			}
		})
	}
}

func has0(p Policy) bool {
	for _, d := range p.ReminderDays {
		if d == 0 {
			return true
		}
	}
	return false
}

// checkReached walks every day from a week before the first step to a
// month after the last and compares Reached with the plan.
func checkReached(t *testing.T, cal *calendar.Calendar, eff schedule.Date, steps []Planned, p Policy) {
	t.Helper()
	capped := false
	for today := steps[0].SendOn.AddDays(-7); today <= steps[len(steps)-1].SendOn.AddDays(30); today++ {
		pl, why, ok := Reached(eff, today, cal, p)
		var want Planned
		for _, s := range steps {
			if s.SendOn <= today {
				want = s
			}
		}
		switch {
		case !cal.IsWorkingDay(today):
			if ok || why != ReasonNonWorkingDay {
				t.Fatalf("eff %s, %s: %v %s on a non-working day", eff, today, ok, why)
			}
		case today < steps[0].SendOn:
			if ok || why != ReasonTooEarly {
				t.Fatalf("eff %s, %s: %v %s before the first step", eff, today, ok, why)
			}
		case pl != want:
			t.Fatalf("eff %s, %s: reached %v, want %v", eff, today, pl, want)
		case why == ReasonCapReached:
			if ok || want != steps[len(steps)-1] {
				t.Fatalf("eff %s, %s: cap reached at %v", eff, today, pl)
			}
			capped = true
		case capped:
			t.Fatalf("eff %s, %s: %s after the cap was reached", eff, today, why)
		case !ok || (why == ReasonReminder) != (pl.Step.Kind == Reminder):
			t.Fatalf("eff %s, %s: %v %s for %v", eff, today, ok, why, pl)
		}
	}
	if !capped {
		t.Fatalf("eff %s: cap never reached within a month of the last step", eff)
	}
}
