package schedule

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Sentences. Report regimes and plans often write the deadline inside a
// sentence, after its subject: "Báo cáo kết quả thực hiện gửi Sở Nội vụ
// trước ngày 12/11 hằng năm", "Thời hạn ban hành kế hoạch là trước ngày
// 05/12 hằng năm". When the whole text does not read as a time expression,
// Parse reads it again as a sentence: the time clause starts at an anchor
// (a word that introduces a deadline: "trước", "chậm nhất", "thời hạn",
// "ngày 15", "khi … yêu cầu"), words the grammar does not know are the
// sentence's own and are skipped, and periods named before the anchor are
// the subject's ("Báo cáo quý I/2022 gửi trước ngày 15/01/2023": the
// deadline is 15/01/2023, not the end of the quarter). Only cycles named
// there ("Báo cáo năm …", "Định kỳ hằng quý, …") are kept.
//
// Words that make a date relative to something else ("kể từ", "sau khi",
// "ngày làm việc"), that name a data cut-off ("số liệu") or that offer a
// choice ("hoặc") are never skipped: the sentence stays unresolved.

// anchorAt reports whether a time clause starts at token k.
func (p *parser) anchorAt(k int) bool {
	switch {
	case p.word(k, "truoc") && !p.word(k+1, "khi"),
		p.seq(k, "cham", "nhat"), p.seq(k, "muon", "nhat"),
		p.seq(k, "han", "chot"), p.seq(k, "han", "cuoi"), p.seq(k, "thoi", "han"),
		p.seq(k, "khong", "muon", "hon"), p.seq(k, "den", "het"),
		p.seq(k, "thuong", "xuyen") && !p.seq(k-2, "khen", "thuong"), p.seq(k, "lien", "tuc"), p.seq(k, "hang", "ngay"),
		p.word(k, "khi"), p.seq(k, "dot", "xuat") && !p.inspectionKind(k), p.seq(k, "theo", "yeu", "cau"),
		(p.seq(k, "it", "nhat") || p.seq(k, "toi", "thieu")) && !p.percentAt(k+2),
		p.word(k, "tet") && (p.word(k-1, "truoc") || p.word(k-1, "sau") || p.word(k-1, "dip")), p.seq(k, "chu", "nhat"):
		return true
	case p.word(k, "vao") || p.word(k, "trong"):
		// "… vào tháng 7 hằng năm", "… trong Quý III/2026": a period the
		// work is done in.
		n := p.tok(k + 1)
		return n.kind == tWord && (unitWord(n.text) != uNone || n.text == "ngay" || n.text == "dau" ||
			n.text == "giua" || n.text == "cuoi" || n.text == "thu")
	case p.word(k, "moi") && unitWord(p.tok(k+1).text) != uNone:
		// "… họp thường kỳ mỗi tháng một lần": a stated frequency.
		return (p.word(k+2, "mot") || (p.tok(k+2).kind == tNum && p.tok(k+2).num == 1)) && p.word(k+3, "lan")
	case k == 0 && p.seq(k, "truong", "hop"):
		return p.caseClause()
	case p.seq(k, "neu", "co") && spelledAs(p.tok(k).raw, "nếu", "neu") && !isOpenParen(p.tok(k-1)):
		// "Trong quá trình vận dụng nếu có gì vướng mắc, đề nghị phản ánh
		// lại …": done when the case arises.
		return p.caseClause()
	case p.word(k, "den") && p.word(k+1, "nam"):
		// "Đến năm 2025 ít nhất 80% hồ sơ …": a target year.
		_, ok := p.yearAt(k + 2)
		return ok
	case p.word(k, "hang") && unitWord(p.tok(k+1).text) != uNone:
		// "Định kỳ hàng năm tham mưu tổ chức sơ, tổng kết …", "sơ kết hằng
		// năm", "Báo cáo chuyên đề thực hiện hằng năm": a cycle that opens
		// the sentence, follows a two-word duty or says how often it is
		// done says when the duty falls, as the same words do alone in a
		// plan's time column.
		if k == 0 || (k == 2 && p.seq(0, "dinh", "ky")) || p.seq(k-2, "thuc", "hien") {
			return true
		}
		return k == 2 && p.tok(0).kind == tWord && p.tok(1).kind == tWord && !timeWords[p.tok(0).text] && !timeWords[p.tok(1).text] &&
			!p.seq(0, "bao", "cao")
	case p.word(k, "ngay") || p.word(k, "mung") || p.word(k, "mong"):
		return p.tok(k+1).kind == tNum
	case p.word(k, "thu"):
		t := p.tok(k + 1)
		return t.kind == tNum || (t.kind == tWord && strings.Contains(" hai ba tu nam sau bay ", " "+t.text+" "))
	case p.tok(k).kind == tNum:
		// A date written alone: "31/12", "15 tháng 3" (not "6 tháng").
		return (p.tok(k+1).kind == tSlash || p.word(k+1, "thang")) && p.tok(k+2).kind == tNum
	case p.word(k, "dau") || p.word(k, "giua") || p.word(k, "cuoi"):
		// Not "đầu tuần" (the Civil Code gives it no day) nor "đầu năm học".
		u := unitWord(p.tok(k + 1).text)
		return (u != uNone && u != uWeek && !p.seq(k+1, "nam", "hoc")) || p.word(k+1, "moi") || p.word(k+1, "hang")
	}
	return false
}

