package calendar

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

func day(s string) schedule.Date {
	d, err := schedule.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func mustNew(t testing.TB, notices ...YearNotice) *Calendar {
	t.Helper()
	c, err := New(notices)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// h is a short way to write a Holiday in the tables below.
func h(date, name string, kind Kind) Holiday {
	return Holiday{Date: day(date), Name: name, Kind: kind}
}

func TestWeekends(t *testing.T) {
	c := mustNew(t)
	for _, tc := range []struct {
		date    string
		working bool
	}{
		{"2027-03-08", true}, // Monday
		{"2027-03-12", true}, // Friday
		{"2027-03-13", false},
		{"2027-03-14", false},
		{"1990-01-06", false}, // first Saturday of the precomputed range
		{"2100-12-31", true},  // Friday, its last day
		{"2150-03-07", false}, // a Saturday computed on demand
		{"2150-03-09", true},
		{"2500-01-04", true}, // a Monday outside the lunar range: weekends only
		{"2500-01-02", false},
	} {
		t.Run(tc.date, func(t *testing.T) {
			if got := c.IsWorkingDay(day(tc.date)); got != tc.working {
				t.Errorf("IsWorkingDay(%s) = %v, want %v", tc.date, got, tc.working)
			}
		})
	}
}

// The computed defaults, day by day, for years that show each rule.
func TestDefaults(t *testing.T) {
	const hol, mk = KindHoliday, KindMakeup
	for _, tc := range []struct {
		year int
		want []Holiday
	}{
		// Tết Đinh Mùi is Saturday 6/2/2027: the last day of Bính Ngọ is
		// Friday 5/2, mùng 1 and 2 fall on the weekend and are made up on
		// Wednesday and Thursday after mùng 3–4; 1/5 is a Saturday.
		{2027, []Holiday{
			h("2027-01-01", "Tết Dương lịch", hol),
			h("2027-02-05", "Tết Âm lịch", hol), h("2027-02-06", "Tết Âm lịch", hol),
			h("2027-02-07", "Tết Âm lịch", hol), h("2027-02-08", "Tết Âm lịch", hol),
			h("2027-02-09", "Tết Âm lịch", hol),
			h("2027-02-10", "Nghỉ bù Tết Âm lịch", mk), h("2027-02-11", "Nghỉ bù Tết Âm lịch", mk),
			h("2027-04-16", "Giỗ Tổ Hùng Vương", hol),
			h("2027-04-30", "Ngày Chiến thắng", hol),
			h("2027-05-01", "Ngày Quốc tế Lao động", hol),
			h("2027-05-03", "Nghỉ bù Ngày Quốc tế Lao động", mk),
			h("2027-09-01", "Quốc khánh", hol), h("2027-09-02", "Quốc khánh", hol),
			h("2027-11-24", "Ngày Văn hóa Việt Nam", hol),
		}},
		// 1/1/2023 is a Sunday: made up on Monday 2/1. Giỗ Tổ (Saturday
		// 29/4) and 30/4 (Sunday) are made up after 1/5, on 2/5 and 3/5.
		{2023, []Holiday{
			h("2023-01-01", "Tết Dương lịch", hol),
			h("2023-01-02", "Nghỉ bù Tết Dương lịch", mk),
			h("2023-01-21", "Tết Âm lịch", hol), h("2023-01-22", "Tết Âm lịch", hol),
			h("2023-01-23", "Tết Âm lịch", hol), h("2023-01-24", "Tết Âm lịch", hol),
			h("2023-01-25", "Tết Âm lịch", hol),
			h("2023-01-26", "Nghỉ bù Tết Âm lịch", mk), h("2023-01-27", "Nghỉ bù Tết Âm lịch", mk),
			h("2023-04-29", "Giỗ Tổ Hùng Vương", hol),
			h("2023-04-30", "Ngày Chiến thắng", hol),
			h("2023-05-01", "Ngày Quốc tế Lao động", hol),
			h("2023-05-02", "Nghỉ bù Giỗ Tổ Hùng Vương", mk),
			h("2023-05-03", "Nghỉ bù Ngày Chiến thắng", mk),
			h("2023-09-01", "Quốc khánh", hol), h("2023-09-02", "Quốc khánh", hol),
			h("2023-09-04", "Nghỉ bù Quốc khánh", mk),
		}},
		// 2029: both Quốc khánh days on the weekend, made up on 3/9 and 4/9;
		// 24/11 is a Saturday and, outside Điều 112 khoản 1, not made up.
		{2029, []Holiday{
			h("2029-01-01", "Tết Dương lịch", hol),
			h("2029-02-12", "Tết Âm lịch", hol), h("2029-02-13", "Tết Âm lịch", hol),
			h("2029-02-14", "Tết Âm lịch", hol), h("2029-02-15", "Tết Âm lịch", hol),
			h("2029-02-16", "Tết Âm lịch", hol),
			h("2029-04-23", "Giỗ Tổ Hùng Vương", hol),
			h("2029-04-30", "Ngày Chiến thắng", hol),
			h("2029-05-01", "Ngày Quốc tế Lao động", hol),
			h("2029-09-01", "Quốc khánh", hol), h("2029-09-02", "Quốc khánh", hol),
			h("2029-09-03", "Nghỉ bù Quốc khánh", mk), h("2029-09-04", "Nghỉ bù Quốc khánh", mk),
			h("2029-11-24", "Ngày Văn hóa Việt Nam", hol),
		}},
		// Before 2021: one Quốc khánh day; before 2026: no 24/11. Tết Canh
		// Tý is Saturday 25/1/2020.
		{2020, []Holiday{
			h("2020-01-01", "Tết Dương lịch", hol),
			h("2020-01-24", "Tết Âm lịch", hol), h("2020-01-25", "Tết Âm lịch", hol),
			h("2020-01-26", "Tết Âm lịch", hol), h("2020-01-27", "Tết Âm lịch", hol),
			h("2020-01-28", "Tết Âm lịch", hol),
			h("2020-01-29", "Nghỉ bù Tết Âm lịch", mk), h("2020-01-30", "Nghỉ bù Tết Âm lịch", mk),
			h("2020-04-02", "Giỗ Tổ Hùng Vương", hol),
			h("2020-04-30", "Ngày Chiến thắng", hol),
			h("2020-05-01", "Ngày Quốc tế Lao động", hol),
			h("2020-09-02", "Quốc khánh", hol),
		}},
	} {
		t.Run(fmt.Sprint(tc.year), func(t *testing.T) {
			got := Defaults(tc.year)
			for i := range tc.want {
				tc.want[i].Pending = true
			}
			if a, b := fmt.Sprint(got), fmt.Sprint(tc.want); a != b {
				t.Errorf("Defaults(%d):\n got %s\nwant %s", tc.year, a, b)
			}
			if a, b := fmt.Sprint(mustNew(t).Holidays(tc.year)), fmt.Sprint(tc.want); a != b {
				t.Errorf("Holidays(%d) differs from Defaults:\n got %s\nwant %s", tc.year, a, b)
			}
		})
	}
}

// Every name Defaults gives over the precomputed range is one of the
// statutory names (correct diacritics) or "Nghỉ bù " and one of them.
func TestDefaultNames(t *testing.T) {
	names := map[string]bool{}
	for _, n := range []string{nameNewYear, nameTet, nameHungKings, nameVictory, nameLabour, nameNational, nameCulture} {
		names[n] = true
	}
	for y := FirstYear; y <= LastYear; y++ {
		for _, hd := range Defaults(y) {
			n := hd.Name
			if hd.Kind == KindMakeup {
				n = strings.TrimPrefix(n, makeupPrefix)
			}
			if !names[n] || hd.Date.Year() != y || !hd.Pending {
				t.Fatalf("Defaults(%d): %+v", y, hd)
			}
			if hd.Kind == KindMakeup && isWeekend(hd.Date) {
				t.Fatalf("Defaults(%d): make-up day on a weekend: %+v", y, hd)
			}
		}
	}
}

// Two holidays on one date make one entry and a make-up day, so that
// neither is lost.
func TestWithMakeupsSameDate(t *testing.T) {
	got := withMakeups([]statutory{
		{day("2099-04-30"), nameVictory, true},
		{day("2099-04-30"), nameHungKings, true}, // a Thursday
		{day("2099-05-01"), nameLabour, true},
	})
	want := []Holiday{
		h("2099-04-30", "Ngày Chiến thắng; Giỗ Tổ Hùng Vương", KindHoliday),
		h("2099-05-01", "Ngày Quốc tế Lao động", KindHoliday),
		h("2099-05-04", "Nghỉ bù Giỗ Tổ Hùng Vương", KindMakeup),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

// notice2024 is Thông báo 5015/TB-LĐTBXH with the 30/4 swap.
var notice2024 = YearNotice{Year: 2024, Source: "Thông báo số 5015/TB-LĐTBXH", Confirmed: true,
	Days: []Holiday{
		h("2024-01-01", "Tết Dương lịch", KindHoliday),
		h("2024-02-08", "Tết Âm lịch", KindHoliday), h("2024-02-09", "Tết Âm lịch", KindHoliday),
		h("2024-02-10", "Tết Âm lịch", KindHoliday), h("2024-02-11", "Tết Âm lịch", KindHoliday),
		h("2024-02-12", "Tết Âm lịch", KindHoliday),
		h("2024-02-13", "Nghỉ bù Tết Âm lịch", KindMakeup), h("2024-02-14", "Nghỉ bù Tết Âm lịch", KindMakeup),
		h("2024-04-18", "Giỗ Tổ Hùng Vương", KindHoliday),
		h("2024-04-29", "Nghỉ hoán đổi dịp 30/4 – 1/5", KindSwap),
		h("2024-04-30", "Ngày Chiến thắng", KindHoliday),
		h("2024-05-01", "Ngày Quốc tế Lao động", KindHoliday),
		h("2024-09-02", "Quốc khánh", KindHoliday), h("2024-09-03", "Quốc khánh", KindHoliday),
	},
	Workdays: []Holiday{{Date: day("2024-05-04"), Name: "Làm bù cho ngày 29/4/2024"}},
}

// notice2026 is Thông báo 9441/TB-BNV with the Tết Dương lịch swap.
var notice2026 = YearNotice{Year: 2026, Source: "Thông báo số 9441/TB-BNV", Confirmed: true,
	Days: []Holiday{
		h("2026-02-20", "Tết Âm lịch", KindHoliday), // out of order on purpose
		h("2026-01-01", "Tết Dương lịch", KindHoliday),
		h("2026-01-02", "Nghỉ hoán đổi dịp Tết Dương lịch", KindSwap),
		h("2026-02-16", "Tết Âm lịch", KindHoliday), h("2026-02-17", "Tết Âm lịch", KindHoliday),
		h("2026-02-18", "Tết Âm lịch", KindHoliday), h("2026-02-19", "Tết Âm lịch", KindHoliday),
		h("2026-04-26", "Giỗ Tổ Hùng Vương", KindHoliday),
		h("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương", KindMakeup),
		h("2026-04-30", "Ngày Chiến thắng", KindHoliday),
		h("2026-05-01", "Ngày Quốc tế Lao động", KindHoliday),
		h("2026-09-01", "Quốc khánh", KindHoliday), h("2026-09-02", "Quốc khánh", KindHoliday),
		h("2026-11-24", "Ngày Văn hóa Việt Nam", KindHoliday),
	},
	Workdays: []Holiday{{Date: day("2026-01-10"), Name: "Làm bù cho ngày 02/01/2026", Kind: KindSwap}},
}

func TestNoticeOverridesDefaults(t *testing.T) {
	c := mustNew(t, notice2024, notice2026)
	t.Run("working days", func(t *testing.T) {
		for _, tc := range []struct {
			date    string
			working bool
		}{
			{"2024-02-08", false}, // 29 tháng Chạp: the notice's Tết starts a day before the default
			{"2024-02-15", true},  // the default's second make-up day, not the notice's
			{"2024-04-29", false}, // swapped day off
			{"2024-05-04", true},  // the Saturday worked for it
			{"2024-05-05", false},
			{"2024-09-03", false},
			{"2026-01-02", false},
			{"2026-01-10", true},
			{"2025-01-28", false}, // 2025 has no notice here: defaults
			{"2025-01-27", true},
		} {
			if got := c.IsWorkingDay(day(tc.date)); got != tc.working {
				t.Errorf("IsWorkingDay(%s) = %v, want %v", tc.date, got, tc.working)
			}
		}
	})
	t.Run("Holiday", func(t *testing.T) {
		got, ok := c.Holiday(day("2024-04-29"))
		want := h("2024-04-29", "Nghỉ hoán đổi dịp 30/4 – 1/5", KindSwap)
		if !ok || got != want {
			t.Errorf("Holiday(2024-04-29) = %+v, %v; want %+v", got, ok, want)
		}
		if got, ok := c.Holiday(day("2024-02-10")); !ok || got.Name != "Tết Âm lịch" {
			t.Errorf("Holiday(2024-02-10), a Saturday of Tết = %+v, %v", got, ok)
		}
		if got, ok := c.Holiday(day("2024-05-04")); ok {
			t.Errorf("Holiday(2024-05-04), a workday = %+v", got)
		}
		if got, ok := c.Holiday(day("2025-01-28")); !ok || !got.Pending {
			t.Errorf("Holiday(2025-01-28), a default = %+v, %v; want pending", got, ok)
		}
	})
	t.Run("Holidays sorted, a copy", func(t *testing.T) {
		hs := c.Holidays(2026)
		if len(hs) != len(notice2026.Days) || hs[0].Date != day("2026-01-01") || hs[len(hs)-1].Date != day("2026-11-24") {
			t.Fatalf("Holidays(2026) = %v", hs)
		}
		for i := 1; i < len(hs); i++ {
			if hs[i-1].Date >= hs[i].Date {
				t.Fatalf("not sorted at %d: %v", i, hs)
			}
		}
		hs[0].Name = "changed"
		if c.Holidays(2026)[0].Name != "Tết Dương lịch" {
			t.Error("Holidays returned the calendar's own slice")
		}
		if w := c.Workdays(2026); len(w) != 1 || w[0].Kind != KindSwap {
			t.Errorf("Workdays(2026) = %v", w)
		}
	})
	t.Run("unconfirmed notice is pending", func(t *testing.T) {
		nt := YearNotice{Year: 2027, Days: []Holiday{h("2027-01-01", "Tết Dương lịch", KindHoliday)}}
		c := mustNew(t, nt)
		if got, _ := c.Holiday(day("2027-01-01")); !got.Pending {
			t.Errorf("%+v: want Pending", got)
		}
		if c.IsWorkingDay(day("2027-02-08")) != true {
			t.Error("a notice replaces the defaults of its year entirely")
		}
	})
}

func TestNewErrors(t *testing.T) {
	ok := func(date, name string, kind Kind) Holiday { return h(date, name, kind) }
	for _, tc := range []struct {
		name    string
		notices []YearNotice
		want    string
	}{
		{"year too early", []YearNotice{{Year: 1989}}, "holidays 1989: year outside 1990–2100"},
		{"two notices", []YearNotice{{Year: 2025}, {Year: 2025}}, "holidays 2025: two notices"},
		{"day outside its year", []YearNotice{{Year: 2025, Days: []Holiday{ok("2024-12-31", "x", KindHoliday)}}},
			"day off 2024-12-31 is not in 2025"},
		{"day twice", []YearNotice{{Year: 2025, Days: []Holiday{ok("2025-01-01", "a", KindHoliday), ok("2025-01-01", "b", KindHoliday)}}},
			"day off 2025-01-01 is already listed"},
		{"no name", []YearNotice{{Year: 2025, Days: []Holiday{ok("2025-01-01", "", KindHoliday)}}}, "has no name"},
		{"unknown kind", []YearNotice{{Year: 2025, Days: []Holiday{ok("2025-01-01", "x", "festival")}}}, `unknown kind "festival"`},
		{"empty kind", []YearNotice{{Year: 2025, Days: []Holiday{ok("2025-01-01", "x", "")}}}, `unknown kind ""`},
		{"make-up on a Saturday", []YearNotice{{Year: 2025, Days: []Holiday{ok("2025-01-04", "x", KindMakeup)}}},
			"makeup day off 2025-01-04 is a Saturday"},
		{"swap on a Sunday", []YearNotice{{Year: 2025, Days: []Holiday{ok("2025-01-05", "x", KindSwap)}}},
			"swap day off 2025-01-05 is a Sunday"},
		{"workday on a weekday", []YearNotice{{Year: 2025, Workdays: []Holiday{ok("2025-04-25", "x", "")}}},
			"workday 2025-04-25 is a Friday"},
		{"workday with a kind", []YearNotice{{Year: 2025, Workdays: []Holiday{ok("2025-04-26", "x", KindHoliday)}}},
			`workday 2025-04-26 has kind "holiday"`},
		{"workday also a day off", []YearNotice{{Year: 2025,
			Days: []Holiday{ok("2025-04-26", "x", KindHoliday)}, Workdays: []Holiday{ok("2025-04-26", "y", "")}}},
			"workday 2025-04-26 is already listed as a day off"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.notices)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New = %v, %v; want an error containing %q", c, err, tc.want)
			}
		})
	}
	t.Run("every problem reported", func(t *testing.T) {
		_, err := New([]YearNotice{{Year: 1989}, {Year: 2025, Days: []Holiday{h("2025-01-01", "", "bad")}}})
		if err == nil || strings.Count(err.Error(), "\n") != 2 {
			t.Errorf("want three errors, got %v", err)
		}
	})
}

func TestIsWorkingDayAllocs(t *testing.T) {
	c := mustNew(t, notice2024)
	d := day("2024-05-04")
	if n := testing.AllocsPerRun(1000, func() { _ = c.IsWorkingDay(d) }); n != 0 {
		t.Errorf("IsWorkingDay allocates %v times", n)
	}
}

// Readers in parallel, including years computed on demand; run with -race.
func TestConcurrentReaders(t *testing.T) {
	c := mustNew(t, notice2026)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for y := 2101 + g%3; y < 2110; y++ {
				d := schedule.NewDate(y, time.January, 1)
				_ = c.IsWorkingDay(d)
				_, _ = c.Holiday(d)
				_ = c.AddWorkingDays(day("2026-02-13"), 1)
				_ = c.Holidays(y)
			}
		}()
	}
	wg.Wait()
	if hd, ok := c.Holiday(day("2105-01-01")); !ok || hd.Name != "Tết Dương lịch" {
		t.Errorf("Holiday(2105-01-01) = %+v, %v", hd, ok)
	}
}
