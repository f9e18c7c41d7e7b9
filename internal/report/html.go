package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
)

//go:embed templates/compliance.html.tmpl
var templateFS embed.FS

// htmlTemplates are parsed once; html/template escapes every name for its
// context, so a directory entry such as "<script>…" shows as text.
var htmlTemplates = template.Must(template.New("compliance").
	Funcs(template.FuncMap{"rate": rateVN}).
	ParseFS(templateFS, "templates/compliance.html.tmpl"))

type htmlData struct {
	Year    int
	Headers []string
	Rows    []Row
}

// WriteHTML writes the compliance table of year as a standalone HTML page
// in Vietnamese, readable on a phone, with its style inline (it is meant to
// be saved or mailed as one file; the web UI embeds WriteHTMLTable in its
// own layout instead).
func WriteHTML(w io.Writer, rows []Row, year int) error {
	return writeHTML(w, "page", rows, year)
}

// WriteHTMLTable writes only the <table> element of WriteHTML, for pages
// that have their own layout and style.
func WriteHTMLTable(w io.Writer, rows []Row, year int) error {
	return writeHTML(w, "table", rows, year)
}

func writeHTML(w io.Writer, name string, rows []Row, year int) error {
	if err := htmlTemplates.ExecuteTemplate(w, name, htmlData{Year: year, Headers: Headers[:], Rows: rows}); err != nil {
		return fmt.Errorf("write html %s: %w", name, err)
	}
	return nil
}
