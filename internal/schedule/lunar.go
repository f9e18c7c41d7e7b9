package schedule

import "math"

// The Vietnamese lunisolar calendar, after Hồ Ngọc Đức's published
// algorithm ("Âm lịch Việt Nam"), computed for UTC+7. Vietnam has used the
// meridian of UTC+7 since 1968, so its new moons (and so Tết) fall on other
// days than China's (UTC+8) in some years, e.g. Tết 2007 and 2030. That is
// why no Chinese-calendar library is used here.

// vnZone is the time zone, in hours, of the Vietnamese calendar.
const vnZone = 7.0

// LunarDate is a day of the Vietnamese lunar calendar. Year is the lunar
// year that begins at Tết of the solar year of the same number.
type LunarDate struct {
	Year, Month, Day int
	Leap             bool // the day is in the intercalary (nhuận) month
}

// toLunar converts a solar date to the Vietnamese lunar calendar.
func toLunar(d Date) LunarDate {
	return solarToLunar(d, vnZone)
}

// FromLunar converts a Vietnamese lunar date to the solar calendar. It
// reports false when the date does not exist: a leap month that the year
// does not have, a month outside 1–12, or day 30 of a 29-day month.
func FromLunar(l LunarDate) (Date, bool) {
	return lunarToSolar(l, vnZone)
}

// lunarMonthLength returns 29 or 30 for the lunar month, or 0 when the month
// does not exist.
func lunarMonthLength(year, month int, leap bool) int {
	start, ok := lunarToSolar(LunarDate{Year: year, Month: month, Day: 1, Leap: leap}, vnZone)
	if !ok {
		return 0
	}
	return int(ToLunarNextMonthStart(start) - start)
}

// ToLunarNextMonthStart returns the first day of the lunar month after the
// one holding d.
func ToLunarNextMonthStart(d Date) Date {
	jd := d.JDN()
	k := int(math.Floor((float64(jd) - 2415021.076998695) / 29.530588853))
	for i := k - 1; i <= k+2; i++ {
		if nm := newMoonDay(i, vnZone); nm > jd {
			return FromJDN(nm)
		}
	}
	return FromJDN(newMoonDay(k+2, vnZone))
}

func newMoonDay(k int, tz float64) int {
	kf := float64(k)
	T := kf / 1236.85
	T2 := T * T
	T3 := T2 * T
	dr := math.Pi / 180
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*T2 - 0.000000155*T3
	jd1 += 0.00033 * math.Sin((166.56+132.87*T-0.009173*T2)*dr)
	M := 359.2242 + 29.10535608*kf - 0.0000333*T2 - 0.00000347*T3
	Mpr := 306.0253 + 385.81691806*kf + 0.0107306*T2 + 0.00001236*T3
	F := 21.2964 + 390.67050646*kf - 0.0016528*T2 - 0.00000239*T3
	C1 := (0.1734-0.000393*T)*math.Sin(M*dr) + 0.0021*math.Sin(2*dr*M)
	// Term by term as published: "C1 -= a + b" would subtract b too.
	C1 = C1 - 0.4068*math.Sin(Mpr*dr) + 0.0161*math.Sin(dr*2*Mpr)
	C1 -= 0.0004 * math.Sin(dr*3*Mpr)
	C1 += 0.0104*math.Sin(dr*2*F) - 0.0051*math.Sin(dr*(M+Mpr))
	C1 = C1 - 0.0074*math.Sin(dr*(M-Mpr)) + 0.0004*math.Sin(dr*(2*F+M))
	C1 = C1 - 0.0004*math.Sin(dr*(2*F-M)) - 0.0006*math.Sin(dr*(2*F+Mpr))
	C1 += 0.0010*math.Sin(dr*(2*F-Mpr)) + 0.0005*math.Sin(dr*(2*Mpr+M))
	var deltaT float64
	if T < -11 {
		deltaT = 0.001 + 0.000839*T + 0.0002261*T2 - 0.00000845*T3 - 0.000000081*T*T3
	} else {
		deltaT = -0.000278 + 0.000265*T + 0.000262*T2
	}
	jdNew := jd1 + C1 - deltaT
	return int(math.Floor(jdNew + 0.5 + tz/24))
}

