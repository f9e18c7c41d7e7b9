package schedule

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func date(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func occString(occ []Occurrence) string {
	parts := make([]string, len(occ))
	for i, o := range occ {
		parts[i] = o.Period + ":" + o.Due.String()
	}
	return strings.Join(parts, " ")
}

// StrictBefore moves only the "trước" forms to the day before.
func TestStrictBefore(t *testing.T) {
	for _, tc := range []struct {
		expr        string
		year        int
		lax, strict string // the first occurrence, "period:due"
	}{
		{"trước ngày 10/11/2021", 2021, "2021-11-10:2021-11-10", "2021-11-10:2021-11-09"},
		{"Trước 31/12 hàng năm", 2027, "2027:2027-12-31", "2027:2027-12-30"},
		{"trước ngày 10/12 của năm trước liền kề năm kế hoạch", 2027, "2027:2026-12-10", "2027:2026-12-09"},
		{"trước ngày 15 hằng tháng", 2027, "2027-01:2027-01-15", "2027-01:2027-01-14"},
		{"trước ngày 01 hằng tháng", 2027, "2027-01:2027-01-01", "2027-01:2026-12-31"},
		{"trước ngày 05 của tháng sau", 2027, "2027-01:2027-02-05", "2027-01:2027-02-04"},
		{"trước thứ Sáu hằng tuần", 2027, "2027-W01:2027-01-08", "2027-W01:2027-01-07"},
		{"trước ngày 10 tháng 3 âm lịch", 2026, "2026:2026-04-26", "2026:2026-04-25"},
		{"trước ngày 20/6 và 20/12 hằng năm", 2027, "2027-H1:2027-06-20", "2027-H1:2027-06-19"},
		// "chậm nhất", "hạn chót", a bare date and named periods do not move.
		{"chậm nhất vào ngày 31/12 hằng năm", 2027, "2027:2027-12-31", "2027:2027-12-31"},
		{"hạn chót ngày 15/3/2026", 2026, "2026-03-15:2026-03-15", "2026-03-15:2026-03-15"},
		{"ngày 15/3/2026", 2026, "2026-03-15:2026-03-15", "2026-03-15:2026-03-15"},
		{"Quý IV/2021", 2021, "2021-Q4:2021-12-31", "2021-Q4:2021-12-31"},
		{"hằng quý", 2027, "2027-Q1:2027-03-31", "2027-Q1:2027-03-31"},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			for _, strict := range []bool{false, true} {
				want := tc.lax
				if strict {
					want = tc.strict
				}
				r := Parse(tc.expr, Options{StrictBefore: strict})
				occ := r.Occurrences(tc.year)
				if len(occ) == 0 {
					t.Fatalf("strict=%v: %s (%s): no occurrences", strict, r.Kind, r.Reason)
				}
				if got := occString(occ[:1]); got != want {
					t.Errorf("strict=%v: first occurrence %s, want %s", strict, got, want)
				}
				if strict && want != tc.lax && !strings.Contains(r.Reason, "Đọc chặt") {
					t.Errorf("strict reading not said in Reason %q", r.Reason)
				}
			}
		})
	}
}