// hasNumber reports a number anywhere in the text.
func (p *parser) hasNumber() bool {
	for _, t := range p.toks {
		if t.kind == tNum {
			return true
		}
	}
	return false
}

// hasDay reports a day anywhere in the text: "ngày 15", "15/12".
func (p *parser) hasDay() bool {
	for k := range p.toks {
		if (p.word(k, "ngay") && p.tok(k+1).kind == tNum) || (p.tok(k).kind == tNum && p.tok(k+1).kind == tSlash && p.tok(k+2).kind == tNum) {
			return true
		}
	}
	return false
}

// dataDate reads, from k, "[là] [thời điểm] [ngày] D/M[/Y]" — the date a
// report's figures stand at — when a deadline ("thời hạn", "trước ngày",
// "chậm nhất") follows it; it returns the index past the date, or 0. The
// day and month are kept: a yearly deadline earlier in the year than the
// figures' date falls in the year after.
func (p *parser) dataDate(k int) int {
	if p.anchored {
		return 0
	}
	if p.word(k, "la") {
		k++
	}
	if p.seq(k, "thoi", "diem") {
		k += 2
	}
	if p.word(k, "ngay") {
		k++
	}
	if p.tok(k).kind != tNum || p.tok(k+1).kind != tSlash || p.tok(k+2).kind != tNum {
		return 0
	}
	d, m := p.tok(k).num, p.tok(k+2).num
	end := k + 3
	if p.tok(end).kind == tSlash && p.tok(end+1).kind == tNum {
		end += 2
	}
	for j := end; j < len(p.toks); j++ {
		if p.seq(j, "thoi", "han") || (p.word(j, "truoc") && p.word(j+1, "ngay")) || p.seq(j, "cham", "nhat") {
			p.f.dataDay = dayMonth{d, m}
			return end
		}
	}
	return 0
}

// spelledAs reports whether raw is word as written, or its letters with
// no marks at all (which may be either word, and is taken as this one):
// "trừ" (except) and not "trú" (nội trú), "nếu" (if) and not "nêu" (nêu
// trên).
func spelledAs(raw, word, plain string) bool {
	s := strings.ToLower(norm.NFC.String(raw))
	return s == word || s == plain
}

