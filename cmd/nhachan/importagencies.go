package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/ninhthuan/nhachan/internal/config"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// agencyColumns are the bulk file's columns; id is required, the others
// may be left out (or empty: an existing agency keeps its value).
var agencyColumns = []string{"id", "name", "short_name", "email", "head_title", "head_email", "groups",
	"valid_from", "valid_until", "successors", "note"}

// cmdImportAgencies adds or updates agencies of the directory from a CSV
// or XLSX file. Every row is checked, then the whole configuration with the
// merged directory is checked as `nhachan check` does; the directory file
// is written (atomically) only when all of it passes.
func cmdImportAgencies(e env, args []string) error {
	fs := flag.NewFlagSet("import-agencies", flag.ContinueOnError)
	cfgFile := configFlag(fs)
	dry := fs.Bool("dry-run", false, "chỉ kiểm tra và in những gì sẽ thay đổi, không ghi gì")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("nhachan import-agencies: cần đúng một tệp .csv hoặc .xlsx")
	}
	src := pos[0]
	cfg, err := loadConfig(e, *cfgFile, true)
	if err != nil {
		return err
	}
	records, err := readTable(src)
	if err != nil {
		return exitError{code: exitConfig, msg: fmt.Sprintf("nhachan import-agencies: %s: %v", src, err)}
	}
	rows, problems := agencyRows(src, records)
	if len(problems) > 0 {
		return exitError{code: exitConfig, msg: strings.Join(problems, "\n") +
			fmt.Sprintf("\nnhachan import-agencies: %d lỗi; danh mục không thay đổi.", len(problems))}
	}
	dirPath := cfg.DirectoryPath()
	old, err := os.ReadFile(dirPath)
	if err != nil {
		return exitError{code: exitFail, msg: fmt.Sprintf("nhachan import-agencies: %v", err)}
	}
	merged, err := config.MergeAgencies(old, rows, filepath.Base(src))
	if err != nil {
		return exitError{code: exitConfig, msg: "nhachan import-agencies: " + err.Error() + "\nDanh mục không thay đổi."}
	}
	_, diags := config.LoadWithFile(*cfgFile, dirPath, merged.Data)
	if diags.HasErrors() {
		var lines []string
		for _, d := range diags.Errors() {
			if row, id := merged.RowOf(d.Line); row > 0 && filepath.Base(d.File) == filepath.Base(dirPath) {
				lines = append(lines, fmt.Sprintf("%s:%d: cơ quan %s: %s", src, row, id, d.Msg))
				continue
			}
			lines = append(lines, d.String())
		}
		return exitError{code: exitConfig, msg: strings.Join(lines, "\n") +
			fmt.Sprintf("\nnhachan import-agencies: %d lỗi khi kiểm tra danh mục sau khi nhập; danh mục không thay đổi.", len(diags.Errors()))}
	}
	summary := fmt.Sprintf("thêm %d, cập nhật %d, không đổi %d cơ quan", len(merged.Added), len(merged.Updated), len(merged.Unchanged))
	if *dry {
		fmt.Fprintf(e.stdout, "Kiểm tra đạt (chưa ghi, --dry-run): %s vào %s.\n", summary, dirPath)
		listIDs(e.stdout, "Thêm", merged.Added)
		listIDs(e.stdout, "Cập nhật", merged.Updated)
		return nil
	}
	if bytes.Equal(merged.Data, old) {
		fmt.Fprintf(e.stdout, "Danh mục %s không thay đổi (%s).\n", dirPath, summary)
		return nil
	}
	if err := writeAtomic(dirPath, merged.Data); err != nil {
		return exitError{code: exitFail, msg: fmt.Sprintf("nhachan import-agencies: không ghi được %s: %v", dirPath, err)}
	}
	fmt.Fprintf(e.stdout, "Đã ghi %s: %s. Tiến trình nhachan serve tự nạp lại khi tệp thay đổi.\n", dirPath, summary)
	listIDs(e.stdout, "Thêm", merged.Added)
	listIDs(e.stdout, "Cập nhật", merged.Updated)
	return nil
}

func listIDs(w io.Writer, what string, ids []string) {
	if len(ids) > 0 {
		fmt.Fprintf(w, "%s: %s\n", what, strings.Join(ids, ", "))
	}
}

// readTable reads a CSV file, or the first sheet of an XLSX file.
func readTable(path string) ([][]string, error) {
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		f, err := excelize.OpenFile(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, errors.New("tệp không có trang tính nào")
		}
		return f.GetRows(sheets[0])
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")) // Excel writes CSV with a BOM
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	return r.ReadAll()
}

// agencyRows checks the header and each row's shape (dates, lists); what
// the directory's rules say (known groups, successors, addresses) is the
// loader's to check on the merged file.
func agencyRows(src string, records [][]string) ([]config.AgencyRow, []string) {
	if len(records) == 0 {
		return nil, []string{src + ":1: tệp trống; dòng đầu phải là tiêu đề cột: " + strings.Join(agencyColumns, ",")}
	}
	col := map[string]int{}
	var problems []string
	for i, h := range records[0] {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "successor" {
			h = "successors"
		}
		if !containsStr(agencyColumns, h) {
			problems = append(problems, fmt.Sprintf("%s:1: cột %q không có trong danh sách cột: %s", src, h, strings.Join(agencyColumns, ",")))
			continue
		}
		if _, dup := col[h]; dup {
			problems = append(problems, fmt.Sprintf("%s:1: cột %q xuất hiện hai lần", src, h))
		}
		col[h] = i
	}
	if _, ok := col["id"]; !ok {
		problems = append(problems, src+":1: thiếu cột id")
	}
	if len(problems) > 0 {
		return nil, problems
	}
	var rows []config.AgencyRow
	for n, rec := range records[1:] {
		line := n + 2
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue // an empty line
		}
		r := config.AgencyRow{Line: line, ID: get("id"), Name: get("name"), ShortName: get("short_name"),
			Email: splitList(get("email")), Groups: splitList(get("groups")), HeadTitle: get("head_title"),
			HeadEmail: get("head_email"), Successors: splitList(get("successors")), Note: get("note")}
		if r.ID == "" {
			problems = append(problems, fmt.Sprintf("%s:%d: thiếu mã cơ quan (id)", src, line))
			continue
		}
		for _, k := range []string{"valid_from", "valid_until"} {
			v := get(k)
			if v == "" {
				continue
			}
			d, err := readDay(v)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s:%d: %s %q: ghi ngày theo dạng YYYY-MM-DD hoặc dd/mm/yyyy", src, line, k, v))
				continue
			}
			if k == "valid_from" {
				r.ValidFrom = d.String()
			} else {
				r.ValidUntil = d.String()
			}
		}
		rows = append(rows, r)
	}
	return rows, problems
}

var vnDayRE = regexp.MustCompile(`^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$`)

// readDay reads 2026-07-01 or 01/07/2026.
func readDay(s string) (schedule.Date, error) {
	if d, err := schedule.ParseDate(s); err == nil {
		return d, nil
	}
	if m := vnDayRE.FindStringSubmatch(s); m != nil {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		if v, ok := schedule.ValidDate(y, mo, d); ok {
			return v, nil
		}
	}
	return 0, fmt.Errorf("bad date %q", s)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// writeAtomic replaces path with data: a temporary file beside it, synced,
// given the old file's mode, then renamed over it.
func writeAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
