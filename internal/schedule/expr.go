package schedule

import "fmt"

// Rule is a parsed time expression: the "thời gian thực hiện" cell of a plan
// ("Quý I hàng năm", "trước ngày 10/12 của năm trước liền kề năm kế
// hoạch"). Parse never fails: what it cannot read with confidence is
// KindUnresolved, with the reason an admin needs to write the rule by hand.
//
// The recurrence is held unexported and computed once by Parse, so a Rule
// read back from JSON has no occurrences: parse the expression again.
type Rule struct {
	Expr string // the text as given, verbatim
	Kind Kind
	// Reason is always set. For KindUnresolved it says why, in Vietnamese,
	// for an admin; for the other kinds it is a short reading of the rule
	// ("Hằng năm, hạn cuối ngày 31/12.") to show beside the text.
	Reason string
	Quota  int // KindQuota: the count each period asks for ("ít nhất 03 cuộc/năm": 3)

	plan *plan // nil for kinds without due dates
}

// Parse reads a Vietnamese time expression. Spelling is forgiven (case,
// spaces, NFC or NFD, missing diacritics, hàng/hằng, Quý I/quý 1/Q1, dashes,
// zero padding); meaning is not guessed: unknown words, impossible dates
// and readings that leave part of the text unused give KindUnresolved.
func Parse(expr string, opt Options) Rule {
	r := Rule{Expr: expr}
	toks, ok := tokenize(expr)
	switch {
	case !ok:
		r.Kind, r.Reason = KindUnresolved, reasonTooLong()
		return r
	case len(toks) == 0:
		r.Kind, r.Reason = KindUnresolved, reasonEmpty()
		return r
	case refersElsewhere(toks):
		r.Kind, r.Reason = KindUnresolved, reasonReference(expr)
		return r
	}
	toks, bad := dropNumberWords(toks)
	if bad != "" {
		r.Kind, r.Reason = KindUnresolved, reasonNumberWords(expr, bad)
		return r
	}
	toks = dropReferences(toks)
	toks = dateSeparators(toks)
	toks = ordinalDays(toks)
	toks = tetNotes(toks)
	toks = countNotes(toks)
	toks, window := sendingWindow(toks)
	p := parser{toks: toks, expr: expr}
	p.run()
	if p.fail != "" {
		// Not a time expression as a whole: perhaps a sentence with one in it.
		s := parser{toks: toks, expr: expr, sentence: true}
		s.run()
		switch {
		case !s.anchored && !s.fatal:
			r.Kind, r.Reason = KindUnresolved, p.fail
			return r
		case s.fail != "":
			r.Kind, r.Reason = KindUnresolved, s.fail
			return twoReports(r, toks, opt)
		}
		p = s
	}
	kind, reason, pl := build(&p.f, expr, opt)
	if kind == KindUnresolved && p.sentence {
		r.Kind, r.Reason = kind, reason
		return twoReports(r, toks, opt)
	}
	r.Kind, r.Reason = kind, reason
	if window != "" && kind.HasDueDates() {
		r.Reason += " " + window
	}
	if p.sentence {
		r.Reason += " Phần thời hạn đọc được trong câu: \"" + p.quoteRead() + "\"."
	}
	if kind.HasDueDates() {
		r.plan = pl
		r.Quota = pl.quota
	}
	return r
}

// refersElsewhere reports an expression that defers to another text: "Theo
// quy định của Bộ Nội vụ", "Theo Kế hoạch - lộ trình của Chính phủ". Even
// with a date in it, the date belongs to that other text, so the reason says
// so whatever else the expression holds. "theo nhu cầu", "theo yêu cầu",
// "theo âm lịch", "theo dấu bưu điện" (how the day a report was sent is
// proved) and "tiếp theo" are not references, nor are the words that
// name the form a report is made on: "theo mẫu …", "theo biểu mẫu …", "(theo
// phụ lục đính kèm …)", "ban hành kèm theo Thông tư này" (Thông tư
// 07/2016/TT-BLĐTBXH, Điều 10: "… theo mẫu quy định tại Phụ lục III ban hành
// kèm theo Thông tư này trước ngày 25 tháng 01 hằng năm").
func refersElsewhere(toks []token) bool {
	w := func(k int, s string) bool { return wordAt(toks, k, s) }
	for k := range toks {
		if !w(k, "theo") || w(k-1, "tiep") || w(k-1, "kem") {
			continue
		}
		if w(k+1, "mau") || (w(k+1, "bieu") && w(k+2, "mau")) || (w(k+1, "phu") && w(k+2, "luc")) {
			continue
		}
		if w(k+1, "yeu") && w(k+2, "cau") && (w(k+3, "tai") || (w(k+3, "va") && w(k+4, "huong") && w(k+5, "dan"))) {
			return true // "theo yêu cầu và hướng dẫn tại Công văn trên": that letter's terms
		}
		if (w(k+1, "nhu") || w(k+1, "yeu")) && w(k+2, "cau") {
			continue
		}
		if w(k+1, "am") && w(k+2, "lich") {
			continue
		}
		if w(k-1, "lam") || (w(k+1, "nam") && w(k+2, "hoc")) || (w(k+1, "dia") && w(k+2, "chi")) ||
			(w(k+1, "cong") && w(k+2, "trang")) {
			// "làm theo" (follow), "theo năm học" (by school year), "theo
			// địa chỉ e-mail", "khen thưởng theo công trạng" (an award's kind).
			continue
		}
		if k > 0 && fullDate(toks) && !(w(k+1, "quy") && w(k+2, "dinh")) {
			// "chuẩn bị Báo cáo … theo kiến nghị của Ủy ban Tư pháp của Quốc
			// hội, trình Thủ tướng Chính phủ trước ngày 20/8/2014": a date
			// with its year is this text's own; the words after "theo" say
			// what the work follows.
			continue
		}
		if k+1 < len(toks) && thisText(toks, k+1) {
			continue // "theo bộ chỉ số này": this very text, which gives the date
		}
		if (w(k+1, "phuong") || w(k+1, "hinh")) && w(k+2, "thuc") {
			continue // "theo phương thức điện tử", "theo hình thức trực tuyến": how, not when
		}
		if (w(k+1, "thoi") && (w(k+2, "gian") || w(k+2, "han")) && w(k+3, "quy") && w(k+4, "dinh") && trailingAfterDate(toks, k+5)) ||
			(w(k+1, "quy") && w(k+2, "dinh") && trailingAfterDate(toks, k+3)) {
			// "… trước ngày 15 tháng 5 năm 2021 (…) để tổng hợp báo cáo Thủ
			// tướng Chính phủ theo quy định" (Công văn 456/UBDT-DTTS, Ủy ban
			// Dân tộc, 23/4/2021): the last words say the report is a duty,
			// after a deadline the text states itself.
			continue
		}
		if w(k+1, "dau") && w(k+2, "buu") && w(k+3, "dien") {
			continue // "theo dấu bưu điện": how the sending date is proved
		}
		return true
	}
	return false
}

