package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// A small, valid configuration that each mistake below breaks in one place.
var fixture = map[string]string{
	"nhachan.yaml": `timezone: Asia/Ho_Chi_Minh
directory: agencies.yaml
holidays: holidays
schedules:
  - file: schedules/plan.yaml
`,
	"agencies.yaml": `groups:
  - id: so-ban-nganh
    name: "Các Sở, ban, ngành"
agencies:
  - id: so-noi-vu
    name: "Sở Nội vụ"
    groups: [so-ban-nganh]
    email: ["snv@tinh.example"]
    head: {title: "Giám đốc", email: "gd.snv@tinh.example"}
  - id: so-tu-phap
    name: "Sở Tư pháp"
    groups: [so-ban-nganh]
    email: ["stp@tinh.example"]
    head: {title: "Giám đốc", email: "gd.stp@tinh.example"}
    valid_until: 2025-06-30
    successors: [so-noi-vu]
`,
	"holidays/2024.yaml": `year: 2024
source: "test"
confirmed: true
days:
  - {date: 2024-01-01, name: "Tết Dương lịch", kind: holiday}
workdays:
  - {date: 2024-05-04, name: "Làm bù"}
`,
	"schedules/plan.yaml": `id: test-plan
title: "Kế hoạch thử"
issued: 2021-10-27
period: {from: 2021-10-27, until: 2025-12-31}
follow_up: so-noi-vu
sections:
  - {id: "I", title: "MỤC I"}
tasks:
  - id: "I.1"
    section: "I"
    task: "Kế hoạch hàng năm"
    time: "Trước 31/12 hàng năm"
    lead: [so-noi-vu]
    coordinating: [so-ban-nganh]
  - id: "I.2"
    section: "I"
    task: "Báo cáo định kỳ"
    time: "Theo quy định của Bộ Nội vụ"
    rule: "chậm nhất vào ngày 20 tháng cuối quý"
    rule_source: "Công văn 581/BNV-CCHC"
    lead: [so-tu-phap]
`,
}

