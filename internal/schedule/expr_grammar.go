package schedule

// The grammar: a time expression is a sequence of clauses ("trước", "ngày
// 10/12", "của năm trước", "hằng năm", "Quý IV/2021", …) in almost any order,
// separated by fillers and punctuation. Each clause records a fact; build
// (expr_build.go) then checks that the facts make exactly one reading and
// turns them into a plan. A word no clause knows makes the whole expression
// unresolved: a reminder on a guessed date is worse than none.

// unit is the length of a period.
type unit uint8

const (
	uNone unit = iota
	uWeek
	uMonth
	uQuarter
	uHalf
	uYear
)

// relMonth says which month a bare "ngày D" falls in, relative to the period.
type relMonth uint8

const (
	relNone             relMonth = iota
	relNextMonth                 // "ngày 05 của tháng sau"
	relQuarterFirst              // "ngày 15 tháng đầu quý"
	relQuarterMiddle             // "ngày 15 tháng giữa quý"
	relQuarterLast               // "ngày 20 tháng cuối quý"
	relNextQuarterFirst          // "ngày 15 tháng đầu quý sau"
	relSameMonth                 // "ngày 18 của tháng", "ngày 12 của tháng báo cáo"
	relPrevMonth                 // "ngày 15 của tháng trước" (a data cut-off's start)
	relPrevDue                   // "ngày 25 của tháng trước tháng tổ chức phiên họp": due the month before
	relNextYearFirst             // "ngày 20 của tháng đầu năm tiếp theo": January of the year after
)

// fact is one bit per kind of clause seen, so build can tell which facts a
// reading used and reject expressions with facts left over.
type fact uint32

const (
	fBefore     fact = 1 << iota // "trước": the strict reading may apply
	fInclusive                   // "chậm nhất", "hạn chót", "đến hết": no effect on the date
	fContinuous                  // "thường xuyên", "liên tục", "hằng ngày"
	fOnDemand                    // "khi có yêu cầu", "đột xuất", "khi phát sinh"
	fOnNeed                      // "theo nhu cầu": a modifier, or on-demand when alone
	fRecur                       // "hằng năm", "định kỳ hằng quý", "định kỳ 6 tháng"
	fWithin                      // "trong năm" without a year
	fShift                       // "của năm trước", "năm sau"
	fYear                        // a year: "năm 2021", "/2021", "2021"
	fSpan                        // "giai đoạn 2021 – 2025", "Năm 2024-2025"
	fDates                       // "31/12", "ngày 10 tháng 3", "10/11/2021"
	fDay                         // "ngày 15" with no month
	fRel                         // "tháng sau", "tháng cuối quý"
	fQuarters                    // "Quý I", "Quý II, III"
	fMonths                      // "Tháng 6"
	fHalf                        // "6 tháng đầu năm"
	fPoint                       // "đầu/giữa/cuối năm|quý|tháng"
	fWeekday                     // "thứ Sáu", "Chủ nhật"
	fLunar                       // "âm lịch"
	fLeap                        // "nhuận"
	fSolar                       // "dương lịch"
	fQuota                       // "ít nhất 03 cuộc/năm"
	fReport                      // "năm báo cáo", "kỳ báo cáo": the period itself, no shift
	fTet                         // "Tết Nguyên đán"
	fFebLast                     // "riêng tháng Hai là ngày cuối tháng"
	fMonthSpan                   // "(từ tháng 02 đến tháng 9)": the months a monthly duty covers
)

type dayMonth struct{ d, m int }

// facts is what the clauses of one expression say.
type facts struct {
	has       fact
	recur     unit
	within    unit
	shift     int // years between the period and its due date: −1, +1
	year      int
	span      [2]int
	dates     []dayMonth
	day       int
	rel       relMonth
	quarters  []int
	months    []int
	half      int  // 1 or 2
	point     int  // 1 đầu, 2 giữa, 3 cuối
	pointUnit unit // of the point
	weekday   int  // ISO: 1 Monday … 7 Sunday
	quota     int
	quotaUnit unit
	quotaNoun string // "cuộc", "lần" … for the reading
	// halfEachYear: both "6 tháng" and "hằng năm" were said; recur is uHalf.
	halfEachYear bool
	// reportName: the cycle came from a report's name ("Báo cáo quý"),
	// which says what is due, not when.
	reportName bool
	// dataDay: the date the figures stand at ("Thời điểm báo cáo là 31/12"),
	// set aside before the deadline; zero when none.
	dataDay dayMonth
	// unlessOther: "trừ trường hợp … có hướng dẫn khác" closed the text.
	unlessOther bool
	// monthSpan: fMonthSpan's first and last month.
	monthSpan [2]int
}

