package schedule

// The clauses of the grammar, one method each. Words are matched in their
// folded form: "hằng năm", "hàng năm" and "hang nam" are all "hang nam".

// continuous: "thường xuyên", "liên tục", "hằng ngày", "mỗi ngày".
func (p *parser) continuous() bool {
	if p.sentence && p.seq(p.i-2, "khen", "thuong") {
		return false // "khen thưởng thường xuyên": an award's kind
	}
	switch {
	case p.seq(p.i, "thuong", "xuyen"), p.seq(p.i, "lien", "tuc"),
		p.seq(p.i, "hang", "ngay"), p.seq(p.i, "moi", "ngay"):
		p.i += 2
	default:
		return false
	}
	p.mark(fContinuous)
	return true
}

// onDemand: "khi có yêu cầu", "theo yêu cầu", "đột xuất", "khi phát sinh",
// "khi cần thiết"; "theo nhu cầu" and "khi có nhu cầu" are fOnNeed.
func (p *parser) onDemand() bool {
	switch {
	case p.seq(p.i, "khi", "co", "yeu", "cau"):
		p.i += 4
	case p.seq(p.i, "theo", "yeu", "cau"), p.seq(p.i, "khi", "phat", "sinh"), p.seq(p.i, "khi", "can", "thiet"):
		p.i += 3
	case p.seq(p.i, "dot", "xuat") && p.seq(p.i-3, "dinh", "ky", "va"):
		// "báo cáo định kỳ và đột xuất": a periodic report whose dates the
		// text does not give, besides the ones asked for.
		p.fatal = true
		p.i += 2
		return p.setFail(reasonNoDate(p.expr))
	case p.seq(p.i, "dot", "xuat") && !p.inspectionKind(p.i):
		p.i += 2
	case p.sentence && p.i == 0 && p.seq(0, "truong", "hop") && p.caseClause():
		p.i += 2
	case p.sentence && p.seq(p.i, "neu", "co") && spelledAs(p.tok(p.i).raw, "nếu", "neu") && !isOpenParen(p.tok(p.i-1)) && p.caseClause():
		p.i += 2
	case p.word(p.i, "khi") && p.condition() > 0:
		p.i = p.condition()
	case p.seq(p.i, "theo", "nhu", "cau"):
		p.i += 3
		p.mark(fOnNeed)
		return true
	case p.seq(p.i, "khi", "co", "nhu", "cau"):
		p.i += 4
		p.mark(fOnNeed)
		return true
	default:
		return false
	}
	p.mark(fOnDemand)
	return true
}

// inspectionKind reports a "đột xuất" at k that names the kind of an
// inspection with a yearly count beside it: "Thực hiện kiểm tra đột xuất về
// kết quả giải quyết thủ tục hành chính ít nhất 03 cuộc/năm" (Quyết định
// 681/QĐ-UBND, UBND tỉnh Ninh Thuận, 27/10/2021) asks for three unannounced
// inspections a year, not for one whenever asked. Only in a sentence, right
// after "kiểm tra" or "thanh tra", and only when a count follows.
func (p *parser) inspectionKind(k int) bool {
	if p.sentence && p.seq(k-2, "khen", "thuong") {
		return true // "khen thưởng đột xuất": an award's kind
	}
	if !p.sentence || k < 2 || !(p.seq(k-2, "kiem", "tra") || p.seq(k-2, "thanh", "tra")) {
		return false
	}
	for j := k + 2; j < len(p.toks); j++ {
		if (p.seq(j, "it", "nhat") || p.seq(j, "toi", "thieu")) && p.tok(j+2).kind == tNum &&
			p.tok(j+3).kind == tWord && quotaNouns[p.tok(j+3).text] != "" {
			return true
		}
	}
	return false
}