func writeFixture(t *testing.T, mutate func(files map[string]string)) string {
	t.Helper()
	files := map[string]string{}
	for k, v := range fixture {
		files[k] = v
	}
	if mutate != nil {
		mutate(files)
	}
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFixtureLoads(t *testing.T) {
	dir := writeFixture(t, nil)
	cfg, diags := Load(filepath.Join(dir, "nhachan.yaml"))
	if diags.HasErrors() {
		t.Fatalf("fixture has errors:\n%v", diags.Error())
	}
	if n := len(cfg.Schedules[0].Tasks); n != 2 {
		t.Fatalf("tasks = %d", n)
	}
}

// The directory, the holidays folder and the schedule files may be given
// by absolute paths (a deployment keeps them under /etc/nhachan): they are
// read as they are, not below the configuration's folder.
func TestAbsolutePathsInTheMainFile(t *testing.T) {
	shared := writeFixture(t, nil)
	main := writeFixture(t, func(files map[string]string) {
		files["nhachan.yaml"] = "timezone: Asia/Ho_Chi_Minh\n" +
			"directory: " + filepath.Join(shared, "agencies.yaml") + "\n" +
			"holidays: " + filepath.Join(shared, "holidays") + "\n" +
			"schedules:\n  - file: " + filepath.Join(shared, "schedules", "plan.yaml") + "\n"
		delete(files, "agencies.yaml")
		delete(files, "holidays/2024.yaml")
		delete(files, "schedules/plan.yaml")
	})
	cfg, diags := Load(filepath.Join(main, "nhachan.yaml"))
	if diags.HasErrors() {
		t.Fatalf("absolute paths: %v", diags.Error())
	}
	if n := len(cfg.Schedules[0].Tasks); n != 2 {
		t.Fatalf("tasks = %d", n)
	}
	for _, f := range []string{filepath.Join(shared, "agencies.yaml"), filepath.Join(shared, "holidays")} {
		found := false
		for _, g := range cfg.Files {
			found = found || g == f
		}
		if !found {
			t.Errorf("%s is not among the watched files %v", f, cfg.Files)
		}
	}
}

// posOf returns line:col of the first occurrence of sub in s.
func posOf(t *testing.T, s, sub string) string {
	t.Helper()
	i := strings.Index(s, sub)
	if i < 0 {
		t.Fatalf("marker %q not in file", sub)
	}
	line := strings.Count(s[:i], "\n") + 1
	col := len([]rune(s[strings.LastIndex(s[:i], "\n")+1:i])) + 1
	return itoa(line) + ":" + itoa(col)
}

func TestMistakesAreReportedAtFileLineCol(t *testing.T) {
	type mistake struct {
		name string
		file string // the file mutated and blamed
		old  string // replaced once by new
		new  string
		at   string // the blamed spot: first occurrence of this text after the change
		want string // part of the message
	}
	const plan, agencies, main, hol = "schedules/plan.yaml", "agencies.yaml", "nhachan.yaml", "holidays/2024.yaml"
	cases := []mistake{
		{"unknown key", plan, `    time: "Trước 31/12 hàng năm"`, "    time: \"Trước 31/12 hàng năm\"\n    lead_agency: [so-noi-vu]", "lead_agency", `khóa "lead_agency" không có`},
		{"wrong type", plan, `    lead: [so-tu-phap]`, "    lead: [so-tu-phap]\n    working_days_before: năm-ngày", "năm-ngày", "cần một số nguyên"},
		{"wrong type list", plan, `    lead: [so-noi-vu]`, `    lead: so-noi-vu`, "so-noi-vu\n    coordinating", "cần một danh sách"},
		{"duplicate task id", plan, `  - id: "I.2"`, `  - id: "I.1"`, `"I.1"
    section: "I"
    task: "Báo`, `mã nhiệm vụ "I.1" bị trùng`},
		{"unknown agency", plan, `    lead: [so-tu-phap]`, `    lead: [so-tai-chinh]`, "[so-tai-chinh]", `"so-tai-chinh", không có cơ quan hay nhóm`},
		{"bad date", plan, `period: {from: 2021-10-27`, `period: {from: 2021-13-27`, "2021-13-27", `ngày "2021-13-27" không có trên lịch`},
		{"bad expression override", plan, `    rule: "chậm nhất vào ngày 20 tháng cuối quý"`, `    rule: "theo yêu cầu của lãnh đạo"`, `"theo yêu cầu của lãnh đạo"`, "không cho ra hạn nào"},
		{"rule without source", plan, "    rule_source: \"Công văn 581/BNV-CCHC\"\n", "", `"chậm nhất`, "có rule thì phải có rule_source"},
		{"BOM", plan, `id: test-plan`, "\uFEFFid: test-plan", "\uFEFF", "BOM"},
		{"tab indentation", plan, `    section: "I"
    task: "Kế hoạch hàng năm"`, "    section: \"I\"\n\ttask: \"Kế hoạch hàng năm\"", "\ttask", "ký tự tab"},
		{"duplicate key", plan, `    task: "Báo cáo định kỳ"`, "    task: \"Báo cáo định kỳ\"\n    task: \"Lặp\"", `task: "Lặp"`, `khóa "task" bị lặp lại`},
		{"missing required key", plan, "    time: \"Trước 31/12 hàng năm\"\n", "", `id: "I.1"`, `thiếu khóa bắt buộc "time"`},
		{"unknown section", plan, `    section: "I"
    task: "Báo`, `    section: "IX"
    task: "Báo`, `"IX"`, `không có mục "IX"`},
		{"invalid YAML", plan, `title: "Kế hoạch thử"`, `title: "Kế hoạch thử`, `"Kế hoạch thử`, "YAML không hợp lệ: giá trị mở bằng dấu ngoặc kép"},
		{"invalid email", agencies, `email: ["stp@tinh.example"]`, `email: ["stp at tinh.example"]`, `["stp at`, "không phải một địa chỉ thư điện tử đơn thuần"},
		{"header injection in email", agencies, `email: "gd.stp@tinh.example"`, `email: "gd.stp@tinh.example\r\nBcc: x@evil.example"`, `"gd.stp@tinh.example\r`, "không phải một địa chỉ thư điện tử đơn thuần"},
		{"unknown successor", agencies, `successors: [so-noi-vu]`, `successors: [so-tai-chinh]`, "[so-tai-chinh]", `không có cơ quan kế thừa "so-tai-chinh"`},
		{"successor cycle", agencies, "    head: {title: \"Giám đốc\", email: \"gd.snv@tinh.example\"}\n", "    head: {title: \"Giám đốc\", email: \"gd.snv@tinh.example\"}\n    valid_until: 2025-06-30\n    successors: [so-tu-phap]\n", "[so-tu-phap]", "quay vòng"},
		{"duplicate agency id", agencies, `  - id: so-tu-phap`, `  - id: so-noi-vu`, "so-noi-vu\n    name: \"Sở Tư", `mã "so-noi-vu" bị trùng`},
		{"bad agency id", agencies, `  - id: so-tu-phap`, `  - id: Sở-Tư-pháp`, "Sở-Tư-pháp", "chữ thường không dấu"},
		{"life ends before it starts", agencies, `    valid_until: 2025-06-30`, "    valid_from: 2026-01-01\n    valid_until: 2025-06-30", "2025-06-30", "trước valid_from"},
		{"unknown group", agencies, `    groups: [so-ban-nganh]
    email: ["stp`, `    groups: [so-ban-ngành]
    email: ["stp`, "[so-ban-ngành]", `không có nhóm "so-ban-ngành"; có phải là "so-ban-nganh"?`},
		{"holiday outside its year", hol, `date: 2024-01-01`, `date: 2023-01-01`, "2023-01-01", "không thuộc năm 2024"},
		{"swap workday on a weekday", hol, `date: 2024-05-04`, `date: 2024-05-06`, "2024-05-06", "chỉ thứ Bảy hoặc Chủ nhật"},
		{"holiday kind unknown", hol, `kind: holiday`, `kind: festival`, "festival", `không có loại "festival"`},
		{"holiday year does not match file", hol, `year: 2024`, `year: 2025`, "2025", "không khớp với tên tệp"},
		{"unknown timezone", main, `timezone: Asia/Ho_Chi_Minh`, `timezone: Asia/Saigon_City`, "Asia/Saigon_City", "không có múi giờ"},
		{"missing schedule file", main, `file: schedules/plan.yaml`, `file: schedules/plan2.yaml`, "schedules/plan2.yaml", "không đọc được"},
		{"invalid UTF-8", plan, `title: "Kế hoạch thử"`, "title: \"K\xff hoạch\"", "\xff", "không phải văn bản UTF-8"},
		{"data_cutoff unreadable", plan, "    rule_source: \"Công văn 581/BNV-CCHC\"\n", "    rule_source: \"Công văn 581/BNV-CCHC\"\n    data_cutoff: \"từ đầu quý\"\n", `"từ đầu quý"`, "data_cutoff: Thời gian chốt số liệu"},
		{"data_cutoff of another cycle", plan, "    rule_source: \"Công văn 581/BNV-CCHC\"\n", "    rule_source: \"Công văn 581/BNV-CCHC\"\n    data_cutoff: \"từ ngày 15 tháng trước đến ngày 14 của tháng báo cáo\"\n", `"từ ngày 15 tháng trước`, "không cho ra khoảng chốt số liệu của kỳ 2027-Q1"},
		{"data_cutoff after the deadline", plan, "    rule_source: \"Công văn 581/BNV-CCHC\"\n", "    rule_source: \"Công văn 581/BNV-CCHC\"\n    data_cutoff: \"từ ngày 21 của tháng trước kỳ báo cáo đến ngày 20 của tháng cuối quý\"\n", `"từ ngày 21`, "không trước hạn"},
		{"data_cutoff on an undated task", plan, "    time: \"Theo quy định của Bộ Nội vụ\"\n    rule: \"chậm nhất vào ngày 20 tháng cuối quý\"\n    rule_source: \"Công văn 581/BNV-CCHC\"\n", "    time: \"Theo quy định của Bộ Nội vụ\"\n    data_cutoff: \"từ ngày 15 tháng trước đến ngày 14 của tháng báo cáo\"\n", `"từ ngày 15`, "chỉ dùng cho nhiệm vụ có hạn"},
		{"wrong type bool", plan, `follow_up: so-noi-vu`, "follow_up: so-noi-vu\nstrict_before: có", "có", "cần true hoặc false"},
		{"title on two lines", plan, `    task: "Báo cáo định kỳ"`, "    task: \"Báo cáo định kỳ\"\n    title: \"Báo cáo\\nđịnh kỳ\"", `"Báo cáo\n`, "title chỉ viết trên một dòng"},
		{"escalate not a bool", plan, `    task: "Báo cáo định kỳ"`, "    task: \"Báo cáo định kỳ\"\n    escalate: không", "không", "cần true hoặc false"},
		{"leader with a bad address", main, "schedules:\n", "recipients:\n  follow_up_leadership:\n    - {addr: \"ld at tinh.example\", valid_until: 2025-06-30}\nschedules:\n", `"ld at`, "không phải một địa chỉ thư điện tử đơn thuần"},
		{"leader period backwards", main, "schedules:\n", "recipients:\n  provincial_leadership:\n    - {addr: ld@tinh.example, valid_from: 2025-07-01, valid_until: 2025-06-30}\nschedules:\n", "2025-06-30}", "trước valid_from"},
		{"leader unknown key", main, "schedules:\n", "recipients:\n  provincial_leadership:\n    - {addr: ld@tinh.example, until: 2025-06-30}\nschedules:\n", "until:", `khóa "until" không có`},
		{"reply_to without phone", main, "schedules:\n", "mail:\n  reply_to:\n    - {desk: \"Phòng CCHC\", addr: cchc@tinh.example, address: \"Số 1\"}\nschedules:\n", "{desk", `thiếu khóa bắt buộc "phone"`},
		{"reply_to desks overlap", main, "schedules:\n", "mail:\n  reply_to:\n    - {desk: \"A\", addr: a@tinh.example, phone: \"1\", address: \"x\", valid_until: 2025-06-30}\n    - {desk: \"B\", addr: b@tinh.example, phone: \"2\", address: \"y\", valid_from: 2025-06-01}\nschedules:\n", `{desk: "B"`, "trùng với một đầu mối"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body string
			dir := writeFixture(t, func(files map[string]string) {
				if !strings.Contains(files[tc.file], tc.old) {
					t.Fatalf("fixture %s lacks %q", tc.file, tc.old)
				}
				files[tc.file] = strings.Replace(files[tc.file], tc.old, tc.new, 1)
				body = files[tc.file]
			})
			cfg, diags := Load(filepath.Join(dir, "nhachan.yaml"))
			if cfg != nil || !diags.HasErrors() {
				t.Fatalf("loaded without error; diagnostics: %v", diags)
			}
			prefix := filepath.Join(dir, tc.file) + ":"
			if tc.at != "" {
				prefix += posOf(t, body, tc.at) + ":"
			}
			for _, d := range diags.Errors() {
				s := d.String()
				// Load displays paths relative to the working directory when it can.
				if rel, err := filepath.Rel(mustGetwd(t), filepath.Join(dir, tc.file)); err == nil && !strings.HasPrefix(rel, "..") {
					s = strings.Replace(s, rel, filepath.Join(dir, tc.file), 1)
				}
				if strings.HasPrefix(s, prefix) && strings.Contains(s, tc.want) {
					return
				}
			}
			t.Errorf("want an error at %s…%q; got:\n%s", prefix, tc.want, diags.Error())
		})
	}
}

