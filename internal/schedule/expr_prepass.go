package schedule

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Token passes. Before the grammar runs, Parse rewrites a few things
// real documents write that the clauses should not have to know: dates with
// dashes or dots, ordinal days in words, notes that repeat or explain a date
// (a Tết day, "80 ngày trước ngày bầu cử"), other texts' numbers and
// telephone numbers, and a window whose last day is the deadline. Each pass
// returns its input unchanged when it does not apply, and never invents a
// date: it only drops what restates one, or names which of the text's own
// dates is the deadline.

// maxWindowDays bounds a window read as due on its last day: a report is
// sent, a campaign run, within a year ("từ ngày 01/6/2022 đến ngày
// 31/8/2022"); a longer range is a period of work, such as a plan's years,
// that the other clauses read.
const maxWindowDays = 366

// sendingWindow reads a window of two full dates joined by a dash, as a
// report's sending time is announced: "Báo cáo 6 tháng năm 2021: 15/6/2021
// – 05/7/2021" (Công văn 1493/BQL-LĐ, Ban Quản lý các khu chế xuất và công
// nghiệp Thành phố Hồ Chí Minh, 03/6/2021). The report is due by the
// window's last day, so the first date and the dash are dropped and the
// reading says so. A window that runs backwards or longer than
// maxWindowDays, dates that do not exist, or a text about figures or a
// reporting period ("số liệu", "kỳ báo cáo", "tính", which make the window a
// data cut-off) are left alone: the range is then refused as before.
func sendingWindow(toks []token) ([]token, string) {
	if aboutFigures(toks) {
		return toks, ""
	}
	full := func(k int) (Date, bool) {
		if k+4 >= len(toks) || toks[k].kind != tNum || toks[k+1].kind != tSlash || toks[k+2].kind != tNum ||
			toks[k+3].kind != tSlash || toks[k+4].kind != tNum || toks[k+4].width != 4 {
			return 0, false
		}
		if k > 0 && (toks[k-1].kind == tSlash || toks[k-1].kind == tNum) {
			return 0, false
		}
		return ValidDate(toks[k+4].num, toks[k+2].num, toks[k].num)
	}
	if out, reason := fromToWindow(toks); reason != "" {
		return out, reason
	}
	for k := range toks {
		a, ok := full(k)
		if !ok || k+5 >= len(toks) || toks[k+5].kind != tDash {
			continue
		}
		b, ok := full(k + 6)
		if !ok || b <= a || int(b-a) > maxWindowDays || (k+11 < len(toks) && toks[k+11].kind == tSlash) {
			continue
		}
		if end, ok := namedPeriodEnd(toks[:k]); !timeLead(toks, k) && !(ok && a <= end && end < b) {
			// A bare window may be the period a report covers: only one
			// that crosses the end of the period named before it, or that
			// the words before it call the time to do the work, is read.
			continue
		}
		out := append(toks[:k:k], toks[k+6:]...)
		return out, fmt.Sprintf("Thời gian gửi từ ngày %s đến ngày %s: hạn là ngày cuối của khoảng này.", a.VN(), b.VN())
	}
	return toks, ""
}

