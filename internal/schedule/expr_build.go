package schedule

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// build turns the facts of one expression into a plan, or says why it
// cannot. Each reading marks the facts it used; a fact left over means the
// text says something the reading ignores, and the expression is unresolved
// rather than half-understood.

// labelKind is the shape of the period labels a plan gives.
type labelKind uint8

const (
	lblYear    labelKind = iota // "2027"
	lblHalf                     // "2027-H1"
	lblQuarter                  // "2027-Q3"
	lblMonth                    // "2027-03"
	lblWeek                     // "2027-W05"
)

// slot is one due date per period year Y: day day of the month off months
// after January of Y (negative or past 11 for "năm trước", "tháng sau").
type slot struct {
	label labelKind
	idx   int8  // the half, quarter or month of the label
	off   int16 // months from January of Y to the due month
	day   int8  // 1–31, or 0 for the month's last day
}

type genKind uint8

const (
	genNone   genKind = iota
	genFixed          // one-off: fixed
	genSlots          // recurring by month arithmetic: slots
	genWeekly         // ISO weeks: weekday
	genLunar          // a lunar day every lunar year
)

// plan is everything Occurrences and Between need, computed once by Parse.
type plan struct {
	gen            genKind
	fixed          []Occurrence // genFixed, sorted by due then period
	slots          []slot       // genSlots, in due order within a year
	label          labelKind    // genSlots: all slots share it
	minOff, maxOff int          // genSlots: bounds of slot offsets
	weekday        int          // genWeekly: days after Monday
	lunarM, lunarD int          // genLunar
	shift          int          // days added to every nominal date: −1 for strict "trước"
	quota          int
	firstY, lastY  int // the period years the rule covers
}

// The years Occurrences and Between cover: labels have four digits.
const (
	firstGenYear = 1
	lastGenYear  = 9999
)

type builder struct {
	f      *facts
	expr   string
	opt    Options
	used   fact
	kind   Kind
	reason string
	p      plan
	extra  []string // sentences appended to the reading
}

func build(f *facts, expr string, opt Options) (Kind, string, *plan) {
	b := &builder{f: f, expr: expr, opt: opt}
	b.p.firstY, b.p.lastY = firstGenYear, lastGenYear
	// "của năm báo cáo", "thuộc kỳ báo cáo" only confirm the period: they
	// make dates recur (below) but never move them.
	b.use(fReport)
	if f.halfEachYear && f.has&fDates == 0 {
		return KindUnresolved, reasonConflict(expr), nil
	}
	if !b.dispatch() {
		return KindUnresolved, b.reason, nil
	}
	if f.has&^b.used != 0 {
		if f.has&^b.used == fBefore {
			return KindUnresolved, reasonBeforePeriod(expr), nil
		}
		return KindUnresolved, reasonConflict(expr), nil
	}
	if dd := f.dataDay; dd.m > 0 && b.kind.HasDueDates() {
		b.extra = append(b.extra, "Số liệu tính đến ngày "+ddmm(dd.d, dd.m)+".")
	}
	if f.unlessOther && b.kind.HasDueDates() {
		b.extra = append(b.extra, "Trừ trường hợp có hướng dẫn khác.")
	}
	if b.has(fOnNeed) && b.kind.HasDueDates() {
		b.extra = append(b.extra, "Thực hiện theo nhu cầu.")
	}
	if b.p.shift != 0 && !b.has(fTet) {
		b.extra = append(b.extra, "Đọc chặt chữ \"trước\": hạn là ngày liền trước ngày nêu trên.")
	}
	reason := b.reason
	if len(b.extra) > 0 {
		reason += " " + strings.Join(b.extra, " ")
	}
	return b.kind, reason, &b.p
}

func (b *builder) fail(reason string) bool {
	b.reason = reason
	return false
}

func (b *builder) use(f fact) { b.used |= f }

func (b *builder) has(f fact) bool { return b.f.has&f != 0 }

