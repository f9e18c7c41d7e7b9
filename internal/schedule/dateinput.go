package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseDateInput reads a date typed by a person: YYYY-MM-DD, or the
// Vietnamese dd/mm/yyyy (also d/m/yyyy, and with '.' or '-' between the
// parts when the year comes last). Errors are in Vietnamese.
func ParseDateInput(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		d, err := ParseDate(s)
		if err != nil {
			return 0, fmt.Errorf("ngày %q không có trên lịch", s)
		}
		return d, nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) == 3 && len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2 {
		d, e1 := strconv.Atoi(parts[0])
		m, e2 := strconv.Atoi(parts[1])
		y, e3 := strconv.Atoi(parts[2])
		if e1 == nil && e2 == nil && e3 == nil {
			if dt, ok := ValidDate(y, m, d); ok {
				return dt, nil
			}
			return 0, fmt.Errorf("ngày %q không có trên lịch", s)
		}
	}
	return 0, fmt.Errorf("ngày %q không đọc được: viết dạng dd/mm/yyyy (15/01/2027) hoặc YYYY-MM-DD (2027-01-15)", s)
}
