package model

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"

	"github.com/ninhthuan/nhachan/internal/calendar"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// nationalExprs is the mix of a generated province's 60 tasks: what real
// plans hold, weighted towards the frequent kinds so that the benchmark is
// not flattered.
var nationalExprs = func() []string {
	var out []string
	add := func(n int, e string) {
		for i := 0; i < n; i++ {
			out = append(out, e)
		}
	}
	add(10, "trước ngày 15 hằng tháng")
	add(10, "chậm nhất vào ngày 20 tháng cuối quý")
	add(10, "định kỳ 6 tháng")
	add(12, "Quý I hàng năm")
	add(8, "Trước 31/12 hàng năm")
	add(5, "trước ngày 10/12 của năm trước liền kề năm kế hoạch")
	add(2, "Quý IV/2027")
	add(1, "hằng tuần")
	add(2, "Thường xuyên trong năm")
	return out
}()

// nationalPlanner builds 34 provinces × 100 agencies × 60 tasks, every task
// owed by each of its province's agencies.
func nationalPlanner(b *testing.B) *Planner {
	b.Helper()
	cal, err := calendar.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	var agencies []*Agency
	var groups []*Group
	var schedules []*Schedule
	for p := 0; p < 34; p++ {
		g := fmt.Sprintf("p%02d-all", p)
		groups = append(groups, &Group{ID: g})
		for a := 0; a < 100; a++ {
			id := fmt.Sprintf("p%02d-a%03d", p, a)
			agencies = append(agencies, &Agency{ID: id, Name: id, Groups: []string{g},
				Email: []string{id + "@t.example"}, ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate})
		}
		s := &Schedule{ID: g, From: d("2021-01-01"), Until: d("2030-12-31"), CarryUntil: d("2030-12-31")}
		for i, e := range nationalExprs {
			t := &Task{ID: fmt.Sprintf("%s-t%02d", g, i), Time: e, Lead: []string{g}, Schedule: s}
			t.Parsed = schedule.Parse(e, schedule.Options{})
			s.Tasks = append(s.Tasks, t)
		}
		schedules = append(schedules, s)
	}
	return &Planner{Directory: NewDirectory(agencies, groups), Calendar: cal, Schedules: schedules}
}

// BenchmarkPlanNationalYear plans one year of a national-scale workload.
// Goal (issue: schedule core): under 2 s and 300 MB.
func BenchmarkPlanNationalYear(b *testing.B) {
	p := nationalPlanner(b)
	b.ReportAllocs()
	b.ResetTimer()
	var n int
	var peak uint64
	for i := 0; i < b.N; i++ {
		runtime.GC()
		occ := p.Plan(d("2027-01-01"), d("2027-12-31"), Filter{})
		n = len(occ)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > peak {
			peak = ms.HeapInuse
		}
		runtime.KeepAlive(occ)
	}
	b.ReportMetric(float64(n), "occurrences")
	b.ReportMetric(float64(peak)/(1<<20), "MB-heap-inuse")
	// The process's peak resident memory so far: the planner's set-up,
	// every plan and the garbage between them (Linux: kilobytes).
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "MB-peak-RSS")
	}
}
