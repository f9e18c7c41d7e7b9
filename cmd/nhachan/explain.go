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
}

func cmdExplain(e env, args []string) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	year := fs.Int("year", 0, "the period (kỳ) year; default: this year")
	asJSON := fs.Bool("json", false, "print JSON")
	strict := fs.Bool("strict-before", false, `read "trước ngày X" as ending the day before X`)
	cfgFile := configFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("usage: nhachan explain [--year Y] [--json] EXPR")
	}
	expr := strings.Join(pos, " ")
	if *year == 0 {
		*year = today(e, defaultLocation()).Year()
	}
	if *year < 1900 || *year > 2200 {
		return usageError("--year %d: want a year between 1900 and 2200", *year)
	}
	cal, err := calendarFor(e, fs, *cfgFile)
	if err != nil {
		return err
	}
	r := schedule.Parse(expr, schedule.Options{StrictBefore: *strict})
	out := explainJSON{Expression: expr, Kind: string(r.Kind), Year: *year, Reason: r.Reason,
		Periods: []string{}, Due: []string{}, EffectiveDue: []string{}, Quota: r.Quota}
	occ := r.Occurrences(*year)
	for _, o := range occ {
		out.Periods = append(out.Periods, o.Period)
		out.Due = append(out.Due, o.Due.String())
		out.EffectiveDue = append(out.EffectiveDue, cal.Effective(o.Due).String())
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	w := e.stdout
	fmt.Fprintf(w, "Biểu thức:  %s\n", expr)
	fmt.Fprintf(w, "Loại:       %s\n", r.Kind)
	fmt.Fprintf(w, "Cách đọc:   %s\n", r.Reason)
	if r.Kind == schedule.KindQuota {
		fmt.Fprintf(w, "Chỉ tiêu:   %d mỗi kỳ\n", r.Quota)
	}
	if len(occ) == 0 {
		fmt.Fprintf(w, "Kỳ %d:    không có hạn nào.\n", *year)
		return nil
	}
	for _, o := range occ {
		eff := cal.Effective(o.Due)
		line := fmt.Sprintf("Kỳ %-10s hạn %s (%s)", o.Period, o.Due.VN(), o.Due.WeekdayVN())
		if eff != o.Due {
			line += fmt.Sprintf(", hạn thực tế %s (%s) do ngày %s là ngày nghỉ", eff.VN(), eff.WeekdayVN(), o.Due.VN())
		}
		fmt.Fprintln(w, line)
	}
	return nil
}