// condition reads a conditional duty, "khi [up to 8 words] yêu cầu|đề
// nghị|chỉ đạo|có văn bản": "khi cơ quan cấp trên yêu cầu", "khi có văn bản
// đề nghị". It returns the token after it, or 0. A number or a time word in
// between ("khi kết thúc năm 2025") is not a condition but an event.
func (p *parser) condition() int {
	for k := p.i + 1; k <= p.i+9; k++ {
		t := p.tok(k)
		if t.kind != tWord {
			return 0
		}
		switch {
		case p.seq(k, "yeu", "cau"), p.seq(k, "de", "nghi"), p.seq(k, "chi", "dao"), p.seq(k, "xay", "ra"), p.seq(k, "phat", "sinh"):
			return k + 2
		case p.seq(k, "co", "van", "ban"):
			k += 3
			if p.seq(k, "de", "nghi") || p.seq(k, "yeu", "cau") || p.seq(k, "chi", "dao") {
				k += 2
			}
			return k
		case t.text == "ket" || t.text == "het" || t.text == "nam" || t.text == "thang" || t.text == "quy" || t.text == "ngay":
			return 0
		}
	}
	return 0
}

var quotaNouns = map[string]string{
	"cuoc": "cuộc", "lan": "lần", "dot": "đợt", "buoi": "buổi", "luot": "lượt", "ngay": "ngày",
}

// quota: "[ít nhất|tối thiểu|không ít hơn] N cuộc|lần|đợt [/|mỗi|trong [một]|một] năm|quý|tháng|tuần|6 tháng".
func (p *parser) quota() bool {
	k := p.i
	switch {
	case p.seq(k, "it", "nhat"), p.seq(k, "toi", "thieu"):
		k += 2
	case p.seq(k, "khong", "it", "hon"):
		k += 3
	}
	n := 0
	switch t := p.tok(k); {
	case t.kind == tNum:
		n = t.num
	case p.word(k, "mot"):
		n = 1
	default:
		return false
	}
	noun, ok := quotaNouns[p.tok(k+1).text]
	if !ok || p.tok(k+1).kind != tWord {
		return false
	}
	if noun == "ngày" && !p.quotaPeriodAt(k+2) {
		// "ít nhất 01 ngày trong 01 tháng" is a count of days; "ít nhất 07
		// ngày" alone is a span of time before something.
		return false
	}
	k += 2
	if p.f.has&fQuota != 0 {
		p.i = k
		return p.conflict()
	}
	if n < 1 || n > 999 {
		p.i = k
		return p.setFail(reasonQuotaCount(p.expr))
	}
	p.mark(fQuota)
	p.f.quota, p.f.quotaNoun = n, noun
	// The period: "/năm", "mỗi năm", "trong năm", "trong một năm", "một năm".
	j := k
	switch {
	case p.tok(j).kind == tSlash, p.word(j, "moi"):
		j++
	case p.word(j, "trong"):
		j++
		if p.word(j, "mot") || (p.tok(j).kind == tNum && p.tok(j).num == 1) {
			j++
		}
	case p.word(j, "mot"):
		j++
	}
	if j > k {
		switch {
		case p.isSix(j) && p.word(j+1, "thang"):
			p.f.quotaUnit, k = uHalf, j+2
		case unitWord(p.tok(j).text) != uNone && p.tok(j).kind == tWord:
			p.f.quotaUnit, k = unitWord(p.tok(j).text), j+1
		}
	}
	p.i = k
	return true
}

// recurrence: "hằng|hàng|mỗi năm|quý|tháng|tuần [một lần]".
func (p *parser) recurrence() bool {
	if !p.word(p.i, "hang") && !p.word(p.i, "moi") {
		return false
	}
	u := unitWord(p.tok(p.i + 1).text)
	if u == uNone || p.tok(p.i+1).kind != tWord {
		return false
	}
	p.i += 2
	p.skipOnce()
	p.setRecur(u)
	return true
}

// halfRecur: "định kỳ 6 tháng", "hằng 6 tháng", "mỗi 6 tháng", "6 tháng một lần", "6 tháng/lần".
func (p *parser) halfRecur() bool {
	k := p.i
	lead := p.seq(k, "dinh", "ky") || p.word(k, "hang") || p.word(k, "moi")
	if p.seq(k, "dinh", "ky") {
		k += 2
	} else if lead {
		k++
	}
	if !p.isSix(k) || !p.word(k+1, "thang") {
		return false
	}
	k += 2
	switch {
	case (p.word(k, "mot") || (p.tok(k).kind == tNum && p.tok(k).num == 1)) && p.word(k+1, "lan"):
		k += 2
	case p.tok(k).kind == tSlash && p.word(k+1, "lan"):
		k += 2
	case !lead:
		return false // a bare "6 tháng" says neither which half nor "every"
	}
	p.i = k
	p.setRecur(uHalf)
	return true
}

