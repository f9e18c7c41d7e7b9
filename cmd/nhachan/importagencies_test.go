package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// agencyConfig copies the shipped directory (with a commune group added
// by hand, as the guide says) beside a main file that uses the shipped
// holidays and schedule.
func agencyConfig(t *testing.T) (main, dirFile string) {
	t.Helper()
	dir := t.TempDir()
	abs, _ := filepath.Abs("../../config")
	seedAbs, _ := filepath.Abs("../../schedules/681-QD-UBND-2021.yaml")
	src, err := os.ReadFile(filepath.Join(abs, "agencies.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	withGroup := strings.Replace(string(src), "\nagencies:\n", "  # UBND các xã, phường, đặc khu của tỉnh Khánh Hòa từ ngày 01/7/2025.\n  - id: ubnd-cap-xa\n    name: \"UBND các xã, phường\"\n\nagencies:\n", 1)
	dirFile = filepath.Join(dir, "agencies.yaml")
	if err := os.WriteFile(dirFile, []byte(withGroup), 0o640); err != nil {
		t.Fatal(err)
	}
	main = filepath.Join(dir, "nhachan.yaml")
	body := "timezone: Asia/Ho_Chi_Minh\ndirectory: agencies.yaml\nholidays: " + abs + "/holidays\nschedules:\n  - file: " + seedAbs + "\n"
	if err := os.WriteFile(main, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return main, dirFile
}

const communesCSV = "\xEF\xBB\xBFid,name,email,head_title,head_email,groups,valid_from\n" +
	"ubnd-xa-ninh-hai,Ủy ban nhân dân xã Ninh Hải,vanthu.ninhhai@khanhhoa.example,Chủ tịch UBND xã Ninh Hải,ct.ninhhai@khanhhoa.example,ubnd-cap-xa,01/07/2025\n" +
	"ubnd-phuong-phan-rang,Ủy ban nhân dân phường Phan Rang,vanthu.phanrang@khanhhoa.example,Chủ tịch UBND phường Phan Rang,ct.phanrang@khanhhoa.example,ubnd-cap-xa,2025-07-01\n" +
	"so-tu-phap,,moi.stp@ninhthuan.example,,,,\n"

func TestImportAgencies(t *testing.T) {
	main, dirFile := agencyConfig(t)
	csvFile := filepath.Join(t.TempDir(), "xa.csv")
	if err := os.WriteFile(csvFile, []byte(communesCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(dirFile)
	code, out, errs := runCLI(t, "import-agencies", "--config", main, "--dry-run", csvFile)
	if code != 0 || !strings.Contains(out, "thêm 2, cập nhật 1, không đổi 0") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errs)
	}
	if now, _ := os.ReadFile(dirFile); string(now) != string(before) {
		t.Fatal("--dry-run wrote the directory")
	}
	code, out, errs = runCLI(t, "import-agencies", "--config", main, csvFile)
	if code != 0 || !strings.Contains(out, "Đã ghi") {
		t.Fatalf("import-agencies: exit %d\n%s%s", code, out, errs)
	}
	after, _ := os.ReadFile(dirFile)
	for _, want := range []string{"  - id: ubnd-xa-ninh-hai\n    name: \"Ủy ban nhân dân xã Ninh Hải\"\n    groups: [ubnd-cap-xa]\n",
		"    valid_from: 2025-07-01\n", `    email: ["moi.stp@ninhthuan.example"]`, "# NGUỒN ĐÃ ĐỐI CHIẾU"} {
		if !strings.Contains(string(after), want) {
			t.Errorf("directory lacks %q", want)
		}
	}
	if st, _ := os.Stat(dirFile); st.Mode().Perm() != 0o640 {
		t.Errorf("directory mode %v, want 0640 as before", st.Mode().Perm())
	}
	if code, out, _ := runCLI(t, "check", "--config", main); code != 0 {
		t.Fatalf("check after the import: %s", lastLines(out))
	}
	// Again: nothing changes.
	if code, out, _ := runCLI(t, "import-agencies", "--config", main, csvFile); code != 0 || !strings.Contains(out, "không thay đổi") {
		t.Errorf("second import: exit %d\n%s", code, out)
	}
}

func TestImportAgenciesRefusesBadRows(t *testing.T) {
	main, dirFile := agencyConfig(t)
	before, _ := os.ReadFile(dirFile)
	for _, c := range []struct {
		name, csv string
		want      []string
	}{
		{"row shape", "id,name,email,valid_from\n,Xã A,a@x.example,\nxa-b,Xã B,b@x.example,31/02/2025\n",
			[]string{"bad.csv:2: thiếu mã cơ quan", "bad.csv:3: valid_from \"31/02/2025\""}},
		{"unknown column", "id,ten\nxa-a,Xã A\n", []string{"bad.csv:1: cột \"ten\""}},
		{"directory rules", "id,name,email,groups,successors\nxa-a,Xã A,khong-phai-thu,ubnd-cap-xa,\nxa-b,Xã B,b@x.example,nhom-khong-co,\nxa-c,Xã C,c@x.example,,xa-khong-co\n",
			[]string{"bad.csv:2: cơ quan xa-a:", "không phải địa chỉ thư điện tử hợp lệ", "bad.csv:3: cơ quan xa-b:", "nhom-khong-co", "bad.csv:4: cơ quan xa-c:", "xa-khong-co"}},
		{"new agency without email", "id,name\nxa-a,Xã A\n", []string{"bad.csv:2: cơ quan mới \"xa-a\" cần ít nhất name và email"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "bad.csv")
			if err := os.WriteFile(f, []byte(c.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errs := runCLI(t, "import-agencies", "--config", main, f)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			for _, w := range c.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			if now, _ := os.ReadFile(dirFile); string(now) != string(before) {
				t.Error("a refused import changed the directory")
			}
		})
	}
}

func TestImportAgenciesXLSX(t *testing.T) {
	main, dirFile := agencyConfig(t)
	x := excelize.NewFile()
	rows := [][]any{
		{"id", "name", "short_name", "email", "head_title", "head_email", "groups", "valid_from", "note"},
		{"ubnd-dac-khu-truong-sa", "Ủy ban nhân dân đặc khu Trường Sa", "UBND đặc khu Trường Sa", "vt.truongsa@khanhhoa.example; vp.truongsa@khanhhoa.example",
			"Chủ tịch UBND đặc khu Trường Sa", "ct.truongsa@khanhhoa.example", "ubnd-cap-xa", "2025-07-01", "Nghị quyết số 1667/NQ-UBTVQH15"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	f := filepath.Join(t.TempDir(), "xa.xlsx")
	if err := x.SaveAs(f); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "import-agencies", "--config", main, f)
	if code != 0 {
		t.Fatalf("xlsx: exit %d\n%s%s", code, out, errs)
	}
	got, _ := os.ReadFile(dirFile)
	if !strings.Contains(string(got), `    email: ["vt.truongsa@khanhhoa.example", "vp.truongsa@khanhhoa.example"]`) ||
		!strings.Contains(string(got), `    note: "Nghị quyết số 1667/NQ-UBTVQH15"`) {
		t.Errorf("xlsx row not merged:\n%s", string(got)[len(got)-600:])
	}
}
