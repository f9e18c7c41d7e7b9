package main

import (
	"encoding/json"
	"flag"
	"fmt"
)

type calendarDayJSON struct {
	Date    string `json:"date"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Pending bool   `json:"pending"`
}

type calendarJSON struct {
	Year int               `json:"year"`
	Days []calendarDayJSON `json:"days"`
}

func cmdCalendar(e env, args []string) error {
	fs := flag.NewFlagSet("calendar", flag.ContinueOnError)
	year := fs.Int("year", 0, "năm (bắt buộc)")
	asJSON := fs.Bool("json", false, "in kết quả dạng JSON")
	cfgFile := configFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("nhachan calendar: thừa đối số %q\nXem: nhachan calendar --help", pos[0])
	}
	if *year == 0 {
		return usageError("nhachan calendar: cần --year\nXem: nhachan calendar --help")
	}
	if *year < 1900 || *year > 2200 {
		return usageError("--year %d: năm phải từ 1900 đến 2200", *year)
	}
	cal, err := calendarFor(e, fs, *cfgFile)
	if err != nil {
		return err
	}
	out := calendarJSON{Year: *year, Days: []calendarDayJSON{}}
	for _, h := range cal.Holidays(*year) {
		out.Days = append(out.Days, calendarDayJSON{Date: h.Date.String(), Name: h.Name, Kind: string(h.Kind), Pending: h.Pending})
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(e.stdout, "Ngày nghỉ năm %d (ngoài thứ Bảy, Chủ nhật):\n", *year)
	pending := 0
	for _, h := range cal.Holidays(*year) {
		mark := ""
		if h.Pending {
			mark = "  (dự kiến, chờ thông báo của năm)"
			pending++
		}
		fmt.Fprintf(e.stdout, "  %s  %-9s %s%s\n", h.Date.VN(), h.Date.WeekdayVN(), h.Name, mark)
	}
	if pending > 0 {
		fmt.Fprintf(e.stdout, "%d ngày được tính theo Bộ luật Lao động 2019, đang chờ thông báo chính thức của năm.\n", pending)
	}
	return nil
}
