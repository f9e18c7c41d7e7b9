package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// maxDocumentXML bounds word/document.xml once inflated: a decision is a
// few hundred kilobytes; a ZIP bomb is not read to the end.
const maxDocumentXML = 64 << 20

// wordNS is the WordprocessingML main namespace.
const wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// readDocx reads word/document.xml of a .docx: paragraphs outside tables
// become body lines; each top-level table becomes rows of cells. A cell
// spanning columns (w:gridSpan) fills its first column and leaves the
// others empty; a cell continuing a vertical merge (w:vMerge without
// "restart") repeats the text of the cell it continues, since the merged
// cell applies to every row it covers. Every paragraph, in a table or not,
// is also a body line, so that the header's own table (Số, ngày) is read.
func readDocx(b []byte) (document, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return document{}, fmt.Errorf("tệp .docx không đọc được: %w", err)
	}
	var f *zip.File
	for _, zf := range zr.File {
		if zf.Name == "word/document.xml" {
			f = zf
		}
	}
	if f == nil {
		return document{}, errors.New("tệp .docx không có word/document.xml")
	}
	rc, err := f.Open()
	if err != nil {
		return document{}, fmt.Errorf("tệp .docx không đọc được: %w", err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxDocumentXML+1))
	if err != nil {
		return document{}, fmt.Errorf("tệp .docx không đọc được: %w", err)
	}
	if len(data) > maxDocumentXML {
		return document{}, fmt.Errorf("word/document.xml lớn hơn %d MiB", maxDocumentXML>>20)
	}
	return parseDocumentXML(data)
}

type docxCell struct {
	paras  []string
	span   int
	vMerge string // "", "restart" or "continue"
}

type docxWalker struct {
	doc   document
	depth int // table nesting
	rows  [][]string
	row   []docxCell
	cell  *docxCell
	para  strings.Builder
	inP   bool
	// inText is set inside w:t: w:delText (deleted text) is not read.
	inText bool
	from   int
	// prev is the previous row's text by grid column, for vMerge.
	prev []string
}

func parseDocumentXML(data []byte) (document, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	w := &docxWalker{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return document{}, fmt.Errorf("word/document.xml không hợp lệ: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != wordNS {
				continue
			}
			w.start(t)
		case xml.EndElement:
			if t.Name.Space != wordNS {
				continue
			}
			w.end(t.Name.Local)
		case xml.CharData:
			if w.inP && w.inText {
				w.para.Write(t)
			}
		}
	}
	return w.doc, nil
}

func attr(t xml.StartElement, local string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (w *docxWalker) start(t xml.StartElement) {
	switch t.Name.Local {
	case "tbl":
		w.depth++
		if w.depth == 1 {
			w.rows, w.prev, w.from = nil, nil, len(w.doc.lines)
		}
	case "tr":
		if w.depth == 1 {
			w.row = nil
		}
	case "tc":
		if w.depth == 1 {
			w.cell = &docxCell{span: 1}
		}
	case "gridSpan":
		if w.depth == 1 && w.cell != nil {
			if v, ok := attr(t, "val"); ok {
				if n, err := strconv.Atoi(v); err == nil && n > 1 && n < 64 {
					w.cell.span = n
				}
			}
		}
	case "vMerge":
		if w.depth == 1 && w.cell != nil {
			v, _ := attr(t, "val")
			if v == "" {
				v = "continue"
			}
			w.cell.vMerge = v
		}
	case "p":
		w.inP = true
		w.para.Reset()
	case "t":
		w.inText = true
	case "tab":
		if w.inP {
			w.para.WriteByte('\t')
		}
	case "br", "cr":
		if w.inP {
			w.para.WriteByte('\n')
		}
	case "noBreakHyphen":
		if w.inP {
			w.para.WriteByte('-') // Word's non-breaking hyphen, as in "681/QĐ-UBND"
		}
	}
}

func (w *docxWalker) end(local string) {
	switch local {
	case "t":
		w.inText = false
	case "p":
		w.inP = false
		text := norm.NFC.String(strings.TrimSpace(w.para.String()))
		w.doc.lines = append(w.doc.lines, text)
		if w.depth >= 1 && w.cell != nil && text != "" {
			w.cell.paras = append(w.cell.paras, text)
		}
	case "tc":
		if w.depth == 1 && w.cell != nil {
			w.row = append(w.row, *w.cell)
			w.cell = nil
		}
	case "tr":
		if w.depth == 1 {
			w.endRow()
		}
	case "tbl":
		if w.depth == 1 {
			w.doc.tables = append(w.doc.tables, table{rows: w.rows, lineFrom: w.from, lineTo: len(w.doc.lines)})
			w.rows = nil
		}
		w.depth--
	}
}

// endRow lays the row's cells on the grid: spans leave empty columns,
// vertical merges repeat the text above.
func (w *docxWalker) endRow() {
	var out []string
	for _, c := range w.row {
		text := strings.Join(c.paras, "\n")
		col := len(out)
		if c.vMerge == "continue" && col < len(w.prev) {
			text = w.prev[col]
		}
		out = append(out, text)
		for i := 1; i < c.span; i++ {
			out = append(out, "")
		}
	}
	w.prev = out
	w.rows = append(w.rows, out)
	w.row = nil
}
