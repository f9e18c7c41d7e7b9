package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ninhthuan/nhachan/internal/calendar"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// DefaultTimezone is the zone when the configuration names none: Vietnam's
// civil time (time/tzdata is linked into the binary, so it always loads).
// It is the one default; everything else reads the configured zone.
const DefaultTimezone = "Asia/Ho_Chi_Minh"

// DefaultPath is where the configuration is looked for.
const DefaultPath = "config/nhachan.yaml"

// Config is a loaded, validated and built configuration. It is immutable:
// a reload builds a new one and swaps it in whole.
type Config struct {
	File      string // the main file, as displayed
	Location  *time.Location
	Directory *model.Directory
	Calendar  *calendar.Calendar
	Notices   []calendar.YearNotice
	Schedules []*model.Schedule
	// Files lists every file read, as OS paths, for change watching.
	Files  []string
	Daemon Daemon

	directoryPath string // the agency directory's OS path
}

// Planner returns a planner over the configuration.
func (c *Config) Planner() *model.Planner {
	return &model.Planner{Directory: c.Directory, Calendar: c.Calendar, Schedules: c.Schedules}
}

// Load reads the configuration rooted at the file path on disk. Paths inside
// it are relative to the file's folder. The Diagnostics hold every error and
// warning; the Config is nil when there is any error.
func Load(file string) (*Config, Diagnostics) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, Diagnostics{{File: file, Line: 1, Col: 1, Msg: err.Error()}}
	}
	cwd, _ := os.Getwd()
	display := func(name string) string {
		p := "/" + name
		if rel, err := filepath.Rel(cwd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
		return p
	}
	l := &loader{fsys: os.DirFS("/"), display: display, toOS: func(name string) string { return "/" + name }}
	return l.run(strings.TrimPrefix(filepath.ToSlash(abs), "/"))
}

func (l *loader) run(name string) (*Config, Diagnostics) {
	cfg := l.load(name)
	l.diags.Sort()
	if l.diags.HasErrors() {
		return nil, l.diags
	}
	return cfg, l.diags
}

type loader struct {
	fsys    fs.FS
	display func(string) string
	toOS    func(string) string // a name of fsys as an OS path
	diags   Diagnostics
	files   []string
}

func (l *loader) reporter(name string) reporter {
	return reporter{file: l.display(name), diags: &l.diags}
}

// read decodes one YAML file into v; false when it is missing or unreadable
// as YAML (the error is reported at from, in the file that named it).
func (l *loader) read(name string, v any, from reporter, at Pos) bool {
	data, err := fs.ReadFile(l.fsys, name)
	if err != nil {
		from.errorf(at, "không đọc được %s: %v", l.display(name), osErrVN(unwrapPathError(err)))
		return false
	}
	l.files = append(l.files, l.toOS(name))
	return decodeFile(l.reporter(name), data, v)
}

// resolve names the file or folder p that a configuration file in dir
// mentions: a relative p is read from dir, an absolute one as it is (its
// name in the loader's file system, rooted at "/", has no leading slash).
func resolve(dir, p string) string {
	if strings.HasPrefix(p, "/") {
		return path.Clean(strings.TrimPrefix(p, "/"))
	}
	return path.Join(dir, p)
}

// osErrVN reads the usual file-system errors in Vietnamese.
func osErrVN(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "không có tệp hoặc thư mục này"
	case errors.Is(err, fs.ErrPermission):
		return "không có quyền đọc"
	}
	return err.Error()
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

