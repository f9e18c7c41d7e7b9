package calendar

import (
	"math/bits"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Effective returns the day a time limit ending on due really ends: due
// itself when it is a working day, else the next working day (Bộ luật Dân
// sự 2015, Điều 148 khoản 5).
func (c *Calendar) Effective(due schedule.Date) schedule.Date {
	if c.IsWorkingDay(due) {
		return due
	}
	return c.NextWorkingDay(due)
}

// NextWorkingDay returns the first working day strictly after d.
func (c *Calendar) NextWorkingDay(d schedule.Date) schedule.Date { return c.AddWorkingDays(d, 1) }

// PrevWorkingDay returns the last working day strictly before d.
func (c *Calendar) PrevWorkingDay(d schedule.Date) schedule.Date { return c.AddWorkingDays(d, -1) }

// AddWorkingDays returns the n-th working day after d for n > 0, the |n|-th
// working day before d for n < 0 ("03 ngày làm việc trước hạn" is
// AddWorkingDays(due, -3)), and d itself for n == 0. d need not be a
// working day and is never counted.
func (c *Calendar) AddWorkingDays(d schedule.Date, n int) schedule.Date {
	switch {
	case n > 0:
		if i, ok := c.index(d); ok {
			j, rest := c.forward(i, n)
			d, n = c.first+schedule.Date(j), rest
		}
		for n > 0 {
			d = d.AddDays(1)
			if c.IsWorkingDay(d) {
				n--
			}
		}
	case n < 0:
		n = -n
		if i, ok := c.index(d); ok {
			j, rest := c.backward(i, n)
			d, n = c.first+schedule.Date(j), rest
		}
		for n > 0 {
			d = d.AddDays(-1)
			if c.IsWorkingDay(d) {
				n--
			}
		}
	}
	return d
}

// forward finds the n-th working day after bit i a word at a time. It
// returns its index and 0, or, when the range ends first, the last index
// and how many working days are still to find.
func (c *Calendar) forward(i, n int) (int, int) {
	for j := i + 1; j < c.n; j = (j | 63) + 1 {
		w := c.bits[j>>6] >> (uint(j) & 63)
		if k := bits.OnesCount64(w); k < n {
			n -= k
			continue
		}
		for ; n > 1; n-- {
			w &= w - 1 // drop the lowest working day
		}
		return j + bits.TrailingZeros64(w), 0
	}
	return c.n - 1, n
}

// backward is forward in the other direction; when the range ends first it
// returns index 0 and the working days still to find.
func (c *Calendar) backward(i, n int) (int, int) {
	for j := i - 1; j >= 0; j = (j &^ 63) - 1 {
		w := c.bits[j>>6] << (63 - uint(j)&63) // bit j now the top bit
		if k := bits.OnesCount64(w); k < n {
			n -= k
			continue
		}
		for ; n > 1; n-- {
			w &^= 1 << (63 - bits.LeadingZeros64(w)) // drop the latest working day
		}
		return j - bits.LeadingZeros64(w), 0
	}
	return 0, n
}

// WorkingDaysBetween returns the number of working days in (a, b], or
// minus the number in (b, a] when b is before a. So a deadline b is
// WorkingDaysBetween(today, b) working days away. Within FirstYear..LastYear
// it counts a word of days at a time; outside, a day at a time.
func (c *Calendar) WorkingDaysBetween(a, b schedule.Date) int {
	if b < a {
		return -c.WorkingDaysBetween(b, a)
	}
	n := 0
	lo, hi := int64(a)+1, int64(b) // inclusive, as day numbers
	first, last := int64(c.first), int64(c.first)+int64(c.n)-1
	// The parts outside the precomputed range, a day at a time.
	for d := lo; d <= hi && d < first; d++ {
		if c.IsWorkingDay(schedule.Date(d)) {
			n++
		}
	}
	for d := max(lo, last+1); d <= hi; d++ {
		if c.IsWorkingDay(schedule.Date(d)) {
			n++
		}
	}
	if l, h := max(lo, first), min(hi, last); l <= h {
		n += c.popcount(int(l-first), int(h-first))
	}
	return n
}

// popcount counts the working days with bit index in [lo, hi].
func (c *Calendar) popcount(lo, hi int) int {
	wl, wh := lo>>6, hi>>6
	mlo := ^uint64(0) << (uint(lo) & 63)
	mhi := ^uint64(0) >> (63 - uint(hi)&63)
	if wl == wh {
		return bits.OnesCount64(c.bits[wl] & mlo & mhi)
	}
	n := bits.OnesCount64(c.bits[wl]&mlo) + bits.OnesCount64(c.bits[wh]&mhi)
	for _, w := range c.bits[wl+1 : wh] {
		n += bits.OnesCount64(w)
	}
	return n
}