// fullDate reports a date with its year anywhere in toks: "20/8/2014",
// "ngày 30 tháng 5 năm 2011".
func fullDate(toks []token) bool {
	for k := 0; k+4 < len(toks); k++ {
		if toks[k].kind != tNum {
			continue
		}
		if toks[k+1].kind == tSlash && toks[k+2].kind == tNum && toks[k+3].kind == tSlash && toks[k+4].kind == tNum && toks[k+4].width == 4 {
			return true
		}
		if toks[k+1].text == "thang" && toks[k+2].kind == tNum && toks[k+3].text == "nam" && toks[k+4].kind == tNum && toks[k+4].width == 4 {
			return true
		}
	}
	return false
}

// thisText reports "… này" within three words from k, before any "của":
// "theo bộ chỉ số này", "theo Quy định này".
func thisText(toks []token, k int) bool {
	for j := k; j < len(toks) && j < k+4; j++ {
		if toks[j].kind != tWord || toks[j].text == "cua" {
			return false
		}
		if toks[j].text == "nay" && j > k {
			return true
		}
	}
	return false
}

// trailingAfterDate reports that nothing but punctuation follows token k
// and that a day ("ngày 15") comes somewhere before it.
func trailingAfterDate(toks []token, k int) bool {
	for j := k; j < len(toks); j++ {
		if toks[j].kind != tSep {
			return false
		}
	}
	for j := 0; j+1 < len(toks) && j < k; j++ {
		if toks[j].kind == tWord && toks[j].text == "ngay" && toks[j+1].kind == tNum {
			return true
		}
	}
	return false
}

// twoReports reads a sentence that gives the six-month report and the
// annual report a deadline each: "báo cáo gửi trước ngày 05 tháng 7 hằng
// năm đối với báo cáo 6 tháng đầu năm và trước ngày 10 tháng 01 năm sau đối
// với báo cáo năm" (Nghị định 39/2016/NĐ-CP, Chính phủ, 15/5/2016, Điều
// 24), in either order. Each part, split at the "và" that follows "đối với
// báo cáo …", must
// read on its own as one yearly date of its report; together they are the
// two reports of each year, due on their own dates. Anything else keeps r,
// the reason the whole sentence could not be read.
func twoReports(r Rule, toks []token, opt Options) Rule {
	w := func(k int, s string) bool { return wordAt(toks, k, s) }
	names := 0
	split := -1
	for k := range toks {
		if w(k, "doi") && w(k+1, "voi") && w(k+2, "bao") && w(k+3, "cao") {
			names++
			continue
		}
		if w(k, "va") && names == 1 && split < 0 {
			split = k
		}
	}
	if names != 2 || split < 0 {
		return r
	}
	first := Parse(r.Expr[:toks[split].start], opt)
	second := Parse(r.Expr[toks[split].end:], opt)
	if second.plan != nil && len(second.plan.slots) == 1 && second.plan.slots[0].label == lblHalf {
		first, second = second, first // the annual report named first
	}
	a, b := first.plan, second.plan
	if first.Kind != KindAnnual || second.Kind != KindAnnual || a.gen != genSlots || b.gen != genSlots ||
		len(a.slots) != 1 || len(b.slots) != 1 || a.slots[0].label != lblHalf || a.slots[0].idx != 1 ||
		b.slots[0].label != lblYear || a.shift != b.shift || a.firstY != b.firstY || a.lastY != b.lastY ||
		b.slots[0].off <= a.slots[0].off {
		return r
	}
	h1, h2 := a.slots[0], b.slots[0]
	h2.label, h2.idx = lblHalf, 2
	pl := *a
	pl.slots = []slot{h1, h2}
	pl.label = lblHalf
	pl.minOff, pl.maxOff = int(h1.off), int(h2.off)
	r.Kind, r.plan = KindSemiannual, &pl
	r.Reason = fmt.Sprintf("Hai kỳ mỗi năm: báo cáo 6 tháng đầu năm hạn cuối %s%s; báo cáo năm hạn cuối %s%s.",
		slotDay(h1), shiftPhrase(floorDiv(int(h1.off), 12)), slotDay(h2), shiftPhrase(floorDiv(int(h2.off), 12)))
	if pl.shift != 0 {
		r.Reason += " Đọc chặt chữ \"trước\": hạn là ngày liền trước ngày nêu trên."
	}
	return r
}
