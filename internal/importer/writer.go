package importer

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// kindVN names a rule's kind for the admin.
var kindVN = map[schedule.Kind]string{
	schedule.KindOneOff: "một lần", schedule.KindAnnual: "hằng năm", schedule.KindSemiannual: "6 tháng",
	schedule.KindQuarterly: "hằng quý", schedule.KindMonthly: "hằng tháng", schedule.KindWeekly: "hằng tuần",
	schedule.KindQuota: "chỉ tiêu số lần", schedule.KindContinuous: "thường xuyên, không có hạn",
	schedule.KindOnDemand: "khi có yêu cầu, chưa có hạn", schedule.KindUnresolved: "chưa xác định",
}

// writer writes the draft in the shape of the shipped schedules, counting
// lines so that each review marker's line can be reported.
type writer struct {
	opt  Options
	h    header
	buf  bytes.Buffer
	line int
}

func (w *writer) printf(format string, a ...any) {
	s := fmt.Sprintf(format, a...)
	w.line += strings.Count(s, "\n")
	w.buf.WriteString(s)
}

// q writes s as a YAML double-quoted scalar: verbatim text survives
// whatever its quotes, colons or line breaks.
func q(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			sb.WriteString(`\"`)
		case r == '\\':
			sb.WriteString(`\\`)
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xFEFF:
			fmt.Fprintf(&sb, `\u%04X`, r)
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

func list(ids []string) string { return "[" + strings.Join(ids, ", ") + "]" }

// review writes a review marker: the loader refuses the file while one is
// left, at the marker's line.
func (w *writer) review(d *Draft, indent, task string, msgs []string) {
	if len(msgs) == 0 {
		return
	}
	w.printf("%s# CẦN XEM XÉT: xử lý từng mục dưới đây rồi xóa khóa review (nhachan check báo lỗi khi còn khóa này).\n", indent)
	w.printf("%sreview:\n", indent)
	for _, m := range msgs {
		d.Issues = append(d.Issues, Issue{Line: w.line + 1, Task: task, Msg: m})
		w.printf("%s  - %s\n", indent, q(m))
	}
}

func (w *writer) write(d *Draft, sections []section, rows []row, cands []candidate, tableIssues []string) {
	h := w.h
	src := w.opt.Source
	if src == "" {
		src = "(không rõ tên tệp)"
	}
	w.printf("# =============================================================================\n")
	w.printf("# BẢN NHÁP LỊCH NHIỆM VỤ do `nhachan import` tạo từ %s\n", src)
	if dt := h.decisionText(false); dt != "" {
		w.printf("# (%s)\n", dt)
	}
	w.printf("# =============================================================================\n")
	w.printf("#\n")
	w.printf("# Các trường task, product, time, lead_text, coordinating_text và note được chép\n")
	w.printf("# nguyên văn từ bảng Phụ lục (chỉ nối các dòng bị ngắt bằng một dấu cách). lead và\n")
	w.printf("# coordinating là mã trong danh mục cơ quan. Bản nháp chỉ ghi điều văn bản nói rõ:\n")
	w.printf("# chỗ nào không đọc được chắc chắn có khóa review; nhachan check không nạp tệp khi\n")
	w.printf("# còn khóa này. Sau khi xem xét: nhachan check, rồi nhachan check --impact.\n")
	w.printf("\n")
	var top []string
	w.printf("id: %s\n", w.opt.PlanID)
	if h.number != "" {
		w.printf("number: %s\n", q(h.number))
	} else {
		top = append(top, "number: không đọc được số ký hiệu của văn bản (dòng “Số: …”); ghi number")
	}
	if h.issuer != "" {
		w.printf("issuer: %s\n", q(h.issuer))
	} else {
		top = append(top, "issuer: không đọc được cơ quan ban hành; ghi issuer")
	}
	if h.title != "" {
		w.printf("title: %s\n", q(h.title))
		if h.titleFromCaps {
			top = append(top, "title: tiêu đề được chuyển từ chữ in hoa; kiểm tra chữ hoa của tên riêng")
		}
	} else {
		top = append(top, "title: không đọc được tên kế hoạch; ghi title")
	}
	if dt := h.decisionText(false); dt != "" {
		w.printf("decision: %s\n", q(dt))
	}
	if h.issued != 0 {
		w.printf("issued: %s\n", h.issued)
	} else {
		top = append(top, "issued: không đọc được ngày ban hành (“…, ngày … tháng … năm …”); ghi issued và period")
	}
	if h.issued != 0 && h.until != 0 && h.until >= h.issued {
		w.printf("# Giai đoạn: từ ngày ký ban hành đến hết năm cuối của kế hoạch (theo tên kế hoạch).\n")
		w.printf("period: {from: %s, until: %s}\n", h.issued, h.until)
	} else {
		top = append(top, "period: không đọc được giai đoạn của kế hoạch (“giai đoạn 2026 - 2030”, “năm 2026”); ghi period")
	}
	w.printf("strict_before: false\n")
	w.printf("# follow_up: mã cơ quan thường trực theo dõi, đôn đốc (ví dụ Sở Nội vụ), nếu văn bản giao.\n")
	for _, m := range tableIssues {
		top = append(top, "Phụ lục: "+m)
	}
	w.review(d, "", "", top)
	w.printf("\n")

	w.printf("# Các cột của Phụ lục theo thứ tự trong văn bản: %s.\n", strings.Join(d.Columns, " | "))
	if len(sections) > 0 {
		w.printf("sections:\n")
		for _, s := range sections {
			w.printf("  - {id: %s, title: %s}\n", q(s.id), q(s.title))
		}
	}
	w.printf("\ntasks:\n")
	cur := "\x00"
	basis := h.decisionText(true)
	for _, r := range rows {
		if r.section != cur {
			cur = r.section
			title := ""
			for _, s := range sections {
				if s.id == cur {
					title = s.title
				}
			}
			w.printf("\n  # ---------- Mục %s Phụ lục: %s ----------\n", cur, title)
		}
		w.printf("\n  - id: %s\n", q(r.id))
		w.printf("    section: %s\n", q(r.section))
		w.printf("    task: %s\n", q(r.task))
		w.printf("    product: %s\n", q(r.product))
		w.printf("    # %s\n", w.reading(r.rule))
		w.printf("    time: %s\n", q(r.time))
		w.printf("    lead_text: %s\n", q(r.lead))
		w.printf("    lead: %s\n", list(r.leadIDs))
		w.printf("    coordinating_text: %s\n", q(r.coord))
		w.printf("    coordinating: %s\n", list(r.coordIDs))
		for _, o := range r.other {
			w.printf("    # %s\n", strings.ReplaceAll(o, "\n", " "))
		}
		w.printf("    note: %s\n", q(r.note))
		if basis != "" {
			w.printf("    legal_basis: %s\n", q("Mục "+r.id+" Phụ lục kèm theo "+basis))
		}
		w.review(d, "    ", r.id, r.review)
	}
	w.candidates(cands)
	d.YAML = w.buf.Bytes()
}

// reading says how the time cell reads: its kind and the next due date in
// the plan's period, counted from Options.Today.
func (w *writer) reading(r schedule.Rule) string {
	s := "Thời gian: " + kindVN[r.Kind] + " (" + string(r.Kind) + ")."
	if r.Kind == schedule.KindUnresolved {
		return s + " " + oneLine(r.Reason)
	}
	s += " " + oneLine(r.Reason)
	if !r.Kind.HasDueDates() {
		return s
	}
	from := max(w.opt.Today, w.h.issued)
	to := w.h.until
	if to == 0 {
		to = schedule.MaxDate
	}
	if occ := r.Between(from, to); len(occ) > 0 {
		return s + " Hạn kế tiếp: " + occ[0].Due.VN() + " (kỳ " + occ[0].Period + ")."
	}
	return s + " Không còn hạn nào từ " + from.VN() + " đến hết giai đoạn kế hoạch."
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// candidates lists the body's deadline sentences, commented out: each
// becomes a task only if an admin uncomments and completes it.
func (w *writer) candidates(cands []candidate) {
	if len(cands) == 0 {
		return
	}
	w.printf("\n  # ---------- Ứng viên từ phần nội dung của văn bản (chưa được nạp) ----------\n")
	w.printf("  # Các câu dưới đây đặt thời hạn cho cơ quan được nêu tên. Nếu là nhiệm vụ cần theo\n")
	w.printf("  # dõi: bỏ dấu #, đặt id, section, product, note, legal_basis, kiểm tra lead.\n")
	for i, c := range cands {
		r := schedule.Parse(c.time, schedule.Options{})
		w.printf("\n  # - id: \"ND.%d\"\n", i+1)
		w.printf("  #   task: %s\n", q(c.text))
		w.printf("  #   # %s\n", w.reading(r))
		w.printf("  #   time: %s\n", q(c.time))
		w.printf("  #   lead_text: %s\n", q(c.agencies))
		w.printf("  #   lead: %s\n", list(c.ids))
		for _, u := range c.unreadFor {
			w.printf("  #   # chưa xác định: %s\n", u)
		}
	}
}
