package report

import (
	"bytes"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// The oracle: what compareVietnamese replaces. A Collator is not safe for
// concurrent use.
var (
	oracleMu  sync.Mutex
	oracleCol = collate.New(language.Vietnamese)
)

func oracle(a, b string) int {
	oracleMu.Lock()
	defer oracleMu.Unlock()
	return oracleCol.CompareString(a, b)
}

func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

// collationKey is the whole sort key that compareVietnamese compares level
// by level: comparing keys byte by byte must give the same result.
func collationKey(s string) []byte {
	var k []byte
	for level := range collationLevels {
		if level > 0 {
			k = append(k, 0) // below every weight
		}
		k = appendCollationLevel(k, s, level)
	}
	return k
}

const (
	grave     = "\u0300"
	hook      = "\u0309"
	tilde     = "\u0303"
	acute     = "\u0301"
	dotBelow  = "\u0323"
	breve     = "\u0306"
	circ      = "\u0302"
	horn      = "\u031B"
	softHyph  = "\u00AD"
	noBreakSp = "\u00A0"
	cgj       = "\u034F" // combining grapheme joiner
)

var tones = []string{"", grave, hook, tilde, acute, dotBelow}

func TestCompareVietnameseTable(t *testing.T) {
	nfd := norm.NFD.String
	tests := []struct {
		a, b string
		want int
	}{
		// The alphabet.
		{"Sở Tài chính", "Sở Tư pháp", -1},
		{"Sở Tư pháp", "Sở Y tế", -1},
		{"Sở Tài chính", "Sở Y tế", -1},
		{"Dân", "Đài", -1},
		{"Dzung", "Đài", -1},
		{"Đài", "Em", -1},
		{"an", "ăn", -1},
		{"ăn", "ân", -1},
		{"ặn", "ân", -1}, // the letter, not the tone, decides
		{"ân", "bà", -1},
		{"co", "cô", -1},
		{"cô", "cơ", -1},
		{"cơ", "cu", -1},
		{"ủ", "ư", -1},
		{"ư", "v", -1},
		{"e", "ê", -1},
		{"ê", "f", -1},
		{"w", "x", -1},
		{"y", "z", -1},
		{"Ban Dân tộc", "Ban Quản lý các khu công nghiệp", -1},
		{"Thanh", "Thành", -1},
		{"Thành", "Thanh tra", -1},
		// Tones: a secondary difference, in CLDR's order.
		{"ma", "mà", -1},
		{"mà", "mả", -1},
		{"mả", "mã", -1},
		{"mã", "má", -1},
		{"má", "mạ", -1},
		{"ma", "mạ", -1},
		{"ân", "ấn", -1},
		{"mạ", "mac", -1}, // primary before secondary
		{"mác", "mạc", -1},
		// Tone placement: compared letter by letter, so the old placement
		// ("Uỷ", tone on y) and the new ("Ủy", tone on U) differ.
		{"Uỷ ban", "Ủy ban", -1},
		{"Uy ban", "Uỷ ban", -1},
		{"Ủy ban", "Ủy ban nhân dân", -1},
		{"hoà", "hòa", -1},
		// NFC, NFD and mixed spellings are equal.
		{"Ủy ban", nfd("Ủy ban"), 0},
		{"Nguyễn", nfd("Nguyễn"), 0},
		{"Nguyễn", "Nguyê" + tilde + "n", 0},
		{"Sở Y tế", "So" + horn + hook + " Y te" + circ + acute, 0},
		{"Sở Y tế", "Sơ" + hook + " Y tê" + acute, 0},
		{"Đặng", "Đa" + breve + dotBelow + "ng", 0},
		{"Đặng", "Đă" + dotBelow + "ng", 0},
		{"Ộ", "O" + dotBelow + circ, 0},
		// Case: a tertiary difference, lowercase first.
		{"a", "A", -1},
		{"ă", "Ă", -1},
		{"đà", "Đà", -1},
		{"sở y tế", "Sở Y tế", -1},
		{"Sở a", "sở b", -1},
		{"Ma", "mà", -1}, // the tone before the case
		{"Mà", "ma", 1},
		// Digits before letters, compared character by character.
		{"1", "a", -1},
		{"10", "9", -1},
		{"Quyết định 681", "Quyết định 7", -1},
		{"Z", "0", 1},
		// Whitespace and punctuation: not ignorable, before digits.
		{"Sở A", "Sở-A", -1},
		{"Sở-A", "SởA", -1},
		{"a b", "a-b", -1},
		{"a-b", "a,b", -1},
		{"a,b", "a.b", -1},
		{"a.b", "a(b", -1},
		{"a(b", "a)b", -1},
		{"a)b", "a/b", -1},
		{"a/b", "a0b", -1},
		{"(a)", "a", -1},
		{"Sở Lao động - Thương binh", "Sở Lao động – Thương binh", -1},
		{"a b", "a" + noBreakSp + "b", -1},
		{"a...", "a…", -1},
		{"Ly", "L·y", -1}, // DUCET's l + middle dot: a secondary difference
		{"L·y", "Lz", -1},
		{"a·y", "ay", -1},
		// Ignorable characters.
		{"Sở" + softHyph + "Nội", "SởNội", 0},
		{"a\x01b", "ab", 0},
		{"", "\x7f", 0},
		// Latin diacritics outside Vietnamese.
		{"Müller", "Mutter", -1},
		{"François", "Francois", 1},
		{"Ångström", "Angstrom", 1},
		{"", "a", -1},
	}
	for _, tt := range tests {
		if got := sign(oracle(tt.a, tt.b)); got != tt.want {
			t.Errorf("oracle(%q, %q) = %d, want %d: the table is wrong", tt.a, tt.b, got, tt.want)
		}
		if got := sign(compareVietnamese(tt.a, tt.b)); got != tt.want {
			t.Errorf("compareVietnamese(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := sign(compareVietnamese(tt.b, tt.a)); got != -tt.want {
			t.Errorf("compareVietnamese(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

// TestCompareVietnameseAgencies sorts the agencies of the shipped directory.
func TestCompareVietnameseAgencies(t *testing.T) {
	data, err := os.ReadFile("../../config/agencies.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var dir struct {
		Agencies []struct {
			Name      string `yaml:"name"`
			ShortName string `yaml:"short_name"`
		} `yaml:"agencies"`
	}
	if err := yaml.Unmarshal(data, &dir); err != nil {
		t.Fatal(err)
	}
	var names, all []string
	for _, a := range dir.Agencies {
		names = append(names, a.Name)
		all = append(all, a.Name, a.ShortName)
	}
	if len(names) != 42 {
		t.Fatalf("config/agencies.yaml has %d agencies, want 42", len(names))
	}
	for _, set := range [][]string{names, all} {
		want := slices.Clone(set)
		slices.SortStableFunc(want, oracle)
		got := slices.Clone(set)
		slices.SortStableFunc(got, compareVietnamese)
		if !slices.Equal(got, want) {
			t.Errorf("sorted:\n%s\nwant (x/text/collate):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, a := range set {
			for _, b := range set {
				if g, w := sign(compareVietnamese(a, b)), sign(oracle(a, b)); g != w {
					t.Errorf("compareVietnamese(%q, %q) = %d, x/text/collate says %d", a, b, g, w)
				}
			}
		}
	}
	if testing.Verbose() {
		slices.SortFunc(names, compareVietnamese)
		t.Logf("sorted:\n%s", strings.Join(names, "\n"))
	}
}

func TestCompareVietnameseAllocs(t *testing.T) {
	a, b := "Sở Văn hóa, Thể thao và Du lịch tỉnh Khánh Hòa", norm.NFD.String("Sở Văn hóa, Thể thao và Du lịch tỉnh Khánh Hoà")
	if n := testing.AllocsPerRun(100, func() { compareVietnamese(a, b) }); n != 0 {
		t.Errorf("compareVietnamese allocates %v times, want 0", n)
	}
}

func TestCollationOrderTable(t *testing.T) {
	if len(collationOrder) >= weightOther {
		t.Fatalf("collationOrder is %d bytes: its weights no longer fit a byte below weightOther", len(collationOrder))
	}
	seen := map[rune]bool{}
	for _, r := range collationOrder {
		if seen[r] {
			t.Errorf("%q twice in collationOrder", r)
		}
		seen[r] = true
	}
	for c := ' '; c < utf8.RuneSelf-1; c++ {
		if asciiPrimary[c] == 0 {
			t.Errorf("%q has no primary weight", c)
		}
	}
	// Each character of collationOrder sorts after the one before it, as
	// the collator sorts them.
	var prev string
	for _, r := range collationOrder {
		s := string(r)
		if prev != "" && oracle(prev, s) >= 0 {
			t.Errorf("x/text/collate does not sort %q before %q", prev, s)
		}
		prev = s
	}
}

// A character of the generated text: a letter or one of genOthers.
type genLetter struct {
	base  rune   // a lowercase letter, maybe with its shape mark (ă â ... ư), or one of genOthers
	mark  string // a combining mark: a tone or a Latin diacritic
	upper bool
	form  int // 0: NFC, 1: NFD, 2: shape precomposed, tone combining
}

const genBases = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"

// genOthers are the characters other than letters the generator uses:
// digits, whitespace, the punctuation and symbols of collationOrder, and
// the characters weighed like one of them.
var genOthers = func() []rune {
	var out []rune
	for _, r := range collationOrder {
		if !strings.ContainsRune(genBases, r) {
			out = append(out, r)
		}
	}
	return append(out, '\u00A0', '\u2011', '\u2026')
}()

var latinMarks = []string{breve, circ, horn, "\u0304", "\u0307", "\u0308", "\u030A", "\u030B", "\u030C", "\u0326", "\u0327", "\u0328"}

func (l genLetter) String() string {
	base := string(l.base)
	if l.upper {
		base = strings.ToUpper(base)
	}
	switch l.form {
	case 1:
		return norm.NFD.String(base + l.mark)
	case 2:
		return base + l.mark
	}
	return norm.NFC.String(base + l.mark)
}

// A generated text.
type genText []genLetter

func (g genText) String() string {
	var b strings.Builder
	for _, l := range g {
		b.WriteString(l.String())
	}
	return b.String()
}

func randLetter(rng *rand.Rand) genLetter {
	if rng.IntN(5) == 0 {
		other := genOthers[rng.IntN(len(genOthers))]
		mark := ""
		if rng.IntN(10) == 0 { // a tone on a digit or a space
			mark = tones[1+rng.IntN(len(tones)-1)]
		}
		return genLetter{base: other, mark: mark, form: rng.IntN(2)}
	}
	bases := []rune(genBases)
	l := genLetter{base: bases[rng.IntN(len(bases))], upper: rng.IntN(3) == 0, form: rng.IntN(3)}
	if rng.IntN(20) == 0 {
		l.setLatinMark(latinMarks[rng.IntN(len(latinMarks))])
	} else {
		l.mark = tones[rng.IntN(len(tones))]
	}
	return l
}

// setLatinMark gives l a Latin diacritic instead of a tone, and takes away
// the shape mark of ă â ê ô ơ ư, or the bar of đ.
func (l *genLetter) setLatinMark(mark string) {
	l.mark = mark
	if strings.ContainsRune("ăâđêôơư", l.base) {
		l.base = []rune(norm.NFD.String(string(l.base)))[0]
		if l.base == 'đ' {
			l.base = 'd'
		}
	}
}

// decodeText turns arbitrary bytes into text inside the claim, two bytes a
// character, so that every input of the fuzzer is compared with the
// collator.
func decodeText(data string) string {
	bases := []rune(genBases)
	var g genText
	for i := 0; i+1 < len(data); i += 2 {
		c, d := int(data[i]), int(data[i+1])
		if c >= 6*len(bases) {
			l := genLetter{base: genOthers[d%len(genOthers)], form: c % 2}
			if c%8 == 0 {
				l.mark = tones[1+d%(len(tones)-1)]
			}
			g = append(g, l)
			continue
		}
		l := genLetter{base: bases[c%len(bases)], upper: c/len(bases)%2 == 1, mark: tones[d%len(tones)], form: d / len(tones) % 3}
		if d >= 240 {
			l.setLatinMark(latinMarks[d%len(latinMarks)])
		}
		g = append(g, l)
	}
	return g.String()
}

func randText(rng *rand.Rand, n int) genText {
	g := make(genText, n)
	for i := range g {
		g[i] = randLetter(rng)
	}
	return g
}

// mutate changes g a little, so that the texts compared often differ only
// at the secondary or tertiary level.
func mutate(rng *rand.Rand, g genText) genText {
	g = slices.Clone(g)
	for range 1 + rng.IntN(2) {
		if len(g) == 0 {
			return append(g, randLetter(rng))
		}
		i := rng.IntN(len(g))
		switch rng.IntN(7) {
		case 0:
			g[i].upper = !g[i].upper
		case 1:
			g[i].form = rng.IntN(3)
		case 2:
			if g[i].mark == "" || slices.Contains(tones, g[i].mark) {
				g[i].mark = tones[rng.IntN(len(tones))]
			}
		case 3:
			g[i] = randLetter(rng)
		case 4:
			g = slices.Insert(g, i, randLetter(rng))
		case 5:
			g = slices.Delete(g, i, i+1)
		default:
			for j := range g {
				g[j].form = rng.IntN(3)
			}
		}
	}
	return g
}

// TestCompareVietnameseOracle compares compareVietnamese with the collator
// on random Vietnamese texts and on texts that differ a little.
func TestCompareVietnameseOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	var byLevel [collationLevels + 1]int // pairs by the level of their first difference
	failures := 0
	for i := range n {
		a := randText(rng, rng.IntN(12))
		var b genText
		if i%4 == 0 {
			b = randText(rng, rng.IntN(12))
		} else {
			b = mutate(rng, a)
		}
		as, bs := a.String(), b.String()
		if !claimed(as) || !claimed(bs) {
			t.Fatalf("the generator made text outside the claim: %+q, %+q", as, bs)
		}
		byLevel[differingLevel(as, bs)]++
		got, want := sign(compareVietnamese(as, bs)), sign(oracle(as, bs))
		if got != want {
			t.Errorf("compareVietnamese(%q, %q) = %d, x/text/collate says %d\n(%+q vs %+q)", as, bs, got, want, as, bs)
			if failures++; failures == 20 {
				t.FailNow()
			}
		}
	}
	t.Logf("%d pairs: %d differing at the primary level, %d at the secondary, %d at the tertiary, %d equal",
		n, byLevel[levelPrimary], byLevel[levelSecondary], byLevel[levelTertiary], byLevel[collationLevels])
	for level, count := range byLevel {
		if count < n/20 {
			t.Errorf("only %d pairs of %d at level %d: the generator no longer tests it", count, n, level)
		}
	}
}

// differingLevel returns the first level at which a and b differ, or
// collationLevels if they are equal.
func differingLevel(a, b string) int {
	for level := range collationLevels {
		if !bytes.Equal(appendCollationLevel(nil, a, level), appendCollationLevel(nil, b, level)) {
			return level
		}
	}
	return collationLevels
}

// claimed reports whether compareVietnamese claims to sort s as the
// collator does: valid UTF-8 made of letters (a–z, đ and the Vietnamese
// letters, either case), each with at most a tone, or with one of the
// Latin diacritics of markSecondary, and of the characters of
// collationOrder (digits, whitespace, punctuation, symbols), U+00A0,
// U+2011 and U+2026, which may carry a tone. A letter may be spelled
// precomposed (NFC), decomposed (NFD), or with its shape mark (ă â ê ô ơ
// ư) precomposed and its tone combining.
//
// Outside this, the collator is not canonically closed and
// compareVietnamese follows canonical equivalence, as the Unicode Collation
// Algorithm requires: "ạ" + U+0306 is "ặ" to compareVietnamese, "a" with
// two marks to the collator; marks in other than canonical order (o +
// U+0323 + U+031B) likewise. Other letters (ø, ł, æ, ß, Greek, Cyrillic,
// CJK...) and symbols sort after the letters, by code point, whereas the
// collator sorts them in their own places.
func claimed(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for s != "" {
		_, n := utf8.DecodeRuneInString(s)
		if norm.NFD.PropertiesString(s).CCC() != 0 {
			return false // a mark with no letter
		}
		// The letter and its marks.
		for n < len(s) && norm.NFD.PropertiesString(s[n:]).CCC() != 0 {
			_, size := utf8.DecodeRuneInString(s[n:])
			n += size
		}
		if !claimedLetter(s[:n]) {
			return false
		}
		s = s[n:]
	}
	return true
}

func claimedLetter(g string) bool {
	d := []rune(norm.NFD.String(g))
	base, marks := d[0], d[1:]
	lower := base
	if 'A' <= base && base <= 'Z' {
		lower = base + 'a' - 'A'
	}
	if base == 'Đ' {
		lower = 'đ'
	}
	if !strings.ContainsRune(collationOrder, lower) && lower != '\u00A0' && lower != '\u2011' && lower != '\u2026' {
		return false
	}
	isTone := func(m rune) bool { return slices.Contains(tones[1:], string(m)) }
	switch len(marks) {
	case 0:
		return true
	case 1:
		if markSecondary(marks[0]) == 0 {
			return false
		}
		return g == norm.NFC.String(g) || g == norm.NFD.String(g)
	case 2:
		shape, tone := marks[0], marks[1]
		if !isTone(tone) {
			shape, tone = tone, shape
		}
		if !isTone(tone) || contraction(lower, shape) == 0 {
			return false
		}
		return g == norm.NFC.String(g) || g == norm.NFD.String(g) ||
			g == norm.NFC.String(string(base)+string(shape))+string(tone)
	}
	return false
}

// checkOrder checks that compareVietnamese is a total order on a, b, c:
// reflexive, antisymmetric, transitive, 0 only for equal keys, and blind to
// canonically equivalent spellings.
func checkOrder(t *testing.T, a, b, c string) {
	t.Helper()
	s := []string{a, b, c}
	for _, x := range s {
		if got := compareVietnamese(x, x); got != 0 {
			t.Fatalf("compareVietnamese(%q, itself) = %d", x, got)
		}
		if !utf8.ValidString(x) {
			continue
		}
		for _, y := range []string{norm.NFC.String(x), norm.NFD.String(x)} {
			if strings.Count(y, cgj) != strings.Count(x, cgj) {
				// More than 30 marks in a row: norm inserted U+034F
				// (Stream-Safe Text Format), so y is not canonically
				// equivalent to x.
				continue
			}
			if got := compareVietnamese(x, y); got != 0 {
				t.Fatalf("compareVietnamese(%q, %q) = %d, want 0: canonically equivalent", x, y, got)
			}
		}
	}
	for _, x := range s {
		for _, y := range s {
			xy, yx := compareVietnamese(x, y), compareVietnamese(y, x)
			if sign(xy) != -sign(yx) {
				t.Fatalf("compareVietnamese(%q, %q) = %d but compareVietnamese(%q, %q) = %d", x, y, xy, y, x, yx)
			}
			if k := bytes.Compare(collationKey(x), collationKey(y)); sign(xy) != k {
				t.Fatalf("compareVietnamese(%q, %q) = %d but their keys compare %d", x, y, xy, k)
			}
			for _, z := range s {
				if xy <= 0 && compareVietnamese(y, z) <= 0 {
					if xz := compareVietnamese(x, z); xz > 0 || (xy < 0 || compareVietnamese(y, z) < 0) && xz == 0 {
						t.Fatalf("not transitive: %q ≤ %q ≤ %q but compareVietnamese(%q, %q) = %d", x, y, z, x, z, xz)
					}
				}
			}
		}
	}
}

// TestCompareVietnameseTotalOrder checks checkOrder on random text of any
// kind, in and out of the claim.
func TestCompareVietnameseTotalOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", "A", "o", "u", "e", "d", "đ", "Đ", "ø", "ß", "æ", "ł", "Ω", "中", "한", "\u1100", "\u1161",
		" ", "-", ".", "…", "\u00A0", "\x01", "\u00AD", "\u034F", "\U0001F600", "\xff", "\xc3", "1", "€", "¼",
		grave, hook, tilde, acute, dotBelow, breve, circ, horn, "\u0308", "\u0345", "\u0363", "\u05B0", "ặ", "ạ", "ơ"}
	rnd := func() string {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	var set []string
	for range 1000 {
		a, b, c := rnd(), rnd(), rnd()
		checkOrder(t, a, b, c)
		set = append(set, a)
	}
	slices.SortFunc(set, compareVietnamese)
	for i := range set {
		for j := i + 1; j < len(set); j++ {
			if compareVietnamese(set[i], set[j]) > 0 {
				t.Fatalf("after sorting, %q comes before %q", set[i], set[j])
			}
		}
	}
}

func FuzzCompareVietnamese(f *testing.F) {
	f.Add("Sở Tài chính", "Sở Tư pháp", "Sở Y tế")
	f.Add("Ủy ban", "Uỷ ban", norm.NFD.String("Ủy ban"))
	f.Add("Dân", "Đài", "dan")
	f.Add("mà", "mả", "mạ")
	f.Add("Sở Lao động - Thương binh và Xã hội", "Sở Văn hóa, Thể thao và Du lịch", "Ban Quản lý Khu kinh tế (KKT) 1/2")
	f.Add("Đa"+breve+dotBelow+"ng", "Đặng", "o"+dotBelow+horn)
	f.Add("ạ"+breve, "Müller", "a…\u00A0b")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		checkOrder(t, a, b, c)
		s := []string{a, b, c, decodeText(a), decodeText(b), decodeText(c)}
		for _, x := range s[3:] {
			if !claimed(x) {
				t.Fatalf("decodeText made text outside the claim: %+q", x)
			}
		}
		checkOrder(t, s[3], s[4], s[5])
		for _, x := range s {
			if !claimed(x) {
				continue
			}
			for _, y := range s {
				if !claimed(y) {
					continue
				}
				if got, want := sign(compareVietnamese(x, y)), sign(oracle(x, y)); got != want {
					t.Errorf("compareVietnamese(%q, %q) = %d, x/text/collate says %d", x, y, got, want)
				}
			}
		}
	})
}

func BenchmarkCompareVietnamese(b *testing.B) {
	names := []string{
		"Sở Văn hóa, Thể thao và Du lịch tỉnh Khánh Hòa",
		"Sở Văn hóa, Thể thao và Du lịch tỉnh Ninh Thuận",
		"Ủy ban nhân dân huyện Ninh Phước",
		"Ủy ban nhân dân huyện Ninh Sơn",
	}
	b.Run("compareVietnamese", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			compareVietnamese(names[i%4], names[(i+1)%4])
		}
	})
	b.Run("collate", func(b *testing.B) {
		col := collate.New(language.Vietnamese)
		for i := 0; b.Loop(); i++ {
			col.CompareString(names[i%4], names[(i+1)%4])
		}
	})
}