// escapeClause reads, from k (after "trừ trường hợp"), up to twelve words
// ending in "hướng dẫn khác", "quy định khác" or "yêu cầu khác", and the text's
// end after them; it returns the index past them, or 0.
func (p *parser) escapeClause(k int) int {
	for j := k; j < len(p.toks) && j < k+12; j++ {
		if p.seq(j, "huong", "dan", "khac") || p.seq(j, "quy", "dinh", "khac") || p.seq(j, "yeu", "cau", "khac") {
			for e := j + 3; e < len(p.toks); e++ {
				if p.toks[e].kind != tSep {
					return 0
				}
			}
			return len(p.toks)
		}
		if p.tok(j).kind == tNum {
			return 0
		}
	}
	return 0
}

// cutoffWords reports a "số liệu" at k that names a data cut-off: "chốt số
// liệu", "lấy số liệu", "số liệu tính từ …", "số liệu từ ngày …", "số liệu
// đến ngày …", "số liệu: …". Elsewhere ("gửi báo cáo số liệu cải cách hành
// chính năm 2015 … trước ngày 18/11/2016") the words name what is sent.
func (p *parser) cutoffWords(k int) bool {
	if p.word(k-1, "chot") || p.word(k-1, "lay") || p.seq(k-2, "thoi", "diem") {
		return true
	}
	n := p.tok(k + 2)
	return p.word(k+2, "tinh") || p.word(k+2, "tu") || p.word(k+2, "den") || p.word(k+2, "ngay") ||
		p.seq(k+2, "bao", "cao") || (n.kind == tSep && n.raw == ":")
}

// percentAt reports a number followed by "%" at k.
func (p *parser) percentAt(k int) bool {
	return p.tok(k).kind == tNum && p.tok(k+1).kind == tOther && p.tok(k+1).raw == "%"
}

// periodWords name periods: inside a time clause they are never skipped.
var periodWords = map[string]bool{"thang": true, "quy": true, "nam": true, "tuan": true, "ky": true, "ngay": true}

// plainAfterYear: words after "của năm" that say nothing about time.
var plainAfterYear = map[string]bool{"tren": true, "gui": true, "va": true, "cho": true}

// relativeWords make a deadline depend on an event or a count of days, or
// say something other than a deadline: never skipped in a sentence.
var relativeWords = [][]string{
	{"ke", "tu"}, {"sau", "khi"}, {"khi"}, {"lam", "viec"},
	{"trong", "vong"}, {"khong", "qua"}, {"tiep", "theo"}, {"ke", "tiep"}, {"lien", "ke"},
	// An exception or a condition: "riêng tháng 12 …", "trừ trường hợp …", "nếu …".
	{"rieng"}, {"tru"}, {"ngoai", "tru"}, {"neu"}, {"truong", "hop"},
}

