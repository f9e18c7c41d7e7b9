package schedule

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The readings that name days and periods: explicit dates, "ngày D" of a
// relative month, and named quarters, months, halves and points.

// commonYear is a year with no 29 February: a day that exists in it in a
// given month exists in that month of every year.
const commonYear = 2023

// shiftPhrase says where a date lies against its period year.
func shiftPhrase(shift int) string {
	switch shift {
	case -1:
		return " của năm trước năm kế hoạch"
	case 1:
		return " của năm sau"
	}
	return ""
}

// slotDay describes a year-relative slot's day: "ngày 31/03", "ngày cuối tháng 02".
func slotDay(s slot) string {
	m := (int(s.off)%12+12)%12 + 1
	if s.day == 0 {
		if m == 2 {
			return "ngày cuối tháng 02"
		}
		return "ngày " + ddmm(DaysIn(commonYear, time.Month(m)), m)
	}
	return "ngày " + ddmm(int(s.day), m)
}

// dates: "Trước 31/12 hàng năm", "trước ngày 10/11/2021", "trước ngày 10/12
// của năm trước", "trước ngày 20/6 và 20/12 hằng năm".
func (b *builder) dates() bool {
	b.use(fDates | fSolar)
	b.strict()
	f := b.f
	ds := slices.Clone(f.dates)
	slices.SortFunc(ds, func(x, y dayMonth) int { return (x.m*32 + x.d) - (y.m*32 + y.d) })
	for i, d := range ds {
		// A year, when given, makes the message name the full date.
		if d.m < 1 || d.m > 12 || d.d < 1 || (!b.has(fYear) && d.d > DaysIn(2024, time.Month(d.m))) || d.d > 31 {
			return b.fail(reasonInvalidDate(b.expr, ddmm(d.d, d.m)))
		}
		if i > 0 && d == ds[i-1] {
			return b.fail(reasonConflict(b.expr))
		}
	}
	// A span alone does not make dates recur: "trước 31/12 giai đoạn
	// 2021 – 2025" may mean once, at the end.
	recurring := b.has(fRecur) || b.has(fShift) || b.has(fReport)
	if f.reportName && b.has(fYear) && !b.has(fShift) && !b.has(fReport) && !b.has(fSpan) {
		// "Báo cáo Tháng hành động … gửi trước ngày 10 tháng 7 năm 2018":
		// the cycle of a report's name describes the report; a date with its
		// year is that one report's.
		b.use(fRecur)
		recurring = false
	}
	if b.has(fSpan) && !recurring {
		return b.fail(reasonRange(b.expr))
	}
	if b.has(fYear) && !recurring {
		b.use(fYear)
		occ := make([]Occurrence, len(ds))
		for i, d := range ds {
			named, ok := ValidDate(f.year, d.m, d.d)
			if !ok {
				return b.fail(reasonInvalidDate(b.expr, fmt.Sprintf("%02d/%02d/%d", d.d, d.m, f.year)))
			}
			occ[i] = Occurrence{Period: named.String(), Due: named.AddDays(b.p.shift)}
		}
		return b.once(occ, "")
	}
	b.use(fRecur | fShift)
	switch {
	case !recurring:
		return b.fail(reasonMissingYear(b.expr))
	case b.has(fRecur) && (f.recur == uMonth || f.recur == uWeek):
		return b.fail(reasonConflict(b.expr))
	case b.has(fShift) && len(ds) > 1 && f.halfEachYear && f.shift == 1 && len(f.dates) == 2 && f.dates[1].m < f.dates[0].m:
		// "Trước ngày 05 tháng 7 và ngày 05 tháng 01 của năm sau, … báo cáo
		// 6 tháng đầu năm và hàng năm" (Nghị định 152/2020/NĐ-CP, Điều 6):
		// "năm sau" is the second date's, the annual report's.
		h1, h2 := f.dates[0], f.dates[1]
		slots := []slot{{lblHalf, 1, int16(h1.m - 1), int8(h1.d)}, {lblHalf, 2, int16(12 + h2.m - 1), int8(h2.d)}}
		for _, d := range f.dates {
			if d.d > DaysIn(commonYear, time.Month(d.m)) {
				return b.fail(reasonInvalidDate(b.expr, ddmm(d.d, d.m)))
			}
		}
		return b.recur(KindSemiannual, slots, fmt.Sprintf("Hai kỳ mỗi năm: báo cáo 6 tháng đầu năm hạn cuối %s; báo cáo năm hạn cuối %s của năm sau.",
			slotDay(slots[0]), slotDay(slots[1])))
	case b.has(fShift) && len(ds) > 1:
		return b.fail(reasonConflict(b.expr))
	}
	for _, d := range ds {
		if d.d > DaysIn(commonYear, time.Month(d.m)) {
			if d.m == 2 && d.d == 29 {
				return b.fail(reasonLeapDay(b.expr))
			}
			return b.fail(reasonInvalidDate(b.expr, ddmm(d.d, d.m)))
		}
	}
	shift := f.shift
	if dd := f.dataDay; dd.m > 0 && len(ds) == 1 && !b.has(fShift) && ds[0].m*32+ds[0].d < dd.m*32+dd.d {
		// "Thời điểm báo cáo là 31/12; thời hạn gửi báo cáo là 15/1 hàng
		// năm": a report on the figures at 31/12 is sent the January after.
		shift = 1
	}
	kind, slots := classify(ds, shift)
	want := f.recur
	if !b.has(fRecur) {
		want = uYear
	}
	if want == uHalf && len(ds) == 1 && f.shift == 0 && ds[0].m <= 8 {
		// "Báo cáo định kỳ 6 tháng: chậm nhất ngày 06/6": NĐ 09/2019's
		// six-month report is the first half's (the year's report covers
		// the second), due on the date given.
		s := slot{lblHalf, 1, int16(ds[0].m - 1), int8(ds[0].d)}
		return b.recur(KindAnnual, []slot{s}, "Hằng năm, báo cáo 6 tháng đầu năm, hạn cuối "+slotDay(s)+".")
	}
	switch {
	case kind == KindUnresolved:
		return b.fail(reasonNoCycle(b.expr))
	case want == uHalf && kind != KindSemiannual, want == uQuarter && (kind != KindQuarterly || len(slots) != 4):
		return b.fail(reasonConflict(b.expr))
	}
	days := make([]string, len(slots))
	for i, s := range slots {
		days[i] = slotDay(s)
	}
	var reading string
	switch kind {
	case KindSemiannual:
		reading = "Sáu tháng một lần, hạn cuối " + joinVN(days) + "."
	case KindQuarterly:
		reading = "Hằng quý, hạn cuối " + joinVN(days) + "."
	default:
		reading = "Hằng năm, hạn cuối " + joinVN(days) + shiftPhrase(shift) + "."
	}
	return b.recur(kind, slots, reading)
}

