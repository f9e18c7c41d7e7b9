package schedule

import (
	"strings"
	"testing"
	"time"
)

func benchExprs() []string {
	var exprs []string
	for _, c := range append(append([]exprCase{}, seedCases...), formCases...) {
		exprs = append(exprs, c.expr)
	}
	for _, c := range unresolvedCases {
		exprs = append(exprs, c.expr)
	}
	return exprs
}

// BenchmarkParseCorpus measures one Parse, averaged over the corpus of real
// expressions (testdata/corpus.tsv), sentences included.
func BenchmarkParseCorpus(b *testing.B) {
	entries := loadCorpus(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Parse(entries[i%len(entries)].text, Options{})
	}
}

// BenchmarkParseSentence measures the slowest path: a long sentence that
// does not read as a whole and is read again as a sentence.
func BenchmarkParseSentence(b *testing.B) {
	expr := "UBND các xã, phường gửi báo cáo quý về UBND tỉnh (qua Sở Nội vụ) trước ngày 12 của tháng cuối quý"
	b.ReportAllocs()
	for b.Loop() {
		Parse(expr, Options{})
	}
}

// BenchmarkParse measures one Parse, averaged over the test tables.
func BenchmarkParse(b *testing.B) {
	exprs := benchExprs()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Parse(exprs[i%len(exprs)], Options{})
	}
}

// BenchmarkBetween asks each rule for the next 45 days, as the engine does on
// every tick for each task × agency pair; the window moves a day per call.
func BenchmarkBetween(b *testing.B) {
	for _, bc := range []struct {
		name  string
		exprs []string
	}{
		// The appendix of 681/QĐ-UBND: mostly annual, a few one-off.
		{"seed", []string{"Trước 31/12 hàng năm", "Quý I hàng năm", "Quý IV hàng năm", "Quý IV/2021",
			"Quý I - theo nhu cầu hàng năm", "Năm 2023", "trước ngày 10/12 của năm trước liền kề năm kế hoạch",
			"ít nhất 03 cuộc/năm", "Thường xuyên trong năm", "Theo quy định của Bộ Nội vụ"}},
		{"annual", []string{"Quý I hàng năm"}},
		{"monthly", []string{"trước ngày 05 của tháng sau"}},
		{"quarterly", []string{"chậm nhất vào ngày 20 tháng cuối quý"}},
		{"weekly", []string{"thứ Sáu hằng tuần"}},
		{"lunar", []string{"ngày 10 tháng 3 âm lịch"}},
		{"oneoff", []string{"Quý II, III/2022"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			rules := make([]Rule, len(bc.exprs))
			for i, e := range bc.exprs {
				rules[i] = Parse(e, Options{})
			}
			start := NewDate(2022, time.January, 1)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				from := start + Date(i%1500)
				rules[i%len(rules)].Between(from, from+45)
			}
		})
	}
}

// BenchmarkParseLongest measures the worst inputs Parse still reads in full:
// maxExprRunes runes of words, numbers and separators.
func BenchmarkParseLongest(b *testing.B) {
	for _, unit := range []string{"ngày 10/12 và ", "thường xuyên, ", "a/", "Quý I hằng năm "} {
		var s []rune
		for len(s)+len([]rune(unit)) <= maxExprRunes {
			s = append(s, []rune(unit)...)
		}
		expr := string(s)
		b.Run(strings.Fields(unit)[0], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Parse(expr, Options{})
			}
		})
	}
}
