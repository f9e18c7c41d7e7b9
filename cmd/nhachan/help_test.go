package main

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
)

// readmeCLI is the README's "The CLI" section.
func readmeCLI(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n## The CLI\n")
	if i < 0 {
		t.Fatal("README has no '## The CLI' section")
	}
	s = s[i+1:]
	if j := strings.Index(s[3:], "\n## "); j >= 0 {
		s = s[:j+3]
	}
	return s
}

// Every command answers --help (and -h, and `nhachan help CMD`) on stdout
// with exit 0, naming each flag of its real FlagSet; the top-level help
// and the README's CLI section carry the same synopsis line, which names
// each flag too. A flag added to a command without its documentation
// fails here.
func TestHelpNamesEveryFlagAndMatchesTheREADME(t *testing.T) {
	var got *flag.FlagSet
	onHelp = func(fs *flag.FlagSet) { got = fs }
	defer func() { onHelp = nil }()
	readme := readmeCLI(t)
	code, top, errs := runCLI(t, "help")
	if code != 0 || errs != "" {
		t.Fatalf("nhachan help: exit %d, stderr %q", code, errs)
	}
	flagRE := regexp.MustCompile(`--([a-z][a-z-]*)`)
	for _, d := range cmdDocs {
		line := strings.TrimSpace("nhachan " + d.name + " " + d.synopsis)
		if !strings.Contains(top, line+"\n") {
			t.Errorf("nhachan help lacks %q", line)
		}
		if !strings.Contains(readme, line+"\n") {
			t.Errorf("README's CLI section lacks the line %q (keep it as `nhachan help` prints it)", line)
		}
		if d.name == "help" || d.name == "version" {
			for _, form := range [][]string{{d.name, "--help"}, {"help", d.name}} {
				if code, out, _ := runCLI(t, form...); code != 0 || !strings.HasPrefix(out, "Cách dùng: nhachan") && !strings.HasPrefix(out, "nhachan — ") {
					t.Errorf("%v: exit %d:\n%s", form, code, out)
				}
			}
			continue
		}
		for _, form := range [][]string{{d.name, "--help"}, {d.name, "-h"}, {"help", d.name}} {
			got = nil
			code, out, errs := runCLI(t, form...)
			if code != 0 || got == nil || got.Name() != d.name {
				t.Errorf("%v: exit %d, stderr %q; want the help of %s and exit 0", form, code, errs, d.name)
				continue
			}
			if !strings.HasPrefix(out, "Cách dùng: "+line) {
				t.Errorf("%v does not start with its synopsis:\n%s", form, out)
			}
			documented := map[string]bool{}
			for _, m := range flagRE.FindAllStringSubmatch(d.synopsis, -1) {
				documented[m[1]] = true
			}
			got.VisitAll(func(f *flag.Flag) {
				if !strings.Contains(out, "  --"+f.Name+" ") {
					t.Errorf("%v does not describe --%s:\n%s", form, f.Name, out)
				}
				if !documented[f.Name] {
					t.Errorf("the synopsis of %s (help and README) lacks --%s", d.name, f.Name)
				}
				delete(documented, f.Name)
			})
			for name := range documented {
				t.Errorf("the synopsis of %s names --%s, which the command does not have", d.name, name)
			}
		}
	}
}

func TestUnknownCommandsAndFlagsSuggestAndExit2(t *testing.T) {
	code, _, errs := runCLI(t, "staus")
	if code != 2 || !strings.Contains(errs, `không có lệnh "staus"; có phải là "status"?`) {
		t.Errorf("unknown command: exit %d, %q", code, errs)
	}
	code, _, errs = runCLI(t, "plan", "--agnecy", "x")
	if code != 2 || !strings.Contains(errs, "không có tùy chọn --agnecy; có phải là --agency?") {
		t.Errorf("unknown flag: exit %d, %q", code, errs)
	}
	code, _, errs = runCLI(t, "explain", "--year", "hai", "Quý I hàng năm")
	if code != 2 || !strings.Contains(errs, `giá trị "hai" của --year không phải một số nguyên`) {
		t.Errorf("bad value: exit %d, %q", code, errs)
	}
	code, _, errs = runCLI(t, "plan", "--config", shippedConfig, "--from", "2024-01-01", "--to", "2024-12-31", "--agency", "so-noi-v")
	if code != 2 || !strings.Contains(errs, `có phải là "so-noi-vu"`) {
		t.Errorf("unknown agency: exit %d, %q", code, errs)
	}
	code, _, errs = runCLI(t, "plan", "--config", shippedConfig, "--from", "2024-01-01", "--to", "2024-12-31", "--task", "I.22")
	if code != 2 || !strings.Contains(errs, `có phải là "I.2"`) {
		t.Errorf("unknown task: exit %d, %q", code, errs)
	}
}

// Dates are read as YYYY-MM-DD or dd/mm/yyyy wherever a command takes one.
func TestDatesInBothForms(t *testing.T) {
	_, iso, _ := runCLI(t, "plan", "--config", shippedConfig, "--from", "2024-01-01", "--to", "2024-06-30", "--format", "csv")
	code, vn, errs := runCLI(t, "plan", "--config", shippedConfig, "--from", "01/01/2024", "--to", "30/6/2024", "--format", "csv")
	if code != 0 || vn != iso || strings.Count(vn, "\n") < 5 {
		t.Fatalf("dd/mm/yyyy: exit %d, %s; output differs from YYYY-MM-DD: %v", code, errs, vn != iso)
	}
	code, _, errs = runCLI(t, "plan", "--config", shippedConfig, "--from", "31/02/2024", "--to", "30/06/2024")
	if code != 2 || !strings.Contains(errs, `ngày "31/02/2024" không có trên lịch`) {
		t.Errorf("31/02: exit %d, %q", code, errs)
	}
	code, _, errs = runCLI(t, "plan", "--config", shippedConfig, "--from", "2024/01/01", "--to", "30/06/2024")
	if code != 2 || !strings.Contains(errs, "dd/mm/yyyy") {
		t.Errorf("2024/01/01: exit %d, %q", code, errs)
	}
}
