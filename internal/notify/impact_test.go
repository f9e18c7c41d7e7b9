package notify

import (
	"context"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// edited returns the harness's setup with one task changed by edit; the
// other tasks and the schedule are copies, so the running setup is intact.
func edited(h *harness, task string, edit func(*model.Task)) Setup {
	s := *h.setup.Load()
	old := s.Planner.Schedules[0]
	sc := *old
	sc.Tasks = nil
	for _, t := range old.Tasks {
		c := *t
		c.Schedule = &sc
		if c.ID == task {
			edit(&c)
			c.Parsed = schedule.Parse(c.Time, schedule.Options{})
		}
		sc.Tasks = append(sc.Tasks, &c)
	}
	s.Planner = &model.Planner{Directory: s.Planner.Directory, Calendar: s.Planner.Calendar, Schedules: []*model.Schedule{&sc}}
	return s
}

func sentAfter(h *harness, day, task, to string) int {
	n := 0
	for _, l := range h.log() {
		f := strings.SplitN(l, " ", 4) // date, to, kind, tasks
		if f[0] > day && f[1] == to && strings.Contains(", "+f[3]+",", " "+task+",") {
			n++
		}
	}
	return n
}

// A duty passed to another agency is one move: the old agency hears no
// more of it, the new one is reminded.
func TestImpactLeadChanged(t *testing.T) {
	h := newHarness(t)
	h.run("2027-06-01", "2027-06-10")
	s := edited(h, "T1", func(t *model.Task) { t.Lead = []string{"snv"} })
	today := d("2027-06-10")
	im, err := Compare(context.Background(), h.store, s, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Changes) != 1 {
		t.Fatalf("changes = %+v, want one move", im.Changes)
	}
	if c := im.Changes[0]; c.Kind != ChangeMove || c.TaskID != "T1" || c.OldAssignee != "a" || c.Assignee != "snv" || c.OccurrenceID == 0 {
		t.Errorf("change = %+v", c)
	}
	h.setup.Store(&s)
	h.run("2027-06-11", "2027-06-25")
	if n := sentAfter(h, "2027-06-10", "T1", "a@t.example"); n != 0 {
		t.Errorf("the old lead got %d more messages about T1:\n%s", n, strings.Join(h.log(), "\n"))
	}
	if n := sentAfter(h, "2027-06-10", "T1", "snv@t.example"); n == 0 {
		t.Errorf("the new lead was never reminded of T1:\n%s", strings.Join(h.log(), "\n"))
	}
	if im, _ := Compare(context.Background(), h.store, s, d("2027-06-25")); len(im.Changes) != 0 {
		t.Errorf("after the reload, changes = %+v", im.Changes)
	}
}

// A date moved beyond the window is a move too, stored at the reload:
// nothing is reminded for the old date.
func TestImpactDateMovedFar(t *testing.T) {
	h := newHarness(t)
	h.run("2027-06-01", "2027-06-10")
	s := edited(h, "T3", func(t *model.Task) { t.Time = "trước ngày 20/12 hằng năm" })
	im, err := Compare(context.Background(), h.store, s, d("2027-06-10"))
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Changes) != 1 || im.Changes[0].Kind != ChangeMove || im.Changes[0].NewDue != d("2027-12-20") {
		t.Fatalf("changes = %+v, want T3 moved to 20/12/2027", im.Changes)
	}
	h.setup.Store(&s)
	h.run("2027-06-11", "2027-06-25")
	if n := sentAfter(h, "2027-06-10", "T3", "a@t.example"); n != 0 {
		t.Errorf("T3 reminded %d times for its old date:\n%s", n, strings.Join(h.log(), "\n"))
	}
	rows, err := h.store.FindOccurrences(context.Background(), "T3", "a", "2027")
	if err != nil || len(rows) != 1 || rows[0].Due != d("2027-12-20") {
		t.Errorf("T3 2027 stored as %+v (%v)", rows, err)
	}
}