// sunLongitude returns the sun's longitude at the start of day jdn as one of
// 12 sectors of 30°: the major solar terms (trung khí) that decide months.
func sunLongitude(jdn int, tz float64) int {
	T := (float64(jdn) - 2451545.5 - tz/24) / 36525
	T2 := T * T
	dr := math.Pi / 180
	M := 357.52910 + 35999.05030*T - 0.0001559*T2 - 0.00000048*T*T2
	L0 := 280.46645 + 36000.76983*T + 0.0003032*T2
	DL := (1.914600 - 0.004817*T - 0.000014*T2) * math.Sin(dr*M)
	DL += (0.019993-0.000101*T)*math.Sin(dr*2*M) + 0.000290*math.Sin(dr*3*M)
	L := (L0 + DL) * dr
	L -= math.Pi * 2 * math.Floor(L/(math.Pi*2))
	return int(math.Floor(L / math.Pi * 6))
}

// lunarMonth11 returns the JDN of the first day of the 11th lunar month (the
// one holding the winter solstice) that begins in solar year y.
func lunarMonth11(y int, tz float64) int {
	off := NewDate(y, 12, 31).JDN() - 2415021
	k := int(math.Floor(float64(off) / 29.530588853))
	nm := newMoonDay(k, tz)
	if sunLongitude(nm, tz) >= 9 {
		nm = newMoonDay(k-1, tz)
	}
	return nm
}

// leapMonthOffset returns the offset, from month 11 at a11, of the first
// month without a major solar term: the leap month.
func leapMonthOffset(a11 int, tz float64) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
	i := 1
	arc := sunLongitude(newMoonDay(k+i, tz), tz)
	last := 0
	for {
		last = arc
		i++
		arc = sunLongitude(newMoonDay(k+i, tz), tz)
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

func solarToLunar(d Date, tz float64) LunarDate {
	dayNumber := d.JDN()
	yy := d.Year()
	k := int(math.Floor((float64(dayNumber) - 2415021.076998695) / 29.530588853))
	monthStart := newMoonDay(k+1, tz)
	if monthStart > dayNumber {
		monthStart = newMoonDay(k, tz)
	}
	// The estimate k can be one too high (e.g. 2054-05-07, 2062-04-09);
	// the published code has the same flaw and returns day 0 there.
	if monthStart > dayNumber {
		monthStart = newMoonDay(k-1, tz)
	}
	a11 := lunarMonth11(yy, tz)
	b11 := a11
	var lunarYear int
	if a11 >= monthStart {
		lunarYear = yy
		a11 = lunarMonth11(yy-1, tz)
	} else {
		lunarYear = yy + 1
		b11 = lunarMonth11(yy+1, tz)
	}
	lunarDay := dayNumber - monthStart + 1
	diff := (monthStart - a11) / 29
	leap := false
	lunarMonth := diff + 11
	if b11-a11 > 365 {
		leapDiff := leapMonthOffset(a11, tz)
		if diff >= leapDiff {
			lunarMonth = diff + 10
			leap = diff == leapDiff
		}
	}
	if lunarMonth > 12 {
		lunarMonth -= 12
	}
	if lunarMonth >= 11 && diff < 4 {
		lunarYear--
	}
	return LunarDate{Year: lunarYear, Month: lunarMonth, Day: lunarDay, Leap: leap}
}

func lunarToSolar(l LunarDate, tz float64) (Date, bool) {
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 {
		return 0, false
	}
	var a11, b11 int
	if l.Month < 11 {
		a11 = lunarMonth11(l.Year-1, tz)
		b11 = lunarMonth11(l.Year, tz)
	} else {
		a11 = lunarMonth11(l.Year, tz)
		b11 = lunarMonth11(l.Year+1, tz)
	}
	k := int(math.Floor(0.5 + (float64(a11)-2415021.076998695)/29.530588853))
	off := l.Month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11, tz)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if l.Leap && l.Month != leapMonth {
			return 0, false
		}
		if l.Leap || off >= leapOff {
			off++
		}
	} else if l.Leap {
		return 0, false
	}
	monthStart := newMoonDay(k+off, tz)
	next := newMoonDay(k+off+1, tz)
	if l.Day > next-monthStart {
		return 0, false
	}
	return FromJDN(monthStart + l.Day - 1), true
}
