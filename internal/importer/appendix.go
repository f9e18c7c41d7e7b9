package importer

import "strings"

// appendix is the table of tasks once found: its columns by role and its
// data rows, each cell verbatim.
type appendix struct {
	cols []column // by position
	// headers are the column labels as printed.
	headers []string
	rows    [][]string
	// lineFrom, lineTo bound the table in document.lines, so that the body's
	// sentences are read outside it.
	lineFrom, lineTo int
}

func (a *appendix) index(c column) int {
	for i, x := range a.cols {
		if x == c {
			return i
		}
	}
	return -1
}

// complete reports whether the columns name at least a task, a time and a
// lead: a table without them is not a plan's appendix.
func complete(cols []column) bool {
	var task, tim, lead bool
	for _, c := range cols {
		task = task || c == colTask
		tim = tim || c == colTime
		lead = lead || c == colLead
	}
	return task && tim && lead
}

// findAppendix returns the first table of the document whose header names
// the task, time and lead columns, whatever their order.
func findAppendix(doc document) (*appendix, bool) {
	for _, t := range doc.tables {
		var a *appendix
		if t.cells != nil {
			a = findFlat(t)
		} else {
			a = findRows(t)
		}
		if a != nil {
			return a, true
		}
	}
	return nil, false
}

// findRows finds the header among a table's first rows. A header may take
// two rows ("Cơ quan thực hiện" above "Chủ trì | Phối hợp"): a second row
// of labels refines the first, column by column.
func findRows(t table) *appendix {
	for h := 0; h < len(t.rows) && h < 4; h++ {
		cols, ok := labelRow(t.rows[h])
		if !ok {
			continue
		}
		headers := append([]string(nil), t.rows[h]...)
		start := h + 1
		if start < len(t.rows) {
			if sub, ok := labelRow(t.rows[start]); ok && len(sub) == len(cols) {
				for i, c := range sub {
					if c != colUnknown {
						cols[i] = c
						headers[i] = t.rows[start][i]
					}
				}
				start++
			}
		}
		if !complete(cols) {
			continue
		}
		a := &appendix{cols: cols, headers: headers, lineFrom: t.lineFrom, lineTo: t.lineTo}
		for _, r := range t.rows[start:] {
			r = padRow(r, len(cols))
			if skipRow(r, cols) {
				continue
			}
			a.rows = append(a.rows, r)
		}
		return a
	}
	return nil
}

// labelRow classifies a row as column labels: every non-empty cell is a
// known label (empty ones are merged header cells) and at least two are.
func labelRow(r []string) ([]column, bool) {
	cols := make([]column, len(r))
	n := 0
	for i, c := range r {
		if strings.TrimSpace(c) == "" {
			continue
		}
		cols[i] = classifyLabel(c)
		if cols[i] == colUnknown {
			return nil, false
		}
		n++
	}
	return cols, n >= 2
}

func padRow(r []string, n int) []string {
	for len(r) < n {
		r = append(r, "")
	}
	return r[:n]
}

// skipRow reports rows that carry no task: empty, a header repeated at a
// page break, or the column numbers "(1) (2) …" some tables print.
func skipRow(r []string, cols []column) bool {
	empty, header, numbers := true, true, true
	for i, c := range r {
		c = strings.TrimSpace(c)
		if c != "" {
			empty = false
		}
		if classifyLabel(c) != cols[i] || c == "" {
			header = false
		}
		n := itoa(i + 1)
		if c != n && c != "("+n+")" {
			numbers = false
		}
	}
	return empty || header || numbers
}

// findFlat cuts the cell stream of portal text into rows. The header is a
// run of cells that are all column labels (the first one read from its
// last lines, since body text runs into it); its length is the row width.
func findFlat(t table) *appendix {
	for i := range t.cells {
		first, used := firstLabel(t.cells[i])
		if first == colUnknown {
			continue
		}
		cols := []column{first}
		headers := []string{joinWrapped(t.cells[i][len(t.cells[i])-used:])}
		j := i + 1
		for ; j < len(t.cells); j++ {
			text := joinWrapped(t.cells[j])
			c := classifyLabel(text)
			if c == colUnknown || classifySTT(text) != sttOther {
				break
			}
			cols = append(cols, c)
			headers = append(headers, text)
		}
		if !complete(cols) {
			continue
		}
		a := &appendix{cols: cols, headers: headers, lineFrom: t.cellAt[i] + len(t.cells[i]) - used}
		n := len(cols)
		stt := a.index(colSTT)
		end := j
		for k := j; k+n <= len(t.cells); k += n {
			r := make([]string, n)
			for c := range n {
				r[c] = joinWrapped(t.cells[k+c])
			}
			if separatorRow(r) {
				end = k + n
				continue // "|---|---|" under a header typed as Markdown
			}
			if stt >= 0 && classifySTT(r[stt]) == sttOther {
				break // the table ended; what follows is another one
			}
			end = k + n
			if skipRow(r, cols) {
				continue
			}
			a.rows = append(a.rows, r)
		}
		a.lineTo = a.lineFrom
		if end > 0 {
			last := end - 1
			a.lineTo = t.cellAt[last] + len(t.cells[last])
		}
		return a
	}
	return nil
}

// firstLabel reads the first header cell from its last one to three lines.
func firstLabel(lines []string) (column, int) {
	for k := 1; k <= 3 && k <= len(lines); k++ {
		if c := classifyLabel(joinWrapped(lines[len(lines)-k:])); c != colUnknown {
			return c, k
		}
	}
	return colUnknown, 0
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// separatorRow reports a row of dashes, as Markdown puts under a header.
func separatorRow(r []string) bool {
	for _, c := range r {
		if strings.Trim(strings.TrimSpace(c), ":-") != "" || !strings.Contains(c, "-") {
			return false
		}
	}
	return true
}
