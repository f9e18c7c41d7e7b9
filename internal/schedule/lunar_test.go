package schedule

import (
	"fmt"
	"testing"
	"time"
)

// The expected dates below are published facts, not our own output; each
// group names its sources.
//
// Tết and Giỗ Tổ 2000–2040: the tables LUNAR_NEW_YEAR_DATES and
// HUNG_KINGS_DATES of python-holidays (github.com/vacanza/holidays,
// holidays/calendars/chinese.py), with its Vietnamese overrides
// VIETNAMESE_CALENDAR_LUNAR_NEW_YEAR_DATES (2007-02-17, 2030-02-02) and
// VIETNAMESE_CALENDAR_HUNG_KINGS_DATES (2009-04-04, 2037-04-24,
// 2038-04-13). Cross-checked against:
//   - Tết 2007: Sài Gòn Giải Phóng, "Ngày mồng một Tết Đinh Hợi ở VN và TQ"
//     (sggp.org.vn): 17/2/2007 in Việt Nam, 18/2/2007 in China;
//   - Tết 2030: the new moon of 2 February 2030 at 16:07 UT, i.e. 23:07 in
//     Hà Nội and 00:07 on 3/2 in Beijing;
//   - the civil-service Tết notices, which give each day's lunar date:
//     2021 (Hà Nội Mới: 10/2/2021 = 29 tháng Chạp), 2023 (VietNamNet, on
//     Công văn 8056/VPCP-KGVX: 20/1/2023 = 29 tháng Chạp), 2024 (Thông báo
//     5015/TB-LĐTBXH), 2025 (Công văn 8726/VPCP-KGVX: 25/1/2025 = 26 tháng
//     Chạp), 2026 (Thông báo 9441/TB-BNV: 16/2/2026 = 29 tháng Chạp,
//     22/2/2026 = mùng 6); see TestNoticeLunarDates;
//   - Giỗ Tổ 2021 21/4 (cafedautu.vn), 2024 18/4 (dromara/carbon's
//     Vietnamese lunar tests), 2026 26/4 (Thanh Niên, 23/2/2026).
var tetAndGioTo = []struct {
	year        int
	tet, gioTo  string
	cnTet, cnTo string // China's date where it differs (UTC+8)
}{
	{2000, "2000-02-05", "2000-04-14", "", ""},
	{2001, "2001-01-24", "2001-04-03", "", ""},
	{2002, "2002-02-12", "2002-04-22", "", ""},
	{2003, "2003-02-01", "2003-04-11", "", ""},
	{2004, "2004-01-22", "2004-04-28", "", ""},
	{2005, "2005-02-09", "2005-04-18", "", ""},
	{2006, "2006-01-29", "2006-04-07", "", ""},
	{2007, "2007-02-17", "2007-04-26", "2007-02-18", ""},
	{2008, "2008-02-07", "2008-04-15", "", ""},
	{2009, "2009-01-26", "2009-04-04", "", "2009-04-05"},
	{2010, "2010-02-14", "2010-04-23", "", ""},
	{2011, "2011-02-03", "2011-04-12", "", ""},
	{2012, "2012-01-23", "2012-03-31", "", ""},
	{2013, "2013-02-10", "2013-04-19", "", ""},
	{2014, "2014-01-31", "2014-04-09", "", ""},
	{2015, "2015-02-19", "2015-04-28", "", ""},
	{2016, "2016-02-08", "2016-04-16", "", ""},
	{2017, "2017-01-28", "2017-04-06", "", ""},
	{2018, "2018-02-16", "2018-04-25", "", ""},
	{2019, "2019-02-05", "2019-04-14", "", ""},
	{2020, "2020-01-25", "2020-04-02", "", ""},
	{2021, "2021-02-12", "2021-04-21", "", ""},
	{2022, "2022-02-01", "2022-04-10", "", ""},
	{2023, "2023-01-22", "2023-04-29", "", ""},
	{2024, "2024-02-10", "2024-04-18", "", ""},
	{2025, "2025-01-29", "2025-04-07", "", ""},
	{2026, "2026-02-17", "2026-04-26", "", ""},
	{2027, "2027-02-06", "2027-04-16", "", ""},
	{2028, "2028-01-26", "2028-04-04", "", ""},
	{2029, "2029-02-13", "2029-04-23", "", ""},
	{2030, "2030-02-02", "2030-04-12", "2030-02-03", ""},
	{2031, "2031-01-23", "2031-04-01", "", ""},
	{2032, "2032-02-11", "2032-04-19", "", ""},
	{2033, "2033-01-31", "2033-04-09", "", ""},
	{2034, "2034-02-19", "2034-04-28", "", ""},
	{2035, "2035-02-08", "2035-04-17", "", ""},
	{2036, "2036-01-28", "2036-04-06", "", ""},
	{2037, "2037-02-15", "2037-04-24", "", "2037-04-25"},
	{2038, "2038-02-04", "2038-04-13", "", "2038-04-14"},
	{2039, "2039-01-24", "2039-04-03", "", ""},
	{2040, "2040-02-12", "2040-04-20", "", ""},
}