func (b *builder) dispatch() bool {
	f := b.f
	switch {
	case b.has(fContinuous):
		b.use(fContinuous | fOnDemand | fOnNeed | fRecur | fWithin | fYear | fSpan | fInclusive)
		b.kind, b.reason = KindContinuous, "Thực hiện thường xuyên, liên tục; không có hạn cụ thể."
		return true
	case b.has(fOnDemand) || f.has == fOnNeed:
		b.use(fOnDemand | fOnNeed)
		b.kind, b.reason = KindOnDemand, "Thực hiện khi có yêu cầu hoặc khi phát sinh; không có hạn định trước."
		return true
	case b.has(fQuota):
		return b.quota()
	case b.has(fTet):
		return b.tet()
	case b.has(fLunar):
		return b.lunar()
	case b.has(fWeekday) && b.weekdayOfDate():
		b.use(fWeekday)
		return b.dates()
	case b.has(fWeekday) || (b.has(fRecur) && f.recur == uWeek):
		return b.weekly()
	case b.has(fDates):
		return b.dates()
	case b.has(fDay):
		return b.dayOfMonth()
	case b.has(fQuarters | fMonths | fHalf | fPoint):
		return b.periods()
	case b.has(fRecur):
		return b.recurring()
	case b.has(fYear | fSpan):
		return b.years()
	}
	return b.fail(reasonNoDate(b.expr))
}

// weekdayOfDate reports a weekday that only names the day of the one full
// date beside it, "07/02/2021 (chủ Nhật)": it adds nothing to the date. A
// weekday that is not that date's stays a conflict.
func (b *builder) weekdayOfDate() bool {
	f := b.f
	if !b.has(fDates) || !b.has(fYear) || b.has(fRecur|fShift) || len(f.dates) != 1 {
		return false
	}
	d, ok := ValidDate(f.year, f.dates[0].m, f.dates[0].d)
	if !ok {
		return false
	}
	wd := int(d.Weekday())
	if wd == 0 {
		wd = 7
	}
	return wd == f.weekday
}

// strict applies Options.StrictBefore to a reading that names a day.
func (b *builder) strict() {
	b.use(fBefore | fInclusive | fOnNeed)
	if b.has(fBefore) && b.opt.StrictBefore {
		b.p.shift = -1
	}
}

// limits reads a year or span given with a recurring rule as the period
// years it covers: "hằng năm giai đoạn 2021 – 2025".
func (b *builder) limits() bool {
	b.use(fYear | fSpan)
	switch {
	case b.has(fYear) && b.has(fSpan):
		return b.fail(reasonConflict(b.expr))
	case b.has(fYear):
		b.p.firstY, b.p.lastY = b.f.year, b.f.year
		b.extra = append(b.extra, fmt.Sprintf("Chỉ áp dụng cho năm %d.", b.f.year))
	case b.has(fSpan):
		b.p.firstY, b.p.lastY = b.f.span[0], b.f.span[1]
		b.extra = append(b.extra, fmt.Sprintf("Áp dụng cho các năm %d–%d.", b.f.span[0], b.f.span[1]))
	}
	return true
}

// recur sets a recurring plan from its slots.
func (b *builder) recur(kind Kind, slots []slot, reading string) bool {
	if !b.limits() {
		return false
	}
	b.kind, b.reason = kind, reading
	b.p.gen, b.p.slots, b.p.label = genSlots, slots, slots[0].label
	b.p.minOff, b.p.maxOff = int(slots[0].off), int(slots[0].off)
	for _, s := range slots {
		b.p.minOff = min(b.p.minOff, int(s.off))
		b.p.maxOff = max(b.p.maxOff, int(s.off))
	}
	return true
}

// unitSlots are the periods of a unit, each due on its last day.
func unitSlots(u unit) []slot {
	var s []slot
	switch u {
	case uYear:
		s = []slot{{lblYear, 0, 11, 0}}
	case uHalf:
		s = []slot{{lblHalf, 1, 5, 0}, {lblHalf, 2, 11, 0}}
	case uQuarter:
		for q := 1; q <= 4; q++ {
			s = append(s, slot{lblQuarter, int8(q), int16(3*q - 1), 0})
		}
	case uMonth:
		for m := 1; m <= 12; m++ {
			s = append(s, slot{lblMonth, int8(m), int16(m - 1), 0})
		}
	}
	return s
}

