package importer

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// header is the plan's identity as the document states it. Each field is
// empty when the document does not say it clearly; the draft then marks it
// for review.
type header struct {
	number string // số ký hiệu: "681/QĐ-UBND"
	issued schedule.Date
	issuer string // "Ủy ban nhân dân tỉnh Ninh Thuận"
	title  string // "Kế hoạch cải cách hành chính nhà nước tỉnh Ninh Thuận giai đoạn 2021 - 2025"
	// titleFromCaps is set when the title was rebuilt from a heading in
	// capitals: proper nouns may have lost their capitals.
	titleFromCaps bool
	until         schedule.Date // end of the plan's period, from the title
}

var (
	docNumberRE = regexp.MustCompile(`Số\s*:\s*([0-9]+/[^\s,;]+)`)
	placeDayRE  = regexp.MustCompile(`[\p{L} ]+,\s*ngày\s+([0-9]{1,2})\s+tháng\s+([0-9]{1,2})\s+năm\s+([0-9]{4})`)
	attachRE    = regexp.MustCompile(`Ban hành kèm theo (?:Quyết định|Kế hoạch) này\s+(Kế hoạch[^.;]*?)\s*\.`)
	spanRE      = regexp.MustCompile(`(?i)giai đoạn\s+([0-9]{4})\s*-\s*([0-9]{4})`)
	yearRE      = regexp.MustCompile(`(?i)năm\s+([0-9]{4})\s*$`)
	kindNames   = map[string]string{"QĐ": "Quyết định", "KH": "Kế hoạch", "CT": "Chỉ thị", "NQ": "Nghị quyết"}
)

// readHeader reads the header fields from the body's lines, joined so that
// wrapped phrases ("ngày\n27 tháng 10 năm 2021") read whole.
func readHeader(lines []string) header {
	var h header
	all := strings.Join(lines, "\n")
	flat := fold1(all)
	if m := docNumberRE.FindStringSubmatch(flat); m != nil {
		h.number = strings.Join(strings.Fields(strings.ReplaceAll(m[1], " ", "")), "")
	}
	if m := placeDayRE.FindStringSubmatch(flat); m != nil {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		if date, ok := schedule.ValidDate(y, mo, d); ok {
			h.issued = date
		}
	}
	h.issuer = readIssuer(lines)
	if m := attachRE.FindStringSubmatch(flat); m != nil {
		h.title = strings.TrimSpace(m[1])
	} else if t := capsTitle(lines); t != "" {
		h.title, h.titleFromCaps = t, true
	}
	if m := spanRE.FindStringSubmatch(h.title); m != nil {
		if y, err := strconv.Atoi(m[2]); err == nil {
			h.until = schedule.NewDate(y, 12, 31)
		}
	} else if m := yearRE.FindStringSubmatch(h.title); m != nil {
		if y, err := strconv.Atoi(m[1]); err == nil {
			h.until = schedule.NewDate(y, 12, 31)
		}
	}
	return h
}

// fold1 joins wrapped lines with single spaces and normalises dashes.
func fold1(s string) string {
	s = strings.NewReplacer("–", "-", "—", "-", "\u00a0", " ").Replace(s)
	return strings.TrimSpace(spaceRE.ReplaceAllString(s, " "))
}

// readIssuer reads the issuing body from the top-left block: the lines in
// capitals before the first rule line or "CỘNG HÒA". "ỦY BAN NHÂN DÂN /
// TỈNH NINH THUẬN" becomes "Ủy ban nhân dân tỉnh Ninh Thuận".
func readIssuer(lines []string) string {
	var parts []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, "---") || strings.HasPrefix(fold(l), "cộng hòa") || !isCaps(l) {
			break
		}
		parts = append(parts, l)
		if len(parts) == 4 {
			break
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return sentenceCase(strings.Join(parts, " "))
}

func isCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsLower(r) {
				return false
			}
		}
	}
	return letters > 0
}

// placeWords start a proper name in an issuer written in capitals.
var placeWords = map[string]bool{"tỉnh": true, "thành phố": true, "huyện": true, "xã": true, "phường": true}

// sentenceCase writes an issuer in capitals as prose: the first word
// capitalised, the rest lower case, and the name after "tỉnh", "huyện"…
// capitalised word by word.
func sentenceCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	name := false
	for i, w := range words {
		switch {
		case i == 0:
			words[i] = upperFirst(w)
		case name:
			words[i] = upperFirst(w)
		case placeWords[w]:
			name = true
		case i+1 < len(words) && placeWords[w+" "+words[i+1]]:
			// "thành phố X": the name starts after "phố"
		case i > 0 && placeWords[words[i-1]+" "+w]:
			name = true
		}
	}
	return strings.Join(words, " ")
}

func upperFirst(w string) string {
	r := []rune(w)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// capsTitle rebuilds a title from a "KẾ HOẠCH" heading in capitals and the
// capital lines after it.
func capsTitle(lines []string) string {
	for i, l := range lines {
		if strings.TrimSpace(l) != "KẾ HOẠCH" {
			continue
		}
		parts := []string{"Kế hoạch"}
		for _, n := range lines[i+1:] {
			n = strings.TrimSpace(n)
			if n == "" || !isCaps(n) {
				break
			}
			parts = append(parts, strings.ToLower(n))
		}
		if len(parts) > 1 {
			return fold1(strings.Join(parts, " "))
		}
	}
	return ""
}

// decisionText is the citation of the plan: "Quyết định số 681/QĐ-UBND
// ngày 27/10/2021 của Ủy ban nhân dân tỉnh Ninh Thuận".
func (h header) decisionText(short bool) string {
	if h.number == "" || h.issued == 0 {
		return ""
	}
	kind := "Văn bản"
	if parts := strings.Split(h.number, "/"); len(parts) >= 2 {
		code := strings.SplitN(parts[len(parts)-1], "-", 2)[0]
		if k, ok := kindNames[code]; ok {
			kind = k
		}
	}
	issuer := h.issuer
	if short {
		issuer = strings.Replace(issuer, "Ủy ban nhân dân", "UBND", 1)
	}
	s := kind + " số " + h.number + " ngày " + h.issued.VN()
	if issuer != "" {
		s += " của " + issuer
	}
	return s
}