// dateSeparators reads "15-7-2020" and "25.12.2017", a full date written
// with dashes or dots (as school-year plans and news items print them), as
// "15/7/2020": day and month of one or two digits, a four-digit year, the
// same sign twice and no space between. Anything else keeps its signs, so
// "2024-2025" stays a span and "20 - 26/01/2023" a range.
func dateSeparators(toks []token) []token {
	sign := func(t token) bool { return t.kind == tDash || (t.kind == tSep && t.raw == ".") }
	var out []token
	for k := 0; k+4 < len(toks); k++ {
		a, s1, b, s2, c := toks[k], toks[k+1], toks[k+2], toks[k+3], toks[k+4]
		if k > 0 && toks[k-1].kind == tWord && toks[k-1].text == "ngay" && a.kind == tNum && a.width <= 2 && s1.kind == tDash &&
			b.kind == tNum && b.width <= 2 && b.num >= 1 && b.num <= 12 && a.end == s1.start && s1.end == b.start &&
			s2.kind == tWord && (s2.text == "hang" || s2.text == "moi") && c.kind == tWord && c.text == "nam" {
			// "trước ngày 31-3 hằng năm"
			if out == nil {
				out = slices.Clone(toks)
			}
			out[k+1].kind, out[k+1].text = tSlash, "/"
			continue
		}
		if a.kind != tNum || b.kind != tNum || c.kind != tNum || a.width > 2 || b.width > 2 || c.width != 4 ||
			!sign(s1) || !sign(s2) || s1.kind != s2.kind || s1.raw != s2.raw ||
			a.end != s1.start || s1.end != b.start || b.end != s2.start || s2.end != c.start {
			continue
		}
		if k > 0 && (sign(toks[k-1]) || toks[k-1].kind == tSlash) && toks[k-1].end == a.start {
			continue // part of a longer run of numbers
		}
		if out == nil {
			out = slices.Clone(toks)
		}
		out[k+1].kind, out[k+1].text = tSlash, "/"
		out[k+3].kind, out[k+3].text = tSlash, "/"
	}
	if out == nil {
		return toks
	}
	return out
}

// tetNotes drops a note in brackets that names a full date's day of Tết,
// "13/02/2021 (tức ngày mùng 02 Tết)", "02/02/2022 (mùng 02 Tết)", when
// the lunar calendar agrees: the note repeats the date. A note that does not
// agree is left in the text, which then does not read.
func tetNotes(toks []token) []token {
	w := func(k int, s string) bool { return wordAt(toks, k, s) }
	var out []token
	drop := make(map[int]bool)
	for k := 0; k+4 < len(toks); k++ {
		if toks[k].kind != tNum || toks[k+1].kind != tSlash || toks[k+2].kind != tNum || toks[k+3].kind != tSlash ||
			toks[k+4].kind != tNum || toks[k+4].width != 4 {
			continue
		}
		j := k + 5
		if !isOpenParen(tok(toks, j)) {
			continue
		}
		j++
		if w(j, "tuc") {
			j++
		}
		if w(j, "ngay") {
			j++
		}
		if !w(j, "mung") && !w(j, "mong") {
			continue
		}
		n := tok(toks, j+1)
		// The closing bracket may be the text's last sign, which tokenize drops.
		if c := tok(toks, j+3); n.kind != tNum || !w(j+2, "tet") || !(isCloseParen(c) || c.kind == tEOF) {
			continue
		}
		d, ok := ValidDate(toks[k+4].num, toks[k+2].num, toks[k].num)
		first, ok2 := FromLunar(LunarDate{Year: toks[k+4].num, Month: 1, Day: 1})
		if !ok || !ok2 || n.num < 1 || n.num > 10 || d != first+Date(n.num-1) {
			continue
		}
		for i := k + 5; i <= j+3 && i < len(toks); i++ {
			drop[i] = true
		}
	}
	if len(drop) == 0 {
		return toks
	}
	for i, t := range toks {
		if !drop[i] {
			out = append(out, t)
		}
	}
	return out
}

// wordAt reports whether token k of toks is the folded word s.
func wordAt(toks []token, k int, s string) bool {
	t := tok(toks, k)
	return t.kind == tWord && t.text == s
}

func tok(toks []token, k int) token {
	if k >= 0 && k < len(toks) {
		return toks[k]
	}
	return token{kind: tEOF}
}

