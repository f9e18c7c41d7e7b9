package importer

import (
	"fmt"
	"strings"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Options are what the importer is told rather than reads.
type Options struct {
	PlanID string        // the schedule id to give the plan (--plan)
	Source string        // the document's file name, for the draft's header
	Today  schedule.Date // "next due date" is counted from this day
}

// Issue is one thing an admin must review: where in the draft (1-based
// line of the review marker), which task, and why.
type Issue struct {
	Line int
	Task string // "" for the plan's header
	Msg  string
}

// Draft is the draft schedule file and what it leaves for review.
type Draft struct {
	YAML       []byte
	Issues     []Issue
	Sections   int
	Tasks      int
	Candidates int
	// Columns names the appendix's columns in the document's order.
	Columns []string
}

// row is one task of the appendix, read.
type row struct {
	id, section                                 string
	task, product, time, lead, coord, note, stt string
	other                                       []string // "Kinh phí: …" and unknown columns
	leadIDs, coordIDs                           []string
	rule                                        schedule.Rule
	review                                      []string
}

type section struct{ id, title string }

// Import reads a decision (.docx, or text copied from a legal portal) and
// returns a draft schedule. It fails with ErrNoTable when no appendix table
// is found; anything else it cannot read becomes a review marker.
func Import(data []byte, dir *model.Directory, opt Options) (*Draft, error) {
	var doc document
	if isDocx(data) {
		d, err := readDocx(data)
		if err != nil {
			return nil, err
		}
		doc = d
	} else {
		doc = readText(data)
	}
	app, ok := findAppendix(doc)
	if !ok {
		return nil, ErrNoTable
	}
	h := readHeader(doc.lines)
	on := h.issued
	res := newResolver(dir, on)
	sections, rows, tableIssues := readRows(app, res, h)
	cands := findCandidates(doc.lines, app.lineFrom, app.lineTo, res)
	d := &Draft{Sections: len(sections), Tasks: len(rows), Candidates: len(cands)}
	for i, c := range app.cols {
		name := columnNames[c]
		if c == colUnknown || c == colOther {
			name = strings.TrimSpace(app.headers[i])
		}
		d.Columns = append(d.Columns, name)
	}
	w := &writer{opt: opt, h: h}
	w.write(d, sections, rows, cands, tableIssues)
	return d, nil
}

// readRows turns the appendix's rows into sections and tasks: a row whose
// STT is a Roman numeral (or a capital letter) and which gives no time nor
// lead is a section heading; "1" under section I is task "I.1"; "a)" under
// it "I.1.a".
func readRows(app *appendix, res *resolver, h header) ([]section, []row, []string) {
	get := func(r []string, c column) string {
		if i := app.index(c); i >= 0 {
			return r[i]
		}
		return ""
	}
	var issues []string
	var sections []section
	var rows []row
	seenSec := map[string]bool{}
	seenID := map[string]int{}
	sec, lastNum := "", ""
	for _, r := range app.rows {
		stt := cleanSTT(get(r, colSTT))
		kind := classifySTT(stt)
		// A heading's text may sit in any column (a cell merged across the
		// row starts wherever the table's order puts it): a Roman STT with
		// one filled cell, or with no time and no lead, is a heading.
		title, filled := "", 0
		for i, c := range r {
			if app.cols[i] != colSTT && strings.TrimSpace(c) != "" {
				if filled == 0 {
					title = strings.TrimSpace(c)
				}
				filled++
			}
		}
		if kind == sttSection && (filled == 1 || strings.TrimSpace(get(r, colTime)) == "" && strings.TrimSpace(get(r, colLead)) == "") {
			sec, lastNum = stt, ""
			if seenSec[stt] {
				issues = append(issues, fmt.Sprintf("mục %s xuất hiện hai lần trong Phụ lục", stt))
				continue
			}
			seenSec[stt] = true
			sections = append(sections, section{id: stt, title: title})
			continue
		}
		x := row{
			stt: stt, section: sec,
			task: get(r, colTask), product: get(r, colProduct), time: get(r, colTime),
			lead: get(r, colLead), coord: get(r, colCoord), note: get(r, colNote),
		}
		for i, c := range app.cols {
			if (c == colOther || c == colUnknown) && strings.TrimSpace(r[i]) != "" {
				x.other = append(x.other, strings.TrimSpace(app.headers[i])+": "+r[i])
			}
		}
		prefix := ""
		if sec != "" {
			prefix = sec + "."
		}
		switch kind {
		case sttNumber:
			x.id = prefix + stt
			lastNum = x.id
		case sttLetter:
			letter := strings.TrimSuffix(stt, ")")
			if lastNum == "" {
				x.id = prefix + letter
				x.review = append(x.review, "STT “"+stt+"” không đứng sau một dòng đánh số: kiểm tra mã nhiệm vụ")
			} else {
				x.id = lastNum + "." + letter
			}
		default:
			base := lastNum
			if base == "" {
				base = strings.TrimSuffix(prefix, ".")
			}
			if base == "" {
				base = "R"
			}
			x.id = base + ".x"
			x.review = append(x.review, "dòng không có STT đọc được (“"+stt+"”): có thể là phần tiếp theo của dòng trên bị ngắt trang; gộp hoặc đặt mã nhiệm vụ")
		}
		if n := seenID[x.id]; n > 0 {
			seenID[x.id] = n + 1
			x.id = fmt.Sprintf("%s-%d", x.id, n+1)
			x.review = append(x.review, "mã nhiệm vụ trùng với một dòng trước: đặt mã khác")
		} else {
			seenID[x.id] = 1
		}
		if strings.TrimSpace(x.task) == "" {
			x.review = append(x.review, "ô Nhiệm vụ trống")
		}
		x.rule = schedule.Parse(x.time, schedule.Options{})
		if x.rule.Kind == schedule.KindUnresolved {
			x.review = append(x.review, "time: chưa xác định được hạn: "+x.rule.Reason+
				" Bổ sung rule và rule_source khi có văn bản làm căn cứ; nếu để nhiệm vụ ở trạng thái chưa xác định hạn, xóa dòng này")
		}
		if strings.TrimSpace(x.lead) == "" {
			x.review = append(x.review, "lead: ô Cơ quan chủ trì trống")
		} else {
			lr := res.resolve(x.lead)
			x.leadIDs = lr.ids
			for _, u := range lr.unresolved {
				x.review = append(x.review, "lead: "+u)
			}
		}
		if strings.TrimSpace(x.coord) != "" {
			cr := res.resolve(x.coord)
			x.coordIDs = cr.ids
			for _, u := range cr.unresolved {
				x.review = append(x.review, "coordinating: "+u)
			}
		}
		rows = append(rows, x)
	}
	return sections, rows, issues
}
