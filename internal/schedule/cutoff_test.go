package schedule

import "testing"

// The cut-offs of Nghị định 09/2019/NĐ-CP, Điều 12, and of the report
// regimes issued under it, as windows per period.
func TestCutoffWindows(t *testing.T) {
	for _, tc := range []struct {
		text     string
		kind     Kind
		period   string
		year     int
		from, to string
	}{
		{"từ ngày 15 tháng trước đến ngày 14 của tháng báo cáo", KindMonthly, "2024-03", 2024, "2024-02-15", "2024-03-14"},
		{"Tính từ ngày 15 tháng trước đến ngày 14 của tháng thuộc kỳ báo cáo", KindMonthly, "2025-01", 2025, "2024-12-15", "2025-01-14"},
		{"Tính từ ngày 15 của tháng trước kỳ báo cáo đến ngày 14 của tháng cuối quý thuộc kỳ báo cáo", KindQuarterly, "2024-Q1", 2024, "2023-12-15", "2024-03-14"},
		{"Tính từ ngày 15 của tháng trước kỳ báo cáo đến ngày 14 của tháng cuối quý thuộc kỳ báo cáo", KindQuarterly, "2026-Q3", 2026, "2026-06-15", "2026-09-14"},
		{"Tính từ ngày 15 tháng 12 năm trước kỳ báo cáo đến ngày 14 tháng 12 của kỳ báo cáo", KindAnnual, "2026", 2026, "2025-12-15", "2026-12-14"},
		{"từ ngày 15/12 năm trước kỳ báo cáo đến ngày 14/12 của kỳ báo cáo", KindAnnual, "2028", 2028, "2027-12-15", "2028-12-14"},
		{"từ ngày 15/12 năm trước đến ngày 14/6 và từ ngày 15/6 đến ngày 14/12", "", "", 0, "", ""},
		{"tính từ ngày 01/01 đến ngày 30/06 của năm báo cáo", KindAnnual, "2024", 2024, "2024-01-01", "2024-06-30"},
		{"ngày 14 hằng tháng", "", "", 0, "", ""},
		{"từ ngày 15 đến ngày 14", "", "", 0, "", ""},
	} {
		t.Run(tc.text, func(t *testing.T) {
			c, why := ParseCutoff(tc.text)
			if tc.kind == "" {
				if why == "" {
					t.Fatalf("ParseCutoff read %q as %s, want it refused", tc.text, c.Kind())
				}
				return
			}
			if why != "" {
				t.Fatalf("ParseCutoff: %s", why)
			}
			if c.Kind() != tc.kind || c.Text != tc.text {
				t.Errorf("kind %s text %q, want %s", c.Kind(), c.Text, tc.kind)
			}
			from, to, ok := c.Window(tc.period, tc.year)
			if !ok || from.String() != tc.from || to.String() != tc.to {
				t.Errorf("Window(%s) = %s–%s %v, want %s–%s", tc.period, from, to, ok, tc.from, tc.to)
			}
			if _, _, ok := c.Window("1999-Q9", tc.year); ok {
				t.Error("Window of an unknown period")
			}
		})
	}
}
