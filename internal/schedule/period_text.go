package schedule

import (
	"strconv"
	"strings"
)

// PeriodText names a period label (see Occurrence) in the words of an
// official letter, so that no official reads a code: "2025" is "năm
// 2025", "2025-Q4" "quý IV/2025", "2025-H1" "6 tháng đầu năm 2025",
// "2026-03" "tháng 3/2026", "2027-W05" "tuần 05/2027", a span
// "2024-2025" "giai đoạn 2024 - 2025" and a one-off date "2021-11-10"
// "ngày 10/11/2021". A label it cannot read is returned unchanged: the
// label is a stable contract, and a new kind shows as itself rather than
// as a wrong phrase.
func PeriodText(label string) string { return PeriodTextShifted(label, 0) }

// PeriodTextShifted is PeriodText with the year moved by years: a plan
// made in 2025 for 2026 ("Kế hoạch … hàng năm", due 31/12/2025) is named
// by the year it plans. Only whole-year labels shift; any other label is
// named as it is.
func PeriodTextShifted(label string, years int) string {
	y, rest, ok := leadingYear(label)
	if !ok {
		return label
	}
	switch {
	case rest == "":
		return "năm " + strconv.Itoa(y+years)
	case len(rest) == 3 && rest[0] == '-' && rest[1] == 'Q' && rest[2] >= '1' && rest[2] <= '4':
		return "quý " + romanQuarter[rest[2]-'1'] + "/" + strconv.Itoa(y)
	case rest == "-H1":
		return "6 tháng đầu năm " + strconv.Itoa(y)
	case rest == "-H2":
		return "6 tháng cuối năm " + strconv.Itoa(y)
	case len(rest) == 4 && rest[0] == '-' && rest[1] == 'W' && digits(rest[2:]):
		return "tuần " + rest[2:] + "/" + strconv.Itoa(y)
	case len(rest) == 3 && rest[0] == '-' && digits(rest[1:]):
		m, _ := strconv.Atoi(rest[1:])
		if m >= 1 && m <= 12 {
			return "tháng " + strconv.Itoa(m) + "/" + strconv.Itoa(y)
		}
	case len(rest) == 5 && rest[0] == '-' && digits(rest[1:]):
		y2, _ := strconv.Atoi(rest[1:])
		return "giai đoạn " + strconv.Itoa(y) + " - " + strconv.Itoa(y2)
	case len(rest) == 6:
		if d, err := ParseDate(label); err == nil {
			return "ngày " + d.VN()
		}
	}
	return label
}

var romanQuarter = [4]string{"I", "II", "III", "IV"}

func leadingYear(label string) (int, string, bool) {
	if len(label) < 4 || !digits(label[:4]) {
		return 0, "", false
	}
	y, _ := strconv.Atoi(label[:4])
	return y, label[4:], true
}

func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
