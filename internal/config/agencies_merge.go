package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing/fstest"

	"go.yaml.in/yaml/v3"
)

// AgencyRow is one agency to add or update in the directory, as a bulk
// file (CSV, XLSX) gives it. Empty fields of an existing agency are left as
// they are; Line is the row's line in that file, for messages.
type AgencyRow struct {
	Line                  int
	ID, Name, ShortName   string
	Email, Groups         []string
	HeadTitle, HeadEmail  string
	ValidFrom, ValidUntil string
	Successors            []string
	Note                  string
}

// MergeResult is the directory file with the rows merged in.
type MergeResult struct {
	Data           []byte
	Added, Updated []string // agency ids
	Unchanged      []string
	lineOfID       map[string]int // in Data: the line of each agency's "- id:"
	rowOfID        map[string]int
}

// agencyItem is where an agency stands in the directory file.
type agencyItem struct {
	id         string
	start, end int // 1-based lines: the "- id:" line, the last line of the mapping
	keys       map[string][2]int
	node       *yaml.Node
	indent     string // of the keys ("    ")
}

// MergeAgencies merges rows into the directory file src, editing its text
// line by line so that everything else (comments, blank lines, order,
// quoting) stays as the admin wrote it: a field an existing agency already
// has is rewritten on its line(s), a new field is added at the end of the
// agency, a new agency is appended to the list with a comment naming the
// source. It checks the shape of the rows, not the directory's rules:
// LoadWithDirectory does that on the result.
func MergeAgencies(src []byte, rows []AgencyRow, source string) (*MergeResult, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("tệp danh bạ: %w", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("tệp danh bạ: không phải một bảng khóa–giá trị YAML")
	}
	lines := strings.SplitAfter(string(src), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	top := doc.Content[0]
	var seq *yaml.Node
	seqEnd := len(lines) // last line of the agencies list
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "agencies" {
			seq = top.Content[i+1]
			if i+2 < len(top.Content) {
				seqEnd = top.Content[i+2].Line - 1
			}
		}
	}
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil, errors.New("tệp danh bạ: không có danh sách agencies")
	}
	trimBack := func(end, floor int) int { // drop trailing blank and comment lines
		for end > floor {
			t := strings.TrimSpace(lines[end-1])
			if t != "" && !strings.HasPrefix(t, "#") {
				break
			}
			end--
		}
		return end
	}
	items := map[string]*agencyItem{}
	itemIndent := "  "
	for n, it := range seq.Content {
		if it.Kind != yaml.MappingNode || len(it.Content) == 0 {
			continue
		}
		end := seqEnd
		if n+1 < len(seq.Content) {
			end = seq.Content[n+1].Line - 1
		}
		ai := &agencyItem{start: it.Line, node: it, keys: map[string][2]int{},
			indent: strings.Repeat(" ", it.Column-1)}
		ai.end = trimBack(end, it.Line)
		itemIndent = strings.Repeat(" ", max(it.Column-3, 0))
		for k := 0; k+1 < len(it.Content); k += 2 {
			key := it.Content[k]
			kEnd := ai.end
			if k+2 < len(it.Content) {
				kEnd = trimBack(it.Content[k+2].Line-1, key.Line)
			}
			ai.keys[key.Value] = [2]int{key.Line, kEnd}
			if key.Value == "id" {
				ai.id = it.Content[k+1].Value
			}
		}
		items[ai.id] = ai
	}

	res := &MergeResult{lineOfID: map[string]int{}, rowOfID: map[string]int{}}
	type edit struct {
		from, to int // replace lines [from, to] (1-based); to = from-1 inserts before from
		text     []string
	}
	var edits []edit
	var added []string
	seen := map[string]int{}
	for _, r := range rows {
		if prev, dup := seen[r.ID]; dup {
			return nil, fmt.Errorf("%s:%d: cơ quan %q đã có ở dòng %d", source, r.Line, r.ID, prev)
		}
		seen[r.ID] = r.Line
		res.rowOfID[r.ID] = r.Line
		fields := renderFields(r)
		ai, ok := items[r.ID]
		if !ok {
			if r.Name == "" || len(r.Email) == 0 {
				return nil, fmt.Errorf("%s:%d: cơ quan mới %q cần ít nhất name và email", source, r.Line, r.ID)
			}
			block := []string{"\n", itemIndent + "- id: " + r.ID + "\n"}
			for _, f := range fields {
				block = append(block, itemIndent+"  "+f[0]+": "+f[1]+"\n")
			}
			added = append(added, block...)
			res.Added = append(res.Added, r.ID)
			continue
		}
		// Head: a row may give the title or the address alone.
		if r.HeadTitle != "" || r.HeadEmail != "" {
			title, email := headOf(ai.node)
			if r.HeadTitle != "" {
				title = r.HeadTitle
			}
			if r.HeadEmail != "" {
				email = r.HeadEmail
			}
			fields = replaceField(fields, "head", "{title: "+quote(title)+", email: "+quote(email)+"}")
		}
		changed := false
		var tail []string
		for _, f := range fields {
			line := ai.indent + f[0] + ": " + f[1] + "\n"
			if span, ok := ai.keys[f[0]]; ok {
				if strings.Join(lines[span[0]-1:span[1]], "") == line {
					continue
				}
				edits = append(edits, edit{from: span[0], to: span[1], text: []string{line}})
			} else {
				tail = append(tail, line)
			}
			changed = true
		}
		if len(tail) > 0 {
			edits = append(edits, edit{from: ai.end + 1, to: ai.end, text: tail})
		}
		if changed {
			res.Updated = append(res.Updated, r.ID)
		} else {
			res.Unchanged = append(res.Unchanged, r.ID)
		}
	}
	if len(added) > 0 {
		head := []string{"\n", itemIndent + "# Nhập bằng nhachan import-agencies từ " + source + ".\n"}
		edits = append(edits, edit{from: seqEnd + 1, to: seqEnd, text: append(head, added[1:]...)})
	}
	// Apply from the bottom up so that earlier line numbers stay valid.
	slices.SortStableFunc(edits, func(a, b edit) int { return b.from - a.from })
	for _, e := range edits {
		lines = slices.Concat(lines[:e.from-1], e.text, lines[e.to:])
	}
	if len(lines) > 0 && !strings.HasSuffix(lines[len(lines)-1], "\n") {
		lines[len(lines)-1] += "\n"
	}
	res.Data = []byte(strings.Join(lines, ""))
	// Where each agency stands now, to turn the loader's lines into rows.
	var out yaml.Node
	if err := yaml.Unmarshal(res.Data, &out); err == nil && len(out.Content) > 0 {
		t := out.Content[0]
		for i := 0; i+1 < len(t.Content); i += 2 {
			if t.Content[i].Value != "agencies" {
				continue
			}
			for _, it := range t.Content[i+1].Content {
				for k := 0; k+1 < len(it.Content); k += 2 {
					if it.Content[k].Value == "id" {
						res.lineOfID[it.Content[k+1].Value] = it.Line
					}
				}
			}
		}
	}
	return res, nil
}