// classify reads several dates a year (sorted, distinct, valid in every
// year) as one kind: one date is annual; two in different halves are the two
// half-years; dates in distinct quarters are quarters; dates in distinct
// months are months of an annual rule. Anything else is no clear cycle.
func classify(ds []dayMonth, shift int) (Kind, []slot) {
	slots := make([]slot, len(ds))
	mk := func(l labelKind, idx int) {
		for i, d := range ds {
			slots[i] = slot{l, int8(idx), int16(d.m - 1 + 12*shift), int8(d.d)}
			switch l {
			case lblHalf:
				slots[i].idx = int8(i + 1)
			case lblQuarter:
				slots[i].idx = int8((d.m-1)/3 + 1)
			case lblMonth:
				slots[i].idx = int8(d.m)
			}
		}
	}
	distinct := func(group func(m int) int) bool {
		for i := 1; i < len(ds); i++ {
			if group(ds[i].m) == group(ds[i-1].m) {
				return false
			}
		}
		return true
	}
	switch {
	case len(ds) == 1:
		mk(lblYear, 0)
		return KindAnnual, slots
	case len(ds) == 2 && ds[0].m <= 6 && ds[1].m >= 7:
		mk(lblHalf, 0)
		return KindSemiannual, slots
	case distinct(func(m int) int { return (m - 1) / 3 }):
		mk(lblQuarter, 0)
		return KindQuarterly, slots
	case distinct(func(m int) int { return m }):
		mk(lblMonth, 0)
		return KindAnnual, slots
	}
	return KindUnresolved, nil
}

var relOffsets = [...]int{relQuarterFirst: 0, relQuarterMiddle: 1, relQuarterLast: 2, relNextQuarterFirst: 3}

var relPhrases = [...]string{
	relQuarterFirst:     "tháng đầu quý",
	relQuarterMiddle:    "tháng giữa quý",
	relQuarterLast:      "tháng cuối quý",
	relNextQuarterFirst: "tháng đầu quý sau",
}