func mustDate(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestPublishedTetAndGioTo(t *testing.T) {
	for _, tc := range tetAndGioTo {
		t.Run(fmt.Sprint(tc.year), func(t *testing.T) {
			check := func(what string, l LunarDate, want, china string) {
				got, ok := FromLunar(l)
				if !ok || got != mustDate(t, want) {
					t.Errorf("%s: FromLunar(%+v) = %v, %v; want %s", what, l, got, ok, want)
				}
				if back := toLunar(mustDate(t, want)); back != l {
					t.Errorf("%s: toLunar(%s) = %+v, want %+v", what, want, back, l)
				}
				if china != "" && got == mustDate(t, china) {
					t.Errorf("%s: got China's date %s (UTC+8), want Việt Nam's %s", what, china, want)
				}
			}
			check("Tết", LunarDate{Year: tc.year, Month: 1, Day: 1}, tc.tet, tc.cnTet)
			check("Giỗ Tổ", LunarDate{Year: tc.year, Month: 3, Day: 10}, tc.gioTo, tc.cnTo)
		})
	}
}

// Lunar dates the civil-service notices print beside solar ones.
func TestNoticeLunarDates(t *testing.T) {
	for _, tc := range []struct {
		solar  string
		lunar  LunarDate
		source string
	}{
		{"2021-02-10", LunarDate{2020, 12, 29, false}, "Hà Nội Mới, Tết Tân Sửu"},
		{"2021-02-16", LunarDate{2021, 1, 5, false}, "Hà Nội Mới, Tết Tân Sửu"},
		{"2023-01-20", LunarDate{2022, 12, 29, false}, "VietNamNet, Tết Quý Mão"},
		{"2023-01-26", LunarDate{2023, 1, 5, false}, "VietNamNet, Tết Quý Mão"},
		{"2024-02-08", LunarDate{2023, 12, 29, false}, "Thông báo 5015/TB-LĐTBXH"},
		{"2024-02-14", LunarDate{2024, 1, 5, false}, "Thông báo 5015/TB-LĐTBXH"},
		{"2025-01-25", LunarDate{2024, 12, 26, false}, "Công văn 8726/VPCP-KGVX"},
		{"2025-01-27", LunarDate{2024, 12, 28, false}, "VTV9, Tết Ất Tỵ"},
		{"2025-02-02", LunarDate{2025, 1, 5, false}, "Công văn 8726/VPCP-KGVX"},
		{"2026-02-14", LunarDate{2025, 12, 27, false}, "Thông báo 9441/TB-BNV"},
		{"2026-02-16", LunarDate{2025, 12, 29, false}, "Thông báo 9441/TB-BNV"},
		{"2026-02-20", LunarDate{2026, 1, 4, false}, "Thông báo 9441/TB-BNV"},
		{"2026-02-22", LunarDate{2026, 1, 6, false}, "Thông báo 9441/TB-BNV"},
	} {
		t.Run(tc.solar, func(t *testing.T) {
			if got := toLunar(mustDate(t, tc.solar)); got != tc.lunar {
				t.Errorf("toLunar(%s) = %+v, want %+v (%s)", tc.solar, got, tc.lunar, tc.source)
			}
		})
	}
}

// Leap months: dromara/carbon's TestViLunar_LeapMonth (1995–2031) and
// wiindi.net, "Năm 2020 có phải là năm nhuận" (2014–2031: tháng 9, 6, 4, 2,
// 6, 5, 3). Years between listed leap years have no leap month.
func TestLeapMonths(t *testing.T) {
	leap := map[int]int{1995: 8, 1998: 5, 2001: 4, 2004: 2, 2006: 7, 2009: 5, 2012: 4,
		2014: 9, 2017: 6, 2020: 4, 2023: 2, 2025: 6, 2028: 5, 2031: 3}
	for y := 2014; y <= 2031; y++ {
		t.Run(fmt.Sprint(y), func(t *testing.T) {
			var got []int
			for m := 1; m <= 12; m++ {
				if _, ok := FromLunar(LunarDate{Year: y, Month: m, Day: 1, Leap: true}); ok {
					got = append(got, m)
				}
			}
			want := []int{}
			if m, ok := leap[y]; ok {
				want = []int{m}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("leap months %v, want %v", got, want)
			}
		})
	}
	for y, m := range leap {
		if y >= 2014 {
			continue
		}
		if _, ok := FromLunar(LunarDate{Year: y, Month: m, Day: 1, Leap: true}); !ok {
			t.Errorf("%d: no leap month %d", y, m)
		}
	}
}

// Leap-month boundaries. A lunar month starts on the day, in UTC+7, of the
// new moon:
//   - 2020: new moon 22/5/2020 17:39 UT ("Sky Calendar — May 2020", North
//     Staffordshire Astronomical Society) = 23/5 00:39 in Hà Nội, so tháng 4
//     nhuận starts 23/5/2020;
//   - 2023: new moon 21/3/2023 17:23 UT (U.S. Naval Observatory via
//     space.com; astropixels.com) = 22/3 00:23 in Hà Nội, so tháng 2 nhuận
//     starts 22/3/2023;
//   - 2025: Thanh Niên, "Lịch âm hôm nay 22.8" (22/8/2025): tháng 6 has 30
//     days, 25/6–24/7; tháng 6 nhuận 29 days, 25/7–22/8; tháng 7 starts
//     23/8; năm Ất Tỵ runs 29/1/2025–16/2/2026, 384 days.
//
// The 2020 and 2023 new moons fall within an hour after midnight in Hà
// Nội, so they catch an error of that size in the new-moon formula.
func TestLeapMonthBoundaries(t *testing.T) {
	for _, tc := range []struct {
		solar string
		lunar LunarDate
	}{
		{"2020-05-22", LunarDate{2020, 4, 30, false}},
		{"2020-05-23", LunarDate{2020, 4, 1, true}},
		{"2020-08-18", LunarDate{2020, 6, 29, false}}, // dromara/carbon TestViLunar_Day
		{"2020-08-19", LunarDate{2020, 7, 1, false}},
		{"2023-03-21", LunarDate{2023, 2, 30, false}},
		{"2023-03-22", LunarDate{2023, 2, 1, true}},
		{"2025-06-25", LunarDate{2025, 6, 1, false}},
		{"2025-07-24", LunarDate{2025, 6, 30, false}},
		{"2025-07-25", LunarDate{2025, 6, 1, true}},
		{"2025-08-22", LunarDate{2025, 6, 29, true}},
		{"2025-08-23", LunarDate{2025, 7, 1, false}},
	} {
		t.Run(tc.solar, func(t *testing.T) {
			d := mustDate(t, tc.solar)
			if got := toLunar(d); got != tc.lunar {
				t.Errorf("toLunar(%s) = %+v, want %+v", tc.solar, got, tc.lunar)
			}
			if got, ok := FromLunar(tc.lunar); !ok || got != d {
				t.Errorf("FromLunar(%+v) = %v, %v; want %s", tc.lunar, got, ok, tc.solar)
			}
		})
	}
	t.Run("Ất Tỵ has 384 days", func(t *testing.T) {
		a, _ := FromLunar(LunarDate{Year: 2025, Month: 1, Day: 1})
		b, _ := FromLunar(LunarDate{Year: 2026, Month: 1, Day: 1})
		if n := int(b - a); n != 384 {
			t.Errorf("%d days", n)
		}
	})
}

func TestFromLunarRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		l    LunarDate
	}{
		{"no leap month in 2024", LunarDate{2024, 3, 1, true}},
		{"2023 leaps month 2, not 3", LunarDate{2023, 3, 1, true}},
		{"2025 leaps month 6, not 5", LunarDate{2025, 5, 1, true}},
		{"tháng 6 nhuận 2025 has 29 days", LunarDate{2025, 6, 30, true}},
		{"month 0", LunarDate{2025, 0, 1, false}},
		{"month 13", LunarDate{2025, 13, 1, false}},
		{"day 0", LunarDate{2025, 1, 0, false}},
		{"day 31", LunarDate{2025, 1, 31, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d, ok := FromLunar(tc.l); ok {
				t.Errorf("FromLunar(%+v) = %v, want rejection", tc.l, d)
			}
		})
	}
	// Tuổi Trẻ, 25/1/2025 (via vietnam.vn): from Tết 2025 to the end of 2032
	// every lunar year ends on 29 tháng Chạp; there is no 30 Tết.
	for y := 2024; y <= 2031; y++ {
		t.Run(fmt.Sprintf("no 30 tháng Chạp %d", y), func(t *testing.T) {
			if d, ok := FromLunar(LunarDate{Year: y, Month: 12, Day: 30}); ok {
				t.Errorf("30/12/%d = %v, want rejection", y, d)
			}
			last, ok := FromLunar(LunarDate{Year: y, Month: 12, Day: 29})
			tet, _ := FromLunar(LunarDate{Year: y + 1, Month: 1, Day: 1})
			if !ok || last.AddDays(1) != tet {
				t.Errorf("29/12/%d = %v, %v; Tết %d = %v", y, last, ok, y+1, tet)
			}
		})
	}
}

