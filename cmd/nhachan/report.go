package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ninhthuan/nhachan/internal/report"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/signlink"
)

// reportFormats are the formats `nhachan report` writes.
var reportFormats = map[string]func(b *bytes.Buffer, rows []report.Row, year int) error{
	"csv":  func(b *bytes.Buffer, rows []report.Row, _ int) error { return report.WriteCSV(b, rows) },
	"xlsx": func(b *bytes.Buffer, rows []report.Row, year int) error { return report.WriteXLSX(b, rows, year) },
	"html": func(b *bytes.Buffer, rows []report.Row, year int) error { return report.WriteHTML(b, rows, year) },
}

const reportUsage = "usage: nhachan report --year Y --format csv|xlsx|html [--out FILE] [--db PATH] [--config FILE]"

// cmdReport writes the yearly compliance table (one row per answering
// agency, as of today) as CSV, XLSX or a standalone HTML page, to stdout or
// atomically to --out. It only reads the database, which must exist.
func cmdReport(e env, args []string) error {
	fset := flag.NewFlagSet("report", flag.ContinueOnError)
	year := fset.Int("year", 0, "year of the deadlines (required)")
	format := fset.String("format", "", "csv, xlsx or html (required)")
	out := fset.String("out", "", "write to this file, atomically (default: stdout)")
	dbPath := fset.String("db", "", "SQLite database (default: the configuration's)")
	cfgFile := configFlag(fset)
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("nhachan report: unexpected argument %q", pos[0])
	}
	if *year == 0 || *format == "" {
		return usageError("%s", reportUsage)
	}
	if *year < 1900 || *year > 2200 {
		return usageError("--year %d: want a year between 1900 and 2200", *year)
	}
	write, ok := reportFormats[*format]
	if !ok {
		return usageError("--format %q: want csv, xlsx or html", *format)
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
		return exitError{code: exitFail, msg: fmt.Sprintf("nhachan report: no database at %s (run nhachan serve first, or give --db)", *dbPath)}
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
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
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
	agencyID := fset.String("agency", "", "agency id (required)")
	days := fset.Int("valid-days", 730, "days the URL stays valid")
	publicURL := fset.String("public-url", "", "base URL of the web pages (overrides the configuration)")
	cfgFile := configFlag(fset)
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("nhachan calendar-url: unexpected argument %q", pos[0])
	}
	if *agencyID == "" {
		return usageError("usage: nhachan calendar-url --agency ID [--valid-days N] [--public-url URL] [--config FILE]")
	}
	if *days < 1 || *days > 3660 {
		return usageError("--valid-days %d: want 1 to 3660", *days)
	}
	cfg, err := loadConfig(e, *cfgFile, true)
	if err != nil {
		return err
	}
	if _, ok := cfg.Directory.Agency(*agencyID); !ok {
		return usageError("--agency %q: no such agency in the directory", *agencyID)
	}
	base := strings.TrimSuffix(*publicURL, "/")
	if base == "" {
		base = cfg.Daemon.PublicURL
	}
	if base == "" {
		return usageError("nhachan calendar-url: no public URL: set public_url in %s or give --public-url", cfg.File)
	}
	if cfg.Daemon.LinkKeyFile == "" {
		return usageError("nhachan calendar-url: signed links are off: set links.key_file in %s (the key `nhachan serve` verifies feeds with)", cfg.File)
	}
	signer, err := buildSigner(cfg)
	if err != nil {
		return exitError{code: exitConfig, msg: "nhachan calendar-url: " + err.Error()}
	}
	exp := e.now().Add(time.Duration(*days) * 24 * time.Hour)
	token, err := signer.Sign(signlink.Claims{Agency: *agencyID, Action: signlink.ActionCalendar, Expires: exp})
	if err != nil {
		// The directory accepts ids the token format does not.
		return usageError("--agency %q: cannot sign a link for it: %v", *agencyID, err)
	}
	fmt.Fprintln(e.stdout, base+calendarFeedPath+token+".ics")
	return nil
}
