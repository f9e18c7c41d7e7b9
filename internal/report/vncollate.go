package report

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Vietnamese collation without golang.org/x/text/collate, whose tables for
// every language weigh more than a megabyte in the binary.
//
// compareVietnamese orders strings the way collate.New(language.Vietnamese)
// does (CLDR's Vietnamese tailoring of the Unicode Collation Algorithm,
// default options: tertiary strength, punctuation not ignorable), for the
// text that agency names and task texts are made of:
//
//   - letters in the Vietnamese alphabet order a ă â b c d đ e ê g h i k l m n
//     o ô ơ p q r s t u ư v x y, with f j w z in their Latin places;
//   - tones as a secondary difference, in the order none, huyền (grave),
//     hỏi (hook), ngã (tilde), sắc (acute), nặng (dot below), compared
//     letter by letter from the start (so "Uỷ" < "Ủy": at the second
//     letter, "y" without a tone comes first);
//   - case as a tertiary difference, lowercase first;
//   - whitespace and punctuation before symbols, symbols before digits,
//     digits before letters, all with a primary weight of their own (the
//     collator's default "non-ignorable" handling: "Sở A" < "Sở-A" < "SởA").
//
// Input may be NFC, NFD, or mix both (a letter with its shape mark
// precomposed and a combining tone, as some keyboards type it): canonically
// equivalent spellings compare equal (unless a letter carries more than 30
// marks). The usual Latin diacritics (markSecondary) weigh as the collator
// weighs them, so that foreign names sort as before. The test compares
// compareVietnamese with x/text/collate; its claimed function says on what
// text exactly they agree.
//
// Other text still gets a total order, consistent with itself, but not the
// collator's: characters outside collationOrder that do not decompose into
// one of it (ø, æ, ß, Greek, CJK, most symbols...) sort after all letters,
// by code point, and marks other than those of markSecondary weigh more
// than those, by code point.
func compareVietnamese(a, b string) int {
	if a == b {
		return 0
	}
	// Names often share a long beginning ("Sở ... tỉnh "): skip it, up to
	// an ASCII character or the end of either text. There, a combining
	// sequence starts in both (ASCII characters are starters, and no
	// contraction spans them), so the weights of what comes before are the
	// same in both at every level.
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	for n > 0 && !(startsSequence(a, n) && startsSequence(b, n)) {
		n--
	}
	a, b = a[n:], b[n:]

	// Weights are compared level by level, building each string's weights
	// for one level at a time: most pairs differ at the primary level. The
	// buffers keep keys of names and task texts off the heap.
	var bufA, bufB [256]byte
	for level := range collationLevels {
		ka := appendCollationLevel(bufA[:0], a, level)
		kb := appendCollationLevel(bufB[:0], b, level)
		if c := bytes.Compare(ka, kb); c != 0 {
			return c
		}
	}
	return 0
}

// startsSequence reports whether the weights of s[:i] do not depend on what
// follows: s[i:] is empty or starts with an ASCII character.
func startsSequence(s string, i int) bool {
	return i == len(s) || s[i] < utf8.RuneSelf
}

// The levels of comparison.
const (
	levelPrimary = iota
	levelSecondary
	levelTertiary
	collationLevels
)

// collationOrder lists, in ascending order, the characters with a primary
// weight of their own, and a character's primary weight is its byte offset
// in the string plus one. The order is the collator's (DUCET as tailored by
// CLDR for Vietnamese): whitespace, punctuation, symbols, currency, digits,
// letters. Uppercase letters, U+00A0 and U+2011 have the weight of their
// lowercase or breaking counterpart and differ at the tertiary level.
//
// Letters with a breve, circumflex or horn are separate letters in
// Vietnamese: ă â ê ô ơ ư appear here in their alphabet places and are
// matched from their decomposed form (see contraction).
const collationOrder = "\t\n\v\f\r\u0085 _-\u2010\u2013\u2014,;:!?.\u00b7'\u2018\u2019\"\u201c\u201d\u201e\u00ab\u00bb()[]{}" +
	"\u00a7@*/\\&#%\u2030\u2022\u2032`\u00b4^\u00b0+\u00b1\u00d7<=>|~\u2212$\u20ac" +
	"0123456789" +
	"aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"