func TestBetween(t *testing.T) {
	for _, tc := range []struct {
		expr     string
		from, to string
		want     string
	}{
		// Due dates in another year than their period.
		{"trước ngày 05 của tháng sau", "2027-12-15", "2028-01-10", "2027-12:2028-01-05"},
		{"trước ngày 10/12 của năm trước liền kề năm kế hoạch", "2026-12-01", "2027-01-31", "2027:2026-12-10"},
		{"trước ngày 15 tháng đầu quý sau", "2027-12-01", "2028-01-31", "2027-Q4:2028-01-15"},
		{"Quý I năm sau", "2028-01-01", "2028-12-31", "2027:2028-03-31"},
		// ISO weeks across the new year: 2026 has 53 weeks.
		{"hằng tuần", "2026-12-25", "2027-01-10", "2026-W52:2026-12-27 2026-W53:2027-01-03 2027-W01:2027-01-10"},
		{"thứ Hai hằng tuần", "2024-12-28", "2025-01-07", "2025-W01:2024-12-30 2025-W02:2025-01-06"},
		// Inclusive bounds.
		{"hằng quý", "2027-03-31", "2027-06-30", "2027-Q1:2027-03-31 2027-Q2:2027-06-30"},
		{"hằng quý", "2027-04-01", "2027-06-29", ""},
		{"hằng tháng", "2027-12-01", "2028-02-29", "2027-12:2027-12-31 2028-01:2028-01-31 2028-02:2028-02-29"},
		{"định kỳ 6 tháng", "2026-01-01", "2027-12-31", "2026-H1:2026-06-30 2026-H2:2026-12-31 2027-H1:2027-06-30 2027-H2:2027-12-31"},
		// One-off rules.
		{"Quý II, III/2022", "2022-07-01", "2022-12-31", "2022-Q3:2022-09-30"},
		{"Quý II, III/2022", "2023-01-01", "2030-12-31", ""},
		{"giai đoạn 2026 – 2030", "2030-12-31", "2030-12-31", "2026-2030:2030-12-31"},
		// Lunar dates, converted year by year.
		{"ngày 10 tháng 3 âm lịch", "2026-01-01", "2027-12-31", "2026:2026-04-26 2027:2027-04-16"},
		{"ngày 10 tháng 3 âm lịch", "2026-04-27", "2027-04-15", ""},
		// Spans bound recurring rules.
		{"trước ngày 10/12 hằng năm giai đoạn 2021-2022", "2019-01-01", "2030-12-31", "2021:2021-12-10 2022:2022-12-10"},
		{"ít nhất 03 cuộc/năm", "2025-06-01", "2026-06-01", "2025:2025-12-31"},
	} {
		t.Run(tc.expr+" "+tc.from+".."+tc.to, func(t *testing.T) {
			r := Parse(tc.expr, Options{})
			got := r.Between(date(tc.from), date(tc.to))
			if s := occString(got); s != tc.want {
				t.Errorf("Between = %s\nwant      %s", s, tc.want)
			}
			if tc.want == "" && got != nil {
				t.Errorf("Between = %#v, want nil", got)
			}
		})
	}
	if got := Parse("hằng tháng", Options{}).Between(date("2027-02-01"), date("2027-01-01")); got != nil {
		t.Errorf("Between with from after to = %v, want nil", got)
	}
	if got := (Rule{}).Between(date("2027-01-01"), date("2027-12-31")); got != nil {
		t.Errorf("zero Rule Between = %v, want nil", got)
	}
}

// Between over a year must give exactly the occurrences of the nearby
// period years that fall due in it, in order.
func TestBetweenMatchesOccurrences(t *testing.T) {
	exprs := []string{}
	for _, c := range append(append([]exprCase{}, seedCases...), formCases...) {
		exprs = append(exprs, c.expr)
	}
	for _, expr := range exprs {
		for _, strict := range []bool{false, true} {
			r := Parse(expr, Options{StrictBefore: strict})
			for y := 2019; y <= 2031; y++ {
				from, to := NewDate(y, time.January, 1), NewDate(y, time.December, 31)
				var want []Occurrence
				seen := map[Occurrence]bool{}
				for py := y - 2; py <= y+2; py++ {
					for _, o := range r.Occurrences(py) {
						if o.Due >= from && o.Due <= to && !seen[o] {
							seen[o] = true
							want = append(want, o)
						}
					}
				}
				slices.SortFunc(want, compareOcc)
				got := r.Between(from, to)
				if occString(got) != occString(want) {
					t.Errorf("%q strict=%v %d:\nBetween     %s\nOccurrences %s", expr, strict, y, occString(got), occString(want))
				}
			}
		}
	}
}

