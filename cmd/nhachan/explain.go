package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// explainJSON is the stable JSON contract of `nhachan explain --json`.
type explainJSON struct {
	Expression   string   `json:"expression"`
	Kind         string   `json:"kind"`
	Year         int      `json:"year"`
	Periods      []string `json:"periods"`
	Due          []string `json:"due"`
	EffectiveDue []string `json:"effective_due"`
	Quota        int      `json:"quota,omitempty"`
	Reason       string   `json:"reason"`
	// With --working-days-before N: the agencies' internal deadlines, N
	// working days before due (which stays the province's date).
	AgencyDue []string `json:"agency_due,omitempty"`
	// With --data-cutoff TEXT: each period's data window.
	DataCutoff []cutoffJSON `json:"data_cutoff,omitempty"`
}

type cutoffJSON struct {
	Period string `json:"period"`
	From   string `json:"from"`
	To     string `json:"to"`
}

func cmdExplain(e env, args []string) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	year := fs.Int("year", 0, "năm của kỳ; mặc định: năm nay")
	asJSON := fs.Bool("json", false, "in kết quả dạng JSON")
	strict := fs.Bool("strict-before", false, `hiểu "trước ngày X" là hạn kết thúc vào ngày liền trước ngày X`)
	tier := fs.Int("working-days-before", 0, "hiện thêm hạn nội bộ của cơ quan, sớm hơn N ngày làm việc")
	cutoffText := fs.String("data-cutoff", "", `hiện thêm thời gian chốt số liệu của mỗi kỳ ("từ ngày 15 tháng trước đến ngày 14 của tháng báo cáo")`)
	cfgFile := configFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("nhachan explain: cần một biểu thức thời hạn, ví dụ: nhachan explain \"Quý I hàng năm\"\nXem: nhachan explain --help")
	}
	expr := strings.Join(pos, " ")
	if *year == 0 {
		*year = today(e, defaultLocation()).Year()
	}
	if *year < 1900 || *year > 2200 {
		return usageError("--year %d: năm phải từ 1900 đến 2200", *year)
	}
	if *tier < 0 || *tier > 60 {
		return usageError("--working-days-before %d: phải từ 0 đến 60", *tier)
	}
	var cutoff schedule.Cutoff
	if *cutoffText != "" {
		var why string
		if cutoff, why = schedule.ParseCutoff(*cutoffText); why != "" {
			return usageError("--data-cutoff: %s", why)
		}
	}
	cal, err := calendarFor(e, fs, *cfgFile)
	if err != nil {
		return err
	}
	r := schedule.Parse(expr, schedule.Options{StrictBefore: *strict})
	out := explainJSON{Expression: expr, Kind: string(r.Kind), Year: *year, Reason: r.Reason,
		Periods: []string{}, Due: []string{}, EffectiveDue: []string{}, Quota: r.Quota}
	occ := r.Occurrences(*year)
	type extra struct {
		agency   schedule.Date
		from, to schedule.Date
		window   bool
	}
	extras := make([]extra, len(occ))
	for i, o := range occ {
		out.Periods = append(out.Periods, o.Period)
		out.Due = append(out.Due, o.Due.String())
		out.EffectiveDue = append(out.EffectiveDue, cal.Effective(o.Due).String())
		if *tier > 0 {
			extras[i].agency = cal.AddWorkingDays(o.Due, -*tier)
			out.AgencyDue = append(out.AgencyDue, extras[i].agency.String())
		}
		if !cutoff.IsZero() {
			from, to, ok := cutoff.Window(o.Period, *year)
			if !ok {
				return usageError("--data-cutoff %q không cho ra khoảng chốt số liệu của kỳ %s (chốt số liệu %s, còn thời hạn %s)", *cutoffText, o.Period, cutoff.Kind().Label(), r.Kind.Label())
			}
			extras[i].from, extras[i].to, extras[i].window = from, to, true
			out.DataCutoff = append(out.DataCutoff, cutoffJSON{o.Period, from.String(), to.String()})
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	w := e.stdout
	fmt.Fprintf(w, "Biểu thức:  %s\n", expr)
	fmt.Fprintf(w, "Loại:       %s\n", r.Kind.Label())
	fmt.Fprintf(w, "Cách đọc:   %s\n", r.Reason)
	if r.Kind == schedule.KindQuota {
		fmt.Fprintf(w, "Chỉ tiêu:   %d mỗi kỳ\n", r.Quota)
	}
	if len(occ) == 0 {
		fmt.Fprintf(w, "Kỳ %d:    không có hạn nào.\n", *year)
		return nil
	}
	if !cutoff.IsZero() {
		fmt.Fprintf(w, "Chốt số liệu: %s\n", cutoff.Text)
	}
	for i, o := range occ {
		eff := cal.Effective(o.Due)
		line := fmt.Sprintf("Kỳ %-10s hạn %s (%s)", o.Period, o.Due.VN(), o.Due.WeekdayVN())
		if eff != o.Due {
			line += fmt.Sprintf(", hạn thực tế %s (%s) do ngày %s là ngày nghỉ", eff.VN(), eff.WeekdayVN(), o.Due.VN())
		}
		if *tier > 0 {
			line += fmt.Sprintf("; hạn của các cơ quan %s (%s), trước %d ngày làm việc", extras[i].agency.VN(), extras[i].agency.WeekdayVN(), *tier)
		}
		if extras[i].window {
			line += fmt.Sprintf("; số liệu từ %s đến %s", extras[i].from.VN(), extras[i].to.VN())
		}
		fmt.Fprintln(w, line)
	}
	return nil
}
