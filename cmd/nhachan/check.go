package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/ninhthuan/nhachan/internal/config"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// cmdCheck validates the configuration, the directory, the holidays and the
// schedules. Errors print as file:line:col and exit 2; warnings alone exit 0.
func cmdCheck(e env, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	cfgFile := configFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("nhachan check: unexpected argument %q", pos[0])
	}
	cfg, diags := config.Load(*cfgFile)
	for _, d := range diags {
		fmt.Fprintln(e.stdout, d.String())
	}
	if diags.HasErrors() {
		return exitError{code: exitConfig, msg: fmt.Sprintf("nhachan check: %d error(s), %d warning(s)", len(diags.Errors()), len(diags.Warnings()))}
	}
	var tasks int
	byKind := map[schedule.Kind][]string{}
	for _, s := range cfg.Schedules {
		tasks += len(s.Tasks)
		for _, t := range s.Tasks {
			byKind[t.Parsed.Kind] = append(byKind[t.Parsed.Kind], t.ID)
		}
	}
	fmt.Fprintf(e.stdout, "%s: OK — %d schedule(s), %d task(s), %d agencies, %d year(s) of holidays; %d warning(s)\n",
		cfg.File, len(cfg.Schedules), tasks, len(cfg.Directory.Agencies()), len(cfg.Notices), len(diags.Warnings()))
	for _, k := range []schedule.Kind{schedule.KindUnresolved, schedule.KindContinuous, schedule.KindOnDemand} {
		if ids := byKind[k]; len(ids) > 0 {
			fmt.Fprintf(e.stdout, "%s (%d): %s\n", k, len(ids), strings.Join(ids, ", "))
		}
	}
	return nil
}
