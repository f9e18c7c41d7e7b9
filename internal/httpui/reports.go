package httpui

import (
	"bytes"
	"html/template"
	"mime"
	"net/http"
	"strconv"

	"github.com/ninhthuan/nhachan/internal/report"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// The compliance report: the yearly table per agency (report.Compliance)
// as a page in the site's layout, and as CSV and XLSX downloads. Like every
// page it is public and read-only, so agency names are masked (no address
// may show) before a writer escapes or defuses them.

// Content types of the downloads.
const (
	contentTypeCSV  = "text/csv; charset=utf-8"
	contentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

func init() {
	pages["report"] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, "templates/report.html"))
}

// reportView is the report page.
type reportView struct {
	page
	// Table is report.WriteHTMLTable's output: html/template escaped every
	// name in it, so it is trusted markup.
	Table      template.HTML
	CSV, XLSX  string // the download links
	Path       string // this page, for the year links
	Prev, Next int
	Empty      string // why the year has no duty, when it has none
}

// reportRows reads ?nam= (default: this year) and returns the year's
// compliance rows with masked names, as of today. On a bad year or a
// failed query it has answered (400 or 500) and returns ok false.
func (s *Server) reportRows(w http.ResponseWriter, r *http.Request) (rows []report.Row, year int, today schedule.Date, ok bool) {
	st := s.setup()
	today = s.today(st)
	year, err := parseYear(r.URL.Query(), today.Year())
	if s.queryFailed(w, r, err) {
		return nil, 0, 0, false
	}
	recs, err := s.Store.YearRecords(r.Context(), year)
	if s.queryFailed(w, r, err) {
		return nil, 0, 0, false
	}
	rows = report.Compliance(recs, directory(st), today)
	for i := range rows {
		rows[i].Name = mask(rows[i].Name)
	}
	return rows, year, today, true
}

// reportPage serves GET /bao-cao?nam=Y: the compliance table of the year
// inside the site layout, styled by the site stylesheet (the CSP forbids
// the standalone page's inline style), with the downloads linked.
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	rows, year, today, ok := s.reportRows(w, r)
	if !ok {
		return
	}
	var table bytes.Buffer
	if err := report.WriteHTMLTable(&table, rows, year); err != nil {
		s.serverError(w, r, err)
		return
	}
	y := strconv.Itoa(year)
	empty := ""
	if len(rows) == 0 {
		empty = emptyYearText(year, s.setup().TrackingStart, today)
	}
	v := reportView{
		Empty: empty,
		page:  page{Title: "Báo cáo tình hình thực hiện nhiệm vụ năm " + y, Today: today.VN(), Year: year},
		Table: template.HTML(table.String()), // html/template output, see Table
		CSV:   "/bao-cao.csv?nam=" + y, XLSX: "/bao-cao.xlsx?nam=" + y,
		Path: "/bao-cao", Prev: year - 1, Next: year + 1,
	}
	s.render(w, r, http.StatusOK, "report", v)
}

// emptyYearText says why a year's report has no duty: the year is before
// the tracking start, or its duties are not planned yet, or none was due.
func emptyYearText(year int, start, today schedule.Date) string {
	switch {
	case start != 0 && year < start.Year():
		return "Năm " + strconv.Itoa(year) + " không có nghĩa vụ nào trong hệ thống: việc theo dõi bắt đầu từ ngày " + start.VN() +
			", các nghĩa vụ có hạn trước ngày đó không được ghi nhận."
	case year > today.Year():
		return "Năm " + strconv.Itoa(year) + " chưa có nghĩa vụ nào: hệ thống lập các nghĩa vụ khi gần đến hạn."
	}
	return "Năm " + strconv.Itoa(year) + " không có nghĩa vụ nào đến hạn trong hệ thống."
}

// reportCSV serves GET /bao-cao.csv?nam=Y as an attachment.
func (s *Server) reportCSV(w http.ResponseWriter, r *http.Request) {
	rows, year, _, ok := s.reportRows(w, r)
	if !ok {
		return
	}
	var b bytes.Buffer
	if err := report.WriteCSV(&b, rows); err != nil {
		s.serverError(w, r, err)
		return
	}
	serveAttachment(w, contentTypeCSV, reportFilename(year, "csv"), b.Bytes())
}

// reportXLSX serves GET /bao-cao.xlsx?nam=Y as an attachment.
func (s *Server) reportXLSX(w http.ResponseWriter, r *http.Request) {
	rows, year, _, ok := s.reportRows(w, r)
	if !ok {
		return
	}
	var b bytes.Buffer
	if err := report.WriteXLSX(&b, rows, year); err != nil {
		s.serverError(w, r, err)
		return
	}
	serveAttachment(w, contentTypeXLSX, reportFilename(year, "xlsx"), b.Bytes())
}

// reportFilename is the ASCII name a download is saved under, such as
// bao-cao-2027.xlsx: no quoting or RFC 5987 encoding needed anywhere.
func reportFilename(year int, ext string) string {
	return "bao-cao-" + strconv.Itoa(year) + "." + ext
}

// serveAttachment writes a complete file for download.
func serveAttachment(w http.ResponseWriter, contentType, filename string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}
