// Package schedule is the pure core of nhachan: Vietnamese deadline
// expressions, the civil Date type, the Vietnamese lunar calendar and the
// working-day calendar. It does no I/O and never reads the clock.
package schedule

import (
	"fmt"
	"time"
)

// Date is a civil calendar date with no time of day and no zone, stored as
// the number of days since 1970-01-01. Deadlines in Vietnamese documents are
// days, not instants; the day is read in Asia/Ho_Chi_Minh by the callers that
// turn instants into dates.
type Date int32

// NewDate returns the date y-m-d. Out-of-range days and months are
// normalised the way time.Date does; use ValidDate to reject them.
func NewDate(y int, m time.Month, d int) Date {
	return Date(daysFromCivil(y, int(m), d))
}

// ValidDate reports whether y-m-d names a real day of the proleptic
// Gregorian calendar, and returns it.
func ValidDate(y int, m int, d int) (Date, bool) {
	if m < 1 || m > 12 || d < 1 || d > DaysIn(y, time.Month(m)) {
		return 0, false
	}
	return NewDate(y, time.Month(m), d), true
}

// DateOf returns the civil date of the instant t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate reads YYYY-MM-DD strictly.
func ParseDate(s string) (Date, error) {
	var y, m, d int
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	if _, err := fmt.Sscanf(s, "%4d-%2d-%2d", &y, &m, &d); err != nil {
		return 0, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	dt, ok := ValidDate(y, m, d)
	if !ok {
		return 0, fmt.Errorf("date %q does not exist", s)
	}
	return dt, nil
}

// Civil returns the year, month and day.
func (d Date) Civil() (year int, month time.Month, day int) {
	y, m, dd := civilFromDays(int64(d))
	return y, time.Month(m), dd
}

// Year returns the date's year.
func (d Date) Year() int { y, _, _ := d.Civil(); return y }

// Month returns the date's month.
func (d Date) Month() time.Month { _, m, _ := d.Civil(); return m }

// Day returns the day of the month.
func (d Date) Day() int { _, _, dd := d.Civil(); return dd }

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return d + Date(n) }

// Weekday returns the day of the week; 1970-01-01 was a Thursday.
func (d Date) Weekday() time.Weekday {
	return time.Weekday((int64(d)%7 + 7 + 4) % 7)
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string {
	y, m, dd := d.Civil()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd)
}

// VN formats the date the Vietnamese way, dd/mm/yyyy.
func (d Date) VN() string {
	y, m, dd := d.Civil()
	return fmt.Sprintf("%02d/%02d/%04d", dd, int(m), y)
}

// In returns midnight at the start of the date in loc.
func (d Date) In(loc *time.Location) time.Time {
	y, m, dd := d.Civil()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// JDN returns the Julian Day Number of the date (noon-based, as used by the
// lunar calendar algorithms).
func (d Date) JDN() int { return int(d) + 2440588 }

// FromJDN returns the date with Julian Day Number jd.
func FromJDN(jd int) Date { return Date(jd - 2440588) }

// MarshalText implements encoding.TextMarshaler as YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler for YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// DaysIn returns the number of days in month m of year y.
func DaysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// daysFromCivil and civilFromDays are Howard Hinnant's algorithms: exact for
// the proleptic Gregorian calendar, with no allocation and no time zone.
func daysFromCivil(y, m, d int) int64 {
	// Normalise month overflow the way time.Date does.
	y += (m - 1) / 12
	m = (m-1)%12 + 1
	if m <= 0 {
		m += 12
		y--
	}
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := int64(y - era*400)
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + doe - 719468
}

func civilFromDays(z int64) (int, int, int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), int(m), int(d)
}

// MinDate and MaxDate bound the representable dates; they stand for "no
// start" and "no end" in validity ranges.
const (
	MinDate Date = -1 << 31
	MaxDate Date = 1<<31 - 1
)

var weekdaysVN = [...]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

// WeekdayVN returns the Vietnamese name of the date's weekday ("Thứ Hai").
func (d Date) WeekdayVN() string { return weekdaysVN[d.Weekday()] }