// within: "trong năm|quý|tháng|tuần" naming no particular one, as in
// "Thường xuyên trong năm", "ít nhất 2 lần trong quý". Before a named period
// ("trong năm 2022", "trong Quý I/2022") "trong" is a filler.
func (p *parser) within() bool {
	if !p.word(p.i, "trong") {
		return false
	}
	u := unitWord(p.tok(p.i + 1).text)
	next := p.tok(p.i + 2)
	named := next.kind == tNum || (u == uQuarter && romanValue(next.text) > 0) ||
		(next.kind == tWord && (next.text == "sau" || next.text == "truoc" || next.text == "tiep" ||
			next.text == "ke" || next.text == "lien" || next.text == "dau" || next.text == "cuoi" || next.text == "giua"))
	if u == uNone || p.tok(p.i+1).kind != tWord || named {
		p.i++ // a filler
		return true
	}
	p.i += 2
	if p.f.has&fWithin != 0 && p.f.within != u {
		return p.conflict()
	}
	p.mark(fWithin)
	p.f.within = u
	return true
}

// yearRef: "năm trước [liền kề] [năm kế hoạch]" (−1); "năm sau", "năm tiếp
// theo", "năm kế tiếp", "năm liền kề [sau] năm báo cáo" (+1).
func (p *parser) yearRef() bool {
	if k := p.reportRef(p.i); k > 0 {
		// "của năm báo cáo", "thuộc kỳ báo cáo": the period itself.
		p.i = k
		p.mark(fReport)
		return true
	}
	if !p.word(p.i, "nam") {
		return false
	}
	k, shift := p.i+1, 0
	switch {
	case p.word(k, "truoc"):
		k, shift = k+1, -1
	case p.seq(k, "lien", "ke", "truoc"):
		k, shift = k+3, -1
	case p.isAfter(k):
		k, shift = k+1, 1
	case p.seq(k, "tiep", "theo"), p.seq(k, "ke", "tiep"), p.seq(k, "lien", "sau"):
		k, shift = k+2, 1
	case p.seq(k, "lien", "ke", "sau"):
		k, shift = k+3, 1
	case p.seq(k, "lien", "ke", "nam", "bao", "cao"):
		k, shift = k+2, 1 // "năm báo cáo" is read below
	default:
		return false
	}
	if shift < 0 {
		if p.seq(k, "lien", "ke") {
			k += 2
		}
		if p.seq(k, "nam", "ke", "hoach") {
			k += 3
		}
	} else {
		if p.seq(k, "lien", "ke") {
			k += 2
		}
		if p.word(k, "cua") && p.seq(k+1, "nam", "bao", "cao") {
			k++ // "năm sau của năm báo cáo"
		}
		if p.seq(k, "nam", "bao", "cao") {
			k += 3
		}
	}
	if shift < 0 && p.seq(k, "ky", "bao", "cao") {
		k += 3 // "năm trước kỳ báo cáo"
	}
	p.i = k
	if p.f.has&fShift != 0 && p.f.shift != shift {
		return p.conflict()
	}
	p.mark(fShift)
	p.f.shift = shift
	return true
}

// reportRef reads "[thuộc|của] năm|kỳ|quý báo cáo", "năm kế hoạch" at k and
// returns the token after it, or 0.
func (p *parser) reportRef(k int) int {
	if p.word(k, "thuoc") {
		k++
	}
	switch {
	case p.seq(k, "nam", "bao", "cao"), p.seq(k, "ky", "bao", "cao"), p.seq(k, "quy", "bao", "cao"),
		p.seq(k, "nam", "ke", "hoach"), p.seq(k, "nam", "thuc", "hien"):
		return k + 3
	}
	return 0
}

