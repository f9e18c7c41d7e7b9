package schedule

// The clauses that name a date or a period.

// date: "[ngày|mùng|mồng] D/M[/YYYY]", "[ngày] D tháng M[/YYYY]"; with a
// leading "ngày" and no month, "ngày D" alone (fDay: "ngày 15 hằng tháng").
func (p *parser) date() bool {
	k, lead := p.i, false
	if p.word(k, "ngay") {
		k, lead = k+1, true
	}
	if p.word(k, "mung") || p.word(k, "mong") {
		k, lead = k+1, true
	}
	if p.tok(k).kind != tNum {
		return false
	}
	d := p.tok(k).num
	switch {
	case p.tok(k+1).kind == tSlash && p.tok(k+2).kind == tNum:
		m := p.tok(k + 2).num
		p.i = k + 3
		p.slashYear()
		p.addDate(d, m)
		p.cat = catDate
	case p.word(k+1, "thang") && p.tok(k+2).kind == tNum,
		lead && p.seq(k+1, "cua", "thang") && p.tok(k+3).kind == tNum: // "ngày 15 của tháng 3"
		if p.word(k+1, "cua") {
			k++
		}
		m := p.tok(k + 2).num
		p.i = k + 3
		p.slashYear()
		p.addDate(d, m)
		p.cat = catDate
	case lead:
		p.i = k + 1
		if p.f.has&fDay != 0 {
			return p.conflict()
		}
		p.mark(fDay)
		p.f.day = d
	default:
		return false // a bare number is not a date
	}
	return true
}

func (p *parser) addDate(d, m int) {
	p.mark(fDates)
	p.f.dates = append(p.f.dates, dayMonth{d, m})
}

// month: "tháng M[/YYYY]".
func (p *parser) month() bool {
	if !p.word(p.i, "thang") || p.tok(p.i+1).kind != tNum {
		return false
	}
	t := p.tok(p.i + 1)
	p.i += 2
	if t.num < 1 || t.num > 12 {
		return p.setFail(reasonMonth(p.expr, t.raw))
	}
	p.slashYear()
	p.mark(fMonths)
	p.f.months = append(p.f.months, t.num)
	p.cat = catMonth
	return true
}

// romanValue reads the roman numerals a quarter may be written with. Values
// past IV are returned so the message can say "Quý V không tồn tại".
func romanValue(s string) int {
	switch s {
	case "i":
		return 1
	case "ii":
		return 2
	case "iii":
		return 3
	case "iv":
		return 4
	case "v":
		return 5
	case "vi":
		return 6
	case "vii":
		return 7
	case "viii":
		return 8
	case "ix":
		return 9
	case "x":
		return 10
	}
	return 0
}

// numeral reads a quarter number at k: arabic or roman.
func (p *parser) numeral(k int) (v int, raw string, ok bool) {
	switch t := p.tok(k); t.kind {
	case tNum:
		return t.num, t.raw, true
	case tWord:
		if v := romanValue(t.text); v > 0 {
			return v, t.raw, true
		}
	}
	return 0, "", false
}

// quarter: "Quý I", "quý 1", "Q1", "QI", "Quý II, III/2022", "quý II và III năm 2022".
func (p *parser) quarter() bool {
	k := p.i
	var vals [4]int
	var raws [4]string
	n := 0
	switch t := p.tok(k); {
	case t.kind == tWord && (t.text == "quy" || t.text == "q"):
		v, raw, ok := p.numeral(k + 1)
		if !ok {
			return false
		}
		vals[0], raws[0], n, k = v, raw, 1, k+2
	case t.kind == tWord && len(t.text) > 1 && t.text[0] == 'q' && romanValue(t.text[1:]) > 0:
		vals[0], raws[0], n, k = romanValue(t.text[1:]), t.raw[1:], 1, k+1
	default:
		return false
	}
	for {
		sep := p.tok(k)
		v, raw, ok := p.numeral(k + 1)
		if !ok || p.word(k+2, "thang") {
			break // "quý I, 6 tháng, 9 tháng và năm": a list of reports, not of quarters
		}
		if sep.kind == tDash {
			p.i = k + 2
			return p.setFail(reasonRange(p.expr))
		}
		if !(sep.kind == tSep && (sep.raw == "," || sep.raw == "，")) && !(sep.kind == tWord && sep.text == "va") {
			break
		}
		if n == len(vals) {
			p.i = k + 2
			return p.conflict()
		}
		vals[n], raws[n], n, k = v, raw, n+1, k+2
	}
	p.i = k
	for j := 0; j < n; j++ {
		if vals[j] < 1 || vals[j] > 4 {
			return p.setFail(reasonQuarter(p.expr, raws[j]))
		}
	}
	p.slashYear()
	p.mark(fQuarters)
	p.f.quarters = append(p.f.quarters, vals[:n]...)
	p.cat = catQuarter
	return true
}