// skipWord skips an unknown word of a sentence, or fails on one that
// changes what the time clause means.
func (p *parser) skipWord() bool {
	t := p.tok(p.i)
	switch {
	case t.kind == tOther:
		// A symbol of the sentence's other words: "(%)", an e-mail address.
		p.i++
		p.skipped++
		if p.anchored {
			p.gap = true
		}
		return true
	case p.percentAt(p.i):
		// "80%": a share, not a date or a count of inspections.
		p.i += 2
		p.skipped += 2
		if p.anchored {
			p.gap = true
		}
		return true
	case !p.anchored && t.kind == tNum && p.word(p.i+1, "thang") && p.tok(p.i+2).kind != tNum && p.tok(p.i+2).kind != tSlash:
		// "Báo cáo 6 tháng năm 2021: …", "Báo cáo … 6 tháng, 9 tháng và
		// năm là …": a count of months naming the report, before the time
		// clause.
		p.i += 2
		p.skipped += 2
		return true
	case !p.anchored && t.kind == tNum && p.i > 0 && p.tok(p.i-1).kind == tWord && !timeWords[p.tok(p.i-1).text] &&
		!periodWords[p.tok(p.i-1).text] && p.tok(p.i+1).kind != tSlash && p.tok(p.i+1).kind != tDash:
		// "tuyển sinh vào lớp 6 …", "khoản 2 Điều 12": a number of the
		// subject, before the time clause.
		p.i++
		p.skipped++
		return true
	case t.kind != tWord:
		return false // a number or a sign the grammar does not place
	}
	switch {
	case p.seq(p.i, "so", "lieu") && p.cutoffWords(p.i):
		p.fatal = true
		return p.setFail(reasonCutoffText(p.expr))
	case (p.seq(p.i, "khan", "truong") || p.seq(p.i, "kip", "thoi")) && !p.hasDay():
		// "cần khẩn trương nộp báo cáo theo yêu cầu", "kịp thời báo cáo":
		// at once, on no date. With a day ("khẩn trương hoàn chỉnh …, báo
		// cáo Thủ tướng Chính phủ trước ngày 30 tháng 5 năm 2011") the words
		// only urge it.
		p.fatal = true
		return p.setFail(reasonUrgent(p.expr))
	case p.seq(p.i, "tinh", "den"):
		// "tính đến thời điểm ngày 31/12/2021": the date the figures are
		// counted to, not a deadline.
		if end := p.dataDate(p.i + 2); end > 0 {
			p.skipped += end - p.i
			p.i = end
			return true
		}
		p.fatal = true
		return p.setFail(reasonCutoffText(p.expr))
	case p.seq(p.i, "thoi", "diem") && !p.seq(p.i+2, "ket", "thuc"):
		// "Thời điểm báo cáo là 31/12; thời hạn gửi báo cáo là 15/1 hàng năm".
		k := p.i + 2
		if p.seq(k, "bao", "cao") || p.seq(k, "so", "lieu") {
			k += 2
		}
		if p.seq(k, "lay", "so", "lieu") || p.seq(k, "chot", "so", "lieu") {
			k += 3
		}
		if end := p.dataDate(k); end > 0 {
			p.skipped += end - p.i
			p.i = end
			return true
		}
		p.fatal = true
		return p.setFail(reasonCutoffText(p.expr))
	case p.word(p.i, "tru") && !spelledAs(t.raw, "trừ", "tru"):
		// "dân tộc nội trú": not "trừ" (except).
		p.i++
		p.skipped++
		if p.anchored {
			p.gap = true
		}
		return true
	case p.seq(p.i, "tru", "truong", "hop") && p.escapeClause(p.i+3) > 0:
		// "…, trừ trường hợp Thanh tra Chính phủ có hướng dẫn khác": the
		// deadline holds unless another instruction comes.
		end := p.escapeClause(p.i + 3)
		p.skipped += end - p.i
		p.i = end
		p.f.unlessOther = true
		return true
	case t.text == "hoac" && p.hasNumber():
		return false // a choice of dates: reported as not understood
	case t.text == "hoac":
		// "khi có yêu cầu của cơ quan cấp trên hoặc của Thanh tra Chính
		// phủ": with no number in the text, a choice of who asks.
		p.i++
		p.skipped++
		return true
	case (t.text == "thang" || t.text == "quy" || t.text == "ngay" || t.text == "nam" || t.text == "tuan") &&
		p.tok(p.i+1).kind == tWord && monthNameWords[p.tok(p.i+1).text]:
		return false // a date in words, "ngày 15 tháng sáu": not read, never skipped
	case t.text == "sau" && !isSixSpelling(t.raw), t.text == "truoc":
		// "đầu tháng sau", "cuối năm trước": a shift this reading does not place.
		p.fatal = true
		return p.setFail(reasonRelative(p.expr, t.raw))
	}
	if p.seq(p.i, "tu", "ngay") || p.seq(p.i, "tinh", "tu") {
		if end := p.coveredPeriod(); end > 0 {
			// "… định kỳ hằng năm (kỳ báo cáo tính từ ngày 01 tháng 01 đến
			// hết ngày 31 tháng 12) trước ngày 15 tháng 01 của năm tiếp
			// theo": before the time clause, the words in parentheses say
			// which period the report covers, not when it is due.
			p.skipped += end - p.i
			p.i = end
			return true
		}
		if end := p.windowBeforeDeadline(); end > 0 {
			// "lập danh sách lãnh đạo trực Tết từ ngày 10/02 đến hết ngày
			// 16/02/2021 gửi về UBND tỉnh trước ngày 30/01/2021": the window
			// is what the report is about; the deadline follows it.
			p.skipped += end - p.i
			p.i = end
			return true
		}
		// "từ ngày 15 … đến ngày 14": a window, such as a data cut-off.
		p.fatal = true
		return p.setFail(reasonRange(p.expr))
	}
	for _, ws := range relativeWords {
		if ws[0] == "tru" && p.i > 0 && p.word(p.i-1, "khau") {
			continue // "khấu trừ", a deduction, not "trừ" (except)
		}
		if ws[0] == "neu" && p.word(p.i+1, "co") && isOpenParen(p.tok(p.i-1)) && (isCloseParen(p.tok(p.i+2)) || p.tok(p.i+2).kind == tEOF) {
			continue // "(nếu có)": where there is any, not a condition on the date
		}
		if ws[0] == "neu" && !spelledAs(t.raw, "nếu", "neu") {
			continue // "nêu trên" (stated above), not "nếu" (if)
		}
		if ws[0] == "rieng" && p.i == 0 {
			// "Riêng hồ sơ đề nghị … gởi trước ngày 28/02 năm sau": a
			// sentence opening with "Riêng" names its own subject and
			// gives it its own deadline.
			continue
		}
		if p.seq(p.i, ws...) {
			p.fatal = true
			return p.setFail(reasonRelative(p.expr, strings.Join(rawWords(p.toks[p.i:p.i+len(ws)]), " ")))
		}
	}
	if p.seq(p.i, "quy", "dinh") || p.seq(p.i, "dang", "ky") {
		// "quy định" (a rule), not "quý": "… đúng thời hạn quy định";
		// "đăng ký" (register), not "kỳ": "… cơ quan đăng ký hợp tác xã".
		p.i += 2
		p.skipped += 2
		if p.anchored {
			p.gap = true
		}
		return true
	}
	if p.anchored && t.text == "nam" && p.i > 0 && p.word(p.i-1, "cua") && p.f.has&fRecur != 0 && p.f.recur == uYear &&
		p.tok(p.i+1).kind == tWord && plainAfterYear[p.tok(p.i+1).text] {
		// "Chậm nhất vào ngày 18 tháng 12 hàng năm, … kết quả phân loại,
		// đánh giá hợp tác xã của năm trên địa bàn huyện …": after a yearly
		// duty, "của năm" and a word that is not about time names that same
		// year again.
		p.i++
		p.skipped++
		p.gap = true
		return true
	}
	if p.anchored && periodWords[t.text] && !(p.gap && p.onlyPrefix(p.f)) {
		// A period word inside the time clause that no clause could place
		// ("tháng cuối kỳ báo cáo"): skipping it would change the date. (Not
		// in the words between "Thời hạn" and its date: "Thời hạn nộp hồ sơ
		// khai thuế quý chậm nhất là …" names the declaration.)
		return false
	}
	p.i++
	p.skipped++
	p.dashed, p.lastItem = false, false // words between: no range
	if p.anchored {
		p.gap = true
	}
	return true
}

