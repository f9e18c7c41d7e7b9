package importer

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// toneOld maps the "new" tone placement on oa, oe, uy to the one most
// Vietnamese documents use, so that "Uỷ ban" and "Ủy ban", "hoá" and "hóa"
// compare equal.
var toneOld = strings.NewReplacer(
	"oà", "òa", "oá", "óa", "oả", "ỏa", "oã", "õa", "oạ", "ọa",
	"oè", "òe", "oé", "óe", "oẻ", "ỏe", "oẽ", "õe", "oẹ", "ọe",
	"uỳ", "ùy", "uý", "úy", "uỷ", "ủy", "uỹ", "ũy", "uỵ", "ụy",
)

var spaceRE = regexp.MustCompile(`\s+`)

// fold is the comparison form of a phrase: NFC, lower case, one tone
// placement, dashes as "-", single spaces.
func fold(s string) string {
	s = strings.ToLower(norm.NFC.String(s))
	s = toneOld.Replace(s)
	s = strings.NewReplacer("–", "-", "—", "-", "‐", "-", "\u00a0", " ").Replace(s)
	return strings.TrimSpace(spaceRE.ReplaceAllString(s, " "))
}

// bare is fold without diacritics (đ as d): for column labels, which are
// often typed in capitals or without marks.
func bare(s string) string {
	d := norm.NFD.String(fold(s))
	var sb strings.Builder
	for _, r := range d {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			sb.WriteByte('d')
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

var (
	romanRE  = regexp.MustCompile(`^[IVXLC]+$`)
	numberRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)
	letterRE = regexp.MustCompile(`^([a-zđ])\)?$`)
	upperRE  = regexp.MustCompile(`^[A-Z]$`)
)

// sttKind classifies an STT cell.
type sttKind uint8

const (
	sttNone    sttKind = iota // empty
	sttSection                // I, II, A, B: a section heading
	sttNumber                 // 1, 2, 1.1
	sttLetter                 // a), b)
	sttOther                  // anything else: not an STT
)

// cleanSTT strips the decorations of an STT cell: a trailing dot, spaces.
func cleanSTT(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, ".")
	return strings.TrimSpace(s)
}

func classifySTT(s string) sttKind {
	s = cleanSTT(s)
	switch {
	case s == "":
		return sttNone
	case romanRE.MatchString(s), upperRE.MatchString(s):
		return sttSection
	case numberRE.MatchString(s):
		return sttNumber
	case letterRE.MatchString(s):
		return sttLetter
	}
	return sttOther
}

// column is what a column of the appendix holds.
type column uint8

const (
	colUnknown column = iota
	colSTT
	colTask
	colProduct
	colTime
	colLead
	colCoord
	colNote
	colOther // a known column nhachan does not use: Kinh phí, Dự toán
)

var columnNames = [...]string{"?", "STT", "Nhiệm vụ", "Sản phẩm", "Thời gian", "Cơ quan chủ trì", "Cơ quan phối hợp", "Ghi chú", "khác"}

// classifyLabel reads a header cell. Order matters: "Cơ quan chủ trì" is
// a lead before it is anything else, "Kết quả, sản phẩm" a product.
func classifyLabel(s string) column {
	b := bare(s)
	b = strings.Trim(b, " .:*")
	if b == "" || len([]rune(b)) > 60 {
		return colUnknown
	}
	has := func(subs ...string) bool {
		for _, x := range subs {
			if strings.Contains(b, x) {
				return true
			}
		}
		return false
	}
	switch {
	case b == "stt" || b == "tt" || b == "so tt" || b == "so thu tu":
		return colSTT
	case has("chu tri"):
		return colLead
	case has("phoi hop"):
		return colCoord
	case has("thoi gian", "thoi han", "tien do"):
		return colTime
	case has("san pham", "ket qua"):
		return colProduct
	case has("nhiem vu", "noi dung", "cong viec", "ten de an", "ten du an"):
		return colTask
	case has("ghi chu"):
		return colNote
	case has("kinh phi", "du toan", "nguon von", "co quan", "don vi"):
		// "Cơ quan thực hiện" heads "Chủ trì" and "Phối hợp" in a
		// two-row header.
		return colOther
	}
	return colUnknown
}