// renderFields renders the row's non-empty fields in the directory's
// order and style.
func renderFields(r AgencyRow) [][2]string {
	var f [][2]string
	add := func(k, v string) { f = append(f, [2]string{k, v}) }
	if r.Name != "" {
		add("name", quote(r.Name))
	}
	if r.ShortName != "" {
		add("short_name", quote(r.ShortName))
	}
	if len(r.Groups) > 0 {
		add("groups", "["+strings.Join(r.Groups, ", ")+"]")
	}
	if len(r.Email) > 0 {
		q := make([]string, len(r.Email))
		for i, e := range r.Email {
			q[i] = quote(e)
		}
		add("email", "["+strings.Join(q, ", ")+"]")
	}
	if r.HeadTitle != "" || r.HeadEmail != "" {
		add("head", "{title: "+quote(r.HeadTitle)+", email: "+quote(r.HeadEmail)+"}")
	}
	if r.ValidFrom != "" {
		add("valid_from", r.ValidFrom)
	}
	if r.ValidUntil != "" {
		add("valid_until", r.ValidUntil)
	}
	if len(r.Successors) > 0 {
		add("successors", "["+strings.Join(r.Successors, ", ")+"]")
	}
	if r.Note != "" {
		add("note", quote(r.Note))
	}
	return f
}

func replaceField(f [][2]string, k, v string) [][2]string {
	for i := range f {
		if f[i][0] == k {
			f[i][1] = v
		}
	}
	return f
}

func headOf(it *yaml.Node) (title, email string) {
	for k := 0; k+1 < len(it.Content); k += 2 {
		if it.Content[k].Value != "head" {
			continue
		}
		h := it.Content[k+1]
		for j := 0; j+1 < len(h.Content); j += 2 {
			switch h.Content[j].Value {
			case "title":
				title = h.Content[j+1].Value
			case "email":
				email = h.Content[j+1].Value
			}
		}
	}
	return
}

// quote writes a YAML double-quoted scalar.
func quote(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r == '\n':
			sb.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			sb.WriteString(`\u` + fmt.Sprintf("%04X", r))
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// RowOf names the bulk file's row behind a line of the merged directory,
// or 0 when the line belongs to an agency the file did not touch.
func (m *MergeResult) RowOf(line int) (int, string) {
	best, id := 0, ""
	for a, l := range m.lineOfID {
		if l <= line && l > best {
			best, id = l, a
		}
	}
	if r, ok := m.rowOfID[id]; ok {
		return r, id
	}
	return 0, ""
}

// LoadWithFile loads the configuration at file as Load does, with the file
// at path (an OS path) read from data instead of the disk: every check of
// `nhachan check` runs on a directory before it is written.
func LoadWithFile(file, path string, data []byte) (*Config, Diagnostics) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, Diagnostics{{File: file, Line: 1, Col: 1, Msg: err.Error()}}
	}
	pabs, err := filepath.Abs(path)
	if err != nil {
		return nil, Diagnostics{{File: path, Line: 1, Col: 1, Msg: err.Error()}}
	}
	name := strings.TrimPrefix(filepath.ToSlash(pabs), "/")
	fsys := overlayFS{base: os.DirFS("/"), name: name, over: fstest.MapFS{name: &fstest.MapFile{Data: data, Mode: 0o644}}}
	cwd, _ := os.Getwd()
	display := func(n string) string {
		p := "/" + n
		if rel, err := filepath.Rel(cwd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
		return p
	}
	l := &loader{fsys: fsys, display: display, toOS: func(n string) string { return "/" + n }}
	return l.run(strings.TrimPrefix(filepath.ToSlash(abs), "/"))
}

// overlayFS is base with one file replaced.
type overlayFS struct {
	base fs.FS
	name string
	over fstest.MapFS
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if name == o.name {
		return o.over.Open(name)
	}
	return o.base.Open(name)
}

// DirectoryPath is the OS path of the agency directory file of the
// configuration at file, as its main file names it.
func (c *Config) DirectoryPath() string { return c.directoryPath }
