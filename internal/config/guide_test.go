package config

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The examples of config/HUONG-DAN.md work: its new plan, its new agency
// and its holiday file, put where the guide says, load with the shipped
// configuration.
func TestGuideExamplesLoad(t *testing.T) {
	b, err := os.ReadFile("../../config/HUONG-DAN.md")
	if err != nil {
		t.Fatal(err)
	}
	guide := string(b)
	if !strings.HasPrefix(guide, "# Hướng dẫn quản trị nhachan\n") {
		t.Error("the guide's heading changed")
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(guide, -1)
	find := func(marker string) string {
		for _, m := range blocks {
			if strings.Contains(m[1], marker) {
				return m[1]
			}
		}
		t.Fatalf("the guide has no YAML block with %q", marker)
		return ""
	}
	plan, agency, holidays := find("id: 123-QD-UBND-2026"), find("id: kh-trung-tam-phuc-vu-hcc"), find("year: 2027")

	dir := copyShipped(t)
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("schedules/123-QD-UBND-2026.yaml", plan)
	write("config/holidays/2027.yaml", holidays)
	ag, _ := os.ReadFile(filepath.Join(dir, "config/agencies.yaml"))
	write("config/agencies.yaml", strings.TrimRight(string(ag), "\n")+"\n\n"+agency)
	main, _ := os.ReadFile(filepath.Join(dir, "config/nhachan.yaml"))
	m := strings.Replace(string(main), "schedules:\n", "schedules:\n  - file: ../schedules/123-QD-UBND-2026.yaml\n", 1)
	write("config/nhachan.yaml", m)

	cfg, diags := Load(filepath.Join(dir, "config/nhachan.yaml"))
	if diags.HasErrors() {
		t.Fatalf("the guide's examples do not load:\n%s", diags.Text())
	}
	if _, ok := cfg.Directory.Agency("kh-trung-tam-phuc-vu-hcc"); !ok {
		t.Error("the new agency is not in the directory")
	}
	found := false
	for _, s := range cfg.Schedules {
		found = found || s.ID == "123-QD-UBND-2026" && len(s.Tasks) == 1
	}
	if !found {
		t.Error("the new plan is not loaded")
	}
}