// dayOfMonth: "trước ngày 15 hằng tháng", "trước ngày 05 của tháng sau",
// "chậm nhất vào ngày 20 tháng cuối quý", "trước ngày 15 tháng đầu quý sau".
func (b *builder) dayOfMonth() bool {
	b.use(fDay | fRel | fRecur)
	b.strict()
	f := b.f
	d := f.day
	if d < 1 || d > 31 {
		return b.fail(reasonInvalidDate(b.expr, fmt.Sprintf("%d", d)))
	}
	var slots []slot
	switch f.rel {
	case relNextYearFirst:
		if b.has(fRecur) && f.recur != uYear {
			return b.fail(reasonConflict(b.expr))
		}
		s := slot{lblYear, 0, 12, int8(d)}
		return b.recur(KindAnnual, []slot{s}, "Hằng năm, hạn cuối "+slotDay(s)+" của năm sau.")
	case relNextMonth, relNone, relSameMonth, relPrevMonth, relPrevDue:
		switch {
		case b.has(fRecur) && f.recur != uMonth:
			if f.rel == relNone && f.recur == uQuarter {
				return b.fail(reasonMissingMonth(b.expr))
			}
			return b.fail(reasonConflict(b.expr))
		case f.rel == relNone && !b.has(fRecur):
			return b.fail(reasonMissingMonth(b.expr))
		case d > 28 && !(d <= 30 && b.has(fFebLast)):
			return b.fail(reasonDayNotEveryMonth(b.expr, d))
		}
		b.use(fFebLast)
		next := 0
		reading := fmt.Sprintf("Hằng tháng, hạn cuối ngày %02d.", d)
		switch f.rel {
		case relNextMonth:
			next = 1
			reading = fmt.Sprintf("Hằng tháng, hạn cuối ngày %02d của tháng sau.", d)
		case relPrevMonth:
			next = -1
			reading = fmt.Sprintf("Hằng tháng, ngày %02d của tháng trước.", d)
		case relPrevDue:
			next = -1
			reading = fmt.Sprintf("Hằng tháng, hạn cuối ngày %02d của tháng trước tháng của kỳ.", d)
		}
		for m := 1; m <= 12; m++ {
			day := int8(d)
			if (m+next+11)%12+1 == 2 && b.has(fFebLast) {
				day = 0 // the last day of February
			}
			slots = append(slots, slot{lblMonth, int8(m), int16(m - 1 + next), day})
		}
		if b.has(fMonthSpan) {
			b.use(fMonthSpan)
			a, z := f.monthSpan[0], f.monthSpan[1]
			slots = slices.DeleteFunc(slots, func(s slot) bool { return int(s.idx) < a || int(s.idx) > z })
			reading = strings.TrimSuffix(reading, ".") + fmt.Sprintf(", từ tháng %d đến tháng %d.", a, z)
		}
		if b.has(fFebLast) {
			if d <= 28 {
				return b.fail(reasonConflict(b.expr)) // the exception changes nothing: a typo somewhere
			}
			reading = strings.TrimSuffix(reading, ".") + "; riêng tháng Hai là ngày cuối tháng."
		}
		return b.recur(KindMonthly, slots, reading)
	}
	if b.has(fRecur) && f.recur != uQuarter {
		return b.fail(reasonConflict(b.expr))
	}
	for q := 1; q <= 4; q++ {
		off := 3*(q-1) + relOffsets[f.rel]
		if d > DaysIn(commonYear, time.Month(off%12+1)) {
			return b.fail(reasonDayNotEveryMonth(b.expr, d))
		}
		slots = append(slots, slot{lblQuarter, int8(q), int16(off), int8(d)})
	}
	return b.recur(KindQuarterly, slots, fmt.Sprintf("Hằng quý, hạn cuối ngày %02d %s.", d, relPhrases[f.rel]))
}

// pointDay is the day Điều 146 gives đầu/giữa/cuối a month: 1, 15, last (0).
var pointDay = [...]int8{1: 1, 2: 15, 3: 0}

