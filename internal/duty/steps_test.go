package duty

import (
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/calendar"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

func day(t testing.TB, s string) schedule.Date {
	t.Helper()
	d, err := schedule.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// defaultCal is calendar.New(nil): computed holidays, every year Pending.
// The facts below were checked against its days off: Tết 2024 is
// 9–13/2 plus make-up days 14–15/2, Tết 2026 16–20/2, 27/4/2026 makes up
// Giỗ Tổ (26/4, a Sunday).
func defaultCal(t testing.TB) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// notice2024 is 2024 as the real notice had it (Tết 8–14/2) plus a
// worked Saturday, 17/2, made up for the test so a swap is exercised.
func notice2024(t testing.TB) *calendar.Calendar {
	t.Helper()
	var days []calendar.Holiday
	for d := day(t, "2024-02-08"); d <= day(t, "2024-02-14"); d++ {
		days = append(days, calendar.Holiday{Date: d, Name: "Tết Âm lịch", Kind: calendar.KindHoliday})
	}
	c, err := calendar.New([]calendar.YearNotice{{
		Year: 2024, Source: "test", Confirmed: true, Days: days,
		Workdays: []calendar.Holiday{{Date: day(t, "2024-02-17"), Name: "Làm bù (test)"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// planString writes a plan the way the tables below do.
func planString(ps []Planned) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Step.Key() + " " + p.SendOn.String())
	}
	return b.String()
}

func TestSteps(t *testing.T) {
	def := DefaultPolicy()
	short := DefaultPolicy()
	short.MaxRepeats = 2
	tight := short // level 2 the day after: collides with level 1
	tight.Level2AfterDays = 1
	none := short
	none.MaxRepeats = 0
	odd := short // unsorted, and a reminder a month ahead
	odd.ReminderDays = []int{0, 30, 5}

	tests := []struct {
		name string
		cal  func(testing.TB) *calendar.Calendar
		p    Policy
		eff  string
		want string
	}{
		{"plain Monday 2024: R1 on Sunday merges into R3's Friday, R1 wins", defaultCal, short, "2024-03-04",
			"R14 2024-02-19, R7 2024-02-26, R1 2024-03-01, R0 2024-03-04, E1 2024-03-05, E2 2024-03-11, E3 2024-03-18, E4 2024-03-25"},
		{"Monday after Tết 2026: R7, R3, R1 all fall back to Friday 13/2; ten repeats, the last moved past 27/4 (make-up day)",
			defaultCal, def, "2026-02-23",
			"R14 2026-02-09, R1 2026-02-13, R0 2026-02-23, E1 2026-02-24, E2 2026-03-02, E3 2026-03-09, E4 2026-03-16, " +
				"E5 2026-03-23, E6 2026-03-30, E7 2026-04-06, E8 2026-04-13, E9 2026-04-20, E10 2026-04-28"},
		{"Friday before Tết 2026: E1 and E2 both land on 23/2, E2 wins; repeats keep the nominal cadence (Fridays)",
			defaultCal, short, "2026-02-13",
			"R14 2026-01-30, R7 2026-02-06, R3 2026-02-10, R1 2026-02-12, R0 2026-02-13, E2 2026-02-23, E3 2026-02-27, E4 2026-03-06"},
		{"first day after Tết 2024 (defaults): R7, R3, R1 fall back to 8/2", defaultCal, short, "2024-02-16",
			"R14 2024-02-02, R1 2024-02-08, R0 2024-02-16, E1 2024-02-19, E2 2024-02-23, E3 2024-03-01, E4 2024-03-08"},
		{"same date under the 2024 notice: 15/2 is a working day", notice2024, short, "2024-02-15",
			"R14 2024-02-01, R1 2024-02-07, R0 2024-02-15, E1 2024-02-16, E2 2024-02-22, E3 2024-02-29, E4 2024-03-07"},
		{"2024 notice: R7 (9/2) and R3 (13/2) fall back to 7/2; E1 on Saturday 17/2, worked", notice2024, short, "2024-02-16",
			"R14 2024-02-02, R3 2024-02-07, R1 2024-02-15, R0 2024-02-16, E1 2024-02-17, E2 2024-02-23, E3 2024-03-01, E4 2024-03-08"},
		{"nominal due on a Sunday is rolled forward to Monday first", defaultCal, short, "2024-03-03",
			"R14 2024-02-19, R7 2024-02-26, R1 2024-03-01, R0 2024-03-04, E1 2024-03-05, E2 2024-03-11, E3 2024-03-18, E4 2024-03-25"},
		{"level 2 after one day: E1's Monday taken by E2, E3 on Monday after a Saturday", defaultCal, tight, "2024-03-01",
			"R14 2024-02-16, R7 2024-02-23, R3 2024-02-27, R1 2024-02-29, R0 2024-03-01, E2 2024-03-04, E3 2024-03-11, E4 2024-03-18"},
		{"no repeats: level 2 is the last step", defaultCal, none, "2024-03-04",
			"R14 2024-02-19, R7 2024-02-26, R1 2024-03-01, R0 2024-03-04, E1 2024-03-05, E2 2024-03-11"},
		{"reminder days in any order", defaultCal, odd, "2024-03-04",
			"R30 2024-02-02, R5 2024-02-28, R0 2024-03-04, E1 2024-03-05, E2 2024-03-11, E3 2024-03-18, E4 2024-03-25"},
		{"Quốc khánh 2024: R1 on 3/9 (make-up) falls back over 1–3/9 to Friday 30/8", defaultCal, short, "2024-09-04",
			"R14 2024-08-21, R7 2024-08-28, R1 2024-08-30, R0 2024-09-04, E1 2024-09-05, E2 2024-09-11, E3 2024-09-18, E4 2024-09-25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := planString(Steps(day(t, tt.eff), tt.cal(t), tt.p)); got != tt.want {
				t.Errorf("Steps(%s)\n got %s\nwant %s", tt.eff, got, tt.want)
			}
		})
	}
}

func TestReached(t *testing.T) {
	cal := defaultCal(t)
	eff := day(t, "2026-02-23") // plan in TestSteps: R14 9/2, R1 13/2, R0 23/2, E1 24/2, E2 2/3 … E10 28/4
	tests := []struct {
		name, today string
		want        Reason
		key         string // "" when ok is false and no step is returned
		ok          bool
	}{
		{"a week before R14", "2026-02-02", ReasonTooEarly, "", false},
		{"the day before R14", "2026-02-06", ReasonTooEarly, "", false},
		{"a Saturday", "2026-02-07", ReasonNonWorkingDay, "", false},
		{"R14 on its day", "2026-02-09", ReasonReminder, "R14", true},
		{"between R14 and R1 R14 stays reached (the outbox key keeps it single)", "2026-02-11", ReasonReminder, "R14", true},
		{"R1 on the Friday before Tết", "2026-02-13", ReasonReminder, "R1", true},
		{"Tết", "2026-02-18", ReasonNonWorkingDay, "", false},
		{"the due date", "2026-02-23", ReasonReminder, "R0", true},
		{"level 1", "2026-02-24", ReasonEscalation, "E1", true},
		{"back after a 10-day gap from 20/2: R0 and E1 collapse into E2", "2026-03-03", ReasonEscalation, "E2", true},
		{"the last repeat", "2026-04-28", ReasonEscalation, "E10", true},
		{"the last repeat, within its window", "2026-04-29", ReasonEscalation, "E10", true},
		{"1/5 is a holiday", "2026-05-01", ReasonNonWorkingDay, "", false},
		{"a repeat interval after the last nominal repeat: cap reached", "2026-05-04", ReasonCapReached, "E10", false},
		{"long after: still capped, no more mail", "2026-09-15", ReasonCapReached, "E10", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl, why, ok := Reached(eff, day(t, tt.today), cal, DefaultPolicy())
			key := ""
			if pl.Step.Kind != 0 {
				key = pl.Step.Key()
			}
			if why != tt.want || ok != tt.ok || key != tt.key {
				t.Errorf("Reached(%s, %s) = %s %q %v; want %s %q %v", eff, tt.today, key, why, ok, tt.key, tt.want, tt.ok)
			}
		})
	}
}

func TestNext(t *testing.T) {
	cal := defaultCal(t)
	eff := day(t, "2026-02-23")
	tests := []struct{ after, want string }{
		{"2026-01-01", "R14 2026-02-09"},
		{"2026-02-09", "R1 2026-02-13"},
		{"2026-02-14", "R0 2026-02-23"},
		{"2026-04-20", "E10 2026-04-28"},
		{"2026-04-28", ""},
	}
	for _, tt := range tests {
		t.Run(tt.after, func(t *testing.T) {
			got := ""
			if pl, ok := Next(eff, day(t, tt.after), cal, DefaultPolicy()); ok {
				got = planString([]Planned{pl})
			}
			if got != tt.want {
				t.Errorf("Next(%s) = %q, want %q", tt.after, got, tt.want)
			}
		})
	}
}

func TestStepKey(t *testing.T) {
	good := []struct {
		key  string
		step Step
	}{
		{"R14", Step{Kind: Reminder, DaysBefore: 14}},
		{"R0", Step{Kind: Reminder}},
		{"E1", Step{Kind: Escalation, Level: 1}},
		{"E10", Step{Kind: Escalation, Level: 10}},
	}
	for _, tt := range good {
		t.Run(tt.key, func(t *testing.T) {
			if got := tt.step.Key(); got != tt.key {
				t.Errorf("Key() = %q, want %q", got, tt.key)
			}
			if got, err := ParseStepKey(tt.key); err != nil || got != tt.step {
				t.Errorf("ParseStepKey(%q) = %+v, %v", tt.key, got, err)
			}
		})
	}
	for _, bad := range []string{"", "R", "E0", "R-1", "R+7", "R07", "X3", "e1", "E1 "} {
		t.Run("bad "+bad, func(t *testing.T) {
			if _, err := ParseStepKey(bad); err == nil {
				t.Errorf("ParseStepKey(%q) succeeded", bad)
			}
		})
	}
	if got := (Step{}).Key(); got != "?" {
		t.Errorf("zero Step key = %q, want ?", got)
	}
}

func BenchmarkReached(b *testing.B) {
	cal := defaultCal(b)
	eff, today := day(b, "2026-02-23"), day(b, "2026-03-03")
	p := DefaultPolicy()
	b.ReportAllocs()
	for b.Loop() {
		Reached(eff, today, cal, p)
	}
}

func BenchmarkSteps(b *testing.B) {
	cal := defaultCal(b)
	eff := day(b, "2026-02-23")
	p := DefaultPolicy()
	b.ReportAllocs()
	for b.Loop() {
		Steps(eff, cal, p)
	}
}