// fromToWindow reads "từ ngày A đến [hết] ngày B" as a window due on its
// last day when words before it name it the time to do the work (timeLead): "Thời gian lấy ý kiến: từ ngày 17/3/2025 đến ngày 05/4/2025",
// "Thời gian: từ ngày 01/6 đến ngày 30/6/2024" (A takes B's year), and a
// monthly one, "từ ngày 5 đến ngày 10 hằng tháng". Only when the text states
// no deadline of its own (no "trước", "chậm nhất", "hạn") and says nothing
// of figures or of a reporting period ("số liệu", "kỳ báo cáo", "tính"), which make
// the window a data cut-off; and for dates at most maxWindowDays apart.
func fromToWindow(toks []token) ([]token, string) {
	w := func(k int, s string) bool { return wordAt(toks, k, s) }
	if aboutFigures(toks) {
		return toks, ""
	}
	start := -1
	for k := range toks {
		switch {
		case w(k, "truoc"), w(k, "han"), w(k, "cham") && w(k+1, "nhat"):
			return toks, ""
		case w(k, "tu") && w(k+1, "ngay"):
			if start >= 0 {
				return toks, ""
			}
			start = k
		}
	}
	if start < 0 || !timeLead(toks, start) {
		return toks, ""
	}
	// "từ ngày" D [/M [/Y]] "đến" ["hết"] "ngày" D [/M [/Y]]
	date := func(k int) (d, m, y, end int) {
		t := tok(toks, k)
		if t.kind != tNum {
			return 0, 0, 0, 0
		}
		d, end = t.num, k+1
		if tok(toks, end).kind == tSlash && tok(toks, end+1).kind == tNum {
			m, end = tok(toks, end+1).num, end+2
			if tok(toks, end).kind == tSlash && tok(toks, end+1).kind == tNum && tok(toks, end+1).width == 4 {
				y, end = tok(toks, end+1).num, end+2
			}
		}
		return d, m, y, end
	}
	d1, m1, y1, e1 := date(start + 2)
	if e1 == 0 || !w(e1, "den") {
		return toks, ""
	}
	k := e1 + 1
	if w(k, "het") {
		k++
	}
	if !w(k, "ngay") {
		return toks, ""
	}
	d2, m2, y2, e2 := date(k + 1)
	if e2 == 0 {
		return toks, ""
	}
	out := append(toks[:start:start], toks[k:]...)
	if m1 == 0 && m2 == 0 && y2 == 0 && w(e2, "hang") || m1 == 0 && m2 == 0 && y2 == 0 && w(e2, "moi") {
		// "từ ngày 5 đến ngày 10 hằng tháng"
		if !w(e2+1, "thang") || d1 < 1 || d1 >= d2 || d2 > 28 {
			return toks, ""
		}
		return out, fmt.Sprintf("Thời gian thực hiện từ ngày %02d đến ngày %02d hằng tháng: hạn là ngày cuối của khoảng này.", d1, d2)
	}
	if m1 == 0 || m2 == 0 || y2 == 0 || (y1 != 0 && y1 > y2) {
		return toks, ""
	}
	if y1 == 0 {
		y1 = y2
	}
	a, ok1 := ValidDate(y1, m1, d1)
	b, ok2 := ValidDate(y2, m2, d2)
	if !ok1 || !ok2 || b <= a || int(b-a) > maxWindowDays {
		return toks, ""
	}
	return out, fmt.Sprintf("Thời gian thực hiện từ ngày %s đến ngày %s: hạn là ngày cuối của khoảng này.", a.VN(), b.VN())
}