// halfPeriod: "6 tháng đầu|cuối [năm]", "sáu tháng đầu năm", "nửa đầu|cuối năm".
func (p *parser) halfPeriod() bool {
	k := p.i
	switch {
	case p.isSix(k) && p.word(k+1, "thang") && (p.word(k+2, "dau") || p.word(k+2, "cuoi")):
		k += 2
	case p.word(k, "nua") && (p.word(k+1, "dau") || p.word(k+1, "cuoi")) && p.word(k+2, "nam"):
		k++
	default:
		return false
	}
	h := 1
	if p.word(k, "cuoi") {
		h = 2
	}
	k++
	if p.word(k, "nam") && p.tok(k+1).kind != tNum {
		k++ // "năm 2022" is left to the year clause
	}
	p.i = k
	if p.f.has&fHalf != 0 && p.f.half != h {
		return p.conflict()
	}
	p.mark(fHalf)
	p.f.half = h
	return true
}

// point: "đầu|giữa|cuối năm|quý|tháng" (Bộ luật Dân sự 2015, Điều 146).
func (p *parser) point() bool {
	which := 0
	switch {
	case p.word(p.i, "dau"):
		which = 1
	case p.word(p.i, "giua"):
		which = 2
	case p.word(p.i, "cuoi"):
		which = 3
	default:
		return false
	}
	k := p.i + 1
	each := p.word(k, "moi") || p.word(k, "hang") // "cuối mỗi tháng", "đầu hằng quý"
	if each {
		k++
	}
	u := unitWord(p.tok(k).text)
	if u == uNone || p.tok(k).kind != tWord {
		return false
	}
	if (u == uWeek || p.seq(k, "nam", "hoc")) && p.sentence && !p.anchored {
		return false // "sinh hoạt chào cờ đầu tuần", "Kỳ báo cáo đầu năm học": the subject's words
	}
	p.i = k + 1
	if next := p.tok(p.i); !each && (next.kind == tNum || (u == uQuarter && romanValue(next.text) > 0)) {
		// "cuối tháng 6/2026", "đầu năm 2022": the period clause reads the rest.
		p.i--
	} else if p.seq(p.i, "bao", "cao") {
		p.i += 2 // "cuối tháng báo cáo": the period's own
	}
	if p.isAfter(p.i) || p.word(p.i, "truoc") || p.seq(p.i, "tiep", "theo") || p.seq(p.i, "ke", "tiep") {
		// "đầu tháng sau", "cuối năm trước": the point of another period.
		return p.setFail(reasonRelative(p.expr, display(p.expr[p.toks[p.i-2].start:p.toks[p.i].end])))
	}
	if each {
		p.setRecur(u)
	}
	if u == uWeek || (u == uQuarter && which == 2) {
		// The Civil Code defines đầu/giữa/cuối only for months and years;
		// "cuối quý" and "đầu quý" follow from the months, "giữa quý" does not.
		return p.setFail(reasonPoint(p.expr))
	}
	if p.f.has&fPoint != 0 {
		return p.conflict()
	}
	p.mark(fPoint)
	p.f.point, p.f.pointUnit = which, u
	return true
}

// year: "năm YYYY", "năm YYYY-YYYY", "giai đoạn YYYY-YYYY", a bare "YYYY" or "YYYY – YYYY".
func (p *parser) year() bool {
	k, phase := p.i, false
	switch {
	case p.word(k, "nam") && p.tok(k+1).kind == tNum:
		k++
	case p.seq(k, "giai", "doan"):
		k, phase = k+2, true
	case p.tok(k).kind == tNum && p.tok(k).width == 4:
	default:
		return false
	}
	y1, ok := p.yearAt(k)
	if !ok {
		p.i = k + 1
		if p.tok(k).kind == tNum {
			return p.setFail(reasonShortYear(p.expr, p.tok(k).raw))
		}
		return p.setFail(reasonUnknown(p.expr, p.tok(k).raw))
	}
	k++
	if p.tok(k).kind == tDash && p.tok(k+1).kind == tNum {
		y2, ok := p.yearAt(k + 1)
		p.i = k + 2
		if !ok {
			return p.setFail(reasonShortYear(p.expr, p.tok(k+1).raw))
		}
		p.cat = catYear
		if phase && p.sentence && p.anchored && p.gap {
			// "… để tổng kết Chương trình … giai đoạn 2001-2010": after the
			// time clause and words of the sentence, a phase names a
			// programme.
			return true
		}
		return p.setSpan(y1, y2)
	}
	p.i = k
	if phase {
		return p.setFail(reasonSpan(p.expr))
	}
	p.setYear(y1)
	p.cat = catYear
	return true
}

func (p *parser) setSpan(a, b int) bool {
	switch {
	case a < minYear || b > maxYear:
		return p.setFail(reasonYearRange(p.expr, max(a, b)))
	case a >= b:
		return p.setFail(reasonSpan(p.expr))
	case p.f.has&fSpan != 0 && p.f.span != [2]int{a, b}:
		return p.conflict()
	}
	p.mark(fSpan)
	p.f.span = [2]int{a, b}
	return true
}