// windowBeforeDeadline: at "từ ngày A đến [hết] [ngày] B" before the time
// clause, with "trước" or "chậm nhất" after it, the index just past B; 0
// otherwise.
func (p *parser) windowBeforeDeadline() int {
	if p.anchored || !p.seq(p.i, "tu", "ngay") {
		return 0
	}
	k := p.i + 2
	for ; k < len(p.toks) && k < p.i+10 && !p.word(k, "den"); k++ {
	}
	if !p.word(k, "den") {
		return 0
	}
	k++
	if p.word(k, "het") {
		k++
	}
	if p.word(k, "ngay") {
		k++
	}
	if p.tok(k).kind != tNum {
		return 0
	}
	k++
	for n := 0; n < 2 && p.tok(k).kind == tSlash && p.tok(k+1).kind == tNum; n++ {
		k += 2
	}
	for j := k; j < len(p.toks); j++ {
		if p.seq(j, "so", "lieu") || p.seq(j, "tu", "ngay") {
			return 0
		}
		if (p.word(j, "truoc") && p.word(j+1, "ngay")) || p.seq(j, "cham", "nhat") {
			return k
		}
	}
	return 0
}

// caseClause reports a sentence that opens with "Trường hợp" and names no
// number: a duty done when the case arises ("trường hợp có khó khăn vướng
// mắc báo cáo Ủy ban nhân dân tỉnh … để xem xét, chỉ đạo"), on demand.
func (p *parser) caseClause() bool {
	for _, t := range p.toks {
		if t.kind == tNum {
			return false
		}
	}
	return true
}