// dropReferences removes what names another text or a telephone, which
// holds numbers that are not dates: a document's number with its date,
// "Quyết định số 136/2001/QĐ-TTg ngày 17 tháng 9 năm 2001", "Mẫu số
// 07/PLI", and "điện thoại: 024.3747.5628".
func dropReferences(toks []token) []token {
	w := func(k int, s string) bool { return wordAt(toks, k, s) }
	upper := func(t token) bool {
		if t.kind != tWord {
			return false
		}
		for _, r := range t.raw {
			if unicode.IsUpper(r) {
				return true
			}
		}
		return false
	}
	var out []token
	for k := 0; k < len(toks); k++ {
		end := 0
		switch t := toks[k]; {
		case t.kind == tNum && tok(toks, k+1).kind == tSlash:
			// NUM / [YYYY /] CODE [- CODE …]
			j := k + 2
			if tok(toks, j).kind == tNum && tok(toks, j).width == 4 && tok(toks, j+1).kind == tSlash {
				j += 2
			}
			if !upper(tok(toks, j)) || tok(toks, j).raw == strings.ToLower(tok(toks, j).raw) {
				break
			}
			j++
			for tok(toks, j).kind == tDash && upper(tok(toks, j+1)) {
				j += 2
			}
			// An "&" or a second code after a slash: "CCHC&VTLT", "QĐ/UBND".
			end = j
			if w(end, "ngay") {
				if e := dateAfter(toks, end+1); e > 0 {
					end = e
				}
			}
		case (w(k, "dien") && w(k+1, "thoai")) || ((w(k, "dt") || w(k, "fax")) && upper(t)):
			j := k + 1
			if w(k, "dien") {
				j++
			}
			if tok(toks, j).kind == tSep && tok(toks, j).raw == ":" {
				j++
			}
			n := 0
			for tok(toks, j).kind == tNum || (n > 0 && (tok(toks, j).kind == tDash || tok(toks, j).raw == ".") && tok(toks, j+1).kind == tNum) {
				if tok(toks, j).kind == tNum {
					n++
				}
				j++
			}
			if n >= 2 || (n == 1 && tok(toks, j-1).width >= 7) {
				end = j
			}
		}
		if end > k {
			if out == nil {
				out = slices.Clone(toks[:k])
			}
			k = end - 1
			continue
		}
		if out != nil {
			out = append(out, toks[k])
		}
	}
	if out == nil {
		return toks
	}
	return out
}

// dateAfter reads a full date at k, "17/9/2001" or "17 tháng 9 năm 2001",
// and returns the index past it, or 0.
func dateAfter(toks []token, k int) int {
	t := func(j int) token { return tok(toks, j) }
	switch {
	case t(k).kind == tNum && t(k+1).kind == tSlash && t(k+2).kind == tNum && t(k+3).kind == tSlash && t(k+4).kind == tNum:
		return k + 5
	case t(k).kind == tNum && t(k+1).text == "thang" && t(k+2).kind == tNum && t(k+3).text == "nam" && t(k+4).kind == tNum:
		return k + 5
	}
	return 0
}

// ordinalDays reads "ngày thứ hai mươi" (the twentieth day) as "ngày 20".
// Only numbers of two words or more: "ngày thứ hai" may be a Monday.
func ordinalDays(toks []token) []token {
	var out []token
	for k := 0; k+3 < len(toks); k++ {
		if toks[k].kind != tWord || toks[k].text != "ngay" || toks[k+1].kind != tWord || toks[k+1].text != "thu" {
			continue
		}
		var ws []string
		j := k + 2
		for j < len(toks) && toks[j].kind == tWord && len(ws) < 3 {
			ws = append(ws, toks[j].text)
			j++
		}
		for len(ws) >= 2 {
			if v, ok := wordsValue(ws); ok && v >= 10 && v <= 31 {
				if out == nil {
					out = slices.Clone(toks)
				}
				n := token{kind: tNum, text: fmt.Sprint(v), raw: toks[k+1].raw, num: v, width: 2, start: toks[k+1].start, end: toks[k+1+len(ws)].end}
				out = append(append(out[:k+1:k+1], n), toks[k+2+len(ws):]...)
				return ordinalDays(out)
			}
			ws = ws[:len(ws)-1]
		}
	}
	if out == nil {
		return toks
	}
	return out
}