var unitKinds = [...]Kind{uWeek: KindWeekly, uMonth: KindMonthly, uQuarter: KindQuarterly, uHalf: KindSemiannual, uYear: KindAnnual}

var unitReadings = [...]string{
	uMonth:   "Hằng tháng, hạn cuối ngày cuối cùng của tháng.",
	uQuarter: "Hằng quý, hạn cuối ngày cuối cùng của quý.",
	uHalf:    "Sáu tháng một lần, hạn cuối ngày 30/06 và ngày 31/12.",
	uYear:    "Hằng năm, hạn cuối ngày 31/12.",
}

// recurring: "hằng năm", "hằng quý", "định kỳ 6 tháng", "hằng tháng" alone.
func (b *builder) recurring() bool {
	b.use(fRecur | fInclusive | fOnNeed)
	if b.f.reportName {
		// "Báo cáo quý" names the report; without a day it gives no date.
		return b.fail(reasonNoDate(b.expr))
	}
	u := b.f.recur
	return b.recur(unitKinds[u], unitSlots(u), unitReadings[u])
}

// years: "Năm 2023", "giai đoạn 2026 – 2030", "Năm 2024-2025": once, at the end.
func (b *builder) years() bool {
	b.use(fYear | fSpan | fInclusive | fOnNeed)
	if b.has(fYear) && b.has(fSpan) {
		return b.fail(reasonConflict(b.expr))
	}
	if b.has(fSpan) {
		a, z := b.f.span[0], b.f.span[1]
		due := NewDate(z, time.December, 31)
		return b.once([]Occurrence{{Period: fmt.Sprintf("%d-%d", a, z), Due: due}},
			fmt.Sprintf("Một lần cho giai đoạn %d–%d, hạn cuối ngày %s.", a, z, due.VN()))
	}
	y := b.f.year
	return b.once([]Occurrence{{Period: fmt.Sprint(y), Due: NewDate(y, time.December, 31)}}, "")
}

// once sets a one-off plan. An empty reading is written from the dates.
func (b *builder) once(occ []Occurrence, reading string) bool {
	slices.SortFunc(occ, compareOcc)
	if reading == "" {
		dates := make([]string, len(occ))
		for i, o := range occ {
			dates[i] = o.Due.VN()
		}
		if len(occ) == 1 {
			reading = "Một lần, hạn cuối ngày " + dates[0] + "."
		} else {
			reading = "Một lần cho mỗi kỳ, hạn cuối các ngày " + joinVN(dates) + "."
		}
	}
	b.kind, b.reason = KindOneOff, reading
	b.p.gen, b.p.fixed = genFixed, occ
	return true
}

func compareOcc(a, b Occurrence) int {
	if a.Due != b.Due {
		if a.Due < b.Due {
			return -1
		}
		return 1
	}
	return strings.Compare(a.Period, b.Period)
}

// quota: "ít nhất 03 cuộc/năm", "tối thiểu 2 lần/quý", "hằng năm, ít nhất 3 cuộc".
func (b *builder) quota() bool {
	b.use(fQuota | fRecur | fWithin | fInclusive | fOnNeed)
	f := b.f
	u := f.quotaUnit
	for _, v := range [...]struct {
		on bool
		u  unit
	}{{b.has(fRecur), f.recur}, {b.has(fWithin), f.within}} {
		switch {
		case !v.on:
		case u == uNone:
			u = v.u
		case u != v.u:
			return b.fail(reasonConflict(b.expr))
		}
	}
	if u == uNone {
		return b.fail(reasonQuotaPeriod(b.expr))
	}
	b.p.quota = f.quota
	reading := fmt.Sprintf("Ít nhất %d %s mỗi %s; hạn cuối ngày cuối cùng của mỗi %s.", f.quota, f.quotaNoun, unitNames[u], unitNames[u])
	if u == uWeek {
		b.p.gen, b.p.weekday = genWeekly, 6
		b.kind, b.reason = KindQuota, reading
		return b.limits()
	}
	return b.recur(KindQuota, unitSlots(u), reading)
}

