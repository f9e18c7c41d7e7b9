package config

import (
	"errors"
	"fmt"
	"strings"

	goyaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
	"go.yaml.in/yaml/v3"
)

// A file that go.yaml.in/yaml/v3 cannot read is read again by goccy/go-yaml's
// parser only to say where the mistake is: yaml/v3 reports the start of the
// enclosing block (an unclosed quote on line 74 comes out as "line 69: did
// not find expected key"), goccy/go-yaml the token where reading stopped.
// From that token and the source lines around it, syntaxProblem names the
// usual mistakes (an unclosed quote, a line indented out of step, a missing
// ':' or ']') at the line and column where the admin has to look, in
// Vietnamese. Files that yaml/v3 reads are never given to the second parser,
// so the two can never disagree about a valid file.

// syntaxProblem locates the mistake in data, which yaml/v3 rejected with
// v3err, and says what it is.
func syntaxProblem(data []byte, v3err error) (Pos, string) {
	lines := strings.Split(string(data), "\n")
	err := secondParse(data)
	var se *goyaml.SyntaxError
	if err == nil || !errors.As(err, &se) || se.Token == nil || se.Token.Position == nil {
		// The second parser found nothing: keep yaml/v3's reading.
		p, msg := v3Position(v3err)
		return p, "YAML không hợp lệ: " + v3Message(msg)
	}
	p := Pos{se.Token.Position.Line, se.Token.Position.Column}
	if p.Line < 1 || p.Line > len(lines) {
		p.Line = len(lines)
	}
	msg := se.Message
	if q, quote, ok := unclosedQuote(lines, p.Line); ok {
		name := "ngoặc kép (\")"
		if quote == '\'' {
			name = "nháy đơn (')"
		}
		return q, fmt.Sprintf("YAML không hợp lệ: giá trị mở bằng dấu %s ở đây chưa được đóng; thêm dấu %c ở cuối giá trị", name, quote)
	}
	if strings.HasPrefix(msg, "could not find end character") {
		return p, "YAML không hợp lệ: giá trị trong dấu ngoặc mở ở đây chưa được đóng đến hết tệp"
	}
	if q, text, ok := badIndent(lines, p.Line); ok {
		return q, "YAML không hợp lệ: " + text
	}
	if strings.HasPrefix(msg, "',' or ']' must be specified") || strings.HasPrefix(msg, "sequence end token ']' not found") {
		if q, ok := unclosedBracket(lines, p.Line, '[', ']'); ok {
			return q, "YAML không hợp lệ: danh sách mở bằng '[' ở đây chưa được đóng bằng ']' (hoặc thiếu dấu phẩy giữa các phần tử)"
		}
		return p, "YAML không hợp lệ: thiếu dấu ']' đóng danh sách hoặc thiếu dấu phẩy giữa các phần tử"
	}
	if strings.HasPrefix(msg, "',' or '}' must be specified") || strings.HasPrefix(msg, "could not find flow mapping end token") {
		if q, ok := unclosedBracket(lines, p.Line, '{', '}'); ok {
			return q, "YAML không hợp lệ: nhóm khóa mở bằng '{' ở đây chưa được đóng bằng '}' (hoặc thiếu dấu phẩy giữa các khóa)"
		}
		return p, "YAML không hợp lệ: thiếu dấu '}' đóng nhóm khóa hoặc thiếu dấu phẩy giữa các khóa"
	}
	return p, "YAML không hợp lệ: " + goccyMessage(msg)
}

// secondParse runs goccy/go-yaml's parser; a panic in it (on input no
// test foresaw) counts as finding nothing, so yaml/v3's reading stays.
func secondParse(data []byte) (err error) {
	defer func() {
		if recover() != nil {
			err = nil
		}
	}()
	_, err = parser.ParseBytes(data, 0)
	return err
}