// Weights outside collationOrder are encoded as weightOther followed by
// three bytes (big-endian): a code point, or 0x110000 plus the value of a
// byte that is not UTF-8. weightOther is above every other weight, so that
// these characters sort after the letters, and the encoding is prefix-free,
// so that comparing encodings byte by byte compares the weights.
const weightOther = 0xFF

// Secondary and tertiary weights, as the collator's tables have them (only
// their order matters).
const (
	secondaryCommon = 0x20 // every character that is not a combining mark

	tertiaryCommon   = 0x02 // lowercase letters, digits, punctuation, marks
	tertiaryUpperVi  = 0x03 // Ă Â Đ Ê Ô Ơ Ư (tailored)
	tertiaryEllipsis = 0x04 // U+2026, expanded to three full stops...
	tertiaryUpper    = 0x08 // A–Z
	tertiaryNoBreak  = 0x1B // U+00A0, U+2011
	tertiaryEllLast  = 0x1F // ...the last of which has this weight
)

// asciiPrimary is the primary weight of each ASCII character, 0 for the
// control characters that the collator ignores completely.
var asciiPrimary = func() (t [utf8.RuneSelf]uint8) {
	for i, r := range collationOrder {
		if r < utf8.RuneSelf {
			t[r] = uint8(i + 1)
		}
	}
	for r := 'A'; r <= 'Z'; r++ {
		t[r] = t[r+'a'-'A']
	}
	return t
}()

// markSecondary is the secondary weight of a combining mark: the five tones
// in the Vietnamese order, the marks of ă â ê ô ơ ư when they stand alone
// (on another letter), and the usual Latin diacritics, so that foreign
// names such as "Müller" or "François" sort as the collator sorts them.
// The weights are the collator's, including its giving the breve and the
// tilde the same one. 0 for another mark.
func markSecondary(r rune) uint8 {
	switch r {
	case '\u0300': // grave: huyền
		return 0x35
	case '\u0309': // hook above: hỏi
		return 0x36
	case '\u0303': // tilde: ngã
		return 0x37
	case '\u0301': // acute: sắc
		return 0x38
	case '\u0323': // dot below: nặng
		return 0x39
	case '\u0306': // breve
		return 0x37
	case '\u0302': // circumflex
		return 0x3C
	case '\u031B': // horn
		return 0x68
	case '\u0304': // macron
		return 0x5B
	case '\u0307': // dot above
		return 0x52
	case '\u0308': // diaeresis
		return 0x47
	case '\u030A': // ring above
		return 0x43
	case '\u030B': // double acute
		return 0x4D
	case '\u030C': // caron
		return 0x41
	case '\u0326': // comma below
		return 0x77
	case '\u0327': // cedilla
		return 0x56
	case '\u0328': // ogonek
		return 0x59
	}
	return 0
}

// contraction returns the Vietnamese letter that the lowercase letter base
// and the combining mark form (ă â ê ô ơ ư), or 0.
func contraction(base, mark rune) rune {
	switch {
	case mark == '\u0306' && base == 'a':
		return 'ă'
	case mark == '\u0302' && base == 'a':
		return 'â'
	case mark == '\u0302' && base == 'e':
		return 'ê'
	case mark == '\u0302' && base == 'o':
		return 'ô'
	case mark == '\u031B' && base == 'o':
		return 'ơ'
	case mark == '\u031B' && base == 'u':
		return 'ư'
	}
	return 0
}