// coveredPeriod: at a window that opens "(kỳ báo cáo tính từ …" before
// the time clause, the index of its ")"; 0 otherwise.
func (p *parser) coveredPeriod() int {
	if p.anchored && !p.opening {
		return 0
	}
	open := -1
	for k := p.i - 1; k >= 0; k-- {
		if isCloseParen(p.toks[k]) {
			return 0
		}
		if isOpenParen(p.toks[k]) {
			open = k
			break
		}
	}
	if open < 0 || !p.seq(open+1, "ky", "bao", "cao") || p.i > open+4 {
		return 0
	}
	for j := p.i; j < len(p.toks); j++ {
		if isOpenParen(p.toks[j]) {
			return 0
		}
		if isCloseParen(p.toks[j]) {
			return j
		}
	}
	return 0
}

func isOpenParen(t token) bool  { return t.kind == tSep && (t.raw == "(" || t.raw == "（") }
func isCloseParen(t token) bool { return t.kind == tSep && (t.raw == ")" || t.raw == "）") }

func rawWords(toks []token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = displayRaw(t.raw)
	}
	return out
}

// reportCycle: "báo cáo [định kỳ] [hằng|mỗi] năm|quý|tháng|tuần|6 tháng",
// the name of a periodic report, which says its cycle: "Báo cáo năm gửi
// trước ngày 15/12", "… đối với báo cáo định kỳ hằng tháng". A named period
// ("Báo cáo quý I/2022") is not a cycle and is left to the other clauses.
func (p *parser) reportCycle() bool {
	if !p.seq(p.i, "bao", "cao") {
		return false
	}
	k := p.i + 2
	if p.seq(k, "dinh", "ky") {
		k += 2
	}
	if p.word(k, "hang") || p.word(k, "moi") {
		k++
	}
	if p.sentence {
		// "Báo cáo công tác cải cách hành chính 6 tháng …": the report's
		// name may stand between; it holds no time word.
		for j := 0; j < 6 && p.tok(k).kind == tWord && !p.cycleAt(k) && !timeWords[p.tok(k).text]; j++ {
			k++
		}
	}
	u := uNone
	switch {
	case p.isSix(k) && p.word(k+1, "thang") && !p.word(k+2, "cuoi"):
		// "Báo cáo 6 tháng", "Báo cáo sơ kết 6 tháng đầu năm": NĐ 09/2019's
		// six-month report, the first half's.
		u, k = uHalf, k+2
		if p.word(k, "dau") {
			k++
			if p.word(k, "nam") && p.tok(k+1).kind != tNum {
				k++
			}
		}
	case p.tok(k).kind == tWord && unitWord(p.tok(k).text) != uNone && !p.seq(k, "quy", "dinh"):
		u, k = unitWord(p.tok(k).text), k+1
	default:
		return false // "báo cáo theo quy định": a rule, not quý
	}
	// "báo cáo năm 2024", "báo cáo quý I", "báo cáo tháng 6": a named period.
	next := p.tok(k)
	if next.kind == tNum || (u == uQuarter && next.kind == tWord && romanValue(next.text) > 0) {
		return false
	}
	if _, ok := p.yearAt(k + 1); ok && u != uYear && p.word(k, "nam") {
		return false // "Báo cáo 6 tháng năm 2021", "báo cáo quý năm 2024": a named period
	}
	p.i = k
	p.setRecur(u)
	p.f.reportName = true
	return true
}