// A one-off rule has its own dates whatever year is asked.
func TestOneOffIgnoresYear(t *testing.T) {
	for _, expr := range []string{"Quý IV/2021", "Quý II, III/2022", "trước ngày 10/11/2021", "Năm 2023", "Năm 2024-2025"} {
		r := Parse(expr, Options{})
		want := occString(r.Occurrences(2021))
		if want == "" {
			t.Fatalf("%q: no occurrences", expr)
		}
		for _, y := range []int{1, 1999, 2030, 9999, -5} {
			if got := occString(r.Occurrences(y)); got != want {
				t.Errorf("%q Occurrences(%d) = %s, want %s", expr, y, got, want)
			}
		}
	}
}

// Results belong to the caller: changing one does not change the rule.
func TestOccurrencesAreCopies(t *testing.T) {
	for _, expr := range []string{"Quý II, III/2022", "hằng quý"} {
		r := Parse(expr, Options{})
		a := r.Occurrences(2022)
		a[0].Due, a[0].Period = 0, "x"
		b := r.Between(NewDate(2022, 1, 1), NewDate(2022, 12, 31))
		b[0].Due = 0
		if got := r.Occurrences(2022); got[0].Due == 0 || got[0].Period == "x" {
			t.Errorf("%q: a caller's change leaked into the rule: %v", expr, got)
		}
	}
}

// lunarMayFall must never rule out a real date, or Between would miss it.
func TestLunarWindow(t *testing.T) {
	for y := 1900; y <= 2199; y++ {
		for m := 1; m <= 12; m++ {
			for _, d := range []int{1, 15, 29, 30} {
				sd, ok := FromLunar(LunarDate{Year: y, Month: m, Day: d})
				if ok && !lunarMayFall(y, m, d, sd, sd) {
					t.Fatalf("lunar %d/%d/%d = %s falls outside the window", d, m, y, sd)
				}
			}
		}
	}
}

// Published Vietnamese calendar facts that lunar expressions rely on: leap
// months and month starts where a slip in the new-moon series shows.
func TestExprLunarPublishedDates(t *testing.T) {
	for _, tc := range []struct {
		expr string
		year int
		want string
	}{
		{"ngày 01 tháng 2 nhuận âm lịch năm 2023", 0, "2023-03-22"}, // tháng 2 nhuận Quý Mão
		{"ngày 10 tháng 2 nhuận âm lịch năm 2023", 0, "2023-03-31"},
		{"mùng 1 tháng 4 nhuận âm lịch năm 2020", 0, "2020-05-23"}, // tháng 4 nhuận Canh Tý
		{"mùng 1 tháng 7 âm lịch", 2026, "2026-08-13"},
		{"mùng 1 tháng 1 âm lịch", 2007, "2007-02-17"}, // Tết Đinh Hợi: UTC+7, not China's 18/2
		{"mùng 1 tháng 1 âm lịch", 2030, "2030-02-02"}, // Tết Canh Tuất: not China's 3/2
	} {
		t.Run(tc.expr, func(t *testing.T) {
			occ := Parse(tc.expr, Options{}).Occurrences(tc.year)
			if len(occ) != 1 || occ[0].Due.String() != tc.want {
				t.Errorf("Occurrences(%d) = %s, want due %s", tc.year, occString(occ), tc.want)
			}
		})
	}
}

// Callers pass MinDate and MaxDate for "no start" and "no end".
func TestBetweenUnbounded(t *testing.T) {
	for _, expr := range []string{"hằng tuần", "hằng tháng", "Quý IV/2021", "ngày 10 tháng 3 âm lịch giai đoạn 2021-2025"} {
		r := Parse(expr, Options{StrictBefore: true})
		occ := r.Between(MinDate, NewDate(2030, 1, 1))
		if len(occ) == 0 || occ[len(occ)-1].Due > NewDate(2030, 1, 1) {
			t.Errorf("%q Between(MinDate, 2030) = %d occurrences, last %v", expr, len(occ), occ[len(occ)-1:])
		}
		occ = r.Between(NewDate(2020, 1, 1), MaxDate)
		if len(occ) == 0 || occ[0].Due < NewDate(2020, 1, 1) {
			t.Errorf("%q Between(2020, MaxDate) = %d occurrences", expr, len(occ))
		}
	}
}