const tEOF tokKind = 255

// parser walks the tokens once; each clause method reports whether it
// matched at p.i and, if so, advances past it.
type parser struct {
	toks     []token
	i        int
	f        facts
	fail     string // the unresolved reason, once a clause found a definite problem
	expr     string
	dashed   bool    // a dash came right before the current clause
	lastItem bool    // the clause before named a date or a period
	listed   bool    // a comma or "và" came since the clause before
	cat      itemCat // what the last item clause named
	lastCat  itemCat // what the item clause before it named

	// Sentence mode (expr_sentence.go): the text is a sentence with a time
	// clause in it. Words the grammar does not know are the sentence's
	// subject and are skipped; the clause starts at an anchor.
	sentence bool
	anchored bool     // an anchor ("trước", "chậm nhất", "ngày 15") was seen
	read     [][2]int // token ranges the clauses read, for the reason
	skipped  int      // words skipped
	fatal    bool     // a word of the sentence makes it unreadable wherever it stands
	gap      bool     // words were skipped since the time clause
	opening  bool     // the only anchor yet is the cycle that opens the sentence
	// anchorFacts: the facts when the time clause began
	anchorFacts fact
	// weak: the time clause began at "vào" or "trong" + a period, which a
	// dated deadline later in the sentence may turn into the subject's;
	// beforeWeak and weakRead are the facts and the read ranges before it.
	weak       bool
	beforeWeak facts
	weakRead   int
}

func (p *parser) tok(k int) token {
	if k >= 0 && k < len(p.toks) {
		return p.toks[k]
	}
	return token{kind: tEOF}
}

func (p *parser) word(k int, w string) bool {
	t := p.tok(k)
	return t.kind == tWord && t.text == w
}

// seq reports whether the words ws follow one another from k.
func (p *parser) seq(k int, ws ...string) bool {
	for j, w := range ws {
		if !p.word(k+j, w) {
			return false
		}
	}
	return true
}

// isSix reports whether token k is the number six, as digits or as "sáu".
// Without diacritics "sau" could be "after"; the callers only ask where six is
// the one sense that fits ("định kỳ sáu tháng").
func (p *parser) isSix(k int) bool {
	t := p.tok(k)
	return (t.kind == tNum && t.num == 6) || (t.kind == tWord && t.text == "sau")
}

// isAfter reports whether token k is "sau" meaning after, not "sáu" (six):
// "tháng sau" is next month, "tháng sáu" is June.
func (p *parser) isAfter(k int) bool {
	t := p.tok(k)
	return t.kind == tWord && t.text == "sau" && !isSixSpelling(t.raw)
}

func isSixSpelling(raw string) bool {
	// raw may be NFC or NFD; "sau" with any mark on the a is not "after".
	return len(raw) > 3
}

func (p *parser) num(k int) (int, bool) {
	t := p.tok(k)
	return t.num, t.kind == tNum
}

func (p *parser) setFail(reason string) bool {
	if p.fail == "" {
		p.fail = reason
	}
	return true
}

func (p *parser) conflict() bool {
	return p.setFail(reasonConflict(p.expr))
}

