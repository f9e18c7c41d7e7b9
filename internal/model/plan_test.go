package model

import (
	"testing"

	"github.com/ninhthuan/nhachan/internal/calendar"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

func d(s string) schedule.Date {
	v, err := schedule.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// testDirectory mirrors the 2025 reorganisation in miniature.
func testDirectory() *Directory {
	alive := func(id string, groups ...string) *Agency {
		return &Agency{ID: id, Name: id, Groups: groups, Email: []string{id + "@t.example"},
			ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate}
	}
	khdt := alive("khdt", "sbn")
	khdt.ValidUntil, khdt.Successors = d("2025-02-28"), []string{"tc"}
	tc := alive("tc", "sbn")
	tc.ValidUntil, tc.Successors = d("2025-06-30"), []string{"kh-tc"}
	khTC := alive("kh-tc")
	khTC.ValidFrom = d("2025-07-01")
	huyen := alive("huyen-a", "huyen")
	huyen.ValidUntil = d("2025-06-30")
	moi := alive("moi", "sbn") // founded in 2025
	moi.ValidFrom = d("2025-03-01")
	return NewDirectory([]*Agency{khdt, tc, khTC, huyen, moi}, []*Group{{ID: "sbn"}, {ID: "huyen"}})
}

func TestResolveRoutesThroughSuccessors(t *testing.T) {
	dir := testDirectory()
	cases := []struct {
		ids  []string
		on   string
		want []string // answering ids; "?x" = unassigned, named x
	}{
		{[]string{"khdt"}, "2024-12-31", []string{"khdt"}},
		{[]string{"khdt"}, "2025-02-28", []string{"khdt"}},
		{[]string{"khdt"}, "2025-03-01", []string{"tc"}},
		{[]string{"khdt"}, "2025-12-31", []string{"kh-tc"}},
		// Merged agencies collapse into one duty for their successor.
		{[]string{"sbn"}, "2024-06-30", []string{"khdt", "tc"}},
		{[]string{"sbn"}, "2025-03-31", []string{"tc", "moi"}},
		{[]string{"sbn"}, "2025-12-31", []string{"kh-tc", "moi"}},
		// A group member not yet founded was not a member then.
		{[]string{"sbn"}, "2025-02-01", []string{"khdt", "tc"}},
		// An ended agency without successor is unassigned, never dropped.
		{[]string{"huyen"}, "2025-12-31", []string{"?huyen-a"}},
		{[]string{"huyen", "khdt"}, "2025-07-01", []string{"?huyen-a", "kh-tc"}},
		// Named explicitly before it existed: unassigned with a reason.
		{[]string{"moi"}, "2024-01-01", []string{"?moi"}},
	}
	for _, tc := range cases {
		t.Run(tc.on, func(t *testing.T) {
			got := dir.Resolve(tc.ids, d(tc.on))
			var ids []string
			for _, a := range got {
				if a.Unassigned() {
					ids = append(ids, "?"+a.Named.ID)
					if dir.WhyUnassigned(a.Named, d(tc.on)) == "" {
						t.Errorf("unassigned %s has no reason", a.Named.ID)
					}
					continue
				}
				ids = append(ids, a.Agency.ID)
			}
			if len(ids) != len(tc.want) {
				t.Fatalf("Resolve(%v, %s) = %v, want %v", tc.ids, tc.on, ids, tc.want)
			}
			for i := range ids {
				if ids[i] != tc.want[i] {
					t.Fatalf("Resolve(%v, %s) = %v, want %v", tc.ids, tc.on, ids, tc.want)
				}
			}
		})
	}
}

func testPlanner(t *testing.T, tasks ...*Task) *Planner {
	t.Helper()
	cal, err := calendar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &Schedule{ID: "p", From: d("2021-10-27"), Until: d("2025-12-31"), CarryUntil: d("2025-12-31")}
	for _, tk := range tasks {
		tk.Schedule = s
		tk.Parsed = schedule.Parse(tk.Expression(), schedule.Options{})
		s.Tasks = append(s.Tasks, tk)
	}
	return &Planner{Directory: testDirectory(), Calendar: cal, Schedules: []*Schedule{s}}
}

func TestPlanPeriodAndRoles(t *testing.T) {
	p := testPlanner(t,
		&Task{ID: "A", Time: "Quý I hàng năm", Lead: []string{"khdt"}, Coordinating: []string{"sbn"}},
		&Task{ID: "B", Time: "trước ngày 10/12 của năm trước", Lead: []string{"tc"}},
		&Task{ID: "C", Time: "Thường xuyên trong năm", Lead: []string{"tc"}},
	)
	occ := p.Plan(d("2021-01-01"), d("2026-12-31"), Filter{Task: "B"})
	// Plan years 2022–2025 are in the plan; 2021's plan was due before the
	// decision, 2026's belongs to the next plan.
	var dues []string
	for _, o := range occ {
		dues = append(dues, o.Period+"@"+o.Due.String())
	}
	want := []string{"2022@2021-12-10", "2023@2022-12-10", "2024@2023-12-10", "2025@2024-12-10"}
	if len(dues) != len(want) {
		t.Fatalf("B occurrences = %v, want %v", dues, want)
	}
	for i := range want {
		if dues[i] != want[i] {
			t.Fatalf("B occurrences = %v, want %v", dues, want)
		}
	}
	occ = p.Plan(d("2024-01-01"), d("2024-12-31"), Filter{Task: "A"})
	// khdt leads; of the coordinating group only tc remains: a lead is not
	// also its own coordinator.
	if len(occ) != 2 || occ[0].Role != RoleLead || occ[0].Assignee.Agency.ID != "khdt" ||
		occ[1].Role != RoleCoordinating || occ[1].Assignee.Agency.ID != "tc" {
		t.Fatalf("A 2024: %+v", occ)
	}
	// 31/3/2024 is a Sunday: effective 1/4/2024 (Điều 148 k5).
	if occ[0].Due != d("2024-03-31") || occ[0].EffectiveDue != d("2024-04-01") {
		t.Errorf("A 2024 due %s eff %s", occ[0].Due, occ[0].EffectiveDue)
	}
	if n := len(p.Plan(d("2021-01-01"), d("2030-12-31"), Filter{Task: "C"})); n != 0 {
		t.Errorf("continuous task planned %d occurrences", n)
	}
	if n := len(p.Plan(d("2024-01-01"), d("2024-12-31"), Filter{Task: "A", LeadOnly: true})); n != 1 {
		t.Errorf("lead-only: %d rows", n)
	}
}

func TestPlanCarryForward(t *testing.T) {
	p := testPlanner(t, &Task{ID: "A", Time: "Quý I hàng năm", Lead: []string{"khdt"}})
	if n := len(p.Plan(d("2026-01-01"), d("2026-12-31"), Filter{})); n != 0 {
		t.Fatalf("2026 planned %d occurrences past the plan's end", n)
	}
	p.Schedules[0].CarryUntil = d("2027-12-31")
	occ := p.Plan(d("2026-01-01"), d("2026-12-31"), Filter{})
	if len(occ) != 1 || occ[0].Assignee.Agency.ID != "kh-tc" {
		t.Fatalf("carried 2026: %+v", occ)
	}
	if n := len(p.Plan(d("2026-01-01"), d("2026-12-31"), Filter{Agency: "khdt"})); n != 1 {
		t.Errorf("filter by the named agency: %d rows", n)
	}
}

func TestPlanWorkingDaysBefore(t *testing.T) {
	p := testPlanner(t, &Task{ID: "A", Time: "trước ngày 20/6 hằng năm", Lead: []string{"khdt"}, WorkingDaysBefore: 3})
	occ := p.Plan(d("2024-01-01"), d("2024-12-31"), Filter{})
	// 20/6/2024 is a Thursday; three working days earlier is Monday 17/6.
	if len(occ) != 1 || occ[0].Due != d("2024-06-17") {
		t.Fatalf("got %+v", occ)
	}
	// Both dates: the agency's and the province's.
	if got := occ[0].RuleDue(); got != d("2024-06-20") {
		t.Errorf("RuleDue = %s, want 2024-06-20", got)
	}
	q := testPlanner(t, &Task{ID: "B", Time: "trước ngày 20/6 hằng năm", Lead: []string{"khdt"}})
	if o := q.Plan(d("2024-01-01"), d("2024-12-31"), Filter{}); len(o) != 1 || o[0].RuleDue() != o[0].Due {
		t.Errorf("without a tier, RuleDue is Due: %+v", o)
	}
}

func TestResolveLargeGroupDeduplicates(t *testing.T) {
	var agencies []*Agency
	for i := 0; i < 200; i++ {
		id := "a" + string(rune('A'+i/26)) + string(rune('a'+i%26))
		agencies = append(agencies, &Agency{ID: id, Name: id, Groups: []string{"g", "h"},
			ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate})
	}
	dir := NewDirectory(agencies, []*Group{{ID: "g"}, {ID: "h"}})
	// Two groups with the same 200 members, and one member named again.
	got := dir.Resolve([]string{"g", agencies[150].ID, "h"}, d("2027-01-01"))
	if len(got) != 200 {
		t.Fatalf("Resolve gave %d assignees, want 200 distinct", len(got))
	}
	for i, a := range got {
		if a.Agency != agencies[i] {
			t.Fatalf("assignee %d is %s, want %s (directory order)", i, a.Agency.ID, agencies[i].ID)
		}
	}
}

func TestPlannerTaskAndDirectoryByEmail(t *testing.T) {
	p := testPlanner(t, &Task{ID: "A", Time: "Quý I hàng năm", Lead: []string{"khdt"}})
	if tk := p.Task("p", "A"); tk == nil || tk.ID != "A" {
		t.Fatalf("Task(p, A) = %v", tk)
	}
	if p.Task("p", "B") != nil || p.Task("q", "A") != nil {
		t.Error("Task found a task that is not there")
	}
	dir := testDirectory()
	if a := dir.ByEmail("KHDT@t.example"); a == nil || a.ID != "khdt" {
		t.Errorf("ByEmail is not case-insensitive: %v", a)
	}
	if dir.ByEmail("nobody@t.example") != nil {
		t.Error("ByEmail found an unknown address")
	}
}

func TestTaskQuotaAndLabels(t *testing.T) {
	for _, tc := range []struct {
		time, title string
		quota       int
		unit, label string
	}{
		{"ít nhất 03 cuộc/năm", "Kiểm tra đột xuất", 3, "cuộc", "Kiểm tra đột xuất"},
		{"Quý I hàng năm", "", 0, "lần", "X.1"},
	} {
		tk := &Task{ID: "X.1", Title: tc.title, Time: tc.time, Parsed: schedule.Parse(tc.time, schedule.Options{})}
		if tk.Quota() != tc.quota || tk.QuotaUnit() != tc.unit || tk.Label() != tc.label {
			t.Errorf("%q: quota %d %q, label %q", tc.time, tk.Quota(), tk.QuotaUnit(), tk.Label())
		}
	}
}
