// Package importer turns a plan as published — a decision's .docx, or its
// text copied from a legal portal — into a draft schedule file: the plan's
// header, one task per row of the appendix table with every cell verbatim,
// agencies resolved against the directory, and review markers wherever the
// document cannot be read with confidence. It is pure: bytes and a
// directory in, a draft out; it never guesses a date or an agency.
package importer

import (
	"bytes"
	"errors"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// ErrNoTable is returned when the document holds no table whose header
// names at least the task, time and lead columns.
var ErrNoTable = errors.New("không tìm thấy bảng phụ lục nhiệm vụ (cần các cột Nhiệm vụ, Thời gian, Cơ quan chủ trì)")

// document is what both readers give: the text outside tables, line by
// line (for the header fields and the body's deadline sentences), and the
// tables as rows of cells.
type document struct {
	lines  []string // body text, one paragraph or wrapped line each, in order
	tables []table
}

// table is a grid of cell texts; a cell's paragraphs are joined by "\n".
type table struct {
	rows [][]string
	// cells is set instead of rows for text copied from a portal, where
	// rows are not marked: the cells (each its lines) come as one stream and
	// rows are cut by the header's width.
	cells [][]string
	// cellAt is, for each of cells, the index in document.lines of its
	// first line; for rows, lineFrom and lineTo bound the table's lines.
	cellAt           []int
	lineFrom, lineTo int
}

// isDocx reports a ZIP container (a .docx is one).
func isDocx(b []byte) bool { return bytes.HasPrefix(b, []byte("PK\x03\x04")) }

// readText reads text copied from a legal portal: each table cell is
// followed by a line holding only "|" (or, on one line, by a "|"); lines
// wrapped by the copy are joined by a space, and a line opening with "- "
// starts a new paragraph of the cell.
func readText(b []byte) document {
	s := norm.NFC.String(strings.ReplaceAll(string(b), "\r\n", "\n"))
	s = strings.TrimPrefix(s, "\uFEFF")
	raw := strings.Split(s, "\n")
	var doc document
	// What precedes a cell boundary is ambiguous in this format: the lines
	// before a table's first "|" are its first cell and also the body's
	// last lines. Body text is therefore every line but the "|", and the
	// table is the stream of cells; the appendix finder cuts it.
	// A row may also come on one line, its cells between pipes ("| 1 | Kế
	// hoạch … | Quý I hằng năm |"): each "|" ends the cell before it, and a
	// pipe that opens a line ends nothing.
	var t table
	start := 0
	for _, l := range raw {
		parts := strings.Split(strings.TrimSpace(l), "|")
		for i, p := range parts {
			p = strings.TrimSpace(p)
			if p != "" || len(parts) == 1 {
				doc.lines = append(doc.lines, p)
			}
			if i == len(parts)-1 || i == 0 && p == "" && start == len(doc.lines) && len(parts) > 2 {
				continue
			}
			t.cells = append(t.cells, doc.lines[start:len(doc.lines):len(doc.lines)])
			t.cellAt = append(t.cellAt, start)
			start = len(doc.lines)
		}
	}
	if len(t.cells) > 0 {
		doc.tables = append(doc.tables, t)
	}
	return doc
}

// joinWrapped joins a cell's lines: wrapped lines with a space, a line that
// opens a list item ("- ", "+ ") with a newline. Empty lines are dropped.
func joinWrapped(lines []string) string {
	var sb strings.Builder
	for _, l := range lines {
		if l == "" {
			continue
		}
		if sb.Len() > 0 {
			if strings.HasPrefix(l, "- ") || strings.HasPrefix(l, "+ ") {
				sb.WriteByte('\n')
			} else {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(l)
	}
	return sb.String()
}