// goccyMessages reads goccy/go-yaml's messages in Vietnamese.
var goccyMessages = []struct{ prefix, vn string }{
	{"non-map value is specified", "thiếu dấu hai chấm ':' sau tên khóa (viết \"khóa: giá trị\")"},
	{"could not find map value", "khóa có dấu ':' nhưng giá trị không đúng chỗ"},
	{"mapping value is not allowed in this context", "dấu ':' không được phép ở đây; giá trị có dấu ':' phải đặt trong dấu ngoặc kép"},
	{"value is not allowed in this context. map key-value is pre-defined", "dòng này không nối tiếp được khóa phía trên: kiểm tra dấu ngoặc kép và thụt lề của dòng trên"},
	{"value is not allowed in this context", "giá trị không được phép ở đây: kiểm tra thụt lề và dấu ':' của dòng này"},
	{"block sequence entries are not allowed in this context", "mục danh sách '- ' không được phép ở đây: kiểm tra thụt lề"},
	{"could not find '[' character corresponding to ']'", "có dấu ']' mà không có dấu '[' mở tương ứng"},
	{"could not find '{' character corresponding to '}'", "có dấu '}' mà không có dấu '{' mở tương ứng"},
	{"expected map key-value delimiter ':'", "thiếu dấu ':' giữa khóa và giá trị"},
	{"found an invalid key for this map", "khóa không hợp lệ ở vị trí này: kiểm tra thụt lề"},
	{"unexpected key name", "tên khóa không đúng chỗ: kiểm tra thụt lề"},
	{"map key definition includes an implicit line break", "tên khóa bị xuống dòng"},
	{"could not find alias value", "tham chiếu '*' không trỏ tới neo '&' nào"},
	{"undefined alias name", "tham chiếu '*' không trỏ tới neo '&' nào"},
	{"tag is not allowed in this context", "thẻ '!' không được phép ở đây"},
	{"unexpected", "ký tự hoặc giá trị không đúng chỗ"},
}

func goccyMessage(msg string) string {
	for _, m := range goccyMessages {
		if strings.HasPrefix(msg, m.prefix) {
			return m.vn
		}
	}
	return "cú pháp sai ở đây (" + msg + ")"
}

// v3Message reads yaml/v3's messages in Vietnamese, for the rare file that
// only yaml/v3 rejects.
func v3Message(msg string) string {
	switch {
	case strings.Contains(msg, "did not find expected key"):
		return "không tìm thấy khóa như mong đợi trong khối bắt đầu ở đây: kiểm tra dấu ngoặc kép và thụt lề bên dưới"
	case strings.Contains(msg, "did not find expected '-' indicator"):
		return "thiếu dấu '-' của mục danh sách trong khối bắt đầu ở đây: kiểm tra thụt lề bên dưới"
	case strings.Contains(msg, "could not find expected ':'"):
		return "thiếu dấu ':' sau tên khóa"
	case strings.Contains(msg, "found unexpected end of stream"):
		return "tệp kết thúc khi một giá trị trong dấu ngoặc còn chưa đóng"
	case strings.Contains(msg, "mapping values are not allowed"):
		return "dấu ':' không được phép ở đây; giá trị có dấu ':' phải đặt trong dấu ngoặc kép"
	case strings.Contains(msg, "already defined"):
		return "khóa bị lặp lại"
	}
	return "cú pháp sai (" + msg + ")"
}

// indentOf counts the leading spaces of a line.
func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// content reports whether a line holds YAML (not blank, not a comment).
func content(s string) bool {
	t := strings.TrimSpace(s)
	return t != "" && !strings.HasPrefix(t, "#") && t != "---"
}