// run applies the clauses until the tokens are used up or one fails.
func (p *parser) run() {
	// A symbol or a foreign letter is never understood; naming it beats
	// naming the word before it that could not be completed.
	// In a sentence a symbol belongs to its other words ("tỷ lệ phần trăm
	// (%)", an e-mail address in brackets): skipWord places it.
	for _, t := range p.toks {
		if t.kind == tOther && !p.sentence {
			p.setFail(reasonUnknown(p.expr, t.raw))
			return
		}
	}
	for p.i < len(p.toks) && p.fail == "" {
		switch t := p.toks[p.i]; t.kind {
		case tSep:
			p.listed = true
			p.i++
			continue
		case tDash:
			p.dashed = true
			p.i++
			continue
		case tSlash:
			if p.sentence && p.tok(p.i-1).kind == tWord && p.tok(p.i+1).kind == tWord {
				p.i++ // "Cục Dân quân tự vệ/Bộ Tổng Tham mưu": words, not a date
				continue
			}
			p.setFail(reasonUnknown(p.expr, t.raw))
			return
		}
		start, item := p.i, false
		if p.sentence && (p.word(start, "vao") || p.word(start, "trong")) && p.anchorAt(start) {
			p.anchored, p.gap = true, false // "… vào tháng 7 hằng năm"
			if !p.weak {
				p.weak, p.beforeWeak, p.weakRead = true, p.f, len(p.read)
			}
		}
		if p.filler() {
			if p.anchored && !p.gap {
				p.read = append(p.read, [2]int{start, p.i})
			}
			continue
		}
		// In a sentence, a clause before the anchor, or after words of the
		// sentence that follow the time clause, belongs to the subject
		// ("Báo cáo quý I/2022 gửi …", "…, xây dựng kế hoạch CCHC năm
		// sau"): only the cycles it names are kept.
		subject := false
		saved := p.f
		if p.sentence {
			if p.anchorAt(start) && !p.bodyWords(start) {
				if p.weak && p.gap && p.datedDeadlineAt(start) {
					// "Riêng trong quý I năm 2019, gửi trước ngày 05/5/2019":
					// the period a "trong" or "vào" named is the report's;
					// the deadline comes after it.
					p.f, p.read = p.beforeWeak, p.read[:p.weakRead]
					p.cat, p.lastCat = catNone, catNone
				}
				if !p.word(start, "vao") && !p.word(start, "trong") {
					p.weak = false
				}
				p.anchored, p.gap = true, false
				p.anchorFacts = p.f.has
				p.opening = p.word(start, "hang") // the cycle that opens the sentence
			}
			subject = !p.anchored || p.gap
		}
		lead := false // a "trước" or "chậm nhất" leaves a list open: "10/6 và trước ngày 10/12"
		switch {
		case p.prefix():
			lead = true
		case p.halfRecur(): // before dates: "6 tháng 1 lần" is not 6 January
		case p.reportCycle():
		case p.hour():
		case p.itemClause():
			item = true
		case p.otherClause():
		default:
			if p.sentence && p.skipWord() {
				continue
			}
			p.setFail(reasonUnknown(p.expr, p.toks[p.i].raw))
			return
		}
		keep := !subject || (!item && p.f.has&^saved.has&^(fRecur|fReport) == 0)
		named := (p.word(start, "giai") || p.seq(start-2, "giai", "doan")) && p.f.has&^saved.has&^(fSpan|fYear) == 0
		if !keep && item && p.anchored && p.fail == "" && !named && !p.onlyPrefix(saved) {
			// A date or period after the time clause and words of the
			// sentence ("Trước Tết … Bính Ngọ 2026"): it may belong to the
			// deadline; dropping it could give a wrong date.
			p.conflict()
		}
		if p.sentence && p.fail == "" {
			if keep {
				p.read = append(p.read, [2]int{start, p.i})
			} else {
				// A period named before the time clause is the subject's
				// ("Báo cáo quý I/2022 gửi trước ngày 15/01/2023").
				p.f = saved
				p.cat, p.lastCat = catNone, catNone
			}
		}
		if p.i == start && p.fail == "" {
			// A clause that matched nothing would loop for ever: never
			// happens, but a reminder daemon must not hang on a bad cell.
			p.setFail(reasonUnknown(p.expr, p.toks[p.i].raw))
			return
		}
		if !lead {
			p.dashed, p.lastItem, p.listed = false, item, false
		}
	}
}

// datedDeadlineAt reports "trước ngày D/M…", "trước ngày D tháng M…" or
// "chậm nhất [là] [vào] ngày D/M…" at k.
func (p *parser) datedDeadlineAt(k int) bool {
	switch {
	case p.word(k, "truoc"):
		k++
	case p.seq(k, "cham", "nhat"):
		k += 2
		if p.word(k, "la") {
			k++
		}
		if p.word(k, "vao") {
			k++
		}
	default:
		return false
	}
	return p.word(k, "ngay") && p.tok(k+1).kind == tNum && (p.tok(k+2).kind == tSlash || p.word(k+2, "thang"))
}

// onlyPrefix reports that the time clause read so far holds nothing but
// its opening word: "Thời hạn báo cáo kết quả … năm 2020 là ngày 10/8/2020"
// names the report between "Thời hạn" and its date, so a period there is
// the report's.
func (p *parser) onlyPrefix(f facts) bool {
	return p.anchorFacts&^(fBefore|fInclusive) == f.has&^(fBefore|fInclusive) && len(f.dates) == 0
}

// bodyWords reports "theo yêu cầu" or "thường xuyên" at k in the words of a
// sentence that follow its dated time clause: "chậm nhất ngày 25.12.2017
// phải báo cáo nội dung này theo yêu cầu của Bộ Kế hoạch và Đầu tư" is due on
// that day, as asked, not on demand. They are the sentence's words, not a
// second time clause.
func (p *parser) bodyWords(k int) bool {
	return p.gap && p.f.has&(fDates|fDay) != 0 && (p.seq(k, "theo", "yeu", "cau") || p.seq(k, "thuong", "xuyen"))
}

