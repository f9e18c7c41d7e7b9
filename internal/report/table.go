package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Headers are the compliance table's column titles, in every format. The
// first eight are the ones Sở Nội vụ's scoring sheet uses; "Chưa đến hạn"
// and "Tự khai, chờ xác nhận" (submissions counted by the day they were
// recorded until an admin confirms their self-declared date) come last so
// that they do not shift them.
var Headers = [...]string{
	"Cơ quan",
	"Số nhiệm vụ đến hạn",
	"Đúng hạn",
	"Muộn",
	"Tổng số ngày muộn",
	"Còn quá hạn",
	"Được miễn",
	"Tỷ lệ đúng hạn",
	"Chưa đến hạn",
	"Tự khai, chờ xác nhận",
}

// The columns of Headers that are not counts.
const (
	nameCol = 0
	rateCol = 7
)

// counts returns a row's counts indexed like Headers; the name and rate
// columns hold 0.
func (r Row) counts() [len(Headers)]int {
	return [len(Headers)]int{0, r.Due, r.OnTime, r.Late, r.DaysLate, r.Overdue, r.Waived, 0, r.NotYetDue, r.Unconfirmed}
}

// utf8BOM starts the CSV. Excel on Windows reads a CSV without a byte order
// mark in the machine's ANSI code page (Windows-1258 on Vietnamese
// systems), which turns "Sở Nội vụ" into mojibake; with the BOM it reads
// UTF-8. LibreOffice and encoding/csv-style readers skip or tolerate it.
const utf8BOM = "\uFEFF"

// WriteCSV writes rows as RFC 4180 CSV (comma separated, CRLF line ends),
// UTF-8 with a byte order mark, with a header row. Agency names are defused
// against formula injection and line breaks (spreadsheetText). The rate is
// a percentage with a dot and one decimal ("85.7%"), which Excel and
// LibreOffice read as a number; it is empty when nothing was owed.
//
// Excel set to a Vietnamese locale expects ';' between fields; the XLSX is
// the format for Excel users, the CSV for other programs.
func WriteCSV(w io.Writer, rows []Row) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(Headers[:]); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, r := range rows {
		rec := make([]string, len(Headers))
		for i, n := range r.counts() {
			switch i {
			case nameCol:
				rec[i] = spreadsheetText(r.Name)
			case rateCol:
				if v, ok := r.Rate(); ok {
					rec[i] = strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
				}
			default:
				rec[i] = strconv.Itoa(n)
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// rateVN formats a rate the Vietnamese way, with a decimal comma: "85,7%";
// "—" when nothing was owed.
func rateVN(r Row) string {
	v, ok := r.Rate()
	if !ok {
		return "—"
	}
	return strings.Replace(strconv.FormatFloat(v*100, 'f', 1, 64), ".", ",", 1) + "%"
}
