package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// spreadsheetText defuses a text for a CSV or XLSX cell.
//
// Control characters (CR and LF above all) become spaces: a name is one
// line, and a raw line break would let a crafted name forge rows in tools
// that read CSV naively. A text whose first visible character is = + - or @
// is prefixed with an apostrophe (OWASP's advice against formula injection):
// a spreadsheet would otherwise run "=HYPERLINK(…)" or "=cmd|…" as a
// formula, in a CSV on opening and in an XLSX as soon as someone edits the
// cell. The apostrophe shows, which is the point: the text stays visibly
// text.
func spreadsheetText(s string) string {
	s = lineText(s)
	if t := strings.TrimLeft(s, " "); t != "" && strings.ContainsRune("=+-@", rune(t[0])) {
		return "'" + s
	}
	return s
}

// lineText makes s one line of plain text: controls, line breaks included,
// become spaces. For iCalendar SUMMARY and calendar names.
func lineText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return ' '
		}
		return r
	}, s)
}

// multilineText keeps line breaks as "\n" only (CR LF and a lone CR
// included: the iCalendar library escapes LF but would write a CR raw) and
// turns every other control but tab into a space. For iCalendar
// DESCRIPTION.
func multilineText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n', r == '\t':
			return r
		case isControl(r):
			return ' '
		}
		return r
	}, s)
}

// isControl reports C0 and C1 controls, DEL, and the Unicode line and
// paragraph separators, which some readers also treat as line breaks.
func isControl(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// capRunes shortens s to at most n runes, ending with "…" when cut. It
// counts runes, not bytes, so a Vietnamese letter is never split.
func capRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n-1 {
			return strings.TrimRight(s[:k], " ") + "…"
		}
		i++
	}
	return s
}