// monthNameWords are the words a month may be written with after "tháng":
// "tháng sáu", "tháng Giêng". They are not read, and a bare "tháng" before
// them is not "the month".
var monthNameWords = map[string]bool{"mot": true, "hai": true, "ba": true, "tu": true, "bon": true, "nam": true,
	"sau": true, "bay": true, "tam": true, "chin": true, "muoi": true, "gieng": true, "chap": true}

// relMonth: "tháng sau [liền kề]|tiếp theo|kế tiếp", "tháng trước",
// "tháng đầu|giữa|cuối [cùng] [của|mỗi] quý [báo cáo]", "tháng đầu [tiên]
// [của] quý sau|tiếp theo", and the month itself: "của tháng", "tháng báo
// cáo", "tháng thuộc kỳ báo cáo".
func (p *parser) relMonth() bool {
	if p.word(p.i, "quy") && p.f.has&fDay != 0 && p.f.has&fRel == 0 {
		// "ngày thứ ba mươi của quý tiếp theo quý phát sinh nghĩa vụ
		// thuế": the day counted in the next quarter, its first month's.
		k := p.i + 1
		switch {
		case p.isAfter(k):
			k++
		case p.seq(k, "tiep", "theo"), p.seq(k, "ke", "tiep"):
			k += 2
		default:
			return false
		}
		p.i = p.afterPeriod(k, "quy")
		p.mark(fRel)
		p.f.rel = relNextQuarterFirst
		return true
	}
	if !p.word(p.i, "thang") {
		return false
	}
	k := p.i + 1
	var rel relMonth
	switch {
	case p.isAfter(k):
		rel, k = relNextMonth, k+1
		if p.seq(k, "lien", "ke") {
			k += 2
		}
		if p.seq(k, "thang", "bao", "cao") {
			k += 3
		}
	case p.seq(k, "tiep", "theo"), p.seq(k, "ke", "tiep"):
		rel, k = relNextMonth, k+2
		k = p.afterPeriod(k, "thang")
	case p.seq(k, "lien", "ke", "sau"):
		rel, k = relNextMonth, k+3
	case p.word(k, "truoc"):
		rel, k = relPrevMonth, k+1
		if p.seq(k, "ky", "bao", "cao") {
			k += 3
		}
		if j := p.afterPeriod(k, "thang"); j > k {
			// "chậm nhất ngày 25 của tháng trước tháng tổ chức phiên họp":
			// due in the month before the period's.
			rel, k = relPrevDue, j
		}
	case p.seq(k, "bao", "cao"):
		rel, k = relSameMonth, k+2
	case p.reportRef(k) > 0 && p.word(k, "thuoc"):
		rel, k = relSameMonth, p.reportRef(k)
	case p.word(k, "dau"), p.word(k, "giua"), p.word(k, "cuoi"):
		which := p.tok(k).text
		k++
		if p.word(k, "cung") || p.word(k, "tien") {
			k++
		}
		if p.word(k, "cua") {
			k++
		}
		if p.word(k, "moi") || p.word(k, "hang") {
			k++
		}
		if which == "dau" && p.word(k, "nam") && (p.isAfter(k+1) || p.seq(k+1, "tiep", "theo") || p.seq(k+1, "ke", "tiep")) {
			// "ngày 20 của tháng đầu năm tiếp theo ngay sau kỳ báo cáo":
			// January of the year after.
			k += 2
			if !p.isAfter(k - 1) {
				k++
			}
			rel, k = relNextYearFirst, p.afterPeriod(k, "nam")
			break
		}
		if !p.word(k, "quy") {
			return false
		}
		k++
		switch which {
		case "dau":
			rel = relQuarterFirst
			if p.isAfter(k) {
				rel, k = relNextQuarterFirst, k+1
			} else if p.seq(k, "tiep", "theo") || p.seq(k, "ke", "tiep") {
				rel, k = relNextQuarterFirst, k+2
				if p.isAfter(k) && p.word(k+1, "quy") {
					k++ // "quý kế tiếp sau quý báo cáo"
				}
			}
			if rel == relNextQuarterFirst {
				if p.seq(k, "quy", "bao", "cao") {
					k += 3 // "tháng đầu quý sau quý báo cáo"
				}
				k = p.afterPeriod(k, "quy")
			}
		case "giua":
			rel = relQuarterMiddle
		default:
			rel = relQuarterLast
		}
		if p.seq(k, "bao", "cao") {
			k += 2
		}
	case p.word(k, "thu") && p.word(k+2, "cua") && p.word(k+3, "quy") && (p.word(k+1, "nhat") || p.word(k+1, "hai") || p.word(k+1, "ba") ||
		(p.tok(k+1).kind == tNum && p.tok(k+1).num >= 1 && p.tok(k+1).num <= 3)):
		// "tháng thứ ba của quý": the first, second or third month of each quarter.
		n := p.tok(k + 1).num
		switch p.tok(k + 1).text {
		case "nhat":
			n = 1
		case "hai":
			n = 2
		case "ba":
			n = 3
		}
		rel, k = [...]relMonth{1: relQuarterFirst, 2: relQuarterMiddle, 3: relQuarterLast}[n], k+4
	case p.tok(k).kind == tNum, p.tok(k).kind == tWord && monthNameWords[p.tok(k).text],
		p.word(k, "dau"), p.word(k, "giua"), p.word(k, "cuoi"), p.word(k, "thu"):
		// "tháng 6", "tháng sáu", "tháng cuối kỳ báo cáo", "tháng thứ ba":
		// a month this clause does not name.
		return false
	default:
		rel = relSameMonth
	}
	p.i = k
	if p.f.has&fRel != 0 {
		return p.conflict()
	}
	p.mark(fRel)
	p.f.rel = rel
	return true
}

