package httpui

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// A duty of a report regime shows both deadlines (the agency's, working
// days before the province's) and the period's data cut-off.
func TestOccurrencePageRegimeDates(t *testing.T) {
	f := newFixture(t)
	setup := testSetup(t)
	s := setup.Planner.Schedules[0]
	tk := &model.Task{ID: "T9", Text: "Báo cáo CCHC hằng quý", Time: "chậm nhất ngày 20 của tháng cuối quý",
		Lead: []string{"stp"}, WorkingDaysBefore: 3, Schedule: s}
	tk.Parsed = schedule.Parse(tk.Time, schedule.Options{})
	var why string
	tk.DataCutoff = "Tính từ ngày 15 của tháng trước kỳ báo cáo đến ngày 14 của tháng cuối quý thuộc kỳ báo cáo"
	if tk.Cutoff, why = schedule.ParseCutoff(tk.DataCutoff); why != "" {
		t.Fatal(why)
	}
	s.Tasks = append(s.Tasks, tk)
	f.rt = &Runtime{Setup: setup}
	// 20/3/2026 is a Friday: three working days earlier is Tuesday 17/3.
	r := row("T9", "stp", "2026-03-17")
	r.Period = "2026-Q1"
	rows := []duty.Occurrence{r}
	if _, err := f.store.UpsertOccurrences(context.Background(), rows); err != nil {
		t.Fatal(err)
	}
	code, body := f.get(fmt.Sprintf("/nghia-vu/%d", rows[0].ID))
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{
		"Hạn của cơ quan: 17/03/2026, trước 3 ngày làm việc so với hạn tỉnh báo cáo: 20/03/2026.",
		"Thời gian chốt số liệu của kỳ này: từ ngày 15/12/2025 đến ngày 14/03/2026.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	// The task page names both, as the schedule writes them.
	if _, body := f.get("/cong-viec/T9?nam=2026"); !strings.Contains(body, "Các cơ quan gửi trước 3 ngày làm việc so với hạn tỉnh báo cáo") ||
		!strings.Contains(body, "<dt>Thời gian chốt số liệu</dt><dd>Tính từ ngày 15 của tháng trước kỳ báo cáo") {
		t.Errorf("task page lacks the regime facts:\n%s", body)
	}
	// A duty without them shows neither.
	if _, body := f.get(fmt.Sprintf("/nghia-vu/%d", f.ids["ontime"])); strings.Contains(body, "chốt số liệu") || strings.Contains(body, "hạn tỉnh") {
		t.Errorf("a plain duty shows regime dates:\n%s", body)
	}
}
