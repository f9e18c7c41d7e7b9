package importer

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/ninhthuan/nhachan/internal/config"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

const (
	seedText     = "../../schedules/source/681-QD-UBND-2021-ninh-thuan.txt"
	seedSchedule = "../../schedules/681-QD-UBND-2021.yaml"
	shippedCfg   = "../../config/nhachan.yaml"
)

// yTask is a task as the tests compare it, read back from YAML.
type yTask struct {
	ID               string   `yaml:"id"`
	Section          string   `yaml:"section"`
	Task             string   `yaml:"task"`
	Product          string   `yaml:"product"`
	Time             string   `yaml:"time"`
	Rule             string   `yaml:"rule"`
	RuleSource       string   `yaml:"rule_source"`
	LeadText         string   `yaml:"lead_text"`
	Lead             []string `yaml:"lead"`
	CoordinatingText string   `yaml:"coordinating_text"`
	Coordinating     []string `yaml:"coordinating"`
	Note             string   `yaml:"note"`
	Review           []string `yaml:"review"`
}

type yFile struct {
	ID       string `yaml:"id"`
	Number   string `yaml:"number"`
	Issuer   string `yaml:"issuer"`
	Title    string `yaml:"title"`
	Decision string `yaml:"decision"`
	Issued   string `yaml:"issued"`
	Period   struct {
		From  string `yaml:"from"`
		Until string `yaml:"until"`
	} `yaml:"period"`
	Sections []struct {
		ID    string `yaml:"id"`
		Title string `yaml:"title"`
	} `yaml:"sections"`
	Tasks  []yTask  `yaml:"tasks"`
	Review []string `yaml:"review"`
}

func readYAML(t *testing.T, b []byte) yFile {
	t.Helper()
	var f yFile
	if err := yamlUnmarshal(b, &f); err != nil {
		t.Fatalf("draft is not YAML: %v", err)
	}
	return f
}

func shippedDirectory(t *testing.T) (*config.Config, *model.Directory) {
	t.Helper()
	cfg, diags := config.Load(shippedCfg)
	if diags.HasErrors() {
		t.Fatalf("shipped configuration: %v", diags.Error())
	}
	return cfg, cfg.Directory
}

func importFile(t *testing.T, path string, dir *model.Directory) *Draft {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Import(data, dir, Options{PlanID: "681-QD-UBND-2021", Source: filepath.Base(path), Today: schedule.NewDate(2024, 1, 1)})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return d
}