// periods: "Quý I hàng năm", "Quý IV/2021", "Quý II, III/2022", "Tháng
// 6/2026", "6 tháng đầu năm", "cuối năm", "cuối tháng 6/2026", "hằng tháng,
// cuối tháng".
func (b *builder) periods() bool {
	b.use(fQuarters | fMonths | fHalf | fPoint | fInclusive | fOnNeed)
	f := b.f
	families := 0
	for _, on := range []bool{b.has(fQuarters), b.has(fMonths), b.has(fHalf)} {
		if on {
			families++
		}
	}
	if families > 1 {
		return b.fail(reasonConflict(b.expr))
	}
	var slots []slot
	for _, q := range f.quarters {
		slots = append(slots, slot{lblQuarter, int8(q), int16(3*q - 1), 0})
	}
	for _, m := range f.months {
		slots = append(slots, slot{lblMonth, int8(m), int16(m - 1), 0})
	}
	if b.has(fHalf) {
		slots = append(slots, slot{lblHalf, int8(f.half), int16(6*f.half - 1), 0})
	}
	if b.has(fPoint) {
		var ok bool
		if slots, ok = b.applyPoint(slots); !ok {
			return false
		}
		if slots == nil {
			return true // a recurring point: "hằng tháng, cuối tháng"
		}
	}
	for i, s := range slots {
		for _, t := range slots[:i] {
			if s == t {
				return b.fail(reasonConflict(b.expr))
			}
		}
	}
	slices.SortFunc(slots, func(x, y slot) int { return int(x.off) - int(y.off) })
	annual := b.has(fRecur) || b.has(fShift) || b.has(fReport)
	// The half-years and points of a year recur in report wording without
	// "hằng năm"; a span then bounds them.
	implied := b.has(fHalf) || (b.has(fPoint) && f.pointUnit == uYear)
	if b.has(fSpan) && !annual && !implied {
		return b.fail(reasonRange(b.expr))
	}
	if b.has(fYear) && !annual {
		b.use(fYear)
		occ := make([]Occurrence, len(slots))
		for i, s := range slots {
			occ[i] = Occurrence{Period: string(appendLabel(nil, s.label, f.year, int(s.idx))), Due: dueOf(f.year, s)}
		}
		return b.once(occ, "")
	}
	b.use(fRecur | fShift)
	switch {
	case b.has(fRecur) && f.recur != uYear:
		return b.fail(reasonConflict(b.expr))
	case !annual && !implied:
		// "Quý I", "Tháng 6": which year?
		return b.fail(reasonMissingYear(b.expr))
	case b.has(fShift) && len(slots) > 1:
		return b.fail(reasonConflict(b.expr))
	}
	for i := range slots {
		slots[i].off += int16(12 * f.shift)
	}
	days := make([]string, len(slots))
	for i, s := range slots {
		days[i] = slotDay(s)
	}
	if len(slots) == 1 {
		reading := "Hằng năm, hạn cuối " + days[0] + shiftPhrase(f.shift) + "."
		if slots[0].label == lblHalf {
			reading = fmt.Sprintf("Hằng năm, kỳ 6 tháng %s năm, hạn cuối %s.", map[int8]string{1: "đầu", 2: "cuối"}[slots[0].idx], days[0])
		} else {
			slots[0].label, slots[0].idx = lblYear, 0
		}
		return b.recur(KindAnnual, slots, reading)
	}
	if slots[0].label == lblQuarter {
		return b.recur(KindQuarterly, slots, "Hằng năm, hạn cuối "+joinVN(days)+".")
	}
	return b.recur(KindAnnual, slots, "Hằng năm, hạn cuối "+joinVN(days)+".")
}

// applyPoint moves the due day of a single named period to its đầu, giữa or
// cuối, or, with no named period, makes the recurring rule the point asks
// for ("hằng quý, đầu quý"). A nil result with true means b is set.
func (b *builder) applyPoint(slots []slot) ([]slot, bool) {
	f := b.f
	which, u := f.point, f.pointUnit
	if u == uYear {
		if len(slots) > 0 {
			return nil, b.fail(reasonConflict(b.expr))
		}
		m, d := [...]int{1: 1, 2: 6, 3: 12}[which], [...]int8{1: 1, 2: 30, 3: 31}[which]
		return []slot{{lblYear, 0, int16(m - 1), d}}, true
	}
	if len(slots) == 0 {
		b.use(fRecur)
		// "cuối tháng", "đầu quý" alone are each month's and each
		// quarter's, as "cuối năm" is each year's.
		if b.has(fRecur) && f.recur != u {
			return nil, b.fail(reasonConflict(b.expr))
		}
		if b.has(fBefore) {
			return nil, b.fail(reasonBeforePeriod(b.expr))
		}
		names := [...]string{1: "đầu", 2: "giữa", 3: "cuối"}
		days := [...]string{1: "ngày 01", 2: "ngày 15", 3: "ngày cuối cùng"}
		if u == uQuarter {
			days = [...]string{1: "ngày đầu tiên", 3: "ngày cuối cùng"}
		}
		var out []slot
		for _, s := range unitSlots(u) {
			out = append(out, b.pointSlot(s, which, u))
		}
		return nil, b.recur(unitKinds[u], out, fmt.Sprintf("Hằng %s, hạn cuối %s của %s (%s %s, Bộ luật Dân sự 2015, Điều 146).",
			unitNames[u], days[which], unitNames[u], names[which], unitNames[u]))
	}
	want := lblMonth
	if u == uQuarter {
		want = lblQuarter
	}
	if len(slots) != 1 || slots[0].label != want {
		return nil, b.fail(reasonConflict(b.expr))
	}
	return []slot{b.pointSlot(slots[0], which, u)}, true
}

// pointSlot moves a month or quarter slot to its đầu (day 1 of its first
// month), giữa (15th, months only) or cuối (last day).
func (b *builder) pointSlot(s slot, which int, u unit) slot {
	if u == uQuarter && which == 1 {
		s.off -= 2
	}
	s.day = pointDay[which]
	return s
}