func (l *loader) load(name string) *Config {
	main := reporter{file: l.display(name), diags: &l.diags}
	var mf mainFile
	data, err := fs.ReadFile(l.fsys, name)
	if err != nil {
		main.errorf(Pos{1, 1}, "không đọc được tệp cấu hình: %v", osErrVN(unwrapPathError(err)))
		return nil
	}
	l.files = append(l.files, l.toOS(name))
	if !decodeFile(main, data, &mf) {
		return nil
	}
	dir := path.Dir(name)
	cfg := &Config{File: l.display(name)}

	tz := mf.Timezone
	if tz == "" {
		tz = DefaultTimezone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		main.errorf(mf.At.Key("timezone"), "không có múi giờ %q (ví dụ đúng: Asia/Ho_Chi_Minh)", tz)
	}
	cfg.Location = loc

	cfg.directoryPath = l.toOS(resolve(dir, mf.Directory))
	cfg.Directory = l.loadDirectory(resolve(dir, mf.Directory), main, mf.At.Key("directory"))
	cfg.Notices = l.loadHolidays(mf, dir, main)
	if !l.diags.HasErrors() {
		cal, err := calendar.New(cfg.Notices)
		if err != nil {
			main.errorf(mf.At.Key("holidays"), "ngày nghỉ (holidays): %v", err)
		}
		cfg.Calendar = cal
	}
	if cfg.Directory == nil {
		return nil
	}
	planIDs := map[string]string{} // schedule id -> file:line where first declared
	for i, ref := range mf.Schedules {
		file := resolve(dir, ref.File)
		s := l.loadSchedule(file, main, ref.At.Key("file"), cfg.Directory)
		if s == nil {
			continue
		}
		// Task ids are unique within a plan; plans are told apart by id.
		if prev, dup := planIDs[s.ID]; dup {
			main.errorf(ref.At.Key("file"), "schedules[%d]: mã kế hoạch %q đã được dùng ở %s", i+1, s.ID, prev)
			continue
		}
		planIDs[s.ID] = s.File
		s.CarryUntil = s.Until
		if ref.CarryForwardUntil != nil {
			if *ref.CarryForwardUntil < s.Until {
				main.errorf(ref.At.Key("carry_forward_until"), "schedules[%d].carry_forward_until %s trước ngày kết thúc kế hoạch %s", i+1, *ref.CarryForwardUntil, s.Until)
			}
			s.CarryUntil = *ref.CarryForwardUntil
		}
		cfg.Schedules = append(cfg.Schedules, s)
	}
	if len(mf.Schedules) == 0 {
		main.errorf(mf.At.Key("schedules"), "chưa có kế hoạch nào: ghi ít nhất một tệp kế hoạch trong schedules")
	}
	cfg.Daemon = l.loadDaemon(mf, dir, main, cfg)
	for _, s := range cfg.Schedules {
		for _, t := range s.Tasks {
			if t.ReminderDays == nil {
				continue
			}
			pol := cfg.Daemon.Policy
			pol.ReminderDays = t.ReminderDays
			if err := pol.Validate(); err != nil {
				reporter{file: s.File, diags: &l.diags}.errorf(Pos{t.Line, t.Col}, "nhiệm vụ %s: reminder_days: %v", t.ID, err)
			}
		}
	}
	cfg.Files = l.files
	return cfg
}

// loadHolidays reads every YYYY.yaml file of the holidays folder.
func (l *loader) loadHolidays(mf mainFile, dir string, main reporter) []calendar.YearNotice {
	if mf.Holidays == "" {
		return nil
	}
	hdir := resolve(dir, mf.Holidays)
	entries, err := fs.ReadDir(l.fsys, hdir)
	if err != nil {
		main.errorf(mf.At.Key("holidays"), "không đọc được thư mục ngày nghỉ %s: %v", l.display(hdir), osErrVN(unwrapPathError(err)))
		return nil
	}
	l.files = append(l.files, l.toOS(hdir)) // a new year's file changes the folder
	var notices []calendar.YearNotice
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !(strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
			continue
		}
		if nt, ok := l.loadHolidayFile(path.Join(hdir, n)); ok {
			notices = append(notices, nt)
		}
	}
	sort.Slice(notices, func(i, j int) bool { return notices[i].Year < notices[j].Year })
	return notices
}

func (l *loader) loadHolidayFile(name string) (calendar.YearNotice, bool) {
	r := l.reporter(name)
	var hf holidayFile
	if !l.read(name, &hf, r, Pos{1, 1}) {
		return calendar.YearNotice{}, false
	}
	base := strings.TrimSuffix(strings.TrimSuffix(path.Base(name), ".yaml"), ".yml")
	if base != fmt.Sprint(hf.Year) {
		r.errorf(hf.At.Key("year"), "năm %d không khớp với tên tệp %s (tệp của năm này phải tên %d.yaml)", hf.Year, path.Base(name), hf.Year)
	}
	nt := calendar.YearNotice{Year: hf.Year, Source: hf.Source, Confirmed: hf.Confirmed}
	seen := map[schedule.Date]bool{}
	conv := func(list []holidayRaw, key string, defKind calendar.Kind) []calendar.Holiday {
		var out []calendar.Holiday
		for _, h := range list {
			if h.Date.Year() != hf.Year {
				r.errorf(h.At.Key("date"), "%s: ngày %s không thuộc năm %d", key, h.Date, hf.Year)
			}
			if seen[h.Date] {
				r.errorf(h.At.Key("date"), "%s: ngày %s được ghi hai lần", key, h.Date)
			}
			seen[h.Date] = true
			kind := defKind
			if h.Kind != "" {
				kind = calendar.Kind(h.Kind)
				switch kind {
				case calendar.KindHoliday, calendar.KindMakeup, calendar.KindSwap:
				default:
					r.errorf(h.At.Key("kind"), "%s: không có loại %q; dùng holiday (nghỉ lễ), makeup (nghỉ bù) hoặc swap (nghỉ hoán đổi)", key, h.Kind)
				}
			}
			if key == "workdays" {
				if wd := h.Date.Weekday(); wd != time.Saturday && wd != time.Sunday {
					r.errorf(h.At.Key("date"), "workdays: ngày %s là %s; chỉ thứ Bảy hoặc Chủ nhật mới được chuyển thành ngày làm việc", h.Date, strings.ToLower(h.Date.WeekdayVN()))
				}
			}
			out = append(out, calendar.Holiday{Date: h.Date, Name: h.Name, Kind: kind, Pending: !hf.Confirmed})
		}
		return out
	}
	nt.Days = conv(hf.Days, "days", calendar.KindHoliday)
	nt.Workdays = conv(hf.Workdays, "workdays", calendar.KindSwap)
	return nt, true
}
