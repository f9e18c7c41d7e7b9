package schedule

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalisation and tokenising of time expressions.
//
// Officials type the same words many ways: precomposed (NFC) or decomposed
// (NFD) Unicode, with or without diacritics, hàng or hằng, NBSP from Word,
// en and em dashes. The grammar is written once, against plain lowercase
// ASCII: every letter is folded to its base letter and every diacritic is
// dropped. The original spelling is kept beside each token for messages and
// for the one place where a diacritic decides meaning ("sáu" six against
// "sau" after).

// maxExprRunes bounds the work done on one expression. Real cells are short;
// anything longer is pasted prose, which is better shown to an admin.
const maxExprRunes = 500

type tokKind uint8

const (
	tWord  tokKind = iota // a run of letters, folded to lowercase ASCII
	tNum                  // a run of ASCII digits
	tSlash                // '/' and its look-alikes
	tDash                 // '-', '–', '—', '−' …
	tSep                  // , ; : . … ( ) [ ] and quotes: separators with no meaning of their own
	tOther                // anything else, never understood
)

// token is one lexical unit of an expression.
type token struct {
	kind  tokKind
	text  string // folded text: "quy", "2021", "/"
	raw   string // the text as written, for messages
	num   int    // tNum: the value
	width int    // tNum: the number of digits, so "2021" is a year and "21" is not
	start int    // byte offsets of raw in the expression, so a reading can
	end   int    // quote the words it read from a longer sentence
}

// runeClass is what folding makes of one rune.
type runeClass uint8

const (
	cLetter runeClass = iota
	cDigit
	cSpace
	cMark // a combining mark or an invisible character: dropped
	cSlash
	cDash
	cSep
	cOther
)

// foldRune maps r to its class and, for letters and digits, to the ASCII
// byte the grammar sees. It does not allocate: the hot loop of Parse.
func foldRune(r rune) (runeClass, byte) {
	if r < utf8.RuneSelf {
		c := byte(r)
		switch {
		case 'a' <= c && c <= 'z':
			return cLetter, c
		case 'A' <= c && c <= 'Z':
			return cLetter, c + 'a' - 'A'
		case '0' <= c && c <= '9':
			return cDigit, c
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			return cSpace, 0
		case c == '/':
			return cSlash, 0
		case c == '-':
			return cDash, 0
		case strings.IndexByte(",;:.()[]\"'!?", c) >= 0:
			return cSep, 0
		}
		return cOther, 0
	}
	switch r {
	case 'đ', 'Đ':
		// Đ is a letter of its own in Unicode, not D with a mark.
		return cLetter, 'd'
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		// Zero-width spaces, joiners, BOM and soft hyphens come with pasted text.
		return cMark, 0
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\ufe58', '\ufe63', '\uff0d':
		return cDash, 0
	case '\u2044', '\u2215', '\uff0f':
		return cSlash, 0
	case '\u2018', '\u2019', '\u201c', '\u201d', '\u00ab', '\u00bb', '\u2026', '\uff08', '\uff09', '\uff0c', '\uff1a', '\uff1b':
		return cSep, 0
	}
	if unicode.IsSpace(r) {
		return cSpace, 0 // NBSP, narrow NBSP, ideographic space …
	}
	if unicode.Is(unicode.Mn, r) {
		return cMark, 0 // the marks of NFD input
	}
	// A precomposed letter: its canonical decomposition starts with the base.
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if dec := norm.NFD.Properties(buf[:n]).Decomposition(); len(dec) > 0 {
		if b := dec[0]; b < utf8.RuneSelf {
			switch {
			case 'a' <= b && b <= 'z':
				return cLetter, b
			case 'A' <= b && b <= 'Z':
				return cLetter, b + 'a' - 'A'
			}
		}
	}
	return cOther, 0
}

// tokenize folds and splits expr. It reports false when expr has more than
// maxExprRunes runes.
func tokenize(expr string) ([]token, bool) {
	if len(expr) > maxExprRunes*utf8.UTFMax || utf8.RuneCountInString(expr) > maxExprRunes {
		return nil, false
	}
	folded := make([]byte, 0, len(expr))
	type span struct {
		kind             tokKind
		fStart, fEnd     int // in folded
		rawStart, rawEnd int // in expr
	}
	spans := make([]span, 0, len(expr)/3+1)
	open := false // the last span is a word or number still growing
	for i := 0; i < len(expr); {
		r, size := utf8.DecodeRuneInString(expr[i:])
		cls, b := foldRune(r)
		start, end := i, i+size
		i = end
		switch cls {
		case cMark:
			if open {
				spans[len(spans)-1].rawEnd = end
			}
			continue
		case cLetter, cDigit:
			k := tWord
			if cls == cDigit {
				k = tNum
			}
			if open && spans[len(spans)-1].kind == k {
				folded = append(folded, b)
				s := &spans[len(spans)-1]
				s.fEnd, s.rawEnd = len(folded), end
				continue
			}
			folded = append(folded, b)
			spans = append(spans, span{k, len(folded) - 1, len(folded), start, end})
			open = true
			continue
		}
		open = false
		var k tokKind
		switch cls {
		case cSpace:
			continue
		case cSlash:
			k = tSlash
		case cDash:
			k = tDash
		case cSep:
			k = tSep
		default:
			k = tOther
		}
		spans = append(spans, span{k, len(folded), len(folded), start, end})
	}
	text := string(folded)
	toks := make([]token, len(spans))
	for j, s := range spans {
		t := token{kind: s.kind, text: text[s.fStart:s.fEnd], raw: expr[s.rawStart:s.rawEnd], start: s.rawStart, end: s.rawEnd}
		switch s.kind {
		case tSlash:
			t.text = "/"
		case tDash:
			t.text = "-"
		case tNum:
			t.width = len(t.text)
			if t.width > 6 {
				// No day, month, year or count is that long: a pasted
				// document number, never understood.
				t.kind = tOther
				break
			}
			for k := 0; k < len(t.text); k++ {
				t.num = t.num*10 + int(t.text[k]-'0')
			}
		}
		toks[j] = t
	}
	// Trailing punctuation ("Quý IV/2021./.", "hằng năm;") says nothing.
	for len(toks) > 0 {
		if k := toks[len(toks)-1].kind; k != tSep && k != tSlash && k != tDash {
			break
		}
		toks = toks[:len(toks)-1]
	}
	return toks, true
}

// display returns expr as it should be quoted in a message: NFC, trimmed,
// spaces collapsed, and cut short when long.
func display(expr string) string {
	s := strings.Join(strings.FieldsFunc(norm.NFC.String(expr), unicode.IsSpace), " ")
	if utf8.RuneCountInString(s) > 80 {
		r := []rune(s)
		s = string(r[:77]) + "…"
	}
	return s
}

// displayRaw is display for a single token's original text.
func displayRaw(raw string) string {
	return norm.NFC.String(raw)
}
