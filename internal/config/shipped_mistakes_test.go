package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyShipped copies config/ and schedules/ into a temporary folder with
// the same layout, so that a test can break one line of a shipped file.
func copyShipped(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, top := range []string{"config", "schedules"} {
		err := filepath.WalkDir(filepath.Join("../..", top), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel("../..", p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dir, rel), 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// An admin's usual slips in the shipped files are reported at the line of
// the slip (or the next), in Vietnamese, with the nearest existing name
// where there is one.
func TestShippedFilesBrokenAreReportedAtTheMistake(t *testing.T) {
	const sched, agencies = "schedules/681-QD-UBND-2021.yaml", "config/agencies.yaml"
	cases := []struct {
		name, file string
		line       string // the first line equal to this is changed
		new        string // into this (may hold two lines)
		want       []string
	}{
		{"unclosed quote", sched, `    time: "Trước 31/12 hàng năm"`, `    time: "Trước 31/12 hàng năm`,
			[]string{"YAML không hợp lệ", "dấu ngoặc kép", "chưa được đóng"}},
		{"three-space indentation", agencies, `    email: ["vanthu.vpubnd@ninhthuan.example"]`, `   email: ["vanthu.vpubnd@ninhthuan.example"]`,
			[]string{"YAML không hợp lệ", "thụt lề không khớp", "lùi vào 3 dấu cách"}},
		{"five-space indentation", agencies, `    email: ["vanthu.vpubnd@ninhthuan.example"]`, `     email: ["vanthu.vpubnd@ninhthuan.example"]`,
			[]string{"thụt lề không khớp", "lùi vào 5 dấu cách"}},
		{"list item indented", agencies, `  - id: van-phong-ubnd-tinh`, `   - id: van-phong-ubnd-tinh`,
			[]string{"thụt lề không khớp"}},
		{"tab", agencies, `    email: ["vanthu.vpubnd@ninhthuan.example"]`, "\temail: [\"vanthu.vpubnd@ninhthuan.example\"]",
			[]string{"ký tự tab", "dấu cách"}},
		{"missing colon", agencies, `    email: ["vanthu.vpubnd@ninhthuan.example"]`, `    email ["vanthu.vpubnd@ninhthuan.example"]`,
			[]string{"thiếu dấu hai chấm"}},
		{"unclosed list", agencies, `    email: ["vanthu.vpubnd@ninhthuan.example"]`, `    email: ["vanthu.vpubnd@ninhthuan.example"`,
			[]string{"chưa được đóng bằng ']'"}},
		{"unknown key", sched, `    time: "Trước 31/12 hàng năm"`, `    tiem: "Trước 31/12 hàng năm"`,
			[]string{`khóa "tiem" không có`, `có phải là "time"?`}},
		{"duplicate key", sched, `    time: "Trước 31/12 hàng năm"`, "    time: \"Trước 31/12 hàng năm\"\n    time: \"Trước 30/12 hàng năm\"",
			[]string{`khóa "time" bị lặp lại`, "đã có ở dòng {at}"}},
		{"misspelled agency id", sched, `    lead: [so-noi-vu]`, `    lead: [so-noi-v]`,
			[]string{`"so-noi-v", không có cơ quan hay nhóm`, `có phải là "so-noi-vu"`}},
		{"misspelled group id", agencies, `    groups: [so-ban-nganh]`, `    groups: [so-ban-ngan]`,
			[]string{`không có nhóm "so-ban-ngan"`, `có phải là "so-ban-nganh"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyShipped(t)
			p := filepath.Join(dir, tc.file)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(b), "\n")
			at := 0
			for i, l := range lines {
				if l == tc.line {
					at = i + 1
					lines[i] = tc.new
					break
				}
			}
			if at == 0 {
				t.Fatalf("%s has no line %q", tc.file, tc.line)
			}
			if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, diags := Load(filepath.Join(dir, "config/nhachan.yaml"))
			if cfg != nil {
				t.Fatal("loaded without error")
			}
			for _, d := range diags.Errors() {
				if !strings.HasSuffix(d.File, tc.file) || d.Line < at || d.Line > at+1 {
					continue
				}
				ok := true
				for _, w := range tc.want {
					ok = ok && strings.Contains(d.Msg, strings.ReplaceAll(w, "{at}", itoa(at)))
				}
				if ok {
					t.Logf("%s\n%s", d.String(), d.Source)
					return
				}
			}
			t.Errorf("want an error in %s at line %d or %d saying %q; got:\n%s", tc.file, at, at+1, tc.want, diags.Text())
		})
	}
}

// Every line of the shipped directory and schedule, broken in the usual
// ways one at a time, is either still valid or reported inside the file,
// in Vietnamese, without a panic.
func TestEveryLineBrokenIsReportedInTheFile(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := copyShipped(t)
	breaks := []func(string) string{
		func(l string) string { return strings.Replace(l, `"`, ``, 1) },                              // a quote lost
		func(l string) string { return " " + l },                                                     // indented one more
		func(l string) string { return strings.Replace(l, ":", "", 1) },                              // a colon lost
		func(l string) string { return strings.Replace(strings.Replace(l, "]", "", 1), "}", "", 1) }, // a bracket lost
	}
	checked, near, nearV3 := 0, 0, 0
	for _, file := range []string{"config/agencies.yaml", "schedules/681-QD-UBND-2021.yaml"} {
		p := filepath.Join(dir, file)
		orig, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(orig), "\n")
		for i := 0; i < len(lines); i += 7 {
			for _, br := range breaks {
				mutated := br(lines[i])
				if mutated == lines[i] || !content(lines[i]) {
					continue
				}
				ls := append([]string(nil), lines...)
				ls[i] = mutated
				data := []byte(strings.Join(ls, "\n"))
				err := yamlUnmarshalCheck(data)
				if err == nil {
					continue
				}
				checked++
				pos, msg := syntaxProblem(data, err)
				if pos.Line < 1 || pos.Line > len(ls) || !strings.HasPrefix(msg, "YAML không hợp lệ: ") {
					t.Errorf("%s line %d %q: %d:%d: %s", file, i+1, mutated, pos.Line, pos.Col, msg)
				}
				if p3, _ := v3Position(err); p3.Line-(i+1) >= -1 && p3.Line-(i+1) <= 1 {
					nearV3++
				}
				if d := pos.Line - (i + 1); d >= -1 && d <= 1 {
					near++
				} else {
					t.Logf("%s line %d %q: reported at %d:%d: %s", file, i+1, mutated, pos.Line, pos.Col, msg)
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d broken copies were invalid YAML", checked)
	}
	t.Logf("%d broken copies invalid, %d reported within one line of the mistake (yaml/v3 alone: %d)", checked, near, nearV3)
	if near != checked {
		t.Errorf("only %d of %d reported within one line of the mistake", near, checked)
	}
}
