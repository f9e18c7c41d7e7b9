// Package calendar is the working-day calendar of Vietnamese civil servants:
// weekends, the holidays of Bộ luật Lao động 2019 (computed, or as the
// year's notice gives them), make-up days and swapped days. It is pure: no
// I/O and no clock; config files become YearNotices elsewhere.
package calendar

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Kind says why a day is off. The string values are a stable contract
// (config files use them).
type Kind string

// The kinds of day off.
const (
	KindHoliday Kind = "holiday" // ngày lễ, Tết (Điều 112 khoản 1)
	KindMakeup  Kind = "makeup"  // nghỉ bù for a holiday on a rest day (Điều 111 khoản 3)
	KindSwap    Kind = "swap"    // ngày nghỉ hoán đổi: a weekday off worked back on a weekend day
)

// Holiday is one day off other than a plain weekend day, or (in
// YearNotice.Workdays) a weekend day worked.
type Holiday struct {
	Date schedule.Date
	Name string
	Kind Kind
	// Pending marks a computed default, or a day from an unconfirmed
	// notice, that still awaits the year's official notice.
	Pending bool
}

// YearNotice is one year's days off as the official notice gives them
// (Thủ tướng's decision, announced by Bộ LĐTBXH until 2025 and by Bộ Nội
// vụ since). A notice replaces the computed defaults of its year entirely.
type YearNotice struct {
	Year      int
	Source    string // e.g. "Thông báo số 9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ"
	Confirmed bool   // false: still the computed defaults, awaiting the notice
	// Days lists every day off of the year other than plain weekend days,
	// including holidays that fall on a weekend.
	Days []Holiday
	// Workdays lists the weekend days worked in exchange for a swap (làm
	// bù); Name says for what.
	Workdays []Holiday
}

// The years New precomputes. Other years are computed from Defaults on
// first use (slower), and outside lunarFirst..lunarLast, where the lunar
// algorithm is not meant to be used, only weekends are days off.
const (
	FirstYear = 1990
	LastYear  = 2100

	lunarFirst = 1800
	lunarLast  = 2199
)

// Calendar answers working-day questions. It is immutable after New and
// safe for concurrent use.
type Calendar struct {
	first schedule.Date // FirstYear-01-01
	n     int           // days covered by bits
	bits  []uint64      // bit i set: first+i is a working day
	years []yearDays    // index year-FirstYear

	mu  sync.RWMutex
	far map[int]*yearDays // years outside FirstYear..LastYear, filled lazily
}

// yearDays is one year's days off (sorted) and weekend days worked (sorted).
type yearDays struct {
	off      []Holiday
	workdays []Holiday
}

// New builds the calendar. Years with a notice use it; the others use
// Defaults. It reports every inconsistency it finds: a notice outside
// FirstYear..LastYear or given twice, a day outside its year or listed
// twice, a nameless day, an unknown kind, a make-up or swapped day off on a
// weekend, a workday that is not a Saturday or Sunday or is also a day off.
func New(notices []YearNotice) (*Calendar, error) {
	byYear := make(map[int]*YearNotice, len(notices))
	var errs []error
	for i := range notices {
		nt := &notices[i]
		if nt.Year < FirstYear || nt.Year > LastYear {
			errs = append(errs, fmt.Errorf("holidays %d: year outside %d–%d", nt.Year, FirstYear, LastYear))
			continue
		}
		if byYear[nt.Year] != nil {
			errs = append(errs, fmt.Errorf("holidays %d: two notices for the year", nt.Year))
			continue
		}
		byYear[nt.Year] = nt
		errs = append(errs, nt.check()...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	c := &Calendar{first: schedule.NewDate(FirstYear, time.January, 1)}
	c.n = int(schedule.NewDate(LastYear, time.December, 31)-c.first) + 1
	c.bits = make([]uint64, (c.n+63)/64)
	c.years = make([]yearDays, LastYear-FirstYear+1)
	for y := FirstYear; y <= LastYear; y++ {
		yd := &c.years[y-FirstYear]
		if nt := byYear[y]; nt != nil {
			*yd = fromNotice(nt)
		} else {
			yd.off = Defaults(y)
		}
		c.mark(y, yd)
	}
	return c, nil
}

// check reports what is wrong with one notice.
func (nt *YearNotice) check() []error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("holidays %d: "+format, append([]any{nt.Year}, a...)...))
	}
	seen := map[schedule.Date]string{}
	list := func(hs []Holiday, what string) {
		for _, h := range hs {
			if y := h.Date.Year(); y != nt.Year {
				bad("%s %s is not in %d", what, h.Date, nt.Year)
			}
			if prev, dup := seen[h.Date]; dup {
				bad("%s %s is already listed as a %s", what, h.Date, prev)
			}
			seen[h.Date] = what
			if h.Name == "" {
				bad("%s %s has no name", what, h.Date)
			}
		}
	}
	list(nt.Days, "day off")
	list(nt.Workdays, "workday")
	for _, h := range nt.Days {
		switch h.Kind {
		case KindHoliday:
		case KindMakeup, KindSwap:
			if isWeekend(h.Date) {
				bad("%s day off %s is a %s; make-up and swapped days off are weekdays", h.Kind, h.Date, h.Date.Weekday())
			}
		default:
			bad("day off %s has unknown kind %q; use holiday, makeup or swap", h.Date, h.Kind)
		}
	}
	for _, h := range nt.Workdays {
		if h.Kind != "" && h.Kind != KindSwap {
			bad("workday %s has kind %q; a workday can only be a swap", h.Date, h.Kind)
		}
		if !isWeekend(h.Date) {
			bad("workday %s is a %s; only a Saturday or Sunday can become a working day", h.Date, h.Date.Weekday())
		}
	}
	return errs
}

