package notify

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// A report regime's dates reach the notices: agency a reports each quarter
// three working days before the province's 20th of the quarter's last
// month, on the data from the 15th of the month before the quarter to the
// 14th of its last month (Nghị định 09/2019/NĐ-CP, Điều 12). For quý
// I/2027 the province's date is Saturday 20/3/2027, the agency's
// Wednesday 17/3, the data 15/12/2026–14/3/2027. Its duty letters, the
// oversight letters about it and Sở Nội vụ's copies carry them; the other
// duties carry none.
func TestNoticesCarryRegimeDates(t *testing.T) {
	s := testSetup(t)
	sc := s.Planner.Schedules[0]
	tk := &model.Task{ID: "T4", Text: "Báo cáo CCHC hằng quý", Time: "chậm nhất ngày 20 của tháng cuối quý",
		Lead: []string{"a"}, WorkingDaysBefore: 3, Schedule: sc,
		DataCutoff: "Tính từ ngày 15 của tháng trước kỳ báo cáo đến ngày 14 của tháng cuối quý thuộc kỳ báo cáo"}
	tk.Parsed = schedule.Parse(tk.Time, schedule.Options{})
	var why string
	if tk.Cutoff, why = schedule.ParseCutoff(tk.DataCutoff); why != "" {
		t.Fatal(why)
	}
	sc.Tasks = append(sc.Tasks, tk)
	ch := &fakeChannel{}
	s.Channel = ch
	var now time.Time
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "r.db"), sqlite.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	eng := New(store, func() *Setup { return &s }, func() time.Time { return now }, zerolog.Nop())
	for day := d("2027-03-01"); day <= d("2027-03-25"); day = day.AddDays(1) {
		now = day.In(s.Location).Add(9 * time.Hour)
		if _, err := eng.Tick(context.Background()); err != nil {
			t.Fatalf("%s: %v", day, err)
		}
	}
	want := duty.Regime{AgencyDue: d("2027-03-17"), ProvinceDue: d("2027-03-20"), WorkingDaysBefore: 3,
		CutoffFrom: d("2026-12-15"), CutoffTo: d("2027-03-14")}
	var items, duties int
	for _, n := range ch.handed {
		// check counts what of T4's quý I/2027 a letter carries, and that
		// nothing else carries a regime.
		check := func(what, name string, isT4Q1 bool, got duty.Regime, count *int) {
			switch {
			case isT4Q1:
				*count++
				if got != want {
					t.Errorf("%s %s %s: %s regime %+v, want %+v", n.Date.Format("2006-01-02"), n.To.Addr, n.Kind, what, got, want)
				}
			case !got.IsZero():
				t.Errorf("%s %s: %s %s carries a regime %+v", n.Date.Format("2006-01-02"), n.To.Addr, what, name, got)
			}
		}
		for _, it := range n.Items {
			check("item", it.TaskID+" "+it.Period, it.TaskID == "T4" && it.Period == "2027-Q1", it.Regime, &items)
		}
		for _, dt := range n.Duties {
			check("duty", dt.Key, dt.TaskID == "T4" && dt.Key == "p/T4/2027-Q1", dt.Regime, &duties)
		}
	}
	if items == 0 || duties == 0 {
		t.Fatalf("%d duty-letter items and %d oversight duties of T4 2027-Q1 in %d notices: the test proves nothing", items, duties, len(ch.handed))
	}
	t.Logf("%d items, %d duties of T4 2027-Q1 in %d notices", items, duties, len(ch.handed))
}