// appendCollationLevel appends s's weights at level to dst.
//
// It decomposes s (NFD) as it goes, with norm's tables but not its Iter,
// which would put itself on the heap for every comparison.
func appendCollationLevel(dst []byte, s string, level int) []byte {
	q := combiningSeq{level: level, starter: noStarter}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			dst = q.add(dst, rune(c), 0)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			// Not UTF-8: a starter of its own, after all else.
			dst = q.add(dst, notUTF8+rune(s[i]), 0)
			i++
			continue
		}
		p := norm.NFD.PropertiesString(s[i:])
		i += size
		if d := p.Decomposition(); d != nil {
			for j := 0; j < len(d); {
				r, size := utf8.DecodeRune(d[j:])
				dst = q.add(dst, r, norm.NFD.Properties(d[j:]).CCC())
				j += size
			}
		} else if hangulFirst <= r && r <= hangulLast {
			// Decomposed by rule, not by table: into two or three jamo.
			v := r - hangulFirst
			dst = q.add(dst, 0x1100+v/(21*28), 0)
			dst = q.add(dst, 0x1161+v%(21*28)/28, 0)
			if v%28 != 0 {
				dst = q.add(dst, 0x11A7+v%28, 0)
			}
		} else {
			dst = q.add(dst, r, p.CCC())
		}
	}
	return q.flush(dst)
}

const (
	hangulFirst = 0xAC00
	hangulLast  = 0xD7A3

	// notUTF8 plus a byte's value stands for a byte that is not UTF-8.
	notUTF8 = 0x110000
	// noStarter is the starter of marks at the start of the text.
	noStarter = -1
	// maxMarks is how many marks a starter keeps: more start a new
	// sequence, as Unicode's Stream-Safe Text Format has it.
	maxMarks = 30
)

// combiningSeq collects a combining character sequence of decomposed text,
// a starter and its combining marks in canonical order, and appends its
// weights at level when the next one starts.
type combiningSeq struct {
	level   int
	starter rune
	marks   [maxMarks]struct {
		r   rune
		ccc uint8
	}
	n int
	// loneL is set when the sequence written last was a lone "l" or "L":
	// with a middle dot after it, it forms a contraction (DUCET's, for
	// U+0140 "ŀ").
	loneL bool
}

// add adds r, of canonical combining class ccc, to the text, and appends
// the weights of the sequence that r ends, if any.
func (q *combiningSeq) add(dst []byte, r rune, ccc uint8) []byte {
	if ccc == 0 {
		dst = q.flush(dst)
		q.starter = r
		return dst
	}
	if q.n == maxMarks {
		dst = q.flush(dst)
	}
	// Canonical order: a stable sort by combining class.
	i := q.n
	for ; i > 0 && q.marks[i-1].ccc > ccc; i-- {
		q.marks[i] = q.marks[i-1]
	}
	q.marks[i].r, q.marks[i].ccc = r, ccc
	q.n++
	return dst
}

// flush appends the weights of the sequence and starts a new, empty one.
func (q *combiningSeq) flush(dst []byte) []byte {
	afterL := q.loneL
	q.loneL = (q.starter == 'l' || q.starter == 'L') && q.n == 0
	consumed := -1 // the mark a contraction took
	if q.starter != noStarter {
		dst, consumed = q.appendStarter(dst, afterL)
	}
	for i, m := range q.marks[:q.n] {
		if i != consumed {
			dst = q.appendMark(dst, markSecondary(m.r), m.r)
		}
	}
	q.starter, q.n = noStarter, 0
	return dst
}

// appendMark appends the weights of a combining mark of secondary weight
// w, or of the mark r if w is 0.
func (q *combiningSeq) appendMark(dst []byte, w uint8, r rune) []byte {
	switch q.level {
	case levelSecondary:
		if w == 0 {
			return appendOther(dst, r)
		}
		return append(dst, w)
	case levelTertiary:
		return append(dst, tertiaryCommon)
	}
	return dst
}

// secondaryLDot is the weight of a middle dot after a lone "l" or "L".
const secondaryLDot = weightOther - 1