// Every day of 1900–2100 converts to a valid lunar date and back, and
// consecutive days are consecutive lunar days. Since every lunar date of
// the range is toLunar of some day, this also gives toLunar(FromLunar(x))
// == x for every x that FromLunar accepts there.
func TestLunarRoundTrip(t *testing.T) {
	start, end := NewDate(1900, time.January, 1), NewDate(2100, time.December, 31)
	prev := toLunar(start - 1)
	fails := 0
	for d := start; d <= end && fails < 10; d++ {
		l := toLunar(d)
		back, ok := FromLunar(l)
		switch {
		case l.Day < 1 || l.Day > 30 || l.Month < 1 || l.Month > 12:
			t.Errorf("toLunar(%s) = %+v: not a lunar date", d, l)
			fails++
		case !ok || back != d:
			t.Errorf("FromLunar(toLunar(%s) = %+v) = %v, %v", d, l, back, ok)
			fails++
		case l.Day != 1 && (l.Day != prev.Day+1 || l.Month != prev.Month || l.Leap != prev.Leap || l.Year != prev.Year):
			t.Errorf("%s: %+v follows %+v", d, l, prev)
			fails++
		case l.Day == 1 && (prev.Day < 29 || lunarMonthLength(prev.Year, prev.Month, prev.Leap) != prev.Day):
			t.Errorf("%s: new month after %+v", d, prev)
			fails++
		}
		prev = l
	}
}
