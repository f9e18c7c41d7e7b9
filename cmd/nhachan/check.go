package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/ninhthuan/nhachan/internal/config"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// cmdCheck validates the configuration, the directory, the holidays and the
// schedules. Errors print as file:line:col (with the lines around a YAML
// mistake) and exit 2; warnings alone exit 0. The last line is a one-line
// summary; --quiet prints only the errors and that line.
func cmdCheck(e env, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	cfgFile := configFlag(fs)
	quiet := fs.Bool("quiet", false, "chỉ in lỗi và dòng tổng kết, không in cảnh báo")
	impact := fs.Bool("impact", false, "so sánh cấu hình với các nghĩa vụ trong cơ sở dữ liệu: in những gì lần nạp lại sẽ thêm, dời, bỏ")
	dbPath := fs.String("db", "", "cơ sở dữ liệu SQLite cho --impact (mặc định: theo cấu hình)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("nhachan check: thừa đối số %q\nXem: nhachan check --help", pos[0])
	}
	cfg, diags := config.Load(*cfgFile)
	shown := diags
	if *quiet {
		shown = diags.Errors()
	}
	if len(shown) > 0 {
		fmt.Fprintln(e.stdout, shown.Text())
	}
	nErr, nWarn := len(diags.Errors()), len(diags.Warnings())
	if diags.HasErrors() {
		return exitError{code: exitConfig, msg: fmt.Sprintf("%s: KHÔNG HỢP LỆ — %d lỗi, %d cảnh báo; sửa các lỗi trên rồi chạy lại nhachan check", *cfgFile, nErr, nWarn)}
	}
	var tasks int
	byKind := map[schedule.Kind][]string{}
	p := cfg.Planner()
	for _, s := range cfg.Schedules {
		tasks += len(s.Tasks)
		for _, t := range s.Tasks {
			byKind[t.Parsed.Kind] = append(byKind[t.Parsed.Kind], t.Ref(p)) // PLAN/ID where plans share an id
		}
	}
	var noDate []string
	for _, k := range []schedule.Kind{schedule.KindUnresolved, schedule.KindContinuous, schedule.KindOnDemand} {
		if ids := byKind[k]; len(ids) > 0 {
			if !*quiet {
				fmt.Fprintf(e.stdout, "Nhiệm vụ %s (%d): %s\n", k.Label(), len(ids), strings.Join(ids, ", "))
			}
			noDate = append(noDate, fmt.Sprintf("%d %s", len(ids), k.Label()))
		}
	}
	ended, day := 0, today(e, cfg.Location)
	for _, a := range cfg.Directory.Agencies() {
		if a.ValidUntil < day {
			ended++
		}
	}
	line := fmt.Sprintf("%s: hợp lệ — %d kế hoạch, %d nhiệm vụ, %d cơ quan (%d đã kết thúc hoạt động), ngày nghỉ của %d năm; %d cảnh báo",
		cfg.File, len(cfg.Schedules), tasks, len(cfg.Directory.Agencies()), ended, len(cfg.Notices), nWarn)
	if len(noDate) > 0 {
		line += " (nhiệm vụ chưa có hạn cụ thể: " + strings.Join(noDate, ", ") + ")"
	}
	if *quiet && nWarn > 0 {
		line += "; xem chi tiết: nhachan check --config " + *cfgFile
	}
	fmt.Fprintln(e.stdout, line)
	if *impact {
		return checkImpact(e, cfg, *dbPath)
	}
	return nil
}
