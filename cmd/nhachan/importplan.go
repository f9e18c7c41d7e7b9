package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/ninhthuan/nhachan/internal/importer"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// planIDRE is the shape of a schedule id (the loader accepts upper case
// letters too, as in the shipped 681-QD-UBND-2021).
var planIDRE = regexp.MustCompile(`^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$`)

// cmdImportPlan reads a decision (.docx, or text copied from a legal
// portal) and writes a draft schedule: to --out, or to stdout. What needs
// review is marked in the draft and listed on stderr. Exit 0 when a draft
// was written (even with review markers), 2 when the document holds no
// appendix table or the arguments are wrong.
func cmdImportPlan(e env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	cfgFile := configFlag(fs)
	plan := fs.String("plan", "", "mã của kế hoạch mới (ví dụ KH-CCHC-2026)")
	out := fs.String("out", "", "ghi bản nháp vào tệp này thay vì in ra màn hình")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("nhachan import: cần đúng một tệp văn bản (.docx hoặc .txt)")
	}
	if *plan == "" || !planIDRE.MatchString(*plan) {
		return usageError("nhachan import: --plan cần mã kế hoạch gồm chữ cái ASCII, chữ số và dấu gạch nối (ví dụ KH-CCHC-2026)")
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return exitError{code: exitConfig, msg: fmt.Sprintf("nhachan import: không đọc được tệp: %v", err)}
	}
	cfg, err := loadConfig(e, *cfgFile, true)
	if err != nil {
		return err
	}
	today := schedule.DateOf(e.now().In(cfg.Location))
	d, err := importer.Import(data, cfg.Directory, importer.Options{PlanID: *plan, Source: filepath.Base(pos[0]), Today: today})
	if errors.Is(err, importer.ErrNoTable) {
		return exitError{code: exitConfig, msg: "nhachan import: " + pos[0] + ": " + err.Error()}
	}
	if err != nil {
		return exitError{code: exitConfig, msg: "nhachan import: " + pos[0] + ": " + err.Error()}
	}
	where := "(stdout)"
	if *out != "" {
		if err := os.WriteFile(*out, d.YAML, 0o644); err != nil {
			return exitError{code: exitFail, msg: fmt.Sprintf("nhachan import: không ghi được bản nháp: %v", err)}
		}
		where = *out
	} else if _, err := e.stdout.Write(d.YAML); err != nil {
		return exitError{code: exitFail, msg: fmt.Sprintf("nhachan import: %v", err)}
	}
	for _, is := range d.Issues {
		task := "phần đầu"
		if is.Task != "" {
			task = "nhiệm vụ " + is.Task
		}
		fmt.Fprintf(e.stderr, "%s:%d: cần xem xét (%s): %s\n", where, is.Line, task, is.Msg)
	}
	fmt.Fprintf(e.stderr, "nhachan import: đã ghi bản nháp %s — %d mục, %d nhiệm vụ, %d ứng viên từ phần nội dung (để dạng chú thích); %d chỗ cần xem xét.\n",
		where, d.Sections, d.Tasks, d.Candidates, len(d.Issues))
	fmt.Fprintf(e.stderr, "Các cột của Phụ lục: %v\n", d.Columns)
	return nil
}
