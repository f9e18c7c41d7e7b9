package schedule

import (
	"testing"
	"time"
)

func TestDateRoundTripAgainstTime(t *testing.T) {
	start := time.Date(1899, 12, 25, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 200*366; i += 7 {
		tm := start.AddDate(0, 0, i)
		d := DateOf(tm)
		if got := d.In(time.UTC); !got.Equal(tm) {
			t.Fatalf("%v: round trip gave %v", tm, got)
		}
		if d.Weekday() != tm.Weekday() {
			t.Fatalf("%v: weekday %v, want %v", tm, d.Weekday(), tm.Weekday())
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"2024-02-29", true}, {"2023-02-29", false}, {"2024-13-01", false},
		{"2024-1-01", false}, {"2024-04-31", false}, {"abcd-ef-gh", false}, {"2024-12-31", true},
	} {
		_, err := ParseDate(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseDate(%q) err=%v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func TestJDN(t *testing.T) {
	// 2000-01-01 is JDN 2451545.
	if got := NewDate(2000, 1, 1).JDN(); got != 2451545 {
		t.Fatalf("JDN = %d", got)
	}
	if FromJDN(2451545) != NewDate(2000, 1, 1) {
		t.Fatal("FromJDN mismatch")
	}
}