// appendStarter appends the weights of the starter, and returns the index
// of the mark it took to form a Vietnamese letter, or -1.
func (q *combiningSeq) appendStarter(dst []byte, afterL bool) ([]byte, int) {
	r := q.starter
	tertiary := uint8(tertiaryCommon)
	consumed := -1
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
			tertiary = tertiaryUpper
		}
		if consumed = q.contraction(r); consumed < 0 {
			if asciiPrimary[r] != 0 { // else a control character: ignorable
				dst = appendWeight(dst, q.level, uint32(asciiPrimary[r]), tertiary)
			}
			return dst, -1
		}
		r = contraction(r, q.marks[consumed].r)
		if tertiary == tertiaryUpper {
			tertiary = tertiaryUpperVi
		}
	case r == '\u00B7' && afterL:
		return q.appendMark(dst, secondaryLDot, r), -1
	case r == 'Đ':
		r, tertiary = 'đ', tertiaryUpperVi
	case r == '\u00A0':
		r, tertiary = ' ', tertiaryNoBreak
	case r == '\u2011':
		r, tertiary = '\u2010', tertiaryNoBreak
	case r == '\u2026': // horizontal ellipsis
		dot := uint32(asciiPrimary['.'])
		dst = appendWeight(dst, q.level, dot, tertiaryEllipsis)
		dst = appendWeight(dst, q.level, dot, tertiaryEllipsis)
		return appendWeight(dst, q.level, dot, tertiaryEllLast), -1
	case ignorable(r):
		return dst, -1
	}
	if i := strings.IndexRune(collationOrder, r); i >= 0 {
		return appendWeight(dst, q.level, uint32(i+1), tertiary), consumed
	}
	return appendWeight(dst, q.level, otherPrimary(r), tertiary), consumed
}

// contraction returns the index of the mark that forms a Vietnamese letter
// with the starter, the lowercase letter base, or -1. As in the Unicode
// Collation Algorithm, the mark need not follow the letter directly, but
// must not be blocked: no mark in between may have its combining class
// (the dot below of "ặ", a + U+0323 + U+0306, does not block the breve).
func (q *combiningSeq) contraction(base rune) int {
	if base != 'a' && base != 'e' && base != 'o' && base != 'u' {
		return -1
	}
	var maxCCC uint8
	for i, m := range q.marks[:q.n] {
		if m.ccc > maxCCC && contraction(base, m.r) != 0 {
			return i
		}
		maxCCC = max(maxCCC, m.ccc)
	}
	return -1
}

// ignorable reports whether the collator ignores r completely: control
// characters other than whitespace, and format characters that copying
// text tends to carry along.
func ignorable(r rune) bool {
	switch {
	case r < 0xA0:
		return r >= 0x80 && r != '\u0085' // C1 controls but NEL, a line break
	case r == '\u00AD', r == '\u034F', '\u200B' <= r && r <= '\u200F', r == '\u2060', r == '\uFEFF':
		return true
	}
	return false
}

// otherPrimary is the primary weight of v, a character outside
// collationOrder (see weightOther).
func otherPrimary(v rune) uint32 {
	return weightOther<<24 | uint32(v)
}

// appendOther appends the encoding of weightOther and v.
func appendOther(dst []byte, v rune) []byte {
	return append(dst, weightOther, byte(v>>16), byte(v>>8), byte(v))
}

// appendWeight appends, at level, the weights of a starter: primary is
// an offset in collationOrder plus one, or an otherPrimary.
func appendWeight(dst []byte, level int, primary uint32, tertiary uint8) []byte {
	switch level {
	case levelPrimary:
		if primary < weightOther {
			return append(dst, byte(primary))
		}
		return appendOther(dst, rune(primary&0xFFFFFF))
	case levelSecondary:
		return append(dst, secondaryCommon)
	}
	return append(dst, tertiary)
}
