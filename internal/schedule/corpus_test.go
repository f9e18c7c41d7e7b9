package schedule

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The corpus (testdata/corpus.tsv) holds real expressions from plans and
// report regimes, each with the document it comes from, the kind an official
// reads and the dates for one period year. `make eval` prints how Parse does
// on it, kind by kind; TestCorpus holds the line.

// corpusFloor is the share of dated expressions read right when the corpus
// was last measured: 304 of 314. Issue 13 asks for 95%; the ten rows below
// it are real wordings the parser does not read (README.md, "Reading time
// expressions", lists them). The test fails if Parse falls below the floor. Raise
// it when the parser improves; never lower it to make a change pass.
const corpusFloor = 0.9681

// corpusMinQuoted is how many rows quote a document (basis nguyên-văn) when
// the corpus was last measured. Issue 13 asks for 300 real expressions; the
// count may only grow.
const corpusMinQuoted = 443

// seedSource is the source of the seed plan's time column: each of those
// expressions must read right whatever the floor.
const seedSource = "Quyết định 681/QĐ-UBND, UBND tỉnh Ninh Thuận, 27/10/2021"

type corpusEntry struct {
	line   int
	text   string
	source string
	basis  string
	kind   Kind
	year   int
	due    []string // the first dates of the year, in order
	n      int      // how many the year has (len(due) unless "+N" was given)
}

