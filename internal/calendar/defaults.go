package calendar

import (
	"slices"
	"strings"
	"time"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// The statutory days as Bộ luật Lao động 2019, Điều 112 khoản 1 names them,
// and Ngày Văn hóa Việt Nam from 2026.
const (
	nameNewYear   = "Tết Dương lịch"
	nameTet       = "Tết Âm lịch"
	nameHungKings = "Giỗ Tổ Hùng Vương"
	nameVictory   = "Ngày Chiến thắng"
	nameLabour    = "Ngày Quốc tế Lao động"
	nameNational  = "Quốc khánh"
	nameCulture   = "Ngày Văn hóa Việt Nam"
	makeupPrefix  = "Nghỉ bù "
)

// statutory is one day off before make-up days are worked out.
type statutory struct {
	date schedule.Date
	name string
	// madeUp: Điều 111 khoản 3 gives a make-up day when the holiday falls on
	// a weekly rest day. It reaches only the days of Điều 112 khoản 1.
	madeUp bool
}

// Defaults returns the computed non-working days of year for civil servants
// (Saturday and Sunday off), every one Pending because the year's notice
// may move them. It is what the law fixes plus conventional choices where
// the law leaves a choice to the Prime Minister (Điều 112 khoản 3):
//
//   - 1/1 Tết Dương lịch;
//   - Tết Âm lịch, five days: the last day of the lunar year and mùng 1–4
//     (the usual choice; the notice often moves it by a day or two);
//   - Giỗ Tổ Hùng Vương, 10/3 âm lịch;
//   - 30/4 Ngày Chiến thắng and 1/5 Ngày Quốc tế Lao động;
//   - 2/9 Quốc khánh and one adjacent day, by default 1/9: the Prime
//     Minister (from 2026 through Bộ Nội vụ's notice) picks 1/9 or 3/9;
//   - from 2026, 24/11 Ngày Văn hóa Việt Nam (Nghị quyết 28/2026/QH16,
//     in force 1/7/2026 (verify)).
//
// Each of the Điều 112 khoản 1 days that falls on a Saturday or Sunday is
// made up on the next working day that is not already a day off (Điều 111
// khoản 3). Ngày Văn hóa Việt Nam is not made up: it is not (yet) in Điều
// 112 khoản 1, which is what Điều 111 khoản 3 refers to (verify when the
// Labour Code is amended; the first weekend 24/11 is in 2029).
//
// Years before 2021 follow the earlier codes as far as they differ in
// shape (verify): Quốc khánh one day (Bộ luật Lao động 2012), Tết four days
// before 2013, no Giỗ Tổ before 2007. The result is sorted by date.
func Defaults(year int) []Holiday {
	var days []statutory
	add := func(d schedule.Date, name string, madeUp bool) {
		days = append(days, statutory{d, name, madeUp})
	}
	add(schedule.NewDate(year, time.January, 1), nameNewYear, true)
	if tet, ok := schedule.FromLunar(schedule.LunarDate{Year: year, Month: 1, Day: 1}); ok {
		n := 5
		if year < 2013 {
			n = 4
		}
		// tet-1 is the last day of the old lunar year, 29 or 30 tháng Chạp.
		for i := -1; i < n-1; i++ {
			add(tet.AddDays(i), nameTet, true)
		}
	}
	if year >= 2007 {
		if d, ok := schedule.FromLunar(schedule.LunarDate{Year: year, Month: 3, Day: 10}); ok {
			add(d, nameHungKings, true)
		}
	}
	add(schedule.NewDate(year, time.April, 30), nameVictory, true)
	add(schedule.NewDate(year, time.May, 1), nameLabour, true)
	if year >= 2021 {
		add(schedule.NewDate(year, time.September, 1), nameNational, true)
	}
	add(schedule.NewDate(year, time.September, 2), nameNational, true)
	if year >= 2026 {
		add(schedule.NewDate(year, time.November, 24), nameCulture, false)
	}
	out := withMakeups(days)
	for i := range out {
		out[i].Pending = true
	}
	return out
}

// withMakeups turns statutory days into holidays and adds the make-up days
// of Điều 111 khoản 3, in date order, each on the first weekday after the
// holiday that is neither a holiday nor an earlier make-up day. Two
// holidays on one date (Giỗ Tổ can fall on 30/4, though not in 1990–2100)
// become one entry with both names; the second is treated like one on a
// rest day and made up, since the worker would otherwise lose it.
func withMakeups(days []statutory) []Holiday {
	slices.SortStableFunc(days, func(a, b statutory) int { return int(a.date - b.date) })
	off := make(map[schedule.Date]bool, len(days)+4)
	var out []Holiday
	var owed []statutory
	for _, s := range days {
		if off[s.date] {
			last := &out[len(out)-1]
			if !strings.Contains(last.Name, s.name) {
				last.Name += "; " + s.name
			}
			if s.madeUp {
				owed = append(owed, s)
			}
			continue
		}
		off[s.date] = true
		out = append(out, Holiday{Date: s.date, Name: s.name, Kind: KindHoliday})
		if s.madeUp && isWeekend(s.date) {
			owed = append(owed, s)
		}
	}
	for _, s := range owed {
		d := s.date.AddDays(1)
		for isWeekend(d) || off[d] {
			d = d.AddDays(1)
		}
		off[d] = true
		out = append(out, Holiday{Date: d, Name: makeupPrefix + s.name, Kind: KindMakeup})
	}
	slices.SortFunc(out, func(a, b Holiday) int { return int(a.Date - b.Date) })
	return out
}

func isWeekend(d schedule.Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