// timeWords may not stand in a report's name between "báo cáo" and its cycle.
var timeWords = map[string]bool{"truoc": true, "sau": true, "ngay": true, "thang": true, "quy": true, "nam": true,
	"tuan": true, "ky": true, "dinh": true, "hang": true, "moi": true, "cham": true, "han": true, "den": true,
	"tu": true, "trong": true, "khi": true, "dau": true, "giua": true, "cuoi": true, "thu": true, "tet": true, "gui": true}

func (p *parser) cycleAt(k int) bool {
	return (p.isSix(k) && p.word(k+1, "thang")) || (p.tok(k).kind == tWord && unitWord(p.tok(k).text) != uNone && !p.seq(k, "quy", "dinh"))
}

// tet: "Tết [Nguyên đán|Âm lịch|cổ truyền]". Only "trước Tết" gives a
// date (the last day of the lunar year); build checks it.
func (p *parser) tet() bool {
	if !p.word(p.i, "tet") {
		return false
	}
	if p.sentence && !(p.word(p.i-1, "truoc") || p.word(p.i-1, "sau") || p.word(p.i-1, "dip")) {
		// "lãnh đạo trực Tết", "từng ngày Tết": the sentence's words.
		return false
	}
	k := p.i + 1
	switch {
	case p.seq(k, "co", "truyen", "nguyen", "dan"):
		k += 4
	case p.seq(k, "nguyen", "dan"), p.seq(k, "am", "lich"), p.seq(k, "co", "truyen"):
		k += 2
	}
	// "Tết Nguyên đán Bính Ngọ 2026": the year's name, checked against the
	// year when one follows.
	if c, ok := canIndex[p.tok(k).text]; ok && p.tok(k).kind == tWord {
		if z, ok := chiIndex[p.tok(k+1).text]; ok && p.tok(k+1).kind == tWord {
			if y, ok := p.yearAt(k + 2); ok && ((y+6)%10 != c || !branchIs((y+8)%12, z)) {
				p.i = k + 3
				return p.setFail(reasonCanChi(p.expr, p.tok(k).raw+" "+p.tok(k+1).raw, y))
			}
			k += 2
		}
	}
	p.i = k
	if p.f.has&fTet != 0 {
		return p.conflict()
	}
	p.mark(fTet)
	return true
}

// The heavenly stems and earthly branches that name a lunar year: year y is
// stem (y+6)%10 and branch (y+8)%12 (2026: Bính Ngọ).
var canIndex = map[string]int{"giap": 0, "at": 1, "binh": 2, "dinh": 3, "mau": 4, "ky": 5, "canh": 6, "tan": 7, "nham": 8, "quy": 9}
var chiIndex = map[string]int{"ty": -1, "suu": 1, "dan": 2, "mao": 3, "meo": 3, "thin": 4, "ti": 5, "ngo": 6,
	"mui": 7, "than": 8, "dau": 9, "tuat": 10, "hoi": 11}

// branchIs reports whether branch b is the one named z; -1 is "ty", which
// without its mark is Tý (0) or Tỵ (5).
func branchIs(b, z int) bool { return b == z || (z == -1 && (b == 0 || b == 5)) }

// quoteRead returns the words the clauses of a sentence read, as the text
// writes them: runs of read tokens joined by "…".
func (p *parser) quoteRead() string {
	var parts []string
	a, b := -1, -1
	flush := func() {
		if a >= 0 {
			parts = append(parts, strings.TrimSpace(p.expr[p.toks[a].start:p.toks[b-1].end]))
		}
	}
	for _, r := range p.read {
		if r[0] >= r[1] {
			continue
		}
		if a >= 0 && p.onlySeps(b, r[0]) {
			b = r[1]
			continue
		}
		flush()
		a, b = r[0], r[1]
	}
	flush()
	return display(strings.Join(parts, " … "))
}

