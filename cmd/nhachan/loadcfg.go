package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"

	"github.com/ninhthuan/nhachan/internal/calendar"
	"github.com/ninhthuan/nhachan/internal/config"
)

// configFlag registers --config on fs.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", config.DefaultPath, "tệp cấu hình")
}

// loadConfig loads the configuration or returns an exit error listing every
// problem as file:line:col. Warnings go to stderr unless quiet.
func loadConfig(e env, file string, quiet bool) (*config.Config, error) {
	cfg, diags := config.Load(file)
	if diags.HasErrors() {
		return nil, exitError{code: exitConfig, msg: diags.Errors().Text()}
	}
	if !quiet {
		for _, d := range diags.Warnings() {
			fmt.Fprintln(e.stderr, d.String())
		}
	}
	return cfg, nil
}

// calendarFor returns the working-day calendar for commands that also work
// without a configuration (explain, calendar): the configuration's holidays
// when --config was given or the default file exists, computed defaults
// otherwise.
func calendarFor(e env, fset *flag.FlagSet, file string) (*calendar.Calendar, error) {
	explicit := false
	fset.Visit(func(f *flag.Flag) {
		if f.Name == "config" {
			explicit = true
		}
	})
	if !explicit {
		if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
			return calendar.New(nil)
		}
	}
	cfg, err := loadConfig(e, file, true)
	if err != nil {
		return nil, err
	}
	return cfg.Calendar, nil
}

// agencyIDs lists the directory's agency ids, for suggestions.
func agencyIDs(cfg *config.Config) []string {
	var ids []string
	for _, a := range cfg.Directory.Agencies() {
		ids = append(ids, a.ID)
	}
	return ids
}

// taskIDs lists every schedule's task ids, for suggestions.
func taskIDs(cfg *config.Config) []string {
	var ids []string
	for _, s := range cfg.Schedules {
		for _, t := range s.Tasks {
			ids = append(ids, t.ID)
		}
	}
	return ids
}
