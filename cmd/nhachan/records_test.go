package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRecordCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	cli := func(args ...string) (int, string, string) {
		return runCLI(t, append(args, "--config", shippedConfig, "--db", db, "--by", "test")...)
	}
	// The 2025 annual plan of Sở Tư pháp was due 10/12/2024.
	code, out, errs := cli("submit", "--task", "TCTH.1a.hang-nam", "--agency", "so-tu-phap", "--period", "2025", "--ref", "123/KH-STP", "--date", "2024-12-12")
	if code != 0 || !strings.Contains(out, "muộn 2 ngày") {
		t.Fatalf("submit: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = cli("submit", "--task", "TCTH.1a.hang-nam", "--agency", "so-tu-phap", "--period", "2025", "--ref", "123/KH-STP", "--date", "2024-12-12")
	if code != 0 || !strings.Contains(out, "Đã ghi nhận trước đó") {
		t.Fatalf("second submit must be harmless: exit %d\n%s", code, out)
	}
	if code, out, _ = cli("submit", "--task", "TCTH.1a.hang-nam", "--agency", "so-tu-phap", "--period", "2031"); code == 0 {
		t.Fatalf("a period outside the plan was accepted:\n%s", out)
	}
	if code, _, _ = cli("submit", "--task", "TCTH.1a.hang-nam", "--agency", "so-tu-phap", "--period", "2025", "--date", "2099-01-01"); code != 2 {
		t.Errorf("a future submission date: exit %d, want 2", code)
	}
	code, out, errs = cli("waive", "--task", "TCTH.1a.hang-nam", "--agency", "so-y-te", "--period", "2025", "--reason", "Sáp nhập")
	if code != 0 || !strings.Contains(out, "Đã miễn") {
		t.Fatalf("waive: exit %d\n%s%s", code, out, errs)
	}
	if code, _, _ = cli("waive", "--task", "TCTH.1a.hang-nam", "--agency", "so-y-te", "--period", "2025"); code != 2 {
		t.Errorf("waive without a reason: exit %d, want 2", code)
	}
	code, out, errs = cli("extend", "--task", "TCTH.1a.hang-nam", "--agency", "so-xay-dung", "--period", "2025", "--until", "2024-12-20", "--reason", "Chờ số liệu")
	if code != 0 || !strings.Contains(out, "20/12/2024") {
		t.Fatalf("extend: exit %d\n%s%s", code, out, errs)
	}
	if code, _, _ = cli("extend", "--task", "TCTH.1a.hang-nam", "--agency", "so-xay-dung", "--period", "2025", "--until", "2024-12-01", "--reason", "x"); code != 2 {
		t.Errorf("an extension that moves the deadline earlier: exit %d, want 2", code)
	}
	code, out, _ = cli("status", "--year", "2024", "--agency", "so-tu-phap")
	if code != 0 || !strings.Contains(out, "Nộp muộn") || !strings.Contains(out, "nộp ngày 12/12/2024") {
		t.Fatalf("status: exit %d\n%s", code, out)
	}
	// The extension and the waiver are said in the notes, with the board's
	// state names (the clock of runCLI is 26/11/2026: both are past).
	code, out, _ = cli("status", "--year", "2024")
	if code != 0 {
		t.Fatalf("status: exit %d\n%s", code, out)
	}
	for _, want := range []string{"đã gia hạn đến 20/12/2024 (hạn ban đầu 10/12/2024)", "đã miễn thực hiện", "Miễn/gia hạn", "Quá hạn", "trong đó 1 được gia hạn"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"?ubnd", "trong hạn:"} {
		if strings.Contains(out, bad) {
			t.Errorf("status still says %q:\n%s", bad, out)
		}
	}
	// A duty whose agency ended without a successor says so, by name. The
	// demo configuration carries the plan's yearly tasks past its end, so
	// the 2026 annual plan (due 10/12/2025) is owed, and the district
	// UBNDs, ended on 30/6/2025, answer for nothing.
	demo := func(args ...string) (int, string, string) {
		return runCLI(t, append(args, "--config", "../../config/demo/nhachan.yaml", "--db", db, "--by", "test")...)
	}
	if code, out, errs = demo("waive", "--task", "TCTH.1a.hang-nam", "--agency", "kh-so-tu-phap", "--period", "2026", "--reason", "Thử"); code != 0 {
		t.Fatalf("waive 2026: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = demo("status", "--year", "2025", "--agency", "ubnd-bac-ai")
	if code != 0 || !strings.Contains(out, "Chưa có cơ quan nhận") ||
		!strings.Contains(out, "Cơ quan Ủy ban nhân dân huyện Bác Ái đã chấm dứt hoạt động từ ngày 01/07/2025 và không có cơ quan kế thừa trong danh bạ") {
		t.Errorf("status of an ended agency: exit %d\n%s", code, out)
	}
	// A year with nothing stored says why.
	code, out, _ = cli("status", "--year", "2031")
	if code != 0 || !strings.Contains(out, "Năm 2031 không có nghĩa vụ nào") {
		t.Errorf("status of an empty year: exit %d\n%s", code, out)
	}
	// An unknown agency is refused, with the nearest ids.
	code, out, errs = cli("status", "--year", "2024", "--agency", "so-tu-phapp")
	if code != 2 || !strings.Contains(errs, `không có cơ quan này trong danh bạ; có phải là "so-tu-phap"`) {
		t.Errorf("status --agency so-tu-phapp: exit %d\n%s%s", code, out, errs)
	}
	// A misspelled agency or task is refused with the nearest names.
	code, _, errs = cli("submit", "--task", "TCTH.1a.hang-nam", "--agency", "so-tu-phapp", "--period", "2025")
	if code != 2 || !strings.Contains(errs, `có phải là "so-tu-phap"`) {
		t.Errorf("submit --agency so-tu-phapp: exit %d, %s", code, errs)
	}
	code, _, errs = cli("waive", "--task", "TCTH.1a.hang-nam", "--agency", "so-tu-phapp", "--period", "2025", "--reason", "x")
	if code != 2 || !strings.Contains(errs, `có phải là "so-tu-phap"`) {
		t.Errorf("waive --agency so-tu-phapp: exit %d, %s", code, errs)
	}
	code, _, errs = cli("submit", "--task", "TCTH.1a.hang-nm", "--agency", "so-tu-phap", "--period", "2025")
	if code != 2 || !strings.Contains(errs, `có phải là "TCTH.1a.hang-nam"`) {
		t.Errorf("submit --task TCTH.1a.hang-nm: exit %d, %s", code, errs)
	}
	// Dates as officials write them.
	code, out, errs = cli("extend", "--task", "TCTH.1a.hang-nam", "--agency", "so-xay-dung", "--period", "2025", "--until", "24/12/2024", "--reason", "Chờ số liệu")
	if code != 0 || !strings.Contains(out, "24/12/2024") {
		t.Fatalf("extend --until dd/mm/yyyy: exit %d\n%s%s", code, out, errs)
	}
}

func TestImportSubmissions(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "i.db")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.csv", "task,agency,period,ref,date,note\n"+
		"TCTH.1a.hang-nam,so-tu-phap,2025,1/KH,2024-12-01,\n"+
		"TCTH.1a.hang-nam,so-tu-phap,2025,1/KH,2024-13-01,\n"+
		"IX.9,so-tu-phap,2025,1/KH,2024-12-01,\n")
	code, _, errs := runCLI(t, "import-submissions", "--config", shippedConfig, "--db", db, bad)
	if code != 2 || !strings.Contains(errs, "bad.csv:3:") || !strings.Contains(errs, "bad.csv:4:") || !strings.Contains(errs, "chưa nhập dòng nào") {
		t.Fatalf("bad CSV: exit %d\n%s", code, errs)
	}
	good := write("good.csv", "task,agency,period,ref,date,note\n"+
		"TCTH.1a.hang-nam,so-tu-phap,2025,1/KH-STP,2024-12-01,đúng hạn\n"+
		"TCTH.1a.hang-nam,so-y-te,2025,2/KH-SYT,2024-12-11,\n")
	code, out, errs := runCLI(t, "import-submissions", "--config", shippedConfig, "--db", db, good)
	if code != 0 || !strings.Contains(out, "Đã nhập 2") {
		t.Fatalf("good CSV: exit %d\n%s%s", code, out, errs)
	}
	// "Đã nhập 2" above shows the bad file recorded nothing (its line 2 is
	// in the good file too); importing again finds both already there.
	code, out, _ = runCLI(t, "import-submissions", "--config", shippedConfig, "--db", db, good)
	if code != 0 || !strings.Contains(out, "Đã nhập 0") || !strings.Contains(out, "2 đã có") {
		t.Fatalf("re-import: exit %d\n%s", code, out)
	}
}

// A counted duty (MT.2.9, "ít nhất 03 cuộc/năm") counts each submission and
// is done at its quota; status names the period in words.
func TestSubmitCountsAQuotaDuty(t *testing.T) {
	db := filepath.Join(t.TempDir(), "q.db")
	cli := func(args ...string) (int, string, string) {
		return runCLI(t, append(args, "--config", shippedConfig, "--db", db, "--by", "test")...)
	}
	for i, ref := range []string{"01/BB-SNV", "02/BB-SNV", "03/BB-SNV"} {
		code, out, errs := cli("submit", "--task", "MT.2.9", "--agency", "so-noi-vu", "--period", "2024", "--ref", ref, "--date", "2024-0"+string(rune('4'+i))+"-10")
		want := []string{"đã thực hiện 1/3 cuộc", "đã thực hiện 2/3 cuộc", "Đã ghi nhận: MT.2.9 kỳ năm 2024"}[i]
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("submission %d: exit %d, want %q\n%s%s", i+1, code, want, out, errs)
		}
	}
	code, out, _ := cli("submit", "--task", "MT.2.9", "--agency", "so-noi-vu", "--period", "2024", "--ref", "04/BB-SNV", "--date", "2024-08-10")
	if code != 0 || !strings.Contains(out, "Đã ghi nhận trước đó") {
		t.Fatalf("a fourth submission past the quota: exit %d\n%s", code, out)
	}
	code, out, _ = cli("status", "--year", "2024", "--agency", "so-noi-vu")
	if code != 0 || !strings.Contains(out, "năm 2024") || strings.Contains(out, "2024-Q") {
		t.Fatalf("status: exit %d\n%s", code, out)
	}
}
