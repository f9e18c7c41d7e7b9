package schedule

import "testing"

func TestPeriodText(t *testing.T) {
	for _, tc := range []struct {
		label string
		shift int
		want  string
	}{
		{"2025", 0, "năm 2025"},
		{"2025", 1, "năm 2026"},
		{"2025-Q1", 0, "quý I/2025"},
		{"2025-Q4", 0, "quý IV/2025"},
		{"2025-Q4", 1, "quý IV/2025"}, // only whole years shift
		{"2025-H1", 0, "6 tháng đầu năm 2025"},
		{"2026-H2", 0, "6 tháng cuối năm 2026"},
		{"2026-03", 0, "tháng 3/2026"},
		{"2026-12", 0, "tháng 12/2026"},
		{"2027-W05", 0, "tuần 05/2027"},
		{"2024-2025", 0, "giai đoạn 2024 - 2025"},
		{"2021-11-10", 0, "ngày 10/11/2021"},
		// Unreadable labels stay as they are, never a wrong phrase.
		{"2026-13", 0, "2026-13"},
		{"2026-Q5", 0, "2026-Q5"},
		{"2021-02-30", 0, "2021-02-30"},
		{"kỳ khác", 0, "kỳ khác"},
		{"", 0, ""},
	} {
		if got := PeriodTextShifted(tc.label, tc.shift); got != tc.want {
			t.Errorf("PeriodTextShifted(%q, %d) = %q, want %q", tc.label, tc.shift, got, tc.want)
		}
	}
}
