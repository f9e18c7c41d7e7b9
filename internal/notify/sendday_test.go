package notify

import (
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// A soft duty (escalate: false) is reminded up to its due date and then
// left alone: no overdue notice, no report to the leadership.
func TestRemindOnlyDutyIsNeverEscalated(t *testing.T) {
	h := newHarness(t)
	s := testSetup(t)
	for _, tk := range s.Planner.Schedules[0].Tasks {
		tk.RemindOnly = tk.ID == "T1"
	}
	h.swap(s)
	h.run("2027-06-01", "2027-08-31")
	var t1, t3 []string
	for _, line := range h.log() {
		f := strings.Fields(line) // date, to, kind, tasks…
		tasks := " " + strings.Join(f[3:], " ") + " "
		if strings.Contains(tasks, " T1 ") || strings.Contains(tasks, " T1, ") {
			t1 = append(t1, line)
		}
		if strings.Contains(tasks, " T3 ") {
			t3 = append(t3, line)
		}
	}
	for _, line := range t1 {
		if !strings.Contains(line, " nhac ") && !strings.Contains(line, " theo ") || line[:10] > "2027-06-21" {
			t.Errorf("the soft duty T1 went on after its due date: %s", line)
		}
	}
	if len(t1) == 0 || !strings.Contains(strings.Join(t3, "\n"), " qua ") {
		t.Errorf("T1 reminded %d times; T3 (not soft) escalated: %v", len(t1), t3)
	}
}

// An agency that ends on 15/6 receives nothing after it; its successor,
// founded on 16/6, receives nothing before it: each reminder of a duty due
// on 20/6 goes to whoever answers for it on its send day.
func TestRecipientsOnTheSendDay(t *testing.T) {
	h := newHarness(t)
	s := testSetup(t)
	a, _ := s.Planner.Directory.Agency("a")
	old := *a
	old.ValidUntil, old.Successors = d("2027-06-15"), []string{"b"}
	b := agency("b")
	b.ValidFrom = d("2027-06-16")
	snv, _ := s.Planner.Directory.Agency("snv")
	vp, _ := s.Planner.Directory.Agency("vp")
	s.Planner = &model.Planner{Directory: model.NewDirectory([]*model.Agency{snv, &old, vp, b}, nil),
		Calendar: s.Planner.Calendar, Schedules: s.Planner.Schedules}
	h.swap(s)
	h.run("2027-06-01", "2027-06-30")
	seenA, seenB := false, false
	for _, line := range h.log() {
		day, _ := schedule.ParseDate(line[:10])
		to := strings.Fields(line)[1]
		switch {
		case strings.HasSuffix(to, "-a@t.example") || to == "a@t.example":
			seenA = true
			if day > d("2027-06-15") {
				t.Errorf("the ended agency got mail after its end: %s", line)
			}
		case strings.HasSuffix(to, "-b@t.example") || to == "b@t.example":
			seenB = true
			if day < d("2027-06-16") {
				t.Errorf("the successor got mail before it existed: %s", line)
			}
		}
	}
	if !seenA || !seenB {
		t.Errorf("a got mail: %v, b got mail: %v:\n%s", seenA, seenB, strings.Join(h.log(), "\n"))
	}
}