// prefix: "trước" (fBefore); "chậm nhất [là]", "muộn nhất", "hạn [chót|cuối]",
// "đến [hết]", "hết", "không muộn hơn" (fInclusive: the date itself).
func (p *parser) prefix() bool {
	switch {
	case p.word(p.i, "truoc"):
		p.i++
		p.mark(fBefore)
		return true
	case p.seq(p.i, "cham", "nhat"), p.seq(p.i, "muon", "nhat"), p.seq(p.i, "han", "chot"), p.seq(p.i, "han", "cuoi"),
		p.seq(p.i, "den", "het"):
		p.i += 2
	case p.seq(p.i, "khong", "muon", "hon"):
		p.i += 3
	case p.word(p.i, "han"), p.word(p.i, "den"), p.word(p.i, "het"):
		p.i++
	default:
		return false
	}
	p.mark(fInclusive)
	return true
}

// weekday: "thứ Hai … thứ Bảy", "thứ 2 … thứ 7", "Chủ nhật".
func (p *parser) weekday() bool {
	wd := 0
	switch {
	case p.seq(p.i, "chu", "nhat"):
		wd = 7
	case p.word(p.i, "thu"):
		t := p.tok(p.i + 1)
		switch {
		case t.kind == tNum:
			if t.num < 2 || t.num > 7 {
				p.i += 2
				return p.setFail(reasonWeekday(p.expr, t.raw))
			}
			wd = t.num - 1
		case t.kind == tWord:
			names := [...]string{"hai", "ba", "tu", "nam", "sau", "bay"}
			for j, n := range names {
				if t.text == n {
					wd = j + 1
				}
			}
		}
		if wd == 0 {
			return false
		}
	default:
		return false
	}
	p.i += 2
	if p.f.has&fWeekday != 0 && p.f.weekday != wd {
		return p.conflict()
	}
	p.mark(fWeekday)
	p.f.weekday = wd
	return true
}

// calendar: "[theo] âm lịch", "dương lịch", "nhuận".
func (p *parser) calendar() bool {
	switch {
	case p.seq(p.i, "theo", "am", "lich"):
		p.i += 3
		p.mark(fLunar)
	case p.seq(p.i, "am", "lich"):
		p.i += 2
		p.mark(fLunar)
	case p.seq(p.i, "duong", "lich"):
		p.i += 2
		p.mark(fSolar)
	case p.word(p.i, "nhuan"):
		p.i++
		p.mark(fLeap)
	default:
		return false
	}
	return true
}

