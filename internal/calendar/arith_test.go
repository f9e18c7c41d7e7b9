package calendar

import (
	"math/rand/v2"
	"testing"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// notice2025 is Công văn 8726/VPCP-KGVX: Tết 27–31/1, 2/5 swapped for 26/4.
var notice2025 = YearNotice{Year: 2025, Confirmed: true,
	Days: []Holiday{
		h("2025-01-01", "Tết Dương lịch", KindHoliday),
		h("2025-01-27", "Tết Âm lịch", KindHoliday), h("2025-01-28", "Tết Âm lịch", KindHoliday),
		h("2025-01-29", "Tết Âm lịch", KindHoliday), h("2025-01-30", "Tết Âm lịch", KindHoliday),
		h("2025-01-31", "Tết Âm lịch", KindHoliday),
		h("2025-04-07", "Giỗ Tổ Hùng Vương", KindHoliday),
		h("2025-04-30", "Ngày Chiến thắng", KindHoliday),
		h("2025-05-01", "Ngày Quốc tế Lao động", KindHoliday),
		h("2025-05-02", "Nghỉ hoán đổi dịp 30/4 – 1/5", KindSwap),
		h("2025-09-01", "Quốc khánh", KindHoliday), h("2025-09-02", "Quốc khánh", KindHoliday),
	},
	Workdays: []Holiday{{Date: day("2025-04-26"), Name: "Làm bù cho ngày 02/5/2025"}},
}

func TestEffective(t *testing.T) {
	c := mustNew(t, notice2024, notice2025, notice2026)
	for _, tc := range []struct {
		name, due, want string
	}{
		{"working day stays", "2026-02-13", "2026-02-13"},
		{"Saturday before Tết rolls past the Tết week", "2026-02-14", "2026-02-23"},
		{"mùng 1 Tết", "2026-02-17", "2026-02-23"},
		{"Tết Dương lịch with its swapped Friday", "2026-01-01", "2026-01-05"},
		{"swap Saturday is a working day", "2026-01-10", "2026-01-10"},
		{"30/4 long weekend 2025", "2025-04-30", "2025-05-05"},
		{"Saturday worked for the swap 2025", "2025-04-26", "2025-04-26"},
		{"Giỗ Tổ on Sunday, made up Monday", "2026-04-26", "2026-04-28"},
		{"Sunday after Quốc khánh 2024", "2024-09-01", "2024-09-04"},
		{"end of year on a Sunday, default 2028", "2028-12-31", "2029-01-02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Effective(day(tc.due)); got != day(tc.want) {
				t.Errorf("Effective(%s) = %s, want %s", tc.due, got, tc.want)
			}
		})
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := mustNew(t, notice2024, notice2025, notice2026)
	for _, tc := range []struct {
		name string
		from string
		n    int
		want string
	}{
		{"zero is the day itself, even a holiday", "2026-02-17", 0, "2026-02-17"},
		{"next after the Friday before Tết", "2026-02-13", 1, "2026-02-23"},
		{"3 working days before the Monday after Tết", "2026-02-23", -3, "2026-02-11"},
		{"1 before the Monday after 30/4 2024 is the Saturday worked", "2024-05-06", -1, "2024-05-04"},
		{"1 after the Friday before 30/4 2024", "2024-04-26", 1, "2024-05-02"},
		{"5 after 31/12/2025 skip 1/1 and the swapped 2/1", "2025-12-31", 5, "2026-01-09"},
		{"10 before Quốc khánh 2025", "2025-09-02", -10, "2025-08-18"},
		{"across the end of the precomputed range", "2100-12-30", 3, "2101-01-05"},
		{"across its start", "1990-01-03", -3, "1989-12-28"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.AddWorkingDays(day(tc.from), tc.n); got != day(tc.want) {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
			}
		})
	}
	t.Run("Next and Prev", func(t *testing.T) {
		if got := c.NextWorkingDay(day("2025-01-24")); got != day("2025-02-03") {
			t.Errorf("NextWorkingDay = %s", got)
		}
		if got := c.PrevWorkingDay(day("2025-02-03")); got != day("2025-01-24") {
			t.Errorf("PrevWorkingDay = %s", got)
		}
	})
}

func TestWorkingDaysBetween(t *testing.T) {
	c := mustNew(t, notice2026)
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"2026-02-13", "2026-02-23", 1},
		{"2026-02-23", "2026-02-13", -1},
		{"2026-02-13", "2026-02-13", 0},
		{"2026-01-01", "2026-01-31", 21}, // 21 weekdays after 1/1, less the swapped 2/1, plus Saturday 10/1
		{"2025-12-31", "2026-12-31", 249},
	} {
		t.Run(tc.a+"→"+tc.b, func(t *testing.T) {
			if got := c.WorkingDaysBetween(day(tc.a), day(tc.b)); got != tc.want {
				t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

// The word-at-a-time paths agree with a day-at-a-time walk, near the ends
// of the precomputed range too.
func TestArithmeticAgreesWithWalking(t *testing.T) {
	c := mustNew(t, notice2024, notice2025, notice2026)
	walk := func(d schedule.Date, n int) schedule.Date {
		step := 1
		if n < 0 {
			step, n = -1, -n
		}
		for n > 0 {
			d = d.AddDays(step)
			if c.IsWorkingDay(d) {
				n--
			}
		}
		return d
	}
	count := func(a, b schedule.Date) int {
		n := 0
		for d := a + 1; d <= b; d++ {
			if c.IsWorkingDay(d) {
				n++
			}
		}
		return n
	}
	rng := rand.New(rand.NewPCG(1, 2))
	starts := []schedule.Date{day("1989-11-01"), day("2024-01-01"), day("2100-10-01"), day("2150-01-01")}
	for i := range 4000 {
		d := starts[i%len(starts)].AddDays(rng.IntN(200))
		n := rng.IntN(241) - 120
		got := c.AddWorkingDays(d, n)
		if want := walk(d, n); got != want {
			t.Fatalf("AddWorkingDays(%s, %d) = %s, want %s", d, n, got, want)
		}
		if n > 0 {
			if k := c.WorkingDaysBetween(d, got); k != n {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", d, got, k, n)
			}
		}
		b := d.AddDays(rng.IntN(400) - 200)
		want := count(d, b)
		if b < d {
			want = -count(b, d)
		}
		if k := c.WorkingDaysBetween(d, b); k != want {
			t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", d, b, k, want)
		}
	}
}
