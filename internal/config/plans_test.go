package config

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// secondPlan numbers its rows like the first: ids are unique per plan.
const secondPlan = `id: kh-cchc-2026
number: "01/KH-UBND"
issuer: "Ủy ban nhân dân tỉnh Khánh Hòa"
title: "Kế hoạch cải cách hành chính năm 2026"
issued: 2025-12-15
period: {from: 2025-12-15, until: 2026-12-31}
sections:
  - {id: "I", title: "MỤC I"}
tasks:
  - id: "I.1"
    section: "I"
    task: "Kế hoạch kiểm tra"
    time: "Quý I hàng năm"
    lead: [so-noi-vu]
`

func twoPlans(files map[string]string) {
	files["nhachan.yaml"] += "  - file: schedules/kh.yaml\n"
	files["schedules/kh.yaml"] = secondPlan
}

func TestTwoPlansShareTaskIDs(t *testing.T) {
	dir := writeFixture(t, twoPlans)
	cfg, diags := Load(filepath.Join(dir, "nhachan.yaml"))
	if diags.HasErrors() {
		t.Fatalf("two plans with the same task ids: %v", diags.Error())
	}
	if s := cfg.Schedules[1]; s.Number != "01/KH-UBND" || s.Issuer != "Ủy ban nhân dân tỉnh Khánh Hòa" {
		t.Errorf("plan header: number %q issuer %q", s.Number, s.Issuer)
	}
	p := cfg.Planner()
	if _, err := p.FindTask("I.1"); err == nil || !strings.Contains(err.Error(), "kh-cchc-2026/I.1, test-plan/I.1") {
		t.Errorf("bare I.1 in two plans: %v, want an ambiguity naming both", err)
	}
	for _, c := range []struct{ ref, plan string }{{"kh-cchc-2026/I.1", "kh-cchc-2026"}, {"test-plan/I.1", "test-plan"}, {"I.2", "test-plan"}} {
		tk, err := p.FindTask(c.ref)
		if err != nil || tk.Schedule.ID != c.plan {
			t.Errorf("FindTask(%q) = %v, %v; want plan %s", c.ref, tk, err, c.plan)
		}
	}
	if _, err := p.FindTask("kh-cchc-2026/I.2"); err == nil {
		t.Error("kh-cchc-2026/I.2 does not exist but was found")
	}
	if got := p.Ref("kh-cchc-2026", "I.1"); got != "kh-cchc-2026/I.1" {
		t.Errorf("Ref of a shared id = %q", got)
	}
	if got := p.Ref("test-plan", "I.2"); got != "I.2" {
		t.Errorf("Ref of a unique id = %q", got)
	}
	occ := p.Plan(schedule.NewDate(2026, 1, 1), schedule.NewDate(2026, 12, 31), model.Filter{Schedule: "kh-cchc-2026", Task: "I.1"})
	if len(occ) != 1 || occ[0].Task.Schedule.ID != "kh-cchc-2026" || occ[0].Due != schedule.NewDate(2026, 3, 31) {
		t.Errorf("plan of kh-cchc-2026/I.1 in 2026: %+v", occ)
	}
}

func TestDuplicatePlanIDAndTaskIDWithinPlan(t *testing.T) {
	for _, c := range []struct{ name, plan, want string }{
		{"same plan id twice", strings.Replace(secondPlan, "id: kh-cchc-2026", "id: test-plan", 1), `mã kế hoạch "test-plan" đã được dùng ở`},
		{"task id twice in one plan", secondPlan + "  - id: \"I.1\"\n    section: \"I\"\n    task: \"x\"\n    time: \"Quý I hàng năm\"\n    lead: [so-noi-vu]\n",
			`kh.yaml:15:9: mã nhiệm vụ "I.1" bị trùng trong kế hoạch kh-cchc-2026`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeFixture(t, func(files map[string]string) {
				twoPlans(files)
				files["schedules/kh.yaml"] = c.plan
			})
			_, diags := Load(filepath.Join(dir, "nhachan.yaml"))
			if msg := diags.Error(); !strings.Contains(msg, c.want) {
				t.Errorf("want %q, got:\n%s", c.want, msg)
			}
		})
	}
}