// A report regime's data cut-off and tiered deadline (Nghị định 09/2019/NĐ-CP,
// Điều 12 and Điều 8 khoản 5) are read into the task: the window of each
// period and the province's date beside the agency's earlier one.
func TestDataCutoffAndTier(t *testing.T) {
	dir := writeFixture(t, func(files map[string]string) {
		files["schedules/plan.yaml"] = strings.Replace(files["schedules/plan.yaml"], "    rule_source: \"Công văn 581/BNV-CCHC\"\n",
			"    rule_source: \"Công văn 581/BNV-CCHC\"\n"+
				"    data_cutoff: \"Tính từ ngày 15 của tháng trước kỳ báo cáo đến ngày 14 của tháng cuối quý thuộc kỳ báo cáo\"\n"+
				"    working_days_before: 3\n", 1)
	})
	cfg, diags := Load(filepath.Join(dir, "nhachan.yaml"))
	if diags.HasErrors() {
		t.Fatalf("%v", diags.Error())
	}
	task := cfg.Schedules[0].Tasks[1]
	if task.DataCutoff == "" || task.Cutoff.IsZero() {
		t.Fatalf("data_cutoff not kept: %+v", task)
	}
	for _, tc := range []struct{ period, from, to, rule string }{
		{"2024-Q1", "2023-12-15", "2024-03-14", "2024-03-20"},
		{"2025-Q4", "2025-09-15", "2025-12-14", "2025-12-20"},
	} {
		from, to, ok := task.CutoffWindow(tc.period)
		if !ok || from.String() != tc.from || to.String() != tc.to {
			t.Errorf("CutoffWindow(%s) = %s–%s %v, want %s–%s", tc.period, from, to, ok, tc.from, tc.to)
		}
		if d, ok := task.RuleDue(tc.period); !ok || d.String() != tc.rule {
			t.Errorf("RuleDue(%s) = %s %v, want %s", tc.period, d, ok, tc.rule)
		}
	}
	if _, _, ok := cfg.Schedules[0].Tasks[0].CutoffWindow("2024"); ok {
		t.Error("a task without data_cutoff has a window")
	}
}

