package schedule

import (
	"slices"
	"strings"
	"time"
)

// Occurrence generation. Between is the hot path (every task × agency on
// every tick), so it does month arithmetic on integers, counts before it
// allocates, and gives all the period labels of one call a single backing
// string: two allocations for a non-empty answer, none for an empty one.

// genFrom and genTo bound every date generated, with slack for due dates
// that lie a year before or after their period.
var (
	genFrom = NewDate(firstGenYear-1, time.January, 1)
	genTo   = NewDate(lastGenYear+1, time.December, 31)
)

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// dueOf is the nominal date of slot s for period year y, before any shift.
func dueOf(y int, s slot) Date {
	mi := y*12 + int(s.off)
	yy := floorDiv(mi, 12)
	m := time.Month(mi - yy*12 + 1)
	d := int(s.day)
	if d == 0 {
		d = DaysIn(yy, m)
	}
	return NewDate(yy, m, d)
}

// labelLen is the length of a label of kind l with a four-digit year.
func labelLen(l labelKind) int {
	switch l {
	case lblYear:
		return 4
	case lblWeek:
		return 8
	}
	return 7
}

// appendLabel writes the period label: "2027", "2027-H1", "2027-Q3", "2027-03", "2027-W05".
func appendLabel(buf []byte, l labelKind, y, idx int) []byte {
	buf = append(buf, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	switch l {
	case lblHalf:
		buf = append(buf, '-', 'H', byte('0'+idx))
	case lblQuarter:
		buf = append(buf, '-', 'Q', byte('0'+idx))
	case lblMonth:
		buf = append(buf, '-', byte('0'+idx/10), byte('0'+idx%10))
	case lblWeek:
		buf = append(buf, '-', 'W', byte('0'+idx/10), byte('0'+idx%10))
	}
	return buf
}

// isoWeek returns the ISO year and week of the week starting on Monday mon.
func isoWeek(mon Date) (year, week int) {
	thu := mon + 3 // the ISO year is the year of the week's Thursday
	year = thu.Year()
	return year, int(thu-NewDate(year, time.January, 1))/7 + 1
}

// mondayOf returns the Monday on or before d.
func mondayOf(d Date) Date {
	wd := int(d.Weekday()+6) % 7 // Monday 0 … Sunday 6
	return d - Date(wd)
}

// occSink receives occurrences in two passes: the first counts, the second
// fills. emit is called in period order.
type occSink struct {
	from, to Date
	fm, tm   int // the months of from and to, counted from year 0
	quota    int
	lunar    [4]struct { // genLunar: what the counting pass found
		due  Date
		year int
	}
	n      int
	out    []Occurrence
	labels strings.Builder
	fill   bool
}

func (s *occSink) emit(due Date, l labelKind, y, idx int) {
	if due < s.from || due > s.to {
		return
	}
	if !s.fill {
		s.n++
		return
	}
	var buf [8]byte
	s.labels.Write(appendLabel(buf[:0], l, y, idx))
	s.out = append(s.out, Occurrence{Due: due, Quota: s.quota})
}

// Occurrences returns the occurrences for period (kỳ) year y. Recurring
// kinds give the periods that belong to year y (monthly gives 12, quarterly
// 4, weekly the ISO weeks of ISO year y), even when a due date falls in
// another year: "trước ngày 10/12 của năm trước" gives 10/12/2026 for 2027.
// One-off rules return all their dates whatever y. Kinds without due dates
// return nil.
func (r Rule) Occurrences(y int) []Occurrence {
	p := r.plan
	if p == nil {
		return nil
	}
	if p.gen == genFixed {
		return slices.Clone(p.fixed)
	}
	if y < p.firstY || y > p.lastY {
		return nil
	}
	// Due dates lie at most a year (and a strict day) before or after
	// their period.
	first, last := NewDate(y-2, time.January, 1), NewDate(y+2, time.December, 31)
	return p.collect(first, last, (y-2)*12, (y+2)*12+11, y, y)
}

// Between returns every occurrence whose nominal due date lies in [from,
// to], inclusive, sorted by due date then period. MinDate and MaxDate may
// stand for an open bound. It allocates only its result.
func (r Rule) Between(from, to Date) []Occurrence {
	p := r.plan
	if p == nil || from > to {
		return nil
	}
	if p.gen == genFixed {
		lo, _ := slices.BinarySearchFunc(p.fixed, from, func(o Occurrence, d Date) int { return int(o.Due) - int(d) })
		hi := lo
		for hi < len(p.fixed) && p.fixed[hi].Due <= to {
			hi++
		}
		if lo == hi {
			return nil
		}
		return slices.Clone(p.fixed[lo:hi])
	}
	// Period years whose dates can reach [from, to]: a due date lies within
	// a few years of its period, so clamping the range loses nothing.
	from, to = max(from, genFrom), min(to, genTo)
	fy, fmo, _ := from.Civil()
	ty, tmo, _ := to.Civil()
	fm, tm := fy*12+int(fmo)-1, ty*12+int(tmo)-1
	var ylo, yhi int
	switch p.gen {
	case genSlots:
		// One month of slack on each side covers the strict shift.
		ylo, yhi = floorDiv(fm-1-p.maxOff, 12), floorDiv(tm+1-p.minOff, 12)
	case genWeekly:
		ylo, yhi = fy-1, ty+1
	case genLunar:
		ylo, yhi = fy-1, ty
	}
	return p.collect(from, to, fm, tm, max(ylo, p.firstY), min(yhi, p.lastY))
}

// collect returns the occurrences of period years [ylo, yhi] due in [from,
// to]; fm and tm are the months of from and to, counted from year 0.
func (p *plan) collect(from, to Date, fm, tm, ylo, yhi int) []Occurrence {
	ylo, yhi = max(ylo, firstGenYear), min(yhi, lastGenYear)
	if ylo > yhi || from > to {
		return nil
	}
	s := occSink{from: from, to: to, fm: fm, tm: tm, quota: p.quota}
	p.generate(&s, ylo, yhi)
	if s.n == 0 {
		return nil
	}
	s.fill = true
	s.out = make([]Occurrence, 0, s.n)
	l := p.label
	switch p.gen {
	case genWeekly:
		l = lblWeek
	case genLunar:
		l = lblYear
	}
	s.labels.Grow(s.n * labelLen(l))
	p.generate(&s, ylo, yhi)
	all, size := s.labels.String(), labelLen(l)
	sorted := true
	for i := range s.out {
		s.out[i].Period = all[i*size : (i+1)*size]
		if i > 0 && compareOcc(s.out[i-1], s.out[i]) > 0 {
			sorted = false
		}
	}
	if !sorted {
		slices.SortStableFunc(s.out, compareOcc)
	}
	return s.out
}

// generate emits the occurrences of period years [ylo, yhi] in period order.
func (p *plan) generate(s *occSink, ylo, yhi int) {
	shift := Date(p.shift)
	switch p.gen {
	case genSlots:
		for y := ylo; y <= yhi; y++ {
			for _, sl := range p.slots {
				// Skip by month before computing a date: most slots are far.
				if mi := y*12 + int(sl.off); mi < s.fm-1 || mi > s.tm+1 {
					continue
				}
				s.emit(dueOf(y, sl)+shift, sl.label, y, int(sl.idx))
			}
		}
	case genWeekly:
		// ISO week 1 of a year is the week holding 4 January.
		mon := mondayOf(NewDate(ylo, time.January, 4))
		end := mondayOf(NewDate(yhi+1, time.January, 4)) // week 1 of the next year
		if first := mondayOf(s.from) - 7; first > mon {
			mon = first
		}
		for ; mon < end; mon += 7 {
			due := mon + Date(p.weekday) + shift
			if due > s.to {
				return
			}
			if due < s.from {
				continue
			}
			if !s.fill {
				s.n++
				continue
			}
			y, w := isoWeek(mon)
			s.emit(due, lblWeek, y, w)
		}
	case genLunar:
		if s.fill && s.n <= len(s.lunar) {
			// The conversion is costly: reuse what the counting pass found.
			for _, f := range s.lunar[:s.n] {
				s.emit(f.due, lblYear, f.year, 0)
			}
			return
		}
		for y := ylo; y <= yhi; y++ {
			if !lunarMayFall(y, p.lunarM, p.lunarD, s.from-shift, s.to-shift) {
				continue
			}
			if d, ok := FromLunar(LunarDate{Year: y, Month: p.lunarM, Day: p.lunarD}); ok {
				if due := d + shift; !s.fill && due >= s.from && due <= s.to && s.n < len(s.lunar) {
					s.lunar[s.n].due, s.lunar[s.n].year = due, y
				}
				s.emit(d+shift, lblYear, y, 0)
			}
		}
	}
}

// lunarMayFall reports whether lunar day d of month m of lunar year y can
// fall in [from, to]. Tết falls between 21 January and 20 February and a
// lunar month has 29 or 30 days (one more month when a leap month comes
// first), which bounds the date without the costly conversion.
func lunarMayFall(y, m, d int, from, to Date) bool {
	lo := NewDate(y, time.January, 21) + Date(29*(m-1)+d-1)
	hi := NewDate(y, time.February, 20) + Date(30*m+d-1)
	return hi >= from && lo <= to
}
