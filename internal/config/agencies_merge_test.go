package config

import (
	"os"
	"strings"
	"testing"
)

func TestMergeAgenciesKeepsTheFile(t *testing.T) {
	src, err := os.ReadFile("../../config/agencies.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := MergeAgencies(src, nil, "x.csv")
	if err != nil || string(res.Data) != string(src) {
		t.Fatalf("merging nothing changed the file (%v)", err)
	}
	// An update rewrites only its own lines; an addition goes to the end.
	res, err = MergeAgencies(src, []AgencyRow{
		{Line: 2, ID: "so-tu-phap", Email: []string{"moi.stp@ninhthuan.example"}, HeadTitle: "Giám đốc Sở Tư pháp tỉnh Ninh Thuận"},
		{Line: 3, ID: "xa-moi", Name: "Ủy ban nhân dân xã Mới", Email: []string{"xa-moi@khanhhoa.example"},
			HeadEmail: "ct.xa-moi@khanhhoa.example", HeadTitle: "Chủ tịch UBND xã Mới", ValidFrom: "2025-07-01", Groups: []string{"kh-so-ban-nganh"}},
		{Line: 4, ID: "so-y-te", Name: "Sở Y tế tỉnh Ninh Thuận"}, // as it is: unchanged
	}, "xa.csv")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Added, ",") != "xa-moi" || strings.Join(res.Updated, ",") != "so-tu-phap" || strings.Join(res.Unchanged, ",") != "so-y-te" {
		t.Errorf("added %v updated %v unchanged %v", res.Added, res.Updated, res.Unchanged)
	}
	oldLines, newLines := strings.Split(string(src), "\n"), strings.Split(string(res.Data), "\n")
	var gone []string
	have := map[string]int{}
	for _, l := range newLines {
		have[l]++
	}
	for _, l := range oldLines {
		if have[l] == 0 {
			gone = append(gone, l)
		}
		have[l]--
	}
	if len(gone) != 2 || !strings.Contains(gone[0], "email: [") || !strings.Contains(gone[1], "head: {") {
		t.Errorf("lines replaced: %q, want the old email and head of so-tu-phap", gone)
	}
	for _, want := range []string{
		`    email: ["moi.stp@ninhthuan.example"]`,
		`    head: {title: "Giám đốc Sở Tư pháp tỉnh Ninh Thuận", email: "giamdoc.stp@ninhthuan.example"}`,
		"  # Nhập bằng nhachan import-agencies từ xa.csv.\n  - id: xa-moi\n    name: \"Ủy ban nhân dân xã Mới\"\n    groups: [kh-so-ban-nganh]\n",
	} {
		if !strings.Contains(string(res.Data), want) {
			t.Errorf("merged file lacks %q", want)
		}
	}
	if row, id := res.RowOf(res.lineOfID["xa-moi"] + 2); row != 3 || id != "xa-moi" {
		t.Errorf("RowOf a line of xa-moi = %d %q", row, id)
	}
	if row, _ := res.RowOf(res.lineOfID["so-noi-vu"] + 1); row != 0 {
		t.Errorf("RowOf a line of an untouched agency = %d", row)
	}
}