func mustGetwd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// A leadership list may mix bare addresses (always in use) with dated
// ones, and the task keys of issue 10 reach the model.
func TestLeadershipPeriodsAndTaskKeys(t *testing.T) {
	dir := writeFixture(t, func(files map[string]string) {
		files["nhachan.yaml"] += "recipients:\n  follow_up_leadership:\n    - always@tinh.example\n" +
			"    - {addr: old@tinh.example, valid_until: 2025-06-30}\n    - {addr: new@tinh.example, valid_from: 2025-07-01}\n"
		files["schedules/plan.yaml"] = strings.Replace(files["schedules/plan.yaml"], `    task: "Kế hoạch hàng năm"`,
			"    title: \"Kế hoạch CCHC của tỉnh\"\n    plans_next_year: true\n    escalate: false\n    task: \"Kế hoạch hàng năm\"", 1)
	})
	cfg, diags := Load(filepath.Join(dir, "nhachan.yaml"))
	if diags.HasErrors() {
		t.Fatalf("%v", diags.Error())
	}
	lead := cfg.Daemon.FollowUpLeadership
	for day, want := range map[string]string{"2025-06-30": "always@tinh.example old@tinh.example", "2025-07-01": "always@tinh.example new@tinh.example"} {
		if got := strings.Join(duty.AddrsOn(lead, mustDate(day)), " "); got != want {
			t.Errorf("leaders on %s: %q, want %q", day, got, want)
		}
	}
	tk := cfg.Schedules[0].Tasks[0]
	if tk.Title != "Kế hoạch CCHC của tỉnh" || !tk.PlansNextYear || !tk.RemindOnly || tk.PeriodText("2025") != "năm 2026" {
		t.Errorf("task keys: %+v", tk)
	}
	if t2 := cfg.Schedules[0].Tasks[1]; t2.RemindOnly || t2.PlansNextYear || t2.Label() != "I.2" {
		t.Errorf("defaults: %+v", t2)
	}
}
