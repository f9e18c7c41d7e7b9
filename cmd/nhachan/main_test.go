package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// shippedConfig is the configuration the repository ships: every test that
// uses it keeps the shipped files from rotting.
const shippedConfig = "../../config/nhachan.yaml"

// demoConfig is the shipped demo (make run): the same plan carried into
// 2027, sent at any hour, every letter marked as a demonstration.
const demoConfig = "../../config/demo/nhachan.yaml"

// runCLI runs a command in-process at a fixed instant.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	now := func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, defaultLocation()) }
	code = run(env{stdout: &out, stderr: &errb, now: now}, args)
	return code, out.String(), errb.String()
}

func TestExplainJSONContract(t *testing.T) {
	cases := []struct {
		expr, year string
		kind       string
		due, eff   []string
	}{
		{"trước ngày 10/12 của năm trước", "2027", "annual", []string{"2026-12-10"}, []string{"2026-12-10"}},
		{"Quý I hàng năm", "2024", "annual", []string{"2024-03-31"}, []string{"2024-04-01"}},
		{"Quý IV/2021", "2030", "one-off", []string{"2021-12-31"}, []string{"2021-12-31"}},
		{"Thường xuyên trong năm", "2024", "continuous", []string{}, []string{}},
		{"Theo quy định của Bộ Nội vụ", "2024", "unresolved", []string{}, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			code, out, errs := runCLI(t, "explain", "--config", shippedConfig, "--year", tc.year, "--json", tc.expr)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var got struct {
				Expression   string   `json:"expression"`
				Kind         string   `json:"kind"`
				Due          []string `json:"due"`
				EffectiveDue []string `json:"effective_due"`
				Reason       *string  `json:"reason"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("bad JSON %v:\n%s", err, out)
			}
			if got.Expression != tc.expr || got.Kind != tc.kind || !equal(got.Due, tc.due) || !equal(got.EffectiveDue, tc.eff) || got.Reason == nil {
				t.Errorf("got %+v, want kind %s due %v eff %v", got, tc.kind, tc.due, tc.eff)
			}
			if got.Due == nil || got.EffectiveDue == nil {
				t.Errorf("due and effective_due must be arrays, never null:\n%s", out)
			}
		})
	}
}

// A report regime's two extra facts: the data cut-off of each period and the
// agencies' internal deadline before the province's (Nghị định 09/2019/NĐ-CP,
// Điều 12 and Điều 8 khoản 5).
func TestExplainCutoffAndTier(t *testing.T) {
	code, out, errs := runCLI(t, "explain", "--year", "2024", "--json", "--working-days-before", "3",
		"--data-cutoff", "Tính từ ngày 15 của tháng trước kỳ báo cáo đến ngày 14 của tháng cuối quý thuộc kỳ báo cáo",
		"chậm nhất ngày 20 của tháng cuối quý")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got explainJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("bad JSON %v:\n%s", err, out)
	}
	// 20/3/2024 is a Wednesday: three working days earlier is Friday 15/3.
	if !equal(got.Due, []string{"2024-03-20", "2024-06-20", "2024-09-20", "2024-12-20"}) || len(got.AgencyDue) != 4 || got.AgencyDue[0] != "2024-03-15" {
		t.Errorf("due %v, agency_due %v", got.Due, got.AgencyDue)
	}
	if len(got.DataCutoff) != 4 || got.DataCutoff[0] != (cutoffJSON{"2024-Q1", "2023-12-15", "2024-03-14"}) {
		t.Errorf("data_cutoff %+v", got.DataCutoff)
	}
	code, out, _ = runCLI(t, "explain", "--year", "2024", "--working-days-before", "3",
		"--data-cutoff", "từ ngày 15 tháng trước đến ngày 14 của tháng báo cáo", "trước ngày 20 hằng tháng")
	if code != 0 || !strings.Contains(out, "hạn của các cơ quan 17/01/2024 (Thứ Tư)") || !strings.Contains(out, "số liệu từ 15/12/2023 đến 14/01/2024") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if code, _, errs := runCLI(t, "explain", "--data-cutoff", "từ đầu quý", "Quý I hàng năm"); code != 2 || !strings.Contains(errs, "chốt số liệu") {
		t.Errorf("a bad cut-off: exit %d: %s", code, errs)
	}
}

func TestExplainFlagsAfterExpression(t *testing.T) {
	code, out, _ := runCLI(t, "explain", "Quý I hàng năm", "--year", "2027", "--json")
	if code != 0 || !strings.Contains(out, `"2027-03-31"`) {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestExplainWorksWithoutConfig(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errs := runCLI(t, "explain", "--year", "2026", "Quý I hàng năm")
	if code != 0 || !strings.Contains(out, "31/03/2026") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
}

func TestCalendarJSON(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errs := runCLI(t, "calendar", "--year", "2030", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Year int `json:"year"`
		Days []struct {
			Date    string `json:"date"`
			Name    string `json:"name"`
			Kind    string `json:"kind"`
			Pending bool   `json:"pending"`
		} `json:"days"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Year != 2030 || len(got.Days) == 0 {
		t.Fatalf("got %+v", got)
	}
	// Tết 2030 is 2 February in Vietnam (3 February in China).
	found := false
	for _, d := range got.Days {
		if d.Date == "2030-02-02" && d.Pending {
			found = true
		}
		// Mùng 1 falls on Saturday 2/2: made up on Wednesday 6/2 (Điều 111 k3).
		if d.Date == "2030-02-06" && d.Kind != "makeup" {
			t.Errorf("2030-02-06 should be the make-up day for mùng 1 Tết, got %+v", d)
		}
	}
	if !found {
		t.Errorf("2030-02-02 (mùng 1 Tết) missing or not pending: %+v", got.Days)
	}
}

func TestCheckShippedConfig(t *testing.T) {
	code, out, errs := runCLI(t, "check", "--config", shippedConfig)
	if code != 0 {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errs)
	}
	// Every task without a readable date is listed by id.
	for _, id := range []string{"I.6", "IV.5", "IV.6", "V.3", "VI.1", "VI.4", "VIII.1", "TCTH.1a.bao-cao"} {
		if !strings.Contains(out, "nhiệm vụ "+id+" chưa xác định được hạn") {
			t.Errorf("check does not list unresolved task %s:\n%s", id, out)
		}
	}
	if strings.Contains(out, "nhiệm vụ I.2 chưa xác định được hạn") {
		t.Errorf("I.2 has an admin rule and must not be unresolved")
	}
	if !strings.Contains(out, "Nhiệm vụ chưa xác định được hạn (8): ") {
		t.Errorf("unresolved list missing or wrong count:\n%s", out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, ": hợp lệ — 1 kế hoạch, ") || !strings.Contains(last, "8 chưa xác định được hạn") {
		t.Errorf("the last line is not the summary: %q", last)
	}
	// --quiet (what make run prints): the summary line alone.
	code, out, _ = runCLI(t, "check", "--quiet", "--config", shippedConfig)
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, ": hợp lệ — ") {
		t.Errorf("check --quiet: exit %d, want one summary line:\n%s", code, out)
	}
}

func TestCheckBrokenConfigExits2(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "nhachan.yaml")
	if err := os.WriteFile(p, []byte("directory: agencies.yaml\nschedules: []\nbogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, "check", "--config", p)
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(out, "nhachan.yaml:3:1: khóa \"bogus\" không có") {
		t.Errorf("no file:line:col error:\n%s", out)
	}
}

// TestPlanGolden pins the plan of 2024 on the shipped files. Regenerate with
// `go test ./cmd/nhachan -run TestPlanGolden -update` and review the diff.
func TestPlanGolden(t *testing.T) {
	code, out, errs := runCLI(t, "plan", "--config", shippedConfig, "--from", "2024-01-01", "--to", "2024-12-31", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	golden := filepath.Join("testdata", "plan-2024.golden.json")
	if *update {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("plan differs from %s; run with -update and review the diff", golden)
	}
}

func TestPlanUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"plan", "--from", "2024-01-01"},
		{"plan", "--from", "2024-02-30", "--to", "2024-12-31"},
		{"plan", "--from", "2024-12-31", "--to", "2024-01-01"},
		{"plan", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "xml"},
		{"plan", "--config", shippedConfig, "--from", "2024-01-01", "--to", "2024-12-31", "--agency", "so-khong-co"},
		{"plan", "--config", shippedConfig, "--from", "2024-01-01", "--to", "2024-12-31", "--task", "IX.9"},
		{"explain"},
		{"calendar"},
		{"nonsense"},
	} {
		if code, _, _ := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