func equalIDs(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

func hasReview(t yTask, field string) bool {
	for _, r := range t.Review {
		if strings.HasPrefix(r, field+":") {
			return true
		}
	}
	return false
}

// TestRoundTripSeedText imports the seed decision as copied from the portal
// and compares every appendix row with the shipped schedule.
func TestRoundTripSeedText(t *testing.T) {
	_, dir := shippedDirectory(t)
	d := importFile(t, seedText, dir)
	draft := readYAML(t, d.YAML)
	shippedBytes, err := os.ReadFile(seedSchedule)
	if err != nil {
		t.Fatal(err)
	}
	shipped := readYAML(t, shippedBytes)

	if draft.Number != shipped.Number || draft.Issued != shipped.Issued || draft.Title != shipped.Title ||
		draft.Decision != shipped.Decision || draft.Issuer != shipped.Issuer || shipped.Number == "" ||
		draft.Period != shipped.Period {
		t.Errorf("header: number %q issued %q title %q decision %q issuer %q period %+v; shipped title %q decision %q period %+v",
			draft.Number, draft.Issued, draft.Title, draft.Decision, draft.Issuer, draft.Period, shipped.Title, shipped.Decision, shipped.Period)
	}
	if len(draft.Review) != 0 {
		t.Errorf("header needs review: %q", draft.Review)
	}
	var appendix []yTask
	for _, s := range shipped.Tasks {
		if s.Section != "MT" && s.Section != "TCTH" { // the body's tasks, not the appendix
			appendix = append(appendix, s)
		}
	}
	if len(draft.Tasks) != len(appendix) {
		t.Fatalf("draft has %d tasks, shipped appendix %d", len(draft.Tasks), len(appendix))
	}
	var wantSections []string
	for _, s := range shipped.Sections {
		if s.ID != "MT" && s.ID != "TCTH" {
			wantSections = append(wantSections, s.ID+" "+s.Title)
		}
	}
	var gotSections []string
	for _, s := range draft.Sections {
		gotSections = append(gotSections, s.ID+" "+s.Title)
	}
	if !equalIDs(gotSections, wantSections) {
		t.Errorf("sections\n got %q\nwant %q", gotSections, wantSections)
	}
	idsEqual := 0
	for i, want := range appendix {
		got := draft.Tasks[i]
		if got.ID != want.ID || got.Section != want.Section {
			t.Errorf("row %d: id %q section %q, want %q %q", i, got.ID, got.Section, want.ID, want.Section)
			continue
		}
		for _, f := range []struct{ name, got, want string }{
			{"task", got.Task, want.Task}, {"product", got.Product, want.Product}, {"time", got.Time, want.Time},
			{"lead_text", got.LeadText, want.LeadText}, {"coordinating_text", got.CoordinatingText, want.CoordinatingText},
			{"note", got.Note, want.Note},
		} {
			if f.got != f.want {
				t.Errorf("%s %s:\n got %q\nwant %q", want.ID, f.name, f.got, f.want)
			}
		}
		leadOK, coordOK := equalIDs(got.Lead, want.Lead), equalIDs(got.Coordinating, want.Coordinating)
		// None wrong: ids that differ from the shipped ones must be flagged.
		if !leadOK && !hasReview(got, "lead") {
			t.Errorf("%s: lead %v, shipped %v, and not flagged for review", want.ID, got.Lead, want.Lead)
		}
		if !coordOK && !hasReview(got, "coordinating") {
			t.Errorf("%s: coordinating %v, shipped %v, and not flagged for review", want.ID, got.Coordinating, want.Coordinating)
		}
		if leadOK && coordOK {
			idsEqual++
		}
		// Undated rows are flagged, never given a guessed date.
		if k := schedule.Parse(want.Time, schedule.Options{}).Kind; k == schedule.KindUnresolved && !hasReview(got, "time") {
			t.Errorf("%s: time %q is unresolved but not flagged", want.ID, want.Time)
		}
	}
	if rate := float64(idsEqual) / float64(len(appendix)); rate < 0.95 {
		t.Errorf("lead and coordinating ids equal for %d of %d rows (%.0f %%), want at least 95 %%", idsEqual, len(appendix), rate*100)
	}
	t.Logf("ids equal for %d of %d rows; %d review items; %d body candidates", idsEqual, len(appendix), len(d.Issues), d.Candidates)
	if d.Candidates == 0 || !strings.Contains(string(d.YAML), `#   time: "trước ngày 10/12 của năm trước liền kề năm kế hoạch"`) {
		t.Errorf("the body's deadline for every agency (trước ngày 10/12 của năm trước) is not listed as a candidate")
	}
}

var reviewBlockRE = regexp.MustCompile(`(?m)^( *)# CẦN XEM XÉT:.*\n *review:\n(?: +- .*\n)+`)

// resolveReview does what an admin does with the seed's draft: where the
// time was flagged and the shipped schedule gives a rule, copy that rule
// and its source; every other flag is accepted as it stands (the task
// stays unresolved, as in the shipped file); then delete the review keys.
func resolveReview(t *testing.T, draft []byte, shipped yFile) []byte {
	t.Helper()
	rules := map[string]yTask{}
	for _, s := range shipped.Tasks {
		if s.Rule != "" {
			rules[s.ID] = s
		}
	}
	out := string(draft)
	for id, s := range rules {
		anchor := "  - id: \"" + id + "\"\n"
		i := strings.Index(out, anchor)
		if i < 0 {
			continue
		}
		j := i + strings.Index(out[i:], "    time: ")
		k := j + strings.Index(out[j:], "\n") + 1
		out = out[:k] + "    rule: " + q(s.Rule) + "\n    rule_source: " + q(s.RuleSource) + "\n" + out[k:]
	}
	return []byte(reviewBlockRE.ReplaceAllString(out, ""))
}

// configWith writes a configuration that uses the shipped directory and
// holidays with the given schedule files.
func configWith(t *testing.T, schedules map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	abs, err := filepath.Abs("../../config")
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	sb.WriteString("timezone: Asia/Ho_Chi_Minh\ndirectory: " + abs + "/agencies.yaml\nholidays: " + abs + "/holidays\nschedules:\n")
	for name, b := range schedules {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		sb.WriteString("  - file: " + name + "\n")
	}
	main := filepath.Join(dir, "nhachan.yaml")
	if err := os.WriteFile(main, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return main
}

// TestDraftLoadsAfterReview checks that review markers stop the loader with
// file:line:col, and that the reviewed draft plans 2024 exactly as the
// shipped schedule does for the appendix's rows.
func TestDraftLoadsAfterReview(t *testing.T) {
	_, dir := shippedDirectory(t)
	d := importFile(t, seedText, dir)
	shippedBytes, err := os.ReadFile(seedSchedule)
	if err != nil {
		t.Fatal(err)
	}
	shipped := readYAML(t, shippedBytes)

	_, diags := config.Load(configWith(t, map[string][]byte{"draft.yaml": d.YAML}))
	if !diags.HasErrors() {
		t.Fatal("a draft with review markers loaded")
	}
	var lines []int
	for _, e := range diags.Errors() {
		if !strings.Contains(e.String(), "review:") {
			t.Errorf("unexpected error: %s", e)
		}
		lines = append(lines, e.Line)
	}
	var want []int
	for _, is := range d.Issues {
		if len(want) == 0 || want[len(want)-1] != is.Line-1 {
			want = append(want, is.Line-1) // the review: key above the first item
		}
	}
	if len(lines) != len(want) {
		t.Errorf("loader reported review markers at lines %v, draft has them at %v", lines, want)
	}

	reviewed := resolveReview(t, d.YAML, shipped)
	cfg, diags := config.Load(configWith(t, map[string][]byte{"draft.yaml": reviewed}))
	if diags.HasErrors() {
		t.Fatalf("reviewed draft: %v", diags.Error())
	}
	shippedCfg, _ := shippedDirectory(t)
	from, to := schedule.NewDate(2024, 1, 1), schedule.NewDate(2024, 12, 31)
	key := func(o model.Occurrence) string {
		a := ""
		if o.Assignee.Agency != nil {
			a = o.Assignee.Agency.ID
		}
		return o.Task.ID + "|" + o.Period + "|" + o.Due.String() + "|" + o.EffectiveDue.String() + "|" + a + "|" + o.Role.String()
	}
	var got, wantPlan []string
	for _, o := range cfg.Planner().Plan(from, to, model.Filter{}) {
		got = append(got, key(o))
	}
	for _, o := range shippedCfg.Planner().Plan(from, to, model.Filter{}) {
		if o.Task.Section != "MT" && o.Task.Section != "TCTH" {
			wantPlan = append(wantPlan, key(o))
		}
	}
	if len(got) == 0 || strings.Join(got, "\n") != strings.Join(wantPlan, "\n") {
		t.Errorf("plan 2024 differs: %d rows from the draft, %d from the shipped appendix", len(got), len(wantPlan))
	}
}

func TestNoAppendix(t *testing.T) {
	_, dir := shippedDirectory(t)
	text := "ỦY BAN NHÂN DÂN\nTỈNH NINH THUẬN\n|\nSố: 1/QĐ-UBND\n|\nQUYẾT ĐỊNH\nĐiều 1. Nội dung không có bảng.\n"
	if _, err := Import([]byte(text), dir, Options{PlanID: "x"}); !errors.Is(err, ErrNoTable) {
		t.Fatalf("Import of a decision without an appendix: %v, want ErrNoTable", err)
	}
}

func TestResolveAgencies(t *testing.T) {
	_, dir := shippedDirectory(t)
	nt := newResolver(dir, schedule.NewDate(2021, 10, 27))
	kh := newResolver(dir, schedule.NewDate(2026, 1, 15))
	for _, c := range []struct {
		name  string
		r     *resolver
		cell  string
		ids   string
		unres int
	}{
		{"full name", nt, "Sở Tư pháp tỉnh Ninh Thuận", "so-tu-phap", 0},
		{"abbreviation KH&ĐT", nt, "Sở KH&ĐT", "so-ke-hoach-dau-tu", 0},
		{"abbreviation TT&TT", nt, "Sở TT&TT; Sở LĐ-TB&XH", "so-thong-tin-truyen-thong,so-lao-dong-tbxh", 0},
		{"groups", nt, "Các Sở, ban, ngành, UBND các huyện, thành phố", "so-ban-nganh,ubnd-cap-huyen", 0},
		{"titles", nt, "Thủ trưởng các Sở, ban, ngành; Chủ tịch Ủy ban nhân dân các huyện, thành phố", "so-ban-nganh,ubnd-cap-huyen", 0},
		{"Các Sở: list", nt, "Các Sở: Nội vụ, Kế hoạch và Đầu tư, Tài chính", "so-noi-vu,so-ke-hoach-dau-tu,so-tai-chinh", 0},
		{"Khánh Hòa 2026", kh, "Sở Nội vụ", "kh-so-noi-vu", 0},
		{"Khánh Hòa group", kh, "Các Sở, ban, ngành", "kh-so-ban-nganh", 0},
		{"district ended", kh, "UBND các huyện, thành phố", "", 1},
		{"no commune group", kh, "UBND cấp xã", "", 1},
		{"not an agency", nt, "UBND tỉnh", "", 1},
		{"partly known", nt, "Sở Nội vụ, Công an tỉnh", "so-noi-vu", 1},
		{"no partial word", nt, "Sở Nội vụ trưởng", "so-noi-vu", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := c.r.resolve(c.cell)
			if strings.Join(res.ids, ",") != c.ids || len(res.unresolved) != c.unres {
				t.Errorf("resolve(%q) = %v, unresolved %q; want %q with %d unresolved", c.cell, res.ids, res.unresolved, c.ids, c.unres)
			}
		})
	}
}

func yamlUnmarshal(b []byte, v any) error { return yaml.Unmarshal(b, v) }

// Once the directory has the communes' group, the usual phrases name it.
func TestResolveCommuneGroup(t *testing.T) {
	xa := &model.Agency{ID: "ubnd-xa-a", Name: "Ủy ban nhân dân xã A", Groups: []string{"ubnd-cap-xa"},
		ValidFrom: schedule.NewDate(2025, 7, 1), ValidUntil: schedule.MaxDate}
	dir := model.NewDirectory([]*model.Agency{xa}, []*model.Group{{ID: "ubnd-cap-xa", Name: "UBND các xã, phường"}})
	r := newResolver(dir, schedule.NewDate(2026, 1, 15))
	for _, cell := range []string{"UBND cấp xã", "UBND các xã, phường, đặc khu", "Ủy ban nhân dân các xã, phường", "UBND xã A"} {
		res := r.resolve(cell)
		want := "ubnd-cap-xa"
		if cell == "UBND xã A" {
			want = "ubnd-xa-a"
		}
		if strings.Join(res.ids, ",") != want || len(res.unresolved) != 0 {
			t.Errorf("resolve(%q) = %v %q, want %s", cell, res.ids, res.unresolved, want)
		}
	}
	// Before the communes existed, the group names nobody: flagged.
	if res := newResolver(dir, schedule.NewDate(2024, 1, 1)).resolve("UBND cấp xã"); len(res.ids) != 0 || len(res.unresolved) != 1 {
		t.Errorf("a 2024 plan's UBND cấp xã = %v %q", res.ids, res.unresolved)
	}
}