// fromNotice copies a checked notice, sorted, with Pending set for an
// unconfirmed one.
func fromNotice(nt *YearNotice) yearDays {
	cp := func(hs []Holiday, kind Kind) []Holiday {
		out := slices.Clone(hs)
		for i := range out {
			out[i].Pending = out[i].Pending || !nt.Confirmed
			if out[i].Kind == "" {
				out[i].Kind = kind
			}
		}
		slices.SortFunc(out, func(a, b Holiday) int { return int(a.Date - b.Date) })
		return out
	}
	return yearDays{off: cp(nt.Days, KindHoliday), workdays: cp(nt.Workdays, KindSwap)}
}

// mark sets the working-day bits of year y.
func (c *Calendar) mark(y int, yd *yearDays) {
	start := schedule.NewDate(y, time.January, 1)
	end := schedule.NewDate(y, time.December, 31)
	for d := start; d <= end; d++ {
		if !isWeekend(d) {
			c.set(d, true)
		}
	}
	for _, h := range yd.off {
		c.set(h.Date, false)
	}
	for _, h := range yd.workdays {
		c.set(h.Date, true)
	}
}

func (c *Calendar) set(d schedule.Date, working bool) {
	i := int(d - c.first)
	if working {
		c.bits[i>>6] |= 1 << (uint(i) & 63)
	} else {
		c.bits[i>>6] &^= 1 << (uint(i) & 63)
	}
}

// index returns d's bit index when d is in the precomputed range.
func (c *Calendar) index(d schedule.Date) (int, bool) {
	i := int64(d) - int64(c.first)
	return int(i), i >= 0 && i < int64(c.n)
}

// IsWorkingDay reports whether civil servants work on d: a weekday that is
// no day off, or a weekend day worked for a swap. Within FirstYear..LastYear
// it is a bit test: O(1), no allocation, no lock.
func (c *Calendar) IsWorkingDay(d schedule.Date) bool {
	if i, ok := c.index(d); ok {
		return c.bits[i>>6]&(1<<(uint(i)&63)) != 0
	}
	yd := c.year(d.Year())
	if _, found := find(yd.workdays, d); found {
		return true
	}
	if _, found := find(yd.off, d); found {
		return false
	}
	return !isWeekend(d)
}

// Holiday returns the day off on d, if d is one (a weekend holiday such as
// a Tết day on Saturday included; a plain weekend day is not).
func (c *Calendar) Holiday(d schedule.Date) (Holiday, bool) {
	yd := c.year(d.Year())
	if i, found := find(yd.off, d); found {
		return yd.off[i], true
	}
	return Holiday{}, false
}

// Holidays returns the year's days off other than plain weekend days,
// sorted, with names and Pending. The slice is the caller's.
func (c *Calendar) Holidays(year int) []Holiday {
	return slices.Clone(c.year(year).off)
}

// Workdays returns the year's weekend days worked for a swap, sorted. The
// slice is the caller's.
func (c *Calendar) Workdays(year int) []Holiday {
	return slices.Clone(c.year(year).workdays)
}

var noDays yearDays

// year returns the days of year y, computing and caching Defaults for a
// year outside the precomputed range.
func (c *Calendar) year(y int) *yearDays {
	if y >= FirstYear && y <= LastYear && c.years != nil {
		return &c.years[y-FirstYear]
	}
	if y < lunarFirst || y > lunarLast {
		return &noDays
	}
	c.mu.RLock()
	yd := c.far[y]
	c.mu.RUnlock()
	if yd != nil {
		return yd
	}
	// Computed outside the lock: two goroutines may both compute the same
	// year, which is harmless since Defaults is deterministic.
	yd = &yearDays{off: Defaults(y)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.far[y]; prev != nil {
		return prev
	}
	if c.far == nil {
		c.far = map[int]*yearDays{}
	}
	c.far[y] = yd
	return yd
}

// find returns the index of the entry dated d in the sorted hs.
func find(hs []Holiday, d schedule.Date) (int, bool) {
	return slices.BinarySearchFunc(hs, d, func(h Holiday, d schedule.Date) int { return int(h.Date - d) })
}
