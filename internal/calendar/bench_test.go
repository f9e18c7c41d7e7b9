package calendar

import (
	"testing"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

var (
	sinkBool bool
	sinkDate schedule.Date
	sinkCal  *Calendar
)

func BenchmarkIsWorkingDay(b *testing.B) {
	c := mustNew(b, notice2024, notice2025, notice2026)
	start := day("2021-01-01")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkBool = c.IsWorkingDay(start + schedule.Date(i&4095))
	}
}

func BenchmarkAddWorkingDays(b *testing.B) {
	c := mustNew(b, notice2024, notice2025, notice2026)
	start := day("2021-01-01")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		d := start + schedule.Date(i&4095)
		sinkDate = c.AddWorkingDays(c.Effective(d), -3) // "3 ngày làm việc trước hạn"
		sinkDate = c.AddWorkingDays(d, 10)
	}
}

func BenchmarkWorkingDaysBetween(b *testing.B) {
	c := mustNew(b, notice2024, notice2025, notice2026)
	start := day("2021-01-01")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		d := start + schedule.Date(i&4095)
		sinkBool = c.WorkingDaysBetween(d, d+90) > 0
	}
}

func BenchmarkNew(b *testing.B) {
	notices := []YearNotice{notice2024, notice2025, notice2026}
	b.ReportAllocs()
	for b.Loop() {
		sinkCal = mustNew(b, notices...)
	}
}
