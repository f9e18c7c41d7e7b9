package httpui

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// TestTwoPlansSameTaskID: a second plan numbers a task "T1" too. The
// board gives each its own column, linked as PLAN/ID; the task page and
// the board's filter tell them apart; a duty's page names its plan.
func TestTwoPlansSameTaskID(t *testing.T) {
	f := newFixture(t)
	setup := testSetup(t)
	q := &model.Schedule{ID: "q", Title: "Kế hoạch cải cách hành chính giai đoạn 2026 - 2030",
		From: d("2026-01-01"), Until: d("2030-12-31"), CarryUntil: d("2030-12-31")}
	tk := &model.Task{ID: "T1", Text: "Kế hoạch giai đoạn của cơ quan", Time: "trước ngày 30/4 hằng năm", Lead: []string{"snv"}, Schedule: q}
	tk.Parsed = schedule.Parse(tk.Time, schedule.Options{})
	q.Tasks = []*model.Task{tk}
	p := setup.Planner
	setup.Planner = &model.Planner{Directory: p.Directory, Calendar: p.Calendar,
		Schedules: append(append([]*model.Schedule(nil), p.Schedules...), q)}
	f.rt.Setup = setup

	r := row("T1", "snv", "2026-04-30")
	r.ScheduleID = "q"
	rows := []duty.Occurrence{r}
	if n, err := f.store.UpsertOccurrences(context.Background(), rows); err != nil || n != 1 {
		t.Fatalf("store q/T1: %d %v", n, err)
	}
	qid := rows[0].ID

	code, body := f.get("/")
	if code != http.StatusOK {
		t.Fatalf("GET / = %d", code)
	}
	for _, want := range []string{`href="/cong-viec/p%2FT1?nam=2026"`, `href="/cong-viec/q%2FT1?nam=2026"`, `<span class="task-id">q/T1</span>`, `<option value="q/T1">`} {
		if !strings.Contains(body, want) {
			t.Errorf("board lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, `href="/cong-viec/T1?`) {
		t.Error("board links the shared id T1 bare")
	}
	code, body = f.get("/cong-viec/q%2FT1?nam=2026")
	if code != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`/nghia-vu/%d"`, qid)) ||
		strings.Contains(body, fmt.Sprintf(`/nghia-vu/%d"`, f.ids["ontime"])) {
		t.Errorf("task page q/T1 (%d) should list only q's duty", code)
	}
	code, body = f.get("/cong-viec/p%2FT1?nam=2026")
	if code != http.StatusOK || strings.Contains(body, fmt.Sprintf(`/nghia-vu/%d"`, qid)) ||
		!strings.Contains(body, fmt.Sprintf(`/nghia-vu/%d"`, f.ids["ontime"])) {
		t.Errorf("task page p/T1 (%d) should list only p's duties", code)
	}
	_, body = f.get("/?cong-viec=q%2FT1")
	if !strings.Contains(body, "Đang hiển thị 1 nghĩa vụ.") {
		t.Error("board filter cong-viec=q/T1 does not show exactly q's duty")
	}
	code, body = f.get(fmt.Sprintf("/nghia-vu/%d", qid))
	if code != http.StatusOK || !strings.Contains(body, "<h1>Nhiệm vụ q/T1, kỳ năm 2026</h1>") {
		t.Errorf("duty page of q/T1 (%d) does not name its plan: %s", code, regexp.MustCompile(`<h1>.*</h1>`).FindString(body))
	}
	if code, _ := f.get("/cong-viec/r%2FT1?nam=2026"); code != http.StatusNotFound {
		t.Errorf("unknown plan r/T1: %d, want 404", code)
	}
	// Sở Nội vụ's calendar names both T1 duties with their plans.
	f.rt.Links = testSigner(t, "k1", 1)
	_, feed := getFeed(t, f, feedPath(t, f, "snv"))
	if !strings.Contains(feed, "q/T1 — Kế hoạch giai đoạn của cơ quan") || !strings.Contains(feed, "p/T1 — Báo cáo công tác") {
		t.Errorf("calendar feed does not name T1 by plan:\n%s", feed)
	}
}
