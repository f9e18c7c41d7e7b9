package schedule

import (
	"fmt"
	"strings"
)

// Cutoff is a report regime's data cut-off (thời gian chốt số liệu, Nghị
// định 09/2019/NĐ-CP, Điều 12): the window of days whose data a period's
// report covers, "từ ngày 15 tháng trước đến ngày 14 của tháng báo cáo".
// Its two ends are time expressions read by Parse; a period's window ends on
// the end rule's date for that period and starts on the first start date
// after the previous period's end.
type Cutoff struct {
	Text       string // verbatim
	start, end Rule
}

// ParseCutoff reads "[Thời gian chốt số liệu] [tính] từ <ngày> đến <ngày>".
// It returns the reason, in Vietnamese, when the text cannot be read; never
// a guessed window.
func ParseCutoff(text string) (Cutoff, string) {
	c := Cutoff{Text: text}
	toks, ok := tokenize(text)
	if !ok || len(toks) == 0 {
		return c, reasonCutoff(text, "không có nội dung đọc được")
	}
	from, to := -1, -1
	for k, t := range toks {
		switch {
		case t.kind != tWord:
		case t.text == "tu" && from < 0 && k+1 < len(toks) && toks[k+1].text == "ngay":
			from = k + 1
		case t.text == "den" && from >= 0 && to < 0:
			to = k + 1
			if to < len(toks) && toks[to].text == "het" {
				to++ // "đến hết ngày 14"
			}
		}
	}
	if from < 0 || to < 0 || to >= len(toks) || to-1 <= from {
		return c, reasonCutoff(text, "cần có dạng \"từ ngày … đến ngày …\"")
	}
	startText := text[toks[from].start:toks[to-1].start]
	if toks[to-1].text == "het" {
		startText = text[toks[from].start:toks[to-2].start]
	}
	endText := text[toks[to].start:]
	c.end = Parse(endText, Options{})
	if !c.end.Kind.HasDueDates() || c.end.Kind == KindOneOff {
		return c, reasonCutoff(text, fmt.Sprintf("không đọc được ngày cuối %q (%s)", display(endText), c.end.Reason))
	}
	c.start = Parse(startText, Options{})
	if !c.start.Kind.HasDueDates() {
		// "từ ngày 15 tháng 6 đến ngày 14 tháng 12 của kỳ báo cáo": what
		// the end says of the period holds for the start too.
		c.start = Parse(startText+" của kỳ báo cáo", Options{})
	}
	if !c.start.Kind.HasDueDates() || c.start.Kind == KindOneOff {
		return c, reasonCutoff(text, fmt.Sprintf("không đọc được ngày đầu %q", display(strings.TrimSpace(startText))))
	}
	return c, ""
}

func reasonCutoff(text, why string) string {
	return fmt.Sprintf("Thời gian chốt số liệu %q: %s.", display(text), why)
}

// IsZero reports whether c holds no cut-off.
func (c Cutoff) IsZero() bool { return c.Text == "" }

// Kind is the cycle of the windows: the end rule's kind.
func (c Cutoff) Kind() Kind { return c.end.Kind }

// Window returns the data window of the period labelled period of period
// year y ("2027-Q1" in 2027), or false when the cut-off has no such period.
func (c Cutoff) Window(period string, y int) (from, to Date, ok bool) {
	if c.end.plan == nil || c.start.plan == nil {
		return 0, 0, false
	}
	ends := c.end.Occurrences(y)
	prevs := c.end.Occurrences(y - 1)
	for i, e := range ends {
		if e.Period != period {
			continue
		}
		var prev Date
		switch {
		case i > 0:
			prev = ends[i-1].Due
		case len(prevs) > 0:
			prev = prevs[len(prevs)-1].Due
		default:
			prev = e.Due.AddDays(-400)
		}
		starts := c.start.Between(prev.AddDays(1), e.Due)
		if len(starts) == 0 {
			return 0, 0, false
		}
		return starts[0].Due, e.Due, true
	}
	return 0, 0, false
}