// febLast: "riêng tháng Hai là ngày cuối tháng", the exception a monthly
// day past the 28th needs: "ngày 29 của tháng báo cáo, riêng tháng Hai là
// ngày cuối tháng" (Nghị định 94/2016/NĐ-CP, Chính phủ, 01/7/2016, Phụ lục).
// dayOfMonth checks that it is the only month the day misses.
func (p *parser) febLast() bool {
	k := p.i
	if !p.seq(k, "rieng", "thang") {
		return false
	}
	k += 2
	if !(p.word(k, "hai") || (p.tok(k).kind == tNum && p.tok(k).num == 2)) {
		return false
	}
	k++
	if p.word(k, "la") {
		k++
	}
	if !p.seq(k, "ngay", "cuoi", "thang") {
		return false
	}
	p.i = k + 3
	if p.f.has&fFebLast != 0 {
		return p.conflict()
	}
	p.mark(fFebLast)
	return true
}

// quotaPeriodAt reports a quota's period at j: "/tháng", "mỗi tuần",
// "trong [01|một] tháng", "một năm".
func (p *parser) quotaPeriodAt(j int) bool {
	switch {
	case p.tok(j).kind == tSlash, p.word(j, "moi"), p.word(j, "mot"):
		j++
	case p.word(j, "trong"):
		j++
		if p.word(j, "mot") || (p.tok(j).kind == tNum && p.tok(j).num == 1) {
			j++
		}
	default:
		return false
	}
	return (p.isSix(j) && p.word(j+1, "thang")) || (p.tok(j).kind == tWord && unitWord(p.tok(j).text) != uNone)
}

// afterPeriod reads, at k, what a "tháng|quý … tiếp theo" is after: "[ngay]
// sau kỳ báo cáo", "tháng báo cáo", "[sau] tháng phát sinh nghĩa vụ thuế",
// "tháng tổ chức phiên họp" — the period itself, named. It returns the index
// past it, or k when nothing of the kind follows.
func (p *parser) afterPeriod(k int, unit string) int {
	j := k
	if p.word(j, "ngay") && !(p.tok(j+1).kind == tNum) {
		j++ // "ngay sau" (right after), not "ngày"
	}
	if p.isAfter(j) {
		j++
	}
	switch {
	case p.seq(j, "ky", "bao", "cao"), p.seq(j, unit, "bao", "cao"):
		return j + 3
	case p.word(j, unit) && p.tok(j+1).kind == tWord && !periodWords[p.tok(j+1).text] && unitWord(p.tok(j+1).text) == uNone &&
		p.tok(j+1).text != "sau" && p.tok(j+1).text != "truoc" && p.tok(j+1).text != "cuoi" && p.tok(j+1).text != "dau":
		// "tháng phát sinh nghĩa vụ thuế", "tháng tổ chức phiên họp": the
		// period named by what happens in it; the words that follow are
		// the sentence's.
		return j + 1
	}
	return k
}

// monthSpan: "từ tháng 02 đến [hết] tháng 9", the months of the year a
// monthly duty covers: "Ngày 05 hằng tháng (từ tháng 02 đến tháng 9)"
// (Quyết định 24/2021/QĐ-TTg, Điều 7). dayOfMonth uses it; anywhere else it
// is left over and the text stays unresolved.
func (p *parser) monthSpan() bool {
	k := p.i
	if !p.seq(k, "tu", "thang") || p.tok(k+2).kind != tNum || !p.word(k+3, "den") {
		return false
	}
	a := p.tok(k + 2).num
	k += 4
	if p.word(k, "het") {
		k++
	}
	if !p.word(k, "thang") || p.tok(k+1).kind != tNum || p.tok(k+2).kind == tSlash {
		return false
	}
	b := p.tok(k + 1).num
	p.i = k + 2
	if a < 1 || b > 12 || a >= b || p.f.has&fMonthSpan != 0 {
		return p.conflict()
	}
	p.mark(fMonthSpan)
	p.f.monthSpan = [2]int{a, b}
	return true
}
