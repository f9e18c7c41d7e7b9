package schedule

import (
	"testing"
	"time"
)

// FuzzParse checks what must hold for any text an official might paste:
// Parse does not panic, answers with a known kind and a reason, gives dates
// only when its kind has them, and Occurrences and Between agree, are sorted
// and stay within bounds.
func FuzzParse(f *testing.F) {
	for _, c := range seedCases {
		f.Add(c.expr, false, uint16(c.year-1800), uint16(40))
	}
	for _, c := range formCases {
		f.Add(c.expr, true, uint16(c.year-1800), uint16(400))
	}
	for _, c := range unresolvedCases {
		f.Add(c.expr, false, uint16(227), uint16(3))
	}
	for _, c := range regimeCases {
		f.Add(c.expr, true, uint16(c.year-1800), uint16(90))
	}
	for _, e := range loadCorpus(f) {
		f.Add(e.text, false, uint16(e.year-1800), uint16(31))
	}
	kinds := map[Kind]bool{KindOneOff: true, KindAnnual: true, KindSemiannual: true, KindQuarterly: true,
		KindMonthly: true, KindWeekly: true, KindQuota: true, KindContinuous: true, KindOnDemand: true, KindUnresolved: true}
	f.Fuzz(func(t *testing.T, expr string, strict bool, yearSeed, days uint16) {
		r := Parse(expr, Options{StrictBefore: strict})
		switch {
		case !kinds[r.Kind]:
			t.Fatalf("Parse(%q): unknown kind %q", expr, r.Kind)
		case r.Reason == "":
			t.Fatalf("Parse(%q): empty reason", expr)
		case r.Expr != expr:
			t.Fatalf("Parse(%q): Expr %q", expr, r.Expr)
		case r.Kind != KindQuota && r.Quota != 0:
			t.Fatalf("Parse(%q): kind %s with quota %d", expr, r.Kind, r.Quota)
		}
		if again := Parse(expr, Options{StrictBefore: strict}); again.Kind != r.Kind || again.Reason != r.Reason {
			t.Fatalf("Parse(%q) is not deterministic", expr)
		}
		y := 1800 + int(yearSeed%500)
		// Any text as a data cut-off: refused with a reason, or windows
		// that start no later than they end.
		if c, why := ParseCutoff(expr); why == "" {
			for _, o := range c.end.Occurrences(y) {
				if from, to, ok := c.Window(o.Period, y); ok && (from > to || to != o.Due) {
					t.Fatalf("ParseCutoff(%q): window %s–%s for %v", expr, from, to, o)
				}
			}
		} else if c.Text != expr {
			t.Fatalf("ParseCutoff(%q): text %q", expr, c.Text)
		}
		occ := r.Occurrences(y)
		if !r.Kind.HasDueDates() {
			if occ != nil || r.Between(NewDate(1900, 1, 1), NewDate(2200, 1, 1)) != nil {
				t.Fatalf("Parse(%q): kind %s has occurrences", expr, r.Kind)
			}
			return
		}
		checkOccurrences(t, expr, r, occ, MinDate, MaxDate)
		from := NewDate(y, time.January, 1) + Date(days%400)
		to := from + Date(days)
		between := r.Between(from, to)
		checkOccurrences(t, expr, r, between, from, to)
		// Every occurrence of the period year due in the window is found.
		in := map[Occurrence]bool{}
		for _, o := range between {
			in[o] = true
		}
		for _, o := range occ {
			if o.Due >= from && o.Due <= to && !in[o] {
				t.Fatalf("Parse(%q): Between(%s, %s) misses %v", expr, from, to, o)
			}
		}
		for _, y := range []int{0, -1, 10000} {
			if o := r.Occurrences(y); r.Kind != KindOneOff && o != nil {
				t.Fatalf("Parse(%q): Occurrences(%d) = %v", expr, y, o)
			}
		}
	})
}

func checkOccurrences(t *testing.T, expr string, r Rule, occ []Occurrence, from, to Date) {
	t.Helper()
	for i, o := range occ {
		y, m, d := o.Due.Civil()
		if _, ok := ValidDate(y, int(m), d); !ok || o.Due < from || o.Due > to {
			t.Fatalf("Parse(%q): due %s outside [%s, %s] or invalid", expr, o.Due, from, to)
		}
		if o.Period == "" || !validPeriod(o.Period) {
			t.Fatalf("Parse(%q): period %q", expr, o.Period)
		}
		if (r.Kind == KindQuota) != (o.Quota > 0) || o.Quota != r.Quota {
			t.Fatalf("Parse(%q): kind %s, occurrence quota %d, rule quota %d", expr, r.Kind, o.Quota, r.Quota)
		}
		if i > 0 && compareOcc(occ[i-1], o) >= 0 {
			t.Fatalf("Parse(%q): occurrences out of order or repeated: %v, %v", expr, occ[i-1], o)
		}
	}
}

// validPeriod checks the label contract of Occurrence.Period.
func validPeriod(p string) bool {
	digits := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return s != ""
	}
	if len(p) < 4 || !digits(p[:4]) {
		return false
	}
	switch rest := p[4:]; {
	case rest == "":
		return true
	case len(rest) == 3 && (rest[:2] == "-H" || rest[:2] == "-Q") && digits(rest[2:]):
		return true
	case len(rest) == 3 && rest[0] == '-' && digits(rest[1:]):
		return true
	case len(rest) == 4 && rest[:2] == "-W" && digits(rest[2:]):
		return true
	case len(rest) == 5 && rest[0] == '-' && digits(rest[1:]):
		return true // a span: "2024-2025"
	case len(rest) == 6 && rest[0] == '-' && rest[3] == '-':
		_, err := ParseDate(p) // a bare date: "2021-11-10"
		return err == nil
	}
	return false
}