// weekly: "hằng tuần", "thứ Sáu hằng tuần", "trước thứ Sáu hằng tuần".
func (b *builder) weekly() bool {
	b.use(fWeekday | fRecur)
	f := b.f
	switch {
	case !b.has(fRecur):
		return b.fail(reasonMissingCycle(b.expr))
	case f.recur != uWeek:
		return b.fail(reasonConflict(b.expr))
	}
	wd := 7
	if b.has(fWeekday) {
		wd = f.weekday
		b.strict()
	} else {
		b.use(fInclusive | fOnNeed)
	}
	b.p.gen, b.p.weekday = genWeekly, wd-1
	b.kind, b.reason = KindWeekly, "Hằng tuần, hạn cuối "+weekdayNames[wd]+"."
	return b.limits()
}

// lunar: "ngày 10 tháng 3 âm lịch [hằng năm]", "mùng 10/3 âm lịch", "… âm lịch năm 2026".
func (b *builder) lunar() bool {
	b.use(fLunar | fLeap | fDates | fRecur)
	f := b.f
	if len(f.dates) != 1 || b.has(fSolar) || (b.has(fRecur) && f.recur != uYear) {
		return b.fail(reasonConflict(b.expr))
	}
	b.strict()
	d, m := f.dates[0].d, f.dates[0].m
	if d < 1 || d > 30 || m < 1 || m > 12 {
		return b.fail(reasonLunarMissing(b.expr))
	}
	leap := b.has(fLeap)
	if b.has(fYear) && !b.has(fRecur) {
		b.use(fYear)
		sd, ok := FromLunar(LunarDate{Year: f.year, Month: m, Day: d, Leap: leap})
		if !ok {
			return b.fail(reasonLunarMissing(b.expr))
		}
		return b.once([]Occurrence{{Period: sd.String(), Due: sd.AddDays(b.p.shift)}},
			fmt.Sprintf("Một lần, hạn cuối ngày %d tháng %d âm lịch năm %d, tức ngày %s.", d, m, f.year, sd.AddDays(b.p.shift).VN()))
	}
	if leap {
		return b.fail(reasonLeapMonthAnnual(b.expr))
	}
	b.p.gen, b.p.lunarM, b.p.lunarD = genLunar, m, d
	b.kind = KindAnnual
	b.reason = fmt.Sprintf("Hằng năm, hạn cuối ngày %d tháng %d âm lịch (đổi sang dương lịch theo từng năm).", d, m)
	if d == 30 {
		b.extra = append(b.extra, "Năm nào tháng này chỉ có 29 ngày thì năm đó không có hạn.")
	}
	return b.limits()
}

// tet: "trước Tết Nguyên đán [hằng năm]", "trước Tết Nguyên đán năm 2027".
// The Tết of period year Y is the one that falls in Y (21/1–20/2); "trước
// Tết" ends on the day before its first day, the last day of the lunar year,
// whatever StrictBefore says: a duty for Tết is done before it.
func (b *builder) tet() bool {
	b.use(fTet | fBefore | fInclusive | fOnNeed | fRecur)
	f := b.f
	switch {
	case !b.has(fBefore):
		return b.fail(reasonTetBefore(b.expr))
	case b.has(fRecur) && f.recur != uYear:
		return b.fail(reasonConflict(b.expr))
	}
	b.p.shift = -1
	if b.has(fYear) && !b.has(fRecur) {
		b.use(fYear)
		sd, ok := FromLunar(LunarDate{Year: f.year, Month: 1, Day: 1})
		if !ok {
			return b.fail(reasonLunarMissing(b.expr))
		}
		due := sd.AddDays(-1)
		return b.once([]Occurrence{{Period: fmt.Sprint(f.year), Due: due}},
			fmt.Sprintf("Một lần, trước Tết Nguyên đán năm %d (mùng 1 Tết là ngày %s): hạn cuối ngày %s.", f.year, sd.VN(), due.VN()))
	}
	b.p.gen, b.p.lunarM, b.p.lunarD = genLunar, 1, 1
	b.kind = KindAnnual
	b.reason = "Hằng năm, trước Tết Nguyên đán: hạn cuối ngày liền trước mùng 1 Tết (ngày cuối cùng của năm âm lịch, đổi sang dương lịch theo từng năm)."
	return b.limits()
}