// keyCol is the 0-based column where a line's key starts: after the
// "- " of a list item.
func keyCol(s string) int {
	i := indentOf(s)
	for strings.HasPrefix(s[i:], "- ") {
		i += 2
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	return i
}

// badIndent says whether line n (1-based) is indented out of step with the
// lines before it: its indentation is neither that of the keys of the line
// above nor of any block enclosing it. A line that opens more deeply after
// a "key:" line is in step. The mistake may also be the line above, when
// it starts a list item at an odd indentation: then that line is named.
func badIndent(lines []string, n int) (Pos, string, bool) {
	if n < 2 || n > len(lines) || !content(lines[n-1]) {
		return Pos{}, "", false
	}
	cur := lines[n-1]
	ind := indentOf(cur)
	prev := 0
	for i := n - 2; i >= 0; i-- {
		if content(lines[i]) {
			prev = i + 1
			break
		}
	}
	if prev == 0 {
		return Pos{}, "", false
	}
	pl := lines[prev-1]
	if strings.HasSuffix(strings.TrimSpace(stripComment(pl)), ":") && ind > indentOf(pl) {
		return Pos{}, "", false // a new block under "key:"
	}
	// The indentations in force: the keys of the line above and of every
	// line that encloses it.
	allowed := map[int]int{keyCol(pl): prev, indentOf(pl): prev}
	minInd := indentOf(pl)
	for i := prev - 2; i >= 0 && minInd > 0; i-- {
		if !content(lines[i]) {
			continue
		}
		if in := indentOf(lines[i]); in < minInd {
			minInd = in
			if _, ok := allowed[in]; !ok {
				allowed[in] = i + 1
			}
			if kc := keyCol(lines[i]); kc < keyCol(pl) {
				if _, ok := allowed[kc]; !ok {
					allowed[kc] = i + 1
				}
			}
		}
	}
	if _, ok := allowed[ind]; ok {
		return Pos{}, "", false
	}
	// The nearest indentation in force is what the admin meant.
	best, bestLine := -1, 0
	for in, ln := range allowed {
		if best < 0 || abs(in-ind) < abs(best-ind) || (abs(in-ind) == abs(best-ind) && in > best) {
			best, bestLine = in, ln
		}
	}
	return Pos{n, ind + 1}, fmt.Sprintf("thụt lề không khớp: dòng này lùi vào %d dấu cách, còn dòng %d phía trên lùi %d; các khóa cùng cấp phải thẳng cột (chỉ dùng dấu cách)", ind, bestLine, best), true
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// stripComment drops a " # comment" outside quotes.
func stripComment(s string) string {
	var q rune
	for i, r := range s {
		switch {
		case q != 0:
			if r == q {
				q = 0
			}
		case r == '"' || r == '\'':
			q = r
		case r == '#' && (i == 0 || s[i-1] == ' '):
			return s[:i]
		}
	}
	return s
}

// openQuote finds, on one line, a quoted value that the line does not
// close: the 0-based byte offset and the quote, or -1.
func openQuote(s string) (int, rune) {
	at, q := -1, rune(0)
	prev := ' ' // the last character outside quotes that is not a space
	for i := 0; i < len(s); i++ {
		c := rune(s[i])
		if q != 0 {
			switch {
			case q == '"' && c == '\\':
				i++
			case q == '\'' && c == '\'' && i+1 < len(s) && s[i+1] == '\'':
				i++
			case c == q:
				q, at = 0, -1
				prev = c
			}
			continue
		}
		switch {
		case c == '#' && (i == 0 || s[i-1] == ' '):
			return -1, 0
		case (c == '"' || c == '\'') && strings.ContainsRune(" :-[{,", prev):
			q, at = c, i
		case c != ' ':
			prev = c
		}
	}
	if q != 0 {
		return at, q
	}
	return -1, 0
}

// unclosedQuote finds a quoted value left open on line n or one of the
// lines above it: an open double quote runs on over the following lines
// until the next quote, so the parser stops some lines later. (nhachan's
// files keep each quoted value on one line.)
func unclosedQuote(lines []string, n int) (Pos, rune, bool) {
	for l := n; l >= 1 && l >= n-12; l-- {
		s := lines[l-1]
		if at, q := openQuote(s); at >= 0 {
			return Pos{l, len([]rune(s[:at])) + 1}, q, true
		}
	}
	return Pos{}, 0, false
}

// unclosedBracket finds the last opening bracket left open at or before
// line n: the parser reads on over the lines below (comments included)
// until something cannot belong to the list or mapping.
func unclosedBracket(lines []string, n int, open, close byte) (Pos, bool) {
	for l := n; l >= 1 && l >= n-12; l-- {
		s := stripComment(lines[l-1])
		depth, at := 0, -1
		var q byte
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case q != 0:
				if c == q {
					q = 0
				}
			case c == '"' || c == '\'':
				q = c
			case c == open:
				depth++
				if depth == 1 {
					at = i
				}
			case c == close:
				depth--
			}
		}
		if depth > 0 && at >= 0 {
			return Pos{l, len([]rune(s[:at])) + 1}, true
		}
	}
	return Pos{}, false
}

// sourceExcerpt shows the lines around p with a caret under its column,
// the way the admin's editor numbers them.
func sourceExcerpt(data []byte, p Pos) string {
	lines := strings.Split(string(data), "\n")
	if p.Line < 1 || p.Line > len(lines) {
		return ""
	}
	var b strings.Builder
	width := len(fmt.Sprint(min(p.Line+1, len(lines))))
	for l := max(1, p.Line-2); l <= min(len(lines), p.Line+1); l++ {
		mark := "  "
		if l == p.Line {
			mark = "> "
		}
		fmt.Fprintf(&b, "  %s%*d | %s\n", mark, width, l, strings.ReplaceAll(lines[l-1], "\t", "→"))
		if l == p.Line {
			col := max(p.Col, 1)
			fmt.Fprintf(&b, "    %s | %s^\n", strings.Repeat(" ", width), strings.Repeat(" ", col-1))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// yamlUnmarshalCheck is yaml/v3's reading of a whole file into a node,
// the first step of decodeFile.
func yamlUnmarshalCheck(data []byte) error {
	var doc yaml.Node
	return yaml.Unmarshal(data, &doc)
}
