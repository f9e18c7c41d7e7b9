package config

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// at records where a mapping and each of its values stand in the file.
// Structs that embed it (as field `At at` with tag `yaml:"-"`) get it
// filled in, so that validation can point at the offending value.
type at struct {
	Pos
	keys map[string]Pos
}

// Key returns the position of key's value, or of the mapping when the key
// is absent.
func (a at) Key(key string) Pos {
	if p, ok := a.keys[key]; ok {
		return p
	}
	return a.Pos
}

// Has reports whether the key was given.
func (a at) Has(key string) bool { _, ok := a.keys[key]; return ok }

var (
	atType   = reflect.TypeOf(at{})
	dateType = reflect.TypeOf(schedule.Date(0))
)

var yamlLineRE = regexp.MustCompile(`line (\d+)(?:, column (\d+))?: (.*)`)

// decodeFile strictly decodes YAML data into v (a pointer to a struct),
// reporting every problem to r. It returns false when the file could not be
// read as YAML at all.
func decodeFile(r reporter, data []byte, v any) bool {
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		r.errorf(Pos{1, 1}, "tệp bắt đầu bằng dấu BOM (byte order mark) của UTF-8; hãy lưu lại dưới dạng UTF-8 không có BOM")
		return false
	}
	if !utf8.Valid(data) {
		line, col := invalidUTF8Pos(data)
		r.errorf(Pos{line, col}, "tệp không phải văn bản UTF-8 hợp lệ; hãy lưu lại dưới dạng UTF-8")
		return false
	}
	r.src = data
	ok := true
	for i, line := range bytes.Split(data, []byte("\n")) {
		indent := len(line) - len(bytes.TrimLeft(line, " \t"))
		if j := bytes.IndexByte(line[:indent], '\t'); j >= 0 {
			r.errorf(Pos{i + 1, j + 1}, "YAML không hợp lệ: dòng này thụt lề bằng ký tự tab; YAML chỉ thụt lề bằng dấu cách")
			ok = false
		}
	}
	if !ok {
		return false
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p, msg := syntaxProblem(data, err)
		r.errorf(p, "%s", msg)
		return false
	}
	if len(doc.Content) == 0 {
		r.errorf(Pos{1, 1}, "tệp trống")
		return false
	}
	d := decoder{r: r}
	d.value(doc.Content[0], reflect.ValueOf(v).Elem(), "")
	return true
}

// v3Position reads the line and column out of a yaml/v3 error.
func v3Position(err error) (Pos, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	p := Pos{1, 1}
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			p.Col, _ = strconv.Atoi(m[2])
		}
		msg = m[3]
	}
	return p, msg
}

func invalidUTF8Pos(data []byte) (int, int) {
	line, col := 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[size:]
	}
	return line, col
}

type decoder struct{ r reporter }

func pos(n *yaml.Node) Pos { return Pos{n.Line, n.Column} }

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "một nhóm khóa"
	case yaml.SequenceNode:
		return "một danh sách"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "giá trị rỗng"
		}
		v := n.Value
		if utf8.RuneCountInString(v) > 40 {
			v = string([]rune(v)[:40]) + "…"
		}
		return strconv.Quote(v)
	}
	return "một giá trị không rõ loại"
}