// itemCat tells apart the item clauses that can be listed: two of the same
// kind in a row need a comma or "và" between them ("20/6 và 20/12"); without
// one ("1/2 2/1") the text is garbled, not a list.
type itemCat uint8

const (
	catNone itemCat = iota
	catDate
	catMonth
	catQuarter
	catYear
)

// itemClause tries the clauses that name a date or a period. Two of them
// joined by a dash ("Quý IV/2021 - Quý I/2022") are a range whose deadline
// the text does not state; build never sees them.
func (p *parser) itemClause() bool {
	ranged := p.dashed && p.lastItem
	p.lastCat, p.cat = p.cat, catNone
	if !(p.halfPeriod() || p.date() || p.month() || p.quarter() || p.point() || p.year()) {
		p.cat = p.lastCat
		return false
	}
	switch {
	case ranged:
		p.fail = reasonRange(p.expr) // the range, not what its second half says
	case p.cat != catNone && p.cat == p.lastCat && !p.listed && !(p.sentence && p.gap):
		// (After the time clause and words of the sentence, an item is the
		// sentence's, not a run-on list: run decides what it is.)
		p.setFail(reasonConflict(p.expr))
	}
	return true
}

func (p *parser) otherClause() bool {
	return p.febLast() || p.monthSpan() || p.continuous() || p.onDemand() || p.quota() || p.recurrence() ||
		p.within() || p.yearRef() || p.relMonth() || p.weekday() || p.tet() || p.calendar()
}

// filler skips words that change nothing: "thực hiện", "hoàn thành", "vào",
// "của", "là", "và", "định kỳ" (when no "6 tháng" follows: "định kỳ hằng quý").
func (p *parser) filler() bool {
	switch {
	case p.seq(p.i, "thuc", "hien"), p.seq(p.i, "hoan", "thanh"):
		p.i += 2
	case p.seq(p.i, "dinh", "ky") && !p.isSix(p.i+2):
		p.i += 2
	case p.word(p.i, "va"):
		p.listed = true
		p.i++
	case p.word(p.i, "vao"), p.word(p.i, "cua"), p.word(p.i, "la"):
		p.i++
	default:
		return false
	}
	return true
}

func (p *parser) mark(f fact) { p.f.has |= f }

func (p *parser) setRecur(u unit) {
	if p.f.has&fRecur != 0 && p.f.recur != u {
		if (p.f.recur == uHalf && u == uYear) || (p.f.recur == uYear && u == uHalf) {
			// "Báo cáo định kỳ 6 tháng: … ngày 20/6 và ngày 20/12 hàng
			// năm": the half-years of every year. Only dates can say so
			// (build checks): "định kỳ 6 tháng, hằng năm" may be two reports.
			p.f.recur, p.f.halfEachYear = uHalf, true
			return
		}
		p.conflict()
		return
	}
	p.mark(fRecur)
	p.f.recur = u
}

func (p *parser) setYear(y int) {
	if y < minYear || y > maxYear {
		p.setFail(reasonYearRange(p.expr, y))
		return
	}
	if p.f.has&fYear != 0 && p.f.year != y {
		p.setFail(reasonManyYears(p.expr))
		return
	}
	p.mark(fYear)
	p.f.year = y
}

// The years a text may name. Outside them a number is a typo ("năm 1021").
const (
	minYear = 1900
	maxYear = 2200
)

// yearAt reads a four-digit year at k.
func (p *parser) yearAt(k int) (int, bool) {
	t := p.tok(k)
	return t.num, t.kind == tNum && t.width == 4
}

// slashYear reads an optional "/2021" at p.i, as in "Quý IV/2021".
func (p *parser) slashYear() {
	if p.tok(p.i).kind != tSlash || p.tok(p.i+1).kind != tNum {
		return
	}
	y, ok := p.yearAt(p.i + 1)
	p.i += 2
	if !ok {
		p.setFail(reasonShortYear(p.expr, p.tok(p.i-1).raw))
		return
	}
	p.setYear(y)
}

// skipOnce is the optional "một lần" of "mỗi năm một lần".
func (p *parser) skipOnce() {
	if (p.word(p.i, "mot") || (p.tok(p.i).kind == tNum && p.tok(p.i).num == 1)) && p.word(p.i+1, "lan") {
		p.i += 2
	}
}

func unitWord(w string) unit {
	switch w {
	case "nam":
		return uYear
	case "quy":
		return uQuarter
	case "thang":
		return uMonth
	case "tuan":
		return uWeek
	}
	return uNone
}
