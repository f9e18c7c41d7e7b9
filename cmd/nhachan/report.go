package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ninhthuan/nhachan/internal/config"
	"github.com/ninhthuan/nhachan/internal/report"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/signlink"
	"github.com/ninhthuan/nhachan/internal/sqlite"
)

// reportFormats are the formats `nhachan report` writes.
var reportFormats = map[string]func(b *bytes.Buffer, rows []report.Row, year int) error{
	"csv":  func(b *bytes.Buffer, rows []report.Row, _ int) error { return report.WriteCSV(b, rows) },
	"xlsx": func(b *bytes.Buffer, rows []report.Row, year int) error { return report.WriteXLSX(b, rows, year) },
	"html": func(b *bytes.Buffer, rows []report.Row, year int) error { return report.WriteHTML(b, rows, year) },
}

const reportUsage = "nhachan report: cần --year và --format\nXem: nhachan report --help"

// cmdReport writes the yearly compliance table (one row per answering
// agency, as of today) as CSV, XLSX or a standalone HTML page, to stdout or
// atomically to --out. It only reads the database, which must exist.
func cmdReport(e env, args []string) error {
	fset := flag.NewFlagSet("report", flag.ContinueOnError)
	year := fset.Int("year", 0, "năm của hạn (bắt buộc)")
	format := fset.String("format", "", "csv, xlsx hoặc html (bắt buộc)")
	out := fset.String("out", "", "ghi vào tệp này (mặc định: màn hình, trừ xlsx)")
	dbPath := fset.String("db", "", "tệp cơ sở dữ liệu SQLite (mặc định: theo cấu hình)")
	cfgFile := configFlag(fset)
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("nhachan report: thừa đối số %q\nXem: nhachan report --help", pos[0])
	}
	if *year == 0 || *format == "" {
		return usageError("%s", reportUsage)
	}
	if *year < 1900 || *year > 2200 {
		return usageError("--year %d: năm phải từ 1900 đến 2200", *year)
	}
	write, ok := reportFormats[*format]
	if !ok {
		return usageError("--format %q: chỉ nhận csv, xlsx hoặc html", *format)
	}
	if *format == "xlsx" && *out == "" && isTerminal(e.stdout) {
		return usageError("nhachan report: tệp xlsx là dữ liệu nhị phân, không in ra màn hình được; dùng --out bao-cao-%d.xlsx (hoặc chuyển hướng: > bao-cao-%d.xlsx)", *year, *year)
	}
	cfg, err := loadConfig(e, *cfgFile, true)
	if err != nil {
		return err
	}
	if *dbPath == "" {
		*dbPath = cfg.Daemon.Database
	}
	// A report reads; it must not leave an empty database behind a typo.
	if _, err := os.Stat(*dbPath); errors.Is(err, fs.ErrNotExist) {
		return exitError{code: exitFail, msg: fmt.Sprintf("nhachan report: không có cơ sở dữ liệu tại %s (chạy nhachan serve trước, hoặc chỉ rõ --db)", *dbPath)}
	}
	store, err := openStore(*dbPath, e.now)
	if err != nil {
		return err
	}
	defer store.Close()
	recs, err := store.YearRecords(context.Background(), *year)
	if err != nil {
		return err
	}
	today := schedule.DateOf(e.now().In(cfg.Location))
	rows := report.Compliance(recs, cfg.Directory, today)
	if len(recs) == 0 {
		fmt.Fprintln(e.stderr, emptyYearNote(context.Background(), store, cfg, *year, today))
	}

	// The whole report is made before anything is written, so a failure
	// never leaves half a file or half a stream.
	var b bytes.Buffer
	if err := write(&b, rows, *year); err != nil {
		return err
	}
	if *out == "" {
		_, err := e.stdout.Write(b.Bytes())
		return err
	}
	return writeFileAtomic(*out, b.Bytes(), 0o644)
}

