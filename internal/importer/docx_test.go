package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// docxBuilder writes a minimal WordprocessingML package, as Word saves one:
// the content types, the package relationships and word/document.xml.
type docxBuilder struct{ body strings.Builder }

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (d *docxBuilder) para(text string) {
	d.body.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + esc(text) + `</w:t></w:r></w:p>`)
}

// dcell is one table cell: its paragraphs, how many grid columns it spans,
// and its vertical merge ("", "restart" or "continue").
type dcell struct {
	paras  []string
	span   int
	vMerge string
}

// run writes a paragraph's text as Word runs: U+2011 (typed as a
// non-breaking hyphen) becomes a w:noBreakHyphen element, as Word saves it.
func run(text string) string {
	parts := strings.Split(esc(text), "\u2011")
	return `<w:t xml:space="preserve">` + strings.Join(parts, `</w:t><w:noBreakHyphen/><w:t xml:space="preserve">`) + `</w:t>`
}

func (d *docxBuilder) table(rows [][]dcell) {
	d.body.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr>`)
	for _, r := range rows {
		d.body.WriteString(`<w:tr>`)
		for _, c := range r {
			d.body.WriteString(`<w:tc><w:tcPr>`)
			if c.span > 1 {
				fmt.Fprintf(&d.body, `<w:gridSpan w:val="%d"/>`, c.span)
			}
			switch c.vMerge {
			case "restart":
				d.body.WriteString(`<w:vMerge w:val="restart"/>`)
			case "continue":
				d.body.WriteString(`<w:vMerge/>`)
			}
			d.body.WriteString(`</w:tcPr>`)
			if len(c.paras) == 0 {
				d.body.WriteString(`<w:p/>`)
			}
			for _, p := range c.paras {
				// Split the run as Word does when formatting changes mid-text.
				half := len([]rune(p)) / 2
				rs := []rune(p)
				d.body.WriteString(`<w:p><w:r><w:rPr><w:b/></w:rPr>` + run(string(rs[:half])) +
					`</w:r><w:r>` + run(string(rs[half:])) + `</w:r></w:p>`)
			}
			d.body.WriteString(`</w:tc>`)
		}
		d.body.WriteString(`</w:tr>`)
	}
	d.body.WriteString(`</w:tbl>`)
}

func (d *docxBuilder) bytes(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="` + wordNS + `"><w:body>` + d.body.String() + `<w:sectPr/></w:body></w:document>`},
	}
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// seedDocx builds the seed decision as a .docx from the shipped schedule's
// appendix rows: the header in its own table, the body's deadline
// paragraph, and the appendix with its columns in another order
// (Thời gian | STT | Chủ trì | Phối hợp | Nhiệm vụ | Ghi chú | Sản phẩm), a two-row header ("Cơ quan thực hiện" over "Chủ trì" and
// "Phối hợp"), section headings in cells merged across the row, and the
// coordinating cell merged down each section.
func seedDocx(t *testing.T, shipped yFile) []byte {
	t.Helper()
	var d docxBuilder
	d.table([][]dcell{
		{{paras: []string{"ỦY BAN NHÂN DÂN", "TỈNH NINH THUẬN"}}, {paras: []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"}}},
		{{paras: []string{"Số: 681/QĐ\u2011UBND"}}, {paras: []string{"Ninh Thuận, ngày 27 tháng 10 năm 2021"}}},
	})
	d.para("QUYẾT ĐỊNH")
	d.para("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính nhà nước tỉnh Ninh Thuận giai đoạn 2021 - 2025.")
	d.para("V. TỔ CHỨC THỰC HIỆN:")
	d.para("1. Trách nhiệm của Thủ trưởng các Sở, ban, ngành; Chủ tịch Ủy ban nhân dân các huyện, thành phố:")
	d.para("a) Xây dựng Kế hoạch cải cách hành chính hàng năm (trước ngày 10/12 của năm trước liền kề năm kế hoạch) của cơ quan, đơn vị, địa phương.")
	d.para("PHỤ LỤC")
	cell := func(s string) dcell { return dcell{paras: strings.Split(s, "\n")} }
	restart := func(s string) dcell { return dcell{paras: []string{s}, vMerge: "restart"} }
	cont := dcell{vMerge: "continue"}
	rows := [][]dcell{
		{restart("THỜI GIAN THỰC HIỆN"), restart("STT"), {paras: []string{"CƠ QUAN THỰC HIỆN"}, span: 2}, restart("NHIỆM VỤ CỤ THỂ"), restart("GHI CHÚ"), restart("KẾT QUẢ, SẢN PHẨM")},
		{cont, cont, cell("Chủ trì"), cell("Phối hợp"), cont, cont, cont},
	}
	prevSec, prevCoord := "", ""
	for _, s := range shipped.Tasks {
		if s.Section == "MT" || s.Section == "TCTH" {
			continue
		}
		if s.Section != prevSec {
			title := ""
			for _, sec := range shipped.Sections {
				if sec.ID == s.Section {
					title = sec.Title
				}
			}
			// Thời gian | STT | (heading merged over the five other columns)
			rows = append(rows, []dcell{{}, cell(s.Section), {paras: []string{title}, span: 5}})
			prevSec, prevCoord = s.Section, ""
		}
		stt := s.ID[strings.LastIndex(s.ID, ".")+1:]
		if len(stt) == 1 && stt[0] >= 'a' && stt[0] <= 'z' {
			stt += ")"
		}
		coord := cell(s.CoordinatingText)
		if s.CoordinatingText == prevCoord {
			coord = dcell{vMerge: "continue"}
		} else {
			coord.vMerge = "restart"
		}
		prevCoord = s.CoordinatingText
		var note dcell
		if s.Note != "" {
			note = cell(s.Note)
		}
		rows = append(rows, []dcell{cell(s.Time), cell(stt), cell(s.LeadText), coord, cell(s.Task), note, cell(s.Product)})
	}
	d.table(rows)
	return d.bytes(t)
}

// TestDocxImportsLikeText: the same rows as a .docx, columns reordered and
// heading cells merged, import to the same schedule as the portal text.
func TestDocxImportsLikeText(t *testing.T) {
	_, dir := shippedDirectory(t)
	shippedBytes, err := os.ReadFile(seedSchedule)
	if err != nil {
		t.Fatal(err)
	}
	shipped := readYAML(t, shippedBytes)
	doc := seedDocx(t, shipped)
	opt := Options{PlanID: "681-QD-UBND-2021", Today: schedule.NewDate(2024, 1, 1)}
	fromDocx, err := Import(doc, dir, opt)
	if err != nil {
		t.Fatalf("Import(docx): %v", err)
	}
	text, err := os.ReadFile(seedText)
	if err != nil {
		t.Fatal(err)
	}
	fromText, err := Import(text, dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	a, b := readYAML(t, fromDocx.YAML), readYAML(t, fromText.YAML)
	if want := "Thời gian | STT | Cơ quan chủ trì | Cơ quan phối hợp | Nhiệm vụ | Ghi chú | Sản phẩm"; strings.Join(fromDocx.Columns, " | ") != want {
		t.Errorf("columns %q, want %q", fromDocx.Columns, want)
	}
	if a.Number != b.Number || a.Issued != b.Issued || a.Title != b.Title || a.Issuer != b.Issuer || a.Period != b.Period || a.Decision != b.Decision {
		t.Errorf("header from docx %+v differs from text %+v", a, b)
	}
	if fmt.Sprint(a.Sections) != fmt.Sprint(b.Sections) {
		t.Errorf("sections from docx %v, from text %v", a.Sections, b.Sections)
	}
	if len(a.Tasks) != len(b.Tasks) {
		t.Fatalf("docx gives %d tasks, text %d", len(a.Tasks), len(b.Tasks))
	}
	for i := range a.Tasks {
		if fmt.Sprintf("%+v", a.Tasks[i]) != fmt.Sprintf("%+v", b.Tasks[i]) {
			t.Errorf("task %d:\ndocx %+v\ntext %+v", i, a.Tasks[i], b.Tasks[i])
		}
	}
	if !strings.Contains(string(fromDocx.YAML), `#   time: "trước ngày 10/12 của năm trước liền kề năm kế hoạch"`) {
		t.Error("the body's deadline is not listed as a candidate")
	}
}

// TestInlineRowsImportLikeText: the appendix typed with each row on one
// line between pipes (as some portals and Markdown give it), columns in
// another order, imports like the portal text.
func TestInlineRowsImportLikeText(t *testing.T) {
	_, dir := shippedDirectory(t)
	shippedBytes, err := os.ReadFile(seedSchedule)
	if err != nil {
		t.Fatal(err)
	}
	shipped := readYAML(t, shippedBytes)
	var sb strings.Builder
	sb.WriteString("ỦY BAN NHÂN DÂN\nTỈNH NINH THUẬN\n|\nSố: 681/QĐ-UBND\n|\nNinh Thuận, ngày 27 tháng 10 năm 2021\n|\n")
	sb.WriteString("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính nhà nước tỉnh Ninh Thuận giai đoạn 2021 - 2025.\n")
	sb.WriteString("PHỤ LỤC\n| STT | Thời gian thực hiện | Cơ quan chủ trì | Nhiệm vụ cụ thể | Cơ quan phối hợp | Kết quả, sản phẩm | Ghi chú |\n|---|---|---|---|---|---|---|\n")
	prev := ""
	for _, s := range shipped.Tasks {
		if s.Section == "MT" || s.Section == "TCTH" {
			continue
		}
		if s.Section != prev {
			for _, sec := range shipped.Sections {
				if sec.ID == s.Section {
					sb.WriteString("| " + sec.ID + " | | | " + sec.Title + " | | | |\n")
				}
			}
			prev = s.Section
		}
		stt := s.ID[strings.LastIndex(s.ID, ".")+1:]
		if stt[0] >= 'a' {
			stt += ")"
		}
		one := func(x string) string { return strings.ReplaceAll(x, "\n", " ") }
		sb.WriteString("| " + strings.Join([]string{stt, s.Time, s.LeadText, one(s.Task), s.CoordinatingText, one(s.Product), s.Note}, " | ") + " |\n")
	}
	opt := Options{PlanID: "681-QD-UBND-2021", Today: schedule.NewDate(2024, 1, 1)}
	inline, err := Import([]byte(sb.String()), dir, opt)
	if err != nil {
		t.Fatalf("Import(inline rows): %v", err)
	}
	text, _ := os.ReadFile(seedText)
	fromText, err := Import(text, dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	a, b := readYAML(t, inline.YAML), readYAML(t, fromText.YAML)
	if fmt.Sprint(a.Sections) != fmt.Sprint(b.Sections) || a.Number != b.Number || a.Title != b.Title {
		t.Errorf("header or sections differ:\n%+v\n%+v", a, b)
	}
	if len(a.Tasks) != len(b.Tasks) {
		t.Fatalf("inline rows give %d tasks, text %d", len(a.Tasks), len(b.Tasks))
	}
	for i := range a.Tasks {
		b.Tasks[i].Product = strings.ReplaceAll(b.Tasks[i].Product, "\n", " ")
		if fmt.Sprintf("%+v", a.Tasks[i]) != fmt.Sprintf("%+v", b.Tasks[i]) {
			t.Errorf("task %d:\ninline %+v\ntext   %+v", i, a.Tasks[i], b.Tasks[i])
		}
	}
}