func (p *parser) onlySeps(from, to int) bool {
	for k := from; k < to; k++ {
		if k < len(p.toks) && p.toks[k].kind != tSep && p.toks[k].kind != tDash {
			return false
		}
	}
	return true
}

// Number words. NĐ 09/2019/NĐ-CP and the regimes under it write numbers
// followed by their words: "ngày 12 (mười hai)", "06 (sáu) tháng". The
// words are checked against the digits and dropped; when they disagree the
// text is unresolved, since either may be the typo.

var unitWords = map[string]int{
	"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5, "nham": 5,
	"sau": 6, "bay": 7, "tam": 8, "chin": 9,
}

// wordsValue reads a Vietnamese number from 1 to 99 written in words.
func wordsValue(ws []string) (int, bool) {
	unit := func(w string, after bool) (int, bool) {
		v, ok := unitWords[w]
		if !ok || (!after && (w == "lam" || w == "nham")) {
			return 0, false
		}
		if !after && w == "tu" {
			return 0, false // "tư" is four only after "mươi"
		}
		return v, true
	}
	switch {
	case len(ws) == 1 && ws[0] == "muoi":
		return 10, true
	case len(ws) == 1:
		return unit(ws[0], false)
	case len(ws) == 2 && ws[0] == "muoi":
		u, ok := unit(ws[1], true)
		return 10 + u, ok && ws[1] != "tu"
	case len(ws) == 2 && ws[1] == "muoi":
		t, ok := unit(ws[0], false)
		return 10 * t, ok && t > 1
	case len(ws) == 3 && ws[1] == "muoi":
		t, ok1 := unit(ws[0], false)
		u, ok2 := unit(ws[2], true)
		return 10*t + u, ok1 && ok2 && t > 1
	}
	return 0, false
}

// dropNumberWords removes "(words)" after a number when the words say the
// same number. It reports the raw text of a group whose words name another
// number.
func dropNumberWords(toks []token) ([]token, string) {
	out := toks[:0:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		out = append(out, t)
		if t.kind != tNum || i+2 >= len(toks) || toks[i+1].kind != tSep || (toks[i+1].raw != "(" && toks[i+1].raw != "（") {
			continue
		}
		j := i + 2
		var ws []string
		for j < len(toks) && toks[j].kind == tWord && len(ws) < 4 {
			ws = append(ws, toks[j].text)
			j++
		}
		if j >= len(toks) || toks[j].kind != tSep || (toks[j].raw != ")" && toks[j].raw != "）") || len(ws) == 0 {
			continue
		}
		v, ok := wordsValue(ws)
		if !ok {
			continue
		}
		if v != t.num {
			return nil, t.raw + " (" + strings.Join(rawWords(toks[i+2:j]), " ") + ")"
		}
		out[len(out)-1].end = toks[j].end // the quote keeps the words
		i = j
	}
	return out, ""
}

// hour: a time of day, "16 giờ", "16 giờ 30 phút", "16h00": the deadline is
// the day it is on, so the hour is read and set aside.
func (p *parser) hour() bool {
	t := p.tok(p.i)
	if t.kind != tNum || t.num > 24 {
		return false
	}
	k := p.i + 1
	switch {
	case p.word(k, "gio"):
		k++
		switch m := p.tok(k); {
		case m.kind == tNum && m.num < 60 && p.word(k+1, "phut"):
			k += 2
		case m.kind == tNum && m.num < 60 && m.width == 2 && p.tok(k+1).kind != tSlash && !p.word(k+1, "thang"):
			k++ // "09 giờ 00"
		}
	case p.word(k, "h"):
		k++
		if p.tok(k).kind == tNum && p.tok(k).num < 60 {
			k++
		}
	default:
		return false
	}
	p.i = k
	return true
}