// value decodes node n into v; path names the key for messages.
func (d decoder) value(n *yaml.Node, v reflect.Value, path string) {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if v.Kind() == reflect.Pointer {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return
		}
		nv := reflect.New(v.Type().Elem())
		d.value(n, nv.Elem(), path)
		v.Set(nv)
		return
	}
	if v.Type() == dateType {
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			d.r.errorf(pos(n), "%s: cần một ngày dạng YYYY-MM-DD, nhưng gặp %s", path, describe(n))
			return
		}
		dt, err := schedule.ParseDate(n.Value)
		if err != nil {
			d.r.errorf(pos(n), "%s: %s", path, dateProblem(n.Value))
			return
		}
		v.Set(reflect.ValueOf(dt))
		return
	}
	switch v.Kind() {
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.r.errorf(pos(n), "%s: cần một đoạn văn bản, nhưng gặp %s", path, describe(n))
			return
		}
		if n.Tag == "!!null" {
			return
		}
		// NFC is canonically equivalent: the admin's text is kept, and NFD
		// input from some editors compares equal to NFC input.
		v.SetString(norm.NFC.String(n.Value))
	case reflect.Int:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.r.errorf(pos(n), "%s: cần một số nguyên, nhưng gặp %s", path, describe(n))
			return
		}
		i, err := strconv.Atoi(n.Value)
		if err != nil {
			d.r.errorf(pos(n), "%s: cần một số nguyên, nhưng gặp %s", path, describe(n))
			return
		}
		v.SetInt(int64(i))
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.r.errorf(pos(n), "%s: cần true hoặc false, nhưng gặp %s", path, describe(n))
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	case reflect.Slice:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.r.errorf(pos(n), "%s: cần một danh sách, nhưng gặp %s", path, describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.value(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i+1))
		}
		v.Set(s)
	case reflect.Struct:
		if f, ok := scalarField(v.Type()); ok && n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
			// The short form of a struct with one main value: `- addr`
			// for `- {addr: addr}`.
			d.value(n, v.Field(f), path)
			if a, ok := atFieldOf(v.Type()); ok {
				v.Field(a).Set(reflect.ValueOf(at{Pos: pos(n), keys: map[string]Pos{}}))
			}
			return
		}
		d.mapping(n, v, path)
	default:
		panic("config: unsupported field type " + v.Type().String())
	}
}

// scalarField returns the field tagged scalar:"true", which a bare scalar
// fills in place of the whole mapping.
func scalarField(t reflect.Type) (int, bool) {
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("scalar") == "true" {
			return i, true
		}
	}
	return 0, false
}

func atFieldOf(t reflect.Type) (int, bool) {
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Type == atType {
			return i, true
		}
	}
	return 0, false
}

// mapping decodes a YAML mapping into a struct, rejecting unknown and
// duplicate keys and reporting missing required ones.
func (d decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.r.errorf(pos(n), "%s: cần một nhóm khóa, nhưng gặp %s", orTop(path), describe(n))
		return
	}
	t := v.Type()
	fields := map[string]int{}
	var names []string
	atField := -1
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type == atType {
			atField = i
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		fields[name] = i
		names = append(names, name)
	}
	a := at{Pos: pos(n), keys: map[string]Pos{}}
	keyLine := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := k.Value
		fi, ok := fields[key]
		if !ok {
			d.r.errorf(pos(k), "khóa %q không có%s%s Các khóa hợp lệ: %s", key, in(path), didYouMean(key, names), strings.Join(sorted(names), ", "))
			continue
		}
		if _, dup := a.keys[key]; dup {
			d.r.errorf(pos(k), "khóa %q bị lặp lại%s (đã có ở dòng %d)", key, in(path), keyLine[key])
			continue
		}
		a.keys[key] = pos(val)
		keyLine[key] = k.Line
		d.value(val, v.Field(fi), join(path, key))
	}
	for _, name := range names {
		f := t.Field(fields[name])
		if f.Tag.Get("req") == "true" && !a.Has(name) {
			d.r.errorf(a.Pos, "thiếu khóa bắt buộc %q%s", name, in(path))
		}
	}
	if atField >= 0 {
		v.Field(atField).Set(reflect.ValueOf(a))
	}
}

// dateProblem says in Vietnamese why a date in the file cannot be read.
func dateProblem(s string) string {
	if _, err := schedule.ParseDate(s); err != nil && strings.Contains(err.Error(), "does not exist") {
		return fmt.Sprintf("ngày %q không có trên lịch", s)
	}
	return fmt.Sprintf("ngày %q phải viết dạng YYYY-MM-DD (ví dụ 2026-01-01)", s)
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func in(path string) string {
	if path == "" {
		return ""
	}
	return " trong " + path
}

func orTop(path string) string {
	if path == "" {
		return "tệp"
	}
	return path
}