// emptyYearNote says why a year's report has no duty: the year is before
// the tracking start (duties due then were never tracked), or after what
// the daemon has planned so far, or the schedules give nothing that year.
func emptyYearNote(ctx context.Context, store *sqlite.DB, cfg *config.Config, year int, today schedule.Date) string {
	start := cfg.Daemon.TrackingStart
	if start == 0 {
		if v, ok, err := store.Meta(ctx, "tracking_start"); err == nil && ok {
			start, _ = schedule.ParseDate(v)
		}
	}
	switch {
	case start != 0 && year < start.Year():
		return fmt.Sprintf("Năm %d không có nghĩa vụ nào: hệ thống bắt đầu theo dõi từ ngày %s, các nghĩa vụ có hạn trước ngày đó không được ghi vào cơ sở dữ liệu. "+
			"Để có số liệu năm cũ, nhập các báo cáo đã nộp bằng nhachan import-submissions, hoặc đặt tracking_start sớm hơn trong %s.", year, start.VN(), cfg.File)
	case year > today.Year():
		return fmt.Sprintf("Năm %d không có nghĩa vụ nào: dịch vụ chưa lập các nghĩa vụ của năm này (chỉ lập trước một khoảng thời gian gần hạn). Xem trước bằng: nhachan plan --from 01/01/%d --to 31/12/%d", year, year, year)
	case start == 0:
		return fmt.Sprintf("Năm %d không có nghĩa vụ nào: cơ sở dữ liệu chưa từng được nhachan serve theo dõi.", year)
	}
	return fmt.Sprintf("Năm %d không có nghĩa vụ nào trong cơ sở dữ liệu (theo dõi từ ngày %s). Kiểm tra các hạn của năm bằng: nhachan plan --from 01/01/%d --to 31/12/%d", year, start.VN(), year, year)
}

// isTerminal reports whether w is a terminal (a character device), where
// binary output would garble the screen.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// writeFileAtomic writes data to path through a temporary file in the same
// folder, synced and then renamed over path, so that a reader (or a crash)
// sees the old file or the new one, never a part.
func writeFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("không ghi được %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("không ghi được %s: %w", path, err)
	}
	if err = tmp.Chmod(perm); err != nil {
		return fmt.Errorf("không ghi được %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("không ghi được %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("không ghi được %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("không ghi được %s: %w", path, err)
	}
	return nil
}

// calendarFeedPath is where `nhachan serve` serves an agency's iCalendar
// feed: calendarFeedPath + token + ".ics".
const calendarFeedPath = "/lich/"

// cmdCalendarURL prints the subscription URL of an agency's iCalendar feed:
// the public URL, /lich/, a signed calendar token for the agency, ".ics".
// It needs links.key_file (the key the daemon verifies with) and a public
// URL (public_url, or --public-url).
func cmdCalendarURL(e env, args []string) error {
	fset := flag.NewFlagSet("calendar-url", flag.ContinueOnError)
	agencyID := fset.String("agency", "", "mã cơ quan (bắt buộc)")
	days := fset.Int("valid-days", 730, "số ngày địa chỉ còn hiệu lực")
	publicURL := fset.String("public-url", "", "địa chỉ gốc của trang web (thay cho cấu hình)")
	cfgFile := configFlag(fset)
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("nhachan calendar-url: thừa đối số %q\nXem: nhachan calendar-url --help", pos[0])
	}
	if *agencyID == "" {
		return usageError("nhachan calendar-url: cần --agency\nXem: nhachan calendar-url --help")
	}
	if *days < 1 || *days > 3660 {
		return usageError("--valid-days %d: phải từ 1 đến 3660", *days)
	}
	cfg, err := loadConfig(e, *cfgFile, true)
	if err != nil {
		return err
	}
	if _, ok := cfg.Directory.Agency(*agencyID); !ok {
		return usageError("--agency %q: không có cơ quan này trong danh bạ%s", *agencyID, config.DidYouMean(*agencyID, agencyIDs(cfg)))
	}
	base := strings.TrimSuffix(*publicURL, "/")
	if base == "" {
		base = cfg.Daemon.PublicURL
	}
	if base == "" {
		return usageError("nhachan calendar-url: chưa có địa chỉ công khai: đặt public_url trong %s hoặc dùng --public-url", cfg.File)
	}
	if cfg.Daemon.LinkKeyFile == "" {
		return usageError("nhachan calendar-url: chưa bật liên kết có chữ ký: đặt links.key_file trong %s (khóa mà nhachan serve dùng để kiểm tra địa chỉ lịch)", cfg.File)
	}
	signer, err := buildSigner(cfg)
	if err != nil {
		return exitError{code: exitConfig, msg: "nhachan calendar-url: " + err.Error()}
	}
	exp := e.now().Add(time.Duration(*days) * 24 * time.Hour)
	token, err := signer.Sign(signlink.Claims{Agency: *agencyID, Action: signlink.ActionCalendar, Expires: exp})
	if err != nil {
		// The directory accepts ids the token format does not.
		return usageError("--agency %q: không ký được liên kết: %v", *agencyID, err)
	}
	fmt.Fprintln(e.stdout, base+calendarFeedPath+token+".ics")
	return nil
}