func loadCorpus(t testing.TB) []corpusEntry {
	t.Helper()
	f, err := os.Open("testdata/corpus.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kinds := map[Kind]bool{KindOneOff: true, KindAnnual: true, KindSemiannual: true, KindQuarterly: true,
		KindMonthly: true, KindWeekly: true, KindQuota: true, KindContinuous: true, KindOnDemand: true, KindUnresolved: true}
	var out []corpusEntry
	quoted := map[int]corpusEntry{} // line → nguyên-văn row, for the biến-thể:N references
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		col := strings.Split(l, "\t")
		if len(col) != 6 {
			t.Fatalf("corpus.tsv:%d: %d columns, want 6", line, len(col))
		}
		e := corpusEntry{line: line, text: col[0], source: col[1], basis: col[2], kind: Kind(col[3])}
		if e.text == "" || e.source == "" || !kinds[e.kind] {
			t.Fatalf("corpus.tsv:%d: empty text or source, or unknown kind %q", line, e.kind)
		}
		switch n, isVariant := strings.CutPrefix(e.basis, "biến-thể:"); {
		case e.basis == "nguyên-văn":
			quoted[line] = e
		case isVariant:
			// A variant retypes the words of a quoted row of the same document.
			ref, err := strconv.Atoi(n)
			q, ok := quoted[ref]
			if err != nil || !ok || q.source != e.source {
				t.Fatalf("corpus.tsv:%d: basis %q does not name an earlier nguyên-văn row of the same document", line, e.basis)
			}
		default:
			t.Fatalf("corpus.tsv:%d: unknown basis %q (nguyên-văn or biến-thể:N)", line, e.basis)
		}
		if e.year, err = strconv.Atoi(col[4]); err != nil || e.year < 1900 || e.year > 2200 {
			t.Fatalf("corpus.tsv:%d: year %q", line, col[4])
		}
		for _, f := range strings.Fields(col[5]) {
			if n, ok := strings.CutPrefix(f, "+"); ok {
				if e.n, err = strconv.Atoi(n); err != nil {
					t.Fatalf("corpus.tsv:%d: count %q", line, f)
				}
				continue
			}
			if _, err := ParseDate(f); err != nil {
				t.Fatalf("corpus.tsv:%d: %v", line, err)
			}
			e.due = append(e.due, f)
		}
		if e.n == 0 {
			e.n = len(e.due)
		}
		if e.kind.HasDueDates() != (len(e.due) > 0) {
			t.Fatalf("corpus.tsv:%d: kind %s with %d dates", line, e.kind, len(e.due))
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// corpusResult is how Parse did on one entry.
type corpusResult struct {
	e      corpusEntry
	got    Kind
	dates  []string
	reason string
	ok     bool
}

func evalCorpus(entries []corpusEntry) []corpusResult {
	out := make([]corpusResult, len(entries))
	for i, e := range entries {
		r := Parse(e.text, Options{})
		res := corpusResult{e: e, got: r.Kind, reason: r.Reason}
		occ := r.Occurrences(e.year)
		for _, o := range occ {
			res.dates = append(res.dates, o.Due.String())
		}
		res.ok = r.Kind == e.kind && len(occ) == e.n && len(res.dates) >= len(e.due) &&
			slices.Equal(res.dates[:len(e.due)], e.due)
		out[i] = res
	}
	return out
}

// corpusTable is the per-kind table `make eval` prints, and the figures the
// test checks.
type corpusTable struct {
	rows                map[Kind][2]int // right, total
	dated, datedRight   int
	negatives, negWrong int
	undatedWithDates    int
	text                string
	failures            []corpusResult
}

func tabulate(results []corpusResult) corpusTable {
	t := corpusTable{rows: map[Kind][2]int{}}
	for _, r := range results {
		c := t.rows[r.e.kind]
		c[1]++
		if r.ok {
			c[0]++
		} else {
			t.failures = append(t.failures, r)
		}
		t.rows[r.e.kind] = c
		switch {
		case r.e.kind.HasDueDates():
			t.dated++
			if r.ok {
				t.datedRight++
			}
		default:
			if len(r.dates) > 0 {
				t.undatedWithDates++
			}
			if r.e.kind == KindUnresolved {
				t.negatives++
				if r.got != KindUnresolved {
					t.negWrong++
				}
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %6s %6s %9s\n", "kind", "total", "right", "accuracy")
	order := []Kind{KindOneOff, KindAnnual, KindSemiannual, KindQuarterly, KindMonthly, KindWeekly, KindQuota,
		KindContinuous, KindOnDemand, KindUnresolved}
	for _, k := range order {
		c, ok := t.rows[k]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "%-12s %6d %6d %8.1f%%\n", k, c[1], c[0], 100*float64(c[0])/float64(c[1]))
	}
	all := len(results)
	fmt.Fprintf(&b, "%-12s %6d %6d %8.1f%%\n", "all", all, all-len(t.failures), 100*float64(all-len(t.failures))/float64(all))
	fmt.Fprintf(&b, "dated expressions right: %d/%d (%.1f%%); negative cases given a reading: %d/%d; undated text given dates: %d\n",
		t.datedRight, t.dated, 100*float64(t.datedRight)/float64(max(t.dated, 1)), t.negWrong, t.negatives, t.undatedWithDates)
	t.text = b.String()
	return t
}

// TestCorpus reads the whole corpus; `make eval` runs it with -v to print
// the table and every failure.
func TestCorpus(t *testing.T) {
	entries := loadCorpus(t)
	results := evalCorpus(entries)
	tab := tabulate(results)
	t.Logf("corpus: %d expressions (%d quoted from a document, %d retyped variants of those)\n%s",
		len(entries), quotedRows(entries), len(entries)-quotedRows(entries), tab.text)
	for _, f := range tab.failures {
		t.Logf("corpus.tsv:%d: %q (%s) year %d: want %s %v (+%d), got %s %v\n    %s",
			f.e.line, f.e.text, f.e.source, f.e.year, f.e.kind, f.e.due, f.e.n, f.got, f.dates, f.reason)
	}
	if n := quotedRows(entries); n < corpusMinQuoted {
		t.Errorf("the corpus quotes %d expressions from documents, want at least %d", n, corpusMinQuoted)
	}
	if acc := float64(tab.datedRight) / float64(tab.dated); acc < corpusFloor {
		t.Errorf("dated expressions right: %.4f, below the floor %.4f", acc, corpusFloor)
	}
	if tab.negWrong > 0 || tab.undatedWithDates > 0 {
		t.Errorf("%d negative cases were given a reading and %d undated texts were given dates", tab.negWrong, tab.undatedWithDates)
	}
	// Every expression of the seed's time column reads exactly as expected.
	for _, r := range results {
		if r.e.source == seedSource && r.e.basis == "nguyên-văn" && !r.ok {
			t.Errorf("seed expression %q: got %s %v", r.e.text, r.got, r.dates)
		}
	}
}

// quotedRows counts the rows whose words are a document's own.
func quotedRows(entries []corpusEntry) int {
	n := 0
	for _, e := range entries {
		if e.basis == "nguyên-văn" {
			n++
		}
	}
	return n
}
