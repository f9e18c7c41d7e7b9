package duty

import (
	"errors"
	"slices"
	"testing"
)

func TestValidate(t *testing.T) {
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatalf("default policy: %v", err)
	}
	edit := func(f func(*Policy)) Policy { p := DefaultPolicy(); f(&p); return p }
	tests := []struct {
		name string
		p    Policy
		want []string // each a whole FieldError message, in order
	}{
		{"no reminders is allowed", edit(func(p *Policy) { p.ReminderDays = nil }), nil},
		{"unsorted reminders are allowed", edit(func(p *Policy) { p.ReminderDays = []int{0, 7, 3} }), nil},
		{"no repeats is allowed", edit(func(p *Policy) { p.MaxRepeats = 0 }), nil},
		{"negative reminder", edit(func(p *Policy) { p.ReminderDays = []int{7, -1} }),
			[]string{"reminder_days: -1 nằm ngoài khoảng 0–120 ngày trước hạn"}},
		{"reminder too far", edit(func(p *Policy) { p.ReminderDays = []int{365} }),
			[]string{"reminder_days: 365 nằm ngoài khoảng 0–120 ngày trước hạn"}},
		{"duplicate reminder", edit(func(p *Policy) { p.ReminderDays = []int{7, 3, 7} }),
			[]string{"reminder_days: 7 được ghi hai lần"}},
		{"level 2 on the due date", edit(func(p *Policy) { p.Level2AfterDays = 0 }),
			[]string{"level2_after_days: 0 nằm ngoài khoảng 1–120"}},
		{"repeat every 0 days", edit(func(p *Policy) { p.RepeatEveryDays = 0 }),
			[]string{"repeat_every_days: 0 nằm ngoài khoảng 1–120"}},
		{"negative cap", edit(func(p *Policy) { p.MaxRepeats = -1 }),
			[]string{"max_repeats: -1 nằm ngoài khoảng 0–100"}},
		{"send hour 24", edit(func(p *Policy) { p.SendHour = 24 }),
			[]string{"send_hour: 24 không phải một giờ trong ngày (0–23)"}},
		{"every problem reported", Policy{ReminderDays: []int{1, 1}, SendHour: -1},
			[]string{
				"reminder_days: 1 được ghi hai lần",
				"level2_after_days: 0 nằm ngoài khoảng 1–120",
				"repeat_every_days: 0 nằm ngoài khoảng 1–120",
				"send_hour: -1 không phải một giờ trong ngày (0–23)",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			var got []string
			if err != nil {
				for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
					var fe *FieldError
					if !errors.As(e, &fe) {
						t.Fatalf("%T is not a *FieldError", e)
					}
					got = append(got, fe.Error())
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Validate()\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
