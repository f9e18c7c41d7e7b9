package calendar

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// holidayFile mirrors config/holidays/YYYY.yaml; the config loader is the
// real reader, this one only keeps the shipped files from rotting.
type holidayFile struct {
	Year      int    `yaml:"year"`
	Source    string `yaml:"source"`
	Confirmed bool   `yaml:"confirmed"`
	Days      []struct {
		Date schedule.Date `yaml:"date"`
		Name string        `yaml:"name"`
		Kind Kind          `yaml:"kind"`
	} `yaml:"days"`
	Workdays []struct {
		Date schedule.Date `yaml:"date"`
		Name string        `yaml:"name"`
	} `yaml:"workdays"`
}

func loadHolidayFiles(t *testing.T) []YearNotice {
	t.Helper()
	paths, err := filepath.Glob("../../config/holidays/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no holiday files: %v", err)
	}
	var out []YearNotice
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		var f holidayFile
		if err := dec.Decode(&f); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if want := fmt.Sprintf("%d.yaml", f.Year); filepath.Base(p) != want {
			t.Errorf("%s: year %d, want the file named %s", p, f.Year, want)
		}
		if f.Source == "" {
			t.Errorf("%s: no source", p)
		}
		nt := YearNotice{Year: f.Year, Source: f.Source, Confirmed: f.Confirmed}
		for _, d := range f.Days {
			nt.Days = append(nt.Days, Holiday{Date: d.Date, Name: d.Name, Kind: d.Kind})
		}
		for _, w := range f.Workdays {
			nt.Workdays = append(nt.Workdays, Holiday{Date: w.Date, Name: w.Name})
		}
		out = append(out, nt)
	}
	return out
}

func TestHolidayFiles(t *testing.T) {
	notices := loadHolidayFiles(t)
	c, err := New(notices)
	if err != nil {
		t.Fatalf("the shipped files do not make a calendar: %v", err)
	}
	for _, nt := range notices {
		t.Run(fmt.Sprint(nt.Year), func(t *testing.T) {
			def := Defaults(nt.Year)
			if !nt.Confirmed {
				// Computed defaults awaiting the notice: exactly Defaults.
				got := c.Holidays(nt.Year)
				for i := range got {
					got[i].Pending = true
				}
				if a, b := fmt.Sprint(got), fmt.Sprint(def); a != b {
					t.Errorf("unconfirmed file differs from Defaults(%d):\n file %s\n want %s", nt.Year, a, b)
				}
				if len(nt.Workdays) > 0 {
					t.Errorf("unconfirmed file has workdays %v", nt.Workdays)
				}
				return
			}
			// A notice moves days but keeps every fixed-date holiday and
			// mùng 1 Tết, and, for years under Bộ luật Lao động 2019, the
			// number of paid days off: weekdays off less weekend days
			// worked equals the defaults' weekdays off.
			for _, d := range def {
				fixed := d.Kind == KindHoliday && (d.Name != nameTet && !(d.Name == nameNational && d.Date.Day() != 2))
				if !fixed {
					continue
				}
				if got, ok := c.Holiday(d.Date); !ok || got.Kind != KindHoliday || !strings.Contains(got.Name, d.Name) {
					t.Errorf("%s %s: file has %+v, %v", d.Date, d.Name, got, ok)
				}
			}
			tet, _ := schedule.FromLunar(schedule.LunarDate{Year: nt.Year, Month: 1, Day: 1})
			if got, ok := c.Holiday(tet); !ok || got.Name != nameTet {
				t.Errorf("mùng 1 Tết %s: file has %+v, %v", tet, got, ok)
			}
			if nt.Year >= 2021 {
				if got, want := paidDays(c.Holidays(nt.Year), c.Workdays(nt.Year)), paidDays(def, nil); got != want {
					t.Errorf("%d paid weekdays off, the law gives %d", got, want)
				}
			}
		})
	}
}

func paidDays(off, worked []Holiday) int {
	n := -len(worked)
	for _, h := range off {
		if !isWeekend(h.Date) {
			n++
		}
	}
	return n
}
