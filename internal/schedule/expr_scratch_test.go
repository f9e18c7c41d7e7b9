package schedule

import (
	"fmt"
	"testing"
)

func TestScratch(t *testing.T) {
	for _, e := range []string{
		"Trước 31/12 hàng năm", "Theo quy định của Bộ Nội vụ", "Quý I hàng năm", "Thường xuyên trong năm", "Quý IV/2021",
		"Theo Kế hoạch hàng năm", "Quý IV hàng năm", "Quý I - theo nhu cầu hàng năm", "Theo Kế hoạch - lộ trình của Chính phủ",
		"Thường xuyên - theo nhu cầu hàng năm", "Thường xuyên hàng năm", "Theo lộ trình hàng năm", "Quý IV năm 2021", "Năm 2023",
		"trước ngày 10/11/2021", "trước ngày 10/12 của năm trước liền kề năm kế hoạch", "ít nhất 03 cuộc/năm",
		"hàng năm (trước ngày 10/12 của năm trước liền kề năm kế hoạch)", "Quý II, III/2022", "Tháng 6/2026", "trước ngày 15 hằng tháng",
		"chậm nhất vào ngày 20 tháng cuối quý", "6 tháng đầu năm", "định kỳ 6 tháng", "trước ngày 20/6 và 20/12 hằng năm", "hằng quý",
		"thứ Sáu hằng tuần", "hằng tuần", "ngày 10 tháng 3 âm lịch", "ngày 30 tháng 2 âm lịch", "31/02", "Quý V", "Quý I", "giai đoạn 2026 – 2030",
		"Năm 2024-2025", "trước ngày 05 của tháng sau", "trước ngày 15 tháng đầu quý sau", "quy I hang nam", "truoc ngay 10/12 cua nam truoc",
		"cuối tháng 6/2026", "đầu năm", "Quý IV/2021 - Quý I/2022", "Hằng ngày", "Khi có yêu cầu", "Theo nhu cầu", "", "xyz", "Q1/2027",
		"tối thiểu 2 lần/quý", "ít nhất 01 lần/tháng", "ít nhất 1 lần mỗi tuần", "hằng tháng, cuối tháng", "hằng quý, đầu quý", "ngày 29/02 hằng năm",
		"Quý 0/2021", "Tháng 13/2021", "trước Quý I/2022", "30/2/2024", "29/2/2024", "Quý I năm sau",
	} {
		for _, strict := range []bool{false} {
			r := Parse(e, Options{StrictBefore: strict})
			occ := r.Occurrences(2027)
			s := ""
			for _, o := range occ {
				s += fmt.Sprintf(" %s:%s", o.Period, o.Due)
			}
			fmt.Printf("%-45q %-11s %s\n      %s\n", e, r.Kind, r.Reason, s)
		}
	}
}
