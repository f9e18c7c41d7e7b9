// Package config loads nhachan's configuration strictly: YAML files are
// decoded against known keys only, every mistake is reported as
// file:line:col, and everything is validated and built before it is used,
// so that a reload can swap a whole new configuration in or keep the old.
package config

import (
	"fmt"
	"sort"
	"strings"
)

// Severity tells errors, which stop a load, from warnings, which do not.
type Severity int

// The severities.
const (
	Error Severity = iota
	Warning
)

// Diagnostic is one finding about a configuration file, at a position.
type Diagnostic struct {
	File     string
	Line     int
	Col      int
	Severity Severity
	Msg      string
	// Source shows the lines around the position with a caret under the
	// column, for the mistakes that are best seen in the file (YAML
	// syntax); empty otherwise. String leaves it out.
	Source string
}

// String formats the diagnostic as "file:line:col: message", with
// "cảnh báo: " before the message for warnings.
func (d Diagnostic) String() string {
	sev := ""
	if d.Severity == Warning {
		sev = "cảnh báo: "
	}
	line, col := d.Line, d.Col
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return fmt.Sprintf("%s:%d:%d: %s%s", d.File, line, col, sev, d.Msg)
}

// Diagnostics is a list of findings; as an error it lists the errors.
type Diagnostics []Diagnostic

// HasErrors reports whether any finding is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (ds Diagnostics) Errors() Diagnostics { return ds.filter(Error) }

// Warnings returns only the warnings.
func (ds Diagnostics) Warnings() Diagnostics { return ds.filter(Warning) }

func (ds Diagnostics) filter(s Severity) Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders findings by file, line and column.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Error implements error, listing every error on its own line.
func (ds Diagnostics) Error() string {
	var b strings.Builder
	for i, d := range ds.Errors() {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.String())
	}
	return b.String()
}

// Text lists every finding as String does, each followed by its source
// excerpt when it has one: what a person reads in a terminal.
func (ds Diagnostics) Text() string {
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.String())
		if d.Source != "" {
			b.WriteByte('\n')
			b.WriteString(d.Source)
		}
	}
	return b.String()
}

// Pos is a position in a file, 1-based.
type Pos struct{ Line, Col int }

// reporter collects diagnostics for one file.
type reporter struct {
	file  string
	diags *Diagnostics
	src   []byte // the file's text, when errors should show their lines
}

func (r reporter) errorf(p Pos, format string, args ...any) {
	d := Diagnostic{File: r.file, Line: p.Line, Col: p.Col, Severity: Error, Msg: fmt.Sprintf(format, args...)}
	if r.src != nil {
		d.Source = sourceExcerpt(r.src, p)
	}
	*r.diags = append(*r.diags, d)
}

func (r reporter) warnf(p Pos, format string, args ...any) {
	*r.diags = append(*r.diags, Diagnostic{File: r.file, Line: p.Line, Col: p.Col, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}