// countNotes drops a note in brackets after a date with its year that says
// how the date was counted: "chậm nhất là ngày 4 tháng 3 năm 2021 (80 ngày
// trước ngày bầu cử)" (Công văn 64/VPHĐBCQG-TT, Văn phòng Hội đồng bầu cử
// quốc gia, 24/2/2021). The date is stated; the note explains it.
func countNotes(toks []token) []token {
	for k := 0; k+3 < len(toks); k++ {
		if toks[k].kind != tNum || toks[k].width != 4 || !isOpenParen(toks[k+1]) || toks[k+2].kind != tNum ||
			toks[k+3].kind != tWord || toks[k+3].text != "ngay" || k+4 >= len(toks) || toks[k+4].kind != tWord ||
			(toks[k+4].text != "truoc" && toks[k+4].text != "sau") {
			continue
		}
		// The year must end a date: "…/2021" or "tháng 3 năm 2021".
		if !(k >= 1 && toks[k-1].kind == tSlash) && !(k >= 1 && toks[k-1].kind == tWord && toks[k-1].text == "nam") {
			continue
		}
		end := -1
		for j := k + 5; j < len(toks) && j < k+14; j++ {
			if isCloseParen(toks[j]) {
				end = j
				break
			}
			if toks[j].kind == tNum || isOpenParen(toks[j]) {
				break
			}
		}
		if end < 0 && len(toks) <= k+14 {
			end = len(toks) - 1 // the closing bracket was the text's last sign
			for j := k + 5; j <= end; j++ {
				if toks[j].kind == tNum || isOpenParen(toks[j]) {
					end = -1
					break
				}
			}
		}
		if end < 0 {
			continue
		}
		out := append(slices.Clone(toks[:k+1]), toks[end+1:]...)
		return countNotes(out)
	}
	return toks
}

// timeLead reports words before token k that name what follows as the time
// to do the work: "Thời gian lấy ý kiến: từ ngày …", "Thời gian: từ ngày
// …", "Thời gian thực hiện nhiệm vụ bắt đầu từ ngày …", "Định kỳ từ ngày 1
// đến ngày 5 hằng tháng". A window with none of them may be the period a
// report covers ("báo cáo kết quả … từ ngày 30/01/2020 đến ngày 24/4/2020"),
// which gives no deadline.
func timeLead(toks []token, k int) bool {
	for j := 0; j+1 < k; j++ {
		if toks[j].kind == tWord && toks[j+1].kind == tWord &&
			((toks[j].text == "thoi" && toks[j+1].text == "gian") || (toks[j].text == "dinh" && toks[j+1].text == "ky")) {
			return true
		}
	}
	return false
}

// namedPeriodEnd reads, in the words before a window, the period a report
// covers: "Báo cáo 6 tháng năm 2021" (30/6/2021), "Báo cáo quý I/2024"
// (31/3/2024), "Báo cáo cả năm 2021" (31/12/2021). It returns that period's
// last day.
func namedPeriodEnd(toks []token) (Date, bool) {
	w := func(k int, s string) bool { return wordAt(toks, k, s) }
	y, at := 0, -1
	for k, t := range toks {
		if t.kind == tNum && t.width == 4 {
			y, at = t.num, k
		}
	}
	if at < 0 {
		return 0, false
	}
	for k := 0; k < at; k++ {
		switch {
		case toks[k].kind == tNum && toks[k].num == 6 && w(k+1, "thang"):
			return NewDate(y, time.June, 30), true
		case w(k, "quy") && k+1 < len(toks):
			if q := romanValue(toks[k+1].text); q >= 1 && q <= 4 {
				return NewDate(y, time.Month(3*q), DaysIn(y, time.Month(3*q))), true
			}
		}
	}
	if w(at-1, "nam") {
		return NewDate(y, time.December, 31), true
	}
	return 0, false
}

// aboutFigures reports words that make a window the figures' or the
// reporting period's ("số liệu", "kỳ báo cáo", "tính từ"): such a window is a
// data cut-off, never a deadline.
func aboutFigures(toks []token) bool {
	for k, t := range toks {
		if t.kind != tWord {
			continue
		}
		next := tok(toks, k+1)
		if (t.text == "so" && next.text == "lieu") || (t.text == "ky" && next.text == "bao") || t.text == "tinh" {
			return true
		}
	}
	return false
}
