package schedule

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// exprCase is one fact about reading an expression: for period year year,
// Parse gives kind and Occurrences gives these due dates and periods. When n
// is set, due and periods are only the first of n occurrences.
type exprCase struct {
	expr    string
	year    int
	kind    Kind
	due     []string
	periods []string
	n       int
}

func ds(s ...string) []string { return s }

// seedCases are the time expressions of Quyết định 681/QĐ-UBND ngày
// 27/10/2021 of UBND tỉnh Ninh Thuận (its appendix and section V), with
// the dates they give.
var seedCases = []exprCase{
	{"Trước 31/12 hàng năm", 2027, KindAnnual, ds("2027-12-31"), ds("2027"), 0},
	{"Theo quy định của Bộ Nội vụ", 2027, KindUnresolved, nil, nil, 0},
	{"Quý I hàng năm", 2027, KindAnnual, ds("2027-03-31"), ds("2027"), 0},
	{"Thường xuyên trong năm", 2027, KindContinuous, nil, nil, 0},
	{"Quý IV/2021", 2027, KindOneOff, ds("2021-12-31"), ds("2021-Q4"), 0},
	{"Theo Kế hoạch hàng năm", 2027, KindUnresolved, nil, nil, 0},
	{"Quý IV hàng năm", 2027, KindAnnual, ds("2027-12-31"), ds("2027"), 0},
	{"Quý I - theo nhu cầu hàng năm", 2027, KindAnnual, ds("2027-03-31"), ds("2027"), 0},
	{"Theo Kế hoạch - lộ trình của Chính phủ", 2027, KindUnresolved, nil, nil, 0},
	{"Thường xuyên - theo nhu cầu hàng năm", 2027, KindContinuous, nil, nil, 0},
	{"Thường xuyên hàng năm", 2027, KindContinuous, nil, nil, 0},
	{"Theo lộ trình hàng năm", 2027, KindUnresolved, nil, nil, 0},
	{"Theo kế hoạch hàng năm", 2027, KindUnresolved, nil, nil, 0},
	{"Quý IV năm 2021", 2027, KindOneOff, ds("2021-12-31"), ds("2021-Q4"), 0},
	{"Năm 2023", 2027, KindOneOff, ds("2023-12-31"), ds("2023"), 0},
	{"trước ngày 10/11/2021", 2027, KindOneOff, ds("2021-11-10"), ds("2021-11-10"), 0},
	// A weekday that names the full date's own day adds nothing to it (Kế
	// hoạch bầu cử 2021 of Phú Thọ: "07/02/2021 (chủ Nhật)").
	{"07/02/2021 (chủ Nhật)", 2027, KindOneOff, ds("2021-02-07"), ds("2021-02-07"), 0},
	{"Thứ Sáu, ngày 10/12/2027", 2027, KindOneOff, ds("2027-12-10"), ds("2027-12-10"), 0},
	{"trước ngày 10/12 của năm trước liền kề năm kế hoạch", 2027, KindAnnual, ds("2026-12-10"), ds("2027"), 0},
	{"hàng năm (trước ngày 10/12 của năm trước liền kề năm kế hoạch)", 2022, KindAnnual, ds("2021-12-10"), ds("2022"), 0},
	{"ít nhất 03 cuộc/năm", 2027, KindQuota, ds("2027-12-31"), ds("2027"), 0},
	{"Hằng năm", 2027, KindAnnual, ds("2027-12-31"), ds("2027"), 0},
	{"Đảm bảo thực hiện theo quy định", 2027, KindUnresolved, nil, nil, 0},
}

var monthEnds2027 = ds("2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30",
	"2027-07-31", "2027-08-31", "2027-09-30", "2027-10-31", "2027-11-30", "2027-12-31")

var months2027 = ds("2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06",
	"2027-07", "2027-08", "2027-09", "2027-10", "2027-11", "2027-12")

var quarters2027 = ds("2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4")

var halves2027 = ds("2027-H1", "2027-H2")

// formCases are other forms officials write, with the spellings they use.
var formCases = []exprCase{
	// Periods named without a day are due on their last day.
	{"Quý III/2027", 2020, KindOneOff, ds("2027-09-30"), ds("2027-Q3"), 0},
	{"Năm 2026", 2027, KindOneOff, ds("2026-12-31"), ds("2026"), 0},
	{"giai đoạn 2026 – 2030", 2027, KindOneOff, ds("2030-12-31"), ds("2026-2030"), 0},
	{"Giai đoạn 2021-2025", 2027, KindOneOff, ds("2025-12-31"), ds("2021-2025"), 0},
	{"Năm 2024-2025", 2027, KindOneOff, ds("2025-12-31"), ds("2024-2025"), 0},
	{"2021 — 2025", 2027, KindOneOff, ds("2025-12-31"), ds("2021-2025"), 0},
	{"Thực hiện trong năm 2022", 2027, KindOneOff, ds("2022-12-31"), ds("2022"), 0},
	{"Hoàn thành trong Quý IV/2021", 2027, KindOneOff, ds("2021-12-31"), ds("2021-Q4"), 0},
	{"Tháng 6/2026", 2027, KindOneOff, ds("2026-06-30"), ds("2026-06"), 0},
	{"Tháng 6 năm 2026", 2027, KindOneOff, ds("2026-06-30"), ds("2026-06"), 0},
	{"trong tháng 02/2024", 2027, KindOneOff, ds("2024-02-29"), ds("2024-02"), 0},
	{"Quý II, III/2022", 2027, KindOneOff, ds("2022-06-30", "2022-09-30"), ds("2022-Q2", "2022-Q3"), 0},
	{"Quý II và III năm 2022", 2027, KindOneOff, ds("2022-06-30", "2022-09-30"), ds("2022-Q2", "2022-Q3"), 0},
	{"Quý II và Quý III/2022", 2027, KindOneOff, ds("2022-06-30", "2022-09-30"), ds("2022-Q2", "2022-Q3"), 0},
	{"Q1/2027", 2027, KindOneOff, ds("2027-03-31"), ds("2027-Q1"), 0},
	{"quý 1 năm 2027", 2027, KindOneOff, ds("2027-03-31"), ds("2027-Q1"), 0},
	// Recurring periods.
	{"hằng tháng", 2027, KindMonthly, monthEnds2027, months2027, 0},
	{"Hàng tháng", 2024, KindMonthly, ds("2024-01-31", "2024-02-29"), ds("2024-01", "2024-02"), 12},
	{"hằng quý", 2027, KindQuarterly, ds("2027-03-31", "2027-06-30", "2027-09-30", "2027-12-31"), quarters2027, 0},
	{"định kỳ hằng quý", 2027, KindQuarterly, ds("2027-03-31", "2027-06-30", "2027-09-30", "2027-12-31"), quarters2027, 0},
	{"Hằng năm.", 2027, KindAnnual, ds("2027-12-31"), ds("2027"), 0},
	{"mỗi năm một lần", 2027, KindAnnual, ds("2027-12-31"), ds("2027"), 0},
	{"Định kỳ hằng năm", 2027, KindAnnual, ds("2027-12-31"), ds("2027"), 0},
	{"định kỳ 6 tháng", 2027, KindSemiannual, ds("2027-06-30", "2027-12-31"), halves2027, 0},
	{"hằng 6 tháng", 2027, KindSemiannual, ds("2027-06-30", "2027-12-31"), halves2027, 0},
	{"6 tháng một lần", 2027, KindSemiannual, ds("2027-06-30", "2027-12-31"), halves2027, 0},
	{"6 tháng 1 lần", 2027, KindSemiannual, ds("2027-06-30", "2027-12-31"), halves2027, 0},
	{"06 tháng/lần", 2027, KindSemiannual, ds("2027-06-30", "2027-12-31"), halves2027, 0},
	{"Định kỳ sáu tháng", 2027, KindSemiannual, ds("2027-06-30", "2027-12-31"), halves2027, 0},
	{"6 tháng đầu năm", 2027, KindAnnual, ds("2027-06-30"), ds("2027-H1"), 0},
	{"6 tháng cuối năm", 2027, KindAnnual, ds("2027-12-31"), ds("2027-H2"), 0},
	{"06 tháng đầu năm 2022", 2027, KindOneOff, ds("2022-06-30"), ds("2022-H1"), 0},
	{"nửa đầu năm 2023", 2027, KindOneOff, ds("2023-06-30"), ds("2023-H1"), 0},
	// Điều 146: đầu, giữa, cuối.
	{"đầu năm", 2027, KindAnnual, ds("2027-01-01"), ds("2027"), 0},
	{"giữa năm", 2027, KindAnnual, ds("2027-06-30"), ds("2027"), 0},
	{"cuối năm", 2027, KindAnnual, ds("2027-12-31"), ds("2027"), 0},
	{"cuối năm 2025", 2027, KindOneOff, ds("2025-12-31"), ds("2025"), 0},
	{"cuối tháng 6/2026", 2027, KindOneOff, ds("2026-06-30"), ds("2026-06"), 0},
	{"đầu tháng 6/2026", 2027, KindOneOff, ds("2026-06-01"), ds("2026-06"), 0},
	{"giữa tháng 6/2026", 2027, KindOneOff, ds("2026-06-15"), ds("2026-06"), 0},
	{"cuối quý I/2022", 2027, KindOneOff, ds("2022-03-31"), ds("2022-Q1"), 0},
	{"đầu quý II/2022", 2027, KindOneOff, ds("2022-04-01"), ds("2022-Q2"), 0},
	{"cuối tháng", 2024, KindMonthly, ds("2024-01-31", "2024-02-29"), ds("2024-01", "2024-02"), 12},
	{"hằng tháng, đầu tháng", 2027, KindMonthly, ds("2027-01-01", "2027-02-01"), ds("2027-01", "2027-02"), 12},
	{"giữa tháng hằng tháng", 2027, KindMonthly, ds("2027-01-15", "2027-02-15"), ds("2027-01", "2027-02"), 12},
	{"hằng quý, đầu quý", 2027, KindQuarterly, ds("2027-01-01", "2027-04-01", "2027-07-01", "2027-10-01"), quarters2027, 0},
	{"cuối tháng 6 hằng năm", 2027, KindAnnual, ds("2027-06-30"), ds("2027"), 0},
	// Days.
	{"trước ngày 15 hằng tháng", 2027, KindMonthly, ds("2027-01-15", "2027-02-15"), ds("2027-01", "2027-02"), 12},
	{"trước ngày 05 của tháng sau", 2027, KindMonthly, ds("2027-02-05", "2027-03-05"), ds("2027-01", "2027-02"), 12},
	{"Hằng tháng, trước ngày 05 tháng sau", 2027, KindMonthly, ds("2027-02-05"), ds("2027-01"), 12},
	{"ngay 15 thang sau", 2027, KindMonthly, ds("2027-02-15"), ds("2027-01"), 12},
	{"chậm nhất vào ngày 20 tháng cuối quý", 2027, KindQuarterly, ds("2027-03-20", "2027-06-20", "2027-09-20", "2027-12-20"), quarters2027, 0},
	{"hằng quý, chậm nhất ngày 20 của tháng cuối quý", 2027, KindQuarterly, ds("2027-03-20", "2027-06-20", "2027-09-20", "2027-12-20"), quarters2027, 0},
	{"trước ngày 15 tháng đầu quý sau", 2027, KindQuarterly, ds("2027-04-15", "2027-07-15", "2027-10-15", "2028-01-15"), quarters2027, 0},
	{"trước ngày 10 tháng đầu quý", 2027, KindQuarterly, ds("2027-01-10", "2027-04-10", "2027-07-10", "2027-10-10"), quarters2027, 0},
	{"trước ngày 20/6 và 20/12 hằng năm", 2027, KindSemiannual, ds("2027-06-20", "2027-12-20"), halves2027, 0},
	{"ngày 15/01 và ngày 15/7 hằng năm", 2027, KindSemiannual, ds("2027-01-15", "2027-07-15"), halves2027, 0},
	{"định kỳ 6 tháng, trước ngày 20/6 và 20/12", 2027, KindSemiannual, ds("2027-06-20", "2027-12-20"), halves2027, 0},
	{"trước ngày 20/3, 20/6, 20/9 và 20/12 hằng năm", 2027, KindQuarterly, ds("2027-03-20", "2027-06-20", "2027-09-20", "2027-12-20"), quarters2027, 0},
	{"ngày 10/1, 10/2 hằng năm", 2027, KindAnnual, ds("2027-01-10", "2027-02-10"), ds("2027-01", "2027-02"), 0},
	{"Quý I, II hằng năm", 2027, KindQuarterly, ds("2027-03-31", "2027-06-30"), ds("2027-Q1", "2027-Q2"), 0},
	{"tháng 6 và tháng 12 hằng năm", 2027, KindAnnual, ds("2027-06-30", "2027-12-31"), ds("2027-06", "2027-12"), 0},
	{"Trước ngày 06/6/2026", 2027, KindOneOff, ds("2026-06-06"), ds("2026-06-06"), 0},
	{"hạn chót ngày 15/3/2026", 2027, KindOneOff, ds("2026-03-15"), ds("2026-03-15"), 0},
	{"chậm nhất là ngày 30/6/2026", 2027, KindOneOff, ds("2026-06-30"), ds("2026-06-30"), 0},
	{"đến hết ngày 31/12/2025", 2027, KindOneOff, ds("2025-12-31"), ds("2025-12-31"), 0},
	{"ngày 15 tháng 3 năm 2026", 2027, KindOneOff, ds("2026-03-15"), ds("2026-03-15"), 0},
	{"29/2/2024", 2027, KindOneOff, ds("2024-02-29"), ds("2024-02-29"), 0},
	{"trước ngày 20/6/2022 và 20/12/2022", 2027, KindOneOff, ds("2022-06-20", "2022-12-20"), ds("2022-06-20", "2022-12-20"), 0},
	// Years before and after the period.
	{"truoc ngay 10/12 cua nam truoc", 2027, KindAnnual, ds("2026-12-10"), ds("2027"), 0},
	{"Trước ngày 10/12 năm trước năm kế hoạch", 2030, KindAnnual, ds("2029-12-10"), ds("2030"), 0},
	{"Quý I năm sau", 2027, KindAnnual, ds("2028-03-31"), ds("2027"), 0},
	{"trước ngày 31/3 của năm sau", 2027, KindAnnual, ds("2028-03-31"), ds("2027"), 0},
	{"trước ngày 31/01 của năm liền kề năm báo cáo", 2027, KindAnnual, ds("2028-01-31"), ds("2027"), 0},
	{"trước ngày 15/01 năm tiếp theo", 2027, KindAnnual, ds("2028-01-15"), ds("2027"), 0},
	// A span bounds a recurring rule.
	{"Quý I hằng năm giai đoạn 2021 - 2025", 2023, KindAnnual, ds("2023-03-31"), ds("2023"), 0},
	{"Quý I hằng năm giai đoạn 2021 - 2025", 2027, KindAnnual, nil, nil, 0},
	{"6 tháng đầu năm, giai đoạn 2021-2025", 2025, KindAnnual, ds("2025-06-30"), ds("2025-H1"), 0},
	{"6 tháng đầu năm, giai đoạn 2021-2025", 2026, KindAnnual, nil, nil, 0},
	{"hằng quý năm 2022", 2022, KindQuarterly, ds("2022-03-31", "2022-06-30", "2022-09-30", "2022-12-31"), ds("2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4"), 0},
	{"hằng quý năm 2022", 2023, KindQuarterly, nil, nil, 0},
	// Weeks.
	{"hằng tuần", 2027, KindWeekly, ds("2027-01-10", "2027-01-17"), ds("2027-W01", "2027-W02"), 52},
	{"hằng tuần", 2026, KindWeekly, ds("2026-01-04"), ds("2026-W01"), 53},
	{"thứ Sáu hằng tuần", 2027, KindWeekly, ds("2027-01-08"), ds("2027-W01"), 52},
	{"vào thứ 2 hằng tuần", 2027, KindWeekly, ds("2027-01-04"), ds("2027-W01"), 52},
	{"Chủ nhật hàng tuần", 2027, KindWeekly, ds("2027-01-10"), ds("2027-W01"), 52},
	// Lunar dates (Vietnamese calendar, UTC+7).
	{"ngày 10 tháng 3 âm lịch", 2026, KindAnnual, ds("2026-04-26"), ds("2026"), 0},
	{"ngày 10 tháng 3 âm lịch", 2024, KindAnnual, ds("2024-04-18"), ds("2024"), 0},
	{"ngày 10 tháng 3 âm lịch hằng năm", 2026, KindAnnual, ds("2026-04-26"), ds("2026"), 0},
	{"hằng năm vào ngày 10/3 âm lịch", 2027, KindAnnual, ds("2027-04-16"), ds("2027"), 0},
	{"10/3 âm lịch", 2024, KindAnnual, ds("2024-04-18"), ds("2024"), 0},
	{"mùng 10 tháng 3 âm lịch", 2026, KindAnnual, ds("2026-04-26"), ds("2026"), 0},
	{"Mồng 10/3 (âm lịch)", 2026, KindAnnual, ds("2026-04-26"), ds("2026"), 0},
	{"ngay 10 thang 3 am lich", 2026, KindAnnual, ds("2026-04-26"), ds("2026"), 0},
	{"ngày 30 tháng 2 âm lịch", 2026, KindAnnual, nil, nil, 0}, // lunar 2/2026 has 29 days
	{"ngày 30 tháng 2 âm lịch", 2027, KindAnnual, ds("2027-04-06"), ds("2027"), 0},
	{"ngày 10 tháng 3 âm lịch năm 2026", 2030, KindOneOff, ds("2026-04-26"), ds("2026-04-26"), 0},
	{"ngày 10 tháng 6 nhuận âm lịch năm 2025", 2030, KindOneOff, ds("2025-08-03"), ds("2025-08-03"), 0},
	{"ngày 10 tháng 2 nhuận âm lịch năm 2023", 2030, KindOneOff, ds("2023-03-31"), ds("2023-03-31"), 0},
	// Quotas.
	{"03 cuộc mỗi năm", 2027, KindQuota, ds("2027-12-31"), ds("2027"), 0},
	{"tối thiểu 2 lần/quý", 2027, KindQuota, ds("2027-03-31", "2027-06-30", "2027-09-30", "2027-12-31"), quarters2027, 0},
	{"ít nhất 01 lần/tháng", 2027, KindQuota, monthEnds2027, months2027, 0},
	{"ít nhất 1 lần trong năm", 2027, KindQuota, ds("2027-12-31"), ds("2027"), 0},
	{"Hằng năm, ít nhất 3 cuộc", 2027, KindQuota, ds("2027-12-31"), ds("2027"), 0},
	{"ít nhất 2 đợt/6 tháng", 2027, KindQuota, ds("2027-06-30", "2027-12-31"), halves2027, 0},
	{"ít nhất một lần mỗi tuần", 2027, KindQuota, ds("2027-01-10"), ds("2027-W01"), 52},
	// No due date.
	{"Thường xuyên", 2027, KindContinuous, nil, nil, 0},
	{"Liên tục", 2027, KindContinuous, nil, nil, 0},
	{"Hằng ngày", 2027, KindContinuous, nil, nil, 0},
	{"Thường xuyên, liên tục", 2027, KindContinuous, nil, nil, 0},
	{"Khi có yêu cầu", 2027, KindOnDemand, nil, nil, 0},
	{"Theo yêu cầu", 2027, KindOnDemand, nil, nil, 0},
	{"Đột xuất", 2027, KindOnDemand, nil, nil, 0},
	{"Khi phát sinh", 2027, KindOnDemand, nil, nil, 0},
	{"Theo nhu cầu", 2027, KindOnDemand, nil, nil, 0},
	// Spelling: case, diacritics, Unicode forms, spaces, dashes, punctuation.
	{"quy I hang nam", 2027, KindAnnual, ds("2027-03-31"), ds("2027"), 0},
	{"QUÝ I HẰNG NĂM", 2027, KindAnnual, ds("2027-03-31"), ds("2027"), 0},
	{"quý 1 hằng năm", 2027, KindAnnual, ds("2027-03-31"), ds("2027"), 0},
	{"QI hàng năm", 2027, KindAnnual, ds("2027-03-31"), ds("2027"), 0},
	{norm.NFD.String("Quý I hàng năm"), 2027, KindAnnual, ds("2027-03-31"), ds("2027"), 0},
	{norm.NFD.String("trước ngày 10/12 của năm trước liền kề năm kế hoạch"), 2027, KindAnnual, ds("2026-12-10"), ds("2027"), 0},
	{"Quý\u00a0IV/2021", 2027, KindOneOff, ds("2021-12-31"), ds("2021-Q4"), 0},
	{"  Quý   IV / 2021 . ", 2027, KindOneOff, ds("2021-12-31"), ds("2021-Q4"), 0},
	{"Quý IV/2021./.", 2027, KindOneOff, ds("2021-12-31"), ds("2021-Q4"), 0},
	{"“Quý IV năm 2021”", 2027, KindOneOff, ds("2021-12-31"), ds("2021-Q4"), 0},
	{"Quý I – theo nhu cầu hằng năm", 2027, KindAnnual, ds("2027-03-31"), ds("2027"), 0},
	{"thuong xuyen trong nam", 2027, KindContinuous, nil, nil, 0},
	{"TRƯỚC 31/12 HÀNG NĂM", 2027, KindAnnual, ds("2027-12-31"), ds("2027"), 0},
	{"Trước\u202f31/12\u00a0hàng\tnăm", 2027, KindAnnual, ds("2027-12-31"), ds("2027"), 0},
	{"it nhat 03 cuoc/nam", 2027, KindQuota, ds("2027-12-31"), ds("2027"), 0},
}

// regimeCases are the forms of report regimes under Nghị định 09/2019/NĐ-CP
// and of provincial plans (issue 13), each across three years, one of them
// leap (2024).
var regimeCases = []exprCase{
	// A deadline clause inside a sentence, after its subject.
	// Thông tư 07/2016/TT-BLĐTBXH, Điều 10: the form a report is made on
	// ("theo mẫu …", "kèm theo Thông tư này") is not a reference to a date.
	{"gửi Bộ Lao động-Thương binh và Xã hội theo mẫu quy định tại Phụ lục III ban hành kèm theo Thông tư này trước ngày 25 tháng 01 hằng năm.", 2024, KindAnnual, ds("2024-01-25"), ds("2024"), 0},
	{"gửi Bộ Lao động-Thương binh và Xã hội theo biểu mẫu quy định trước ngày 25 tháng 01 hằng năm.", 2028, KindAnnual, ds("2028-01-25"), ds("2028"), 0},
	// Công văn 1066/UBND-VXNV (Bắc Kạn, 01/3/2021): "quy định" is not "quý".
	{"trình UBND tỉnh  trước ngày 15/11/2021 để tổng hợp, gửi Ban Tuyên giáo Tỉnh ủy đúng thời hạn quy định", 2021, KindOneOff, ds("2021-11-15"), ds("2021-11-15"), 0},
	// Thông tư 01/2020/TT-BKHĐT, Điều 9: "đăng ký" is not "kỳ".
	{"Chậm nhất vào ngày 18 tháng 12 hàng năm, cơ quan đăng ký hợp tác xã cấp huyện tổng hợp, báo cáo kết quả phân loại, đánh giá hợp tác xã của năm trên địa bàn huyện gửi cơ quan đăng ký hợp tác xã cấp tỉnh.", 2024, KindAnnual, ds("2024-12-18"), ds("2024"), 0},
	{"Chậm nhất vào ngày 21 tháng 12 hàng năm, cơ quan đăng ký hợp tác xã cấp tỉnh tổng hợp, báo cáo kết quả phân loại, đánh giá hợp tác xã của năm trên địa bàn tỉnh gửi về Bộ Kế hoạch và Đầu tư.", 2025, KindAnnual, ds("2025-12-21"), ds("2025"), 0},
	// Thông tư 37/2010/TT-BTC, Điều 5: "khấu trừ" (deduction) is not "trừ" (except).
	{"Hàng quý thực hiện báo cáo tình hình sử dụng chứng từ khấu trừ (theo phụ lục đính kèm Thông tư này) chậm nhất là ngày 30 của tháng đầu quý sau.", 2024, KindQuarterly, ds("2024-04-30", "2024-07-30", "2024-10-30", "2025-01-30"), ds("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"), 0},
	{"Hàng quý thực hiện báo cáo tình hình sử dụng chứng từ khấu trừ chậm nhất là ngày 30 của tháng đầu quý sau.", 2027, KindQuarterly, ds("2027-04-30", "2027-07-30", "2027-10-30", "2028-01-30"), ds("2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"), 0},
	// Thông tư 11/2015/TT-BLĐTBXH: "theo dấu bưu điện" says how the day sent
	// is proved; it refers to no other text.
	{"Sở Lao động – Thương binh và Xã hội các tỉnh, thành phố gửi báo cáo chậm nhất là ngày 15/01 năm kế tiếp của năm báo cáo theo dấu bưu điện", 2024, KindAnnual, ds("2025-01-15"), ds("2024"), 0},
	// Thông tư 02/2022/TT-BTNMT, Điều 66 khoản 2: the period the report
	// covers, in parentheses before the deadline, is not the deadline.
	{"định kỳ hằng năm (kỳ báo cáo tính từ ngày 01 tháng 01 đến hết ngày 31 tháng 12) trước ngày 15 tháng 01 của năm tiếp theo", 2024, KindAnnual, ds("2025-01-15"), ds("2024"), 0},
	{"định kỳ hằng năm (kỳ báo cáo tính từ ngày 01 tháng 01 đến hết ngày 31 tháng 12) trước ngày 20 tháng 01 của năm tiếp theo", 2027, KindAnnual, ds("2028-01-20"), ds("2027"), 0},
	{"báo cáo định kỳ hằng năm (kỳ báo cáo tính từ ngày 01 tháng 01 đến hết ngày 31 tháng 12) trước ngày 20 tháng 01 của năm tiếp theo", 2028, KindAnnual, ds("2029-01-20"), ds("2028"), 0},
	{"Báo cáo kết quả thực hiện gửi Sở Nội vụ trước ngày 12/11 hằng năm", 2024, KindAnnual, ds("2024-11-12"), ds("2024"), 0},
	{"Báo cáo kết quả thực hiện gửi Sở Nội vụ trước ngày 12/11 hằng năm", 2025, KindAnnual, ds("2025-11-12"), ds("2025"), 0},
	{"Báo cáo kết quả thực hiện gửi Sở Nội vụ trước ngày 12/11 hằng năm", 2026, KindAnnual, ds("2026-11-12"), ds("2026"), 0},
	{"Thời hạn ban hành kế hoạch là trước ngày 05/12 hằng năm", 2024, KindAnnual, ds("2024-12-05"), ds("2024"), 0},
	{"Thời hạn ban hành kế hoạch là trước ngày 05/12 hằng năm", 2025, KindAnnual, ds("2025-12-05"), ds("2025"), 0},
	{"Thời hạn ban hành kế hoạch là trước ngày 05/12 hằng năm", 2026, KindAnnual, ds("2026-12-05"), ds("2026"), 0},
	{"Báo cáo quý I/2025 gửi trước ngày 15/03/2025", 2024, KindOneOff, ds("2025-03-15"), ds("2025-03-15"), 0},
	{"Trước ngày 30/11 hằng năm, các cơ quan xây dựng kế hoạch CCHC năm sau", 2026, KindAnnual, ds("2026-11-30"), ds("2026"), 0},
	// A day of every month.
	{"gửi trước ngày 18 của tháng", 2024, KindMonthly, ds("2024-01-18", "2024-02-18"), ds("2024-01", "2024-02"), 12},
	{"gửi trước ngày 18 của tháng", 2025, KindMonthly, ds("2025-01-18"), ds("2025-01"), 12},
	{"gửi trước ngày 18 của tháng", 2026, KindMonthly, ds("2026-01-18"), ds("2026-01"), 12},
	{"chậm nhất vào ngày 22 hằng tháng", 2024, KindMonthly, ds("2024-01-22", "2024-02-22"), ds("2024-01", "2024-02"), 12},
	{"chậm nhất vào ngày 22 hằng tháng", 2025, KindMonthly, ds("2025-01-22"), ds("2025-01"), 12},
	{"chậm nhất vào ngày 22 hằng tháng", 2026, KindMonthly, ds("2026-01-22"), ds("2026-01"), 12},
	{"ngày 12 của tháng báo cáo", 2024, KindMonthly, ds("2024-01-12", "2024-02-12"), ds("2024-01", "2024-02"), 12},
	{"ngày 12 của tháng báo cáo", 2025, KindMonthly, ds("2025-01-12"), ds("2025-01"), 12},
	{"ngày 12 của tháng báo cáo", 2026, KindMonthly, ds("2026-01-12"), ds("2026-01"), 12},
	// Đầu, giữa, cuối tháng of each month (Bộ luật Dân sự 2015, Điều 146).
	{"đầu tháng", 2024, KindMonthly, ds("2024-01-01", "2024-02-01"), ds("2024-01", "2024-02"), 12},
	{"giữa tháng", 2025, KindMonthly, ds("2025-01-15", "2025-02-15"), ds("2025-01", "2025-02"), 12},
	{"cuối tháng", 2024, KindMonthly, ds("2024-01-31", "2024-02-29"), ds("2024-01", "2024-02"), 12},
	{"cuối tháng", 2025, KindMonthly, ds("2025-01-31", "2025-02-28"), ds("2025-01", "2025-02"), 12},
	{"cuối mỗi tháng", 2026, KindMonthly, ds("2026-01-31", "2026-02-28"), ds("2026-01", "2026-02"), 12},
	{"cuối quý", 2026, KindQuarterly, ds("2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"), ds("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"), 0},
	// A day of the last month of each quarter, written out.
	{"trước ngày 08 tháng cuối cùng của quý", 2024, KindQuarterly, ds("2024-03-08", "2024-06-08", "2024-09-08", "2024-12-08"), ds("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"), 0},
	{"trước ngày 08 tháng cuối cùng của quý", 2025, KindQuarterly, ds("2025-03-08", "2025-06-08", "2025-09-08", "2025-12-08"), ds("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"), 0},
	{"ngày 18 tháng cuối mỗi quý", 2026, KindQuarterly, ds("2026-03-18", "2026-06-18", "2026-09-18", "2026-12-18"), ds("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"), 0},
	{"Báo cáo quý gửi trước ngày 05 tháng cuối cùng của mỗi quý", 2024, KindQuarterly, ds("2024-03-05", "2024-06-05", "2024-09-05", "2024-12-05"), ds("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"), 0},
	// Numbers followed by their words.
	{"chậm nhất ngày 12 (mười hai) của tháng báo cáo", 2024, KindMonthly, ds("2024-01-12"), ds("2024-01"), 12},
	{"chậm nhất ngày 12 (mười hai) của tháng báo cáo", 2025, KindMonthly, ds("2025-01-12"), ds("2025-01"), 12},
	{"Chậm nhất ngày 25 (hai mươi lăm) tháng 11 (mười một) đối với báo cáo định kỳ hằng năm", 2026, KindAnnual, ds("2026-11-25"), ds("2026"), 0},
	{"Chậm nhất ngày 06 (sáu) tháng 06 (sáu) đối với báo cáo định kỳ 06 (sáu) tháng", 2024, KindAnnual, ds("2024-06-06"), ds("2024-H1"), 0},
	// The reporting year and the month after it.
	{"trước ngày 15/12 của năm báo cáo", 2024, KindAnnual, ds("2024-12-15"), ds("2024"), 0},
	{"trước ngày 10/01 của năm liền kề năm báo cáo", 2024, KindAnnual, ds("2025-01-10"), ds("2024"), 0},
	{"trước ngày 10/01 của năm liền kề năm báo cáo", 2025, KindAnnual, ds("2026-01-10"), ds("2025"), 0},
	{"Trước ngày 31/03 năm sau của năm báo cáo", 2026, KindAnnual, ds("2027-03-31"), ds("2026"), 0},
	{"trước ngày 05 tháng sau liền kề", 2024, KindMonthly, ds("2024-02-05"), ds("2024-01"), 12},
	{"trước ngày 05 tháng sau liền kề", 2025, KindMonthly, ds("2025-02-05"), ds("2025-01"), 12},
	{"Trước ngày 10 của tháng đầu quý sau quý báo cáo", 2026, KindQuarterly, ds("2026-04-10", "2026-07-10", "2026-10-10", "2027-01-10"), ds("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"), 0},
	// Tết (Vietnamese lunar calendar): the day before its first day.
	{"trước Tết Nguyên đán", 2024, KindAnnual, ds("2024-02-09"), ds("2024"), 0},
	{"trước Tết Nguyên đán", 2025, KindAnnual, ds("2025-01-28"), ds("2025"), 0},
	{"trước Tết Nguyên đán", 2026, KindAnnual, ds("2026-02-16"), ds("2026"), 0},
	{"trước Tết Nguyên đán năm 2027", 2024, KindOneOff, ds("2027-02-05"), ds("2027"), 0},
	{"Trước Tết Nguyên đán Bính Ngọ 2026", 2024, KindOneOff, ds("2026-02-16"), ds("2026"), 0},
	{"trước Tết Nguyên đán Ất Tỵ 2025", 2024, KindOneOff, ds("2025-01-28"), ds("2025"), 0},
	{"Trước ngày 15 tháng thứ ba của quý", 2025, KindQuarterly, ds("2025-03-15", "2025-06-15", "2025-09-15", "2025-12-15"), ds("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"), 0},
	{"Khi có sự cố xảy ra", 2025, KindOnDemand, nil, nil, 0},
	// Conditional duties are on demand.
	{"khi cơ quan cấp trên yêu cầu", 2024, KindOnDemand, nil, nil, 0},
	{"khi có văn bản đề nghị", 2025, KindOnDemand, nil, nil, 0},
	{"Báo cáo đột xuất khi có yêu cầu của cơ quan cấp trên", 2026, KindOnDemand, nil, nil, 0},
	// A time of day does not move the day.
	{"Báo cáo tuần gửi trước 16 giờ thứ Năm hằng tuần", 2026, KindWeekly, ds("2026-01-01"), ds("2026-W01"), 53},
	// A symbol or an e-mail address among the sentence's other words, and a
	// trailing "theo quy định" after a stated deadline.
	{"tỷ lệ phần trăm (%) phân chia các khoản thu trước ngày 10 tháng 12 năm trước", 2024, KindAnnual, ds("2023-12-10"), ds("2024"), 0},
	{"gửi trước ngày 15 tháng 5 năm 2021 (địa chỉ email: vanthu@snv.gov.vn) để tổng hợp theo quy định.", 2024, KindOneOff, ds("2021-05-15"), ds("2021-05-15"), 0},
	// A target year, a cycle opening a sentence, an inspection's kind.
	{"Đến năm 2025 ít nhất 80% hồ sơ được thực hiện theo phương thức điện tử", 2024, KindOneOff, ds("2025-12-31"), ds("2025"), 0},
	{"Định kỳ hằng năm tham mưu tổ chức sơ kết", 2028, KindAnnual, ds("2028-12-31"), ds("2028"), 0},
	{"Hằng quý tổng hợp kết quả", 2024, KindQuarterly, ds("2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"), ds("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"), 0},
	{"Thanh tra đột xuất ít nhất 02 cuộc/năm tại các đơn vị", 2025, KindQuota, ds("2025-12-31"), ds("2025"), 0},
	{"Kiểm tra đột xuất các đơn vị", 2025, KindOnDemand, nil, nil, 0},
	// A monthly day past the 28th with February's exception.
	{"là ngày 29 của tháng báo cáo, riêng tháng Hai là ngày cuối tháng", 2024, KindMonthly, ds("2024-01-29", "2024-02-29", "2024-03-29"), ds("2024-01", "2024-02", "2024-03"), 12},
	{"là ngày 29 của tháng báo cáo, riêng tháng Hai là ngày cuối tháng", 2025, KindMonthly, ds("2025-01-29", "2025-02-28", "2025-03-29"), ds("2025-01", "2025-02", "2025-03"), 12},
	{"ngày 30 hằng tháng, riêng tháng 2 là ngày cuối tháng", 2026, KindMonthly, ds("2026-01-30", "2026-02-28", "2026-03-30"), ds("2026-01", "2026-02", "2026-03"), 12},
	{"Báo cáo tháng, quý I, 6 tháng, 9 tháng và năm là ngày 25 của tháng báo cáo", 2026, KindMonthly, ds("2026-01-25"), ds("2026-01"), 12},
	// The six-month and the annual report, a deadline each, in one sentence.
	{"báo cáo gửi trước ngày 05 tháng 7 hằng năm đối với báo cáo 6 tháng đầu năm và trước ngày 10 tháng 01 năm sau đối với báo cáo năm", 2024, KindSemiannual, ds("2024-07-05", "2025-01-10"), ds("2024-H1", "2024-H2"), 0},
	{"Chậm nhất ngày 15/7 đối với báo cáo 6 tháng và ngày 15/01 năm sau đối với báo cáo năm", 2025, KindSemiannual, ds("2025-07-15", "2026-01-15"), ds("2025-H1", "2025-H2"), 0},
	{"trước ngày 20/01 năm sau đối với báo cáo năm và trước ngày 20/7 đối với báo cáo 6 tháng", 2026, KindSemiannual, ds("2026-07-20", "2027-01-20"), ds("2026-H1", "2026-H2"), 0},
	// Dates written with dashes or dots; a Tết note that repeats the date;
	// an hour with its minutes.
	{"Kết thúc năm học trước ngày 15-7-2020", 2024, KindOneOff, ds("2020-07-15"), ds("2020-07-15"), 0},
	{"chậm nhất ngày 25.12.2017 phải báo cáo nội dung này theo yêu cầu của Bộ Kế hoạch và Đầu tư", 2024, KindOneOff, ds("2017-12-25"), ds("2017-12-25"), 0},
	{"Báo cáo nhanh gửi trước 14h00 ngày 13/02/2021 (tức ngày mùng 02 Tết).", 2024, KindOneOff, ds("2021-02-13"), ds("2021-02-13"), 0},
	{"Thời gian báo cáo: Trước 09 giờ 00, các ngày 02/02/2022 (mùng 02 Tết), 04/02/2022 (mùng 04 Tết)", 2024, KindOneOff, ds("2022-02-02", "2022-02-04"), ds("2022-02-02", "2022-02-04"), 0},
	// The sentence's own words: numbers and Tết in its subject, a window the
	// report is about, "Riêng" opening it, "số liệu" naming what is sent.
	{"Hoàn thành tuyển sinh vào lớp 6 trung học cơ sở năm học 2020-2021 trước ngày 15-8-2020", 2024, KindOneOff, ds("2020-08-15"), ds("2020-08-15"), 0},
	{"phân công lãnh đạo trực Tết gửi Văn phòng UBND tỉnh trước ngày 13/01/2023.", 2024, KindOneOff, ds("2023-01-13"), ds("2023-01-13"), 0},
	{"lập danh sách lãnh đạo trực Tết từ ngày 10/02 đến hết ngày 16/02/2021 gửi về UBND tỉnh trước ngày 30/01/2021.", 2024, KindOneOff, ds("2021-01-30"), ds("2021-01-30"), 0},
	{"Riêng hồ sơ đề nghị tặng danh hiệu Chiến sĩ thi đua cấp tỉnh gởi trước ngày 28/02 năm sau", 2027, KindAnnual, ds("2028-02-28"), ds("2027"), 0},
	{"gửi báo cáo số liệu cải cách hành chính năm 2015, năm 2016 về Sở Nội vụ trước ngày 18/11/2016", 2024, KindOneOff, ds("2016-11-18"), ds("2016-11-18"), 0},
	// A frequency stated in a sentence; a case that arises.
	{"Uỷ ban nhân dân huyện họp thường kỳ mỗi tháng một lần.", 2024, KindMonthly, ds("2024-01-31", "2024-02-29"), ds("2024-01", "2024-02"), 12},
	{"trường hợp có khó khăn vướng mắc báo cáo Ủy ban nhân dân tỉnh để xem xét, chỉ đạo.", 2024, KindOnDemand, nil, nil, 0},
	// The date the figures stand at, before the deadline; the next month or
	// quarter after the period named in words; an escape clause.
	{"Thời điểm báo cáo là 31/12; thời hạn gửi báo cáo là 15/1 hàng năm.", 2025, KindAnnual, ds("2026-01-15"), ds("2025"), 0},
	{"Kỳ báo cáo cuối năm học, thời điểm báo cáo là 31/5, thời hạn gửi báo cáo là 30/6 hàng năm.", 2024, KindAnnual, ds("2024-06-30"), ds("2024"), 0},
	{"Báo cáo tháng: các đơn vị báo cáo gửi báo cáo chậm nhất vào ngày 12 của tháng tiếp theo ngay sau kỳ báo cáo;", 2027, KindMonthly, ds("2027-02-12"), ds("2027-01"), 12},
	{"chậm nhất là ngày 15 của tháng đầu của quý kế tiếp sau quý báo cáo", 2026, KindQuarterly, ds("2026-04-15", "2026-07-15", "2026-10-15", "2027-01-15"), ds("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"), 0},
	{"gửi về Văn phòng Chính phủ chậm nhất ngày 25 của tháng trước tháng tổ chức phiên họp.", 2028, KindMonthly, ds("2027-12-25", "2028-01-25"), ds("2028-01", "2028-02"), 12},
	{"gửi hồ sơ trước ngày 25 tháng 12 hàng năm, trừ trường hợp Thanh tra Chính phủ có hướng dẫn khác;", 2026, KindAnnual, ds("2026-12-25"), ds("2026"), 0},
	{"trực tiếp thực hiện việc tiếp công dân ít nhất 01 ngày trong 01 tháng tại địa điểm tiếp công dân", 2024, KindQuota, ds("2024-01-31", "2024-02-29"), ds("2024-01", "2024-02"), 12},
	{"Trình UBND tỉnh trước ngày 10/8/2018 để báo cáo Bộ Công Thương theo thời gian quy định.", 2024, KindOneOff, ds("2018-08-10"), ds("2018-08-10"), 0},
	// A window "từ ngày … đến ngày …" with no deadline of its own.
	{"Thời gian lấy ý kiến: từ ngày 17/3/2025 đến ngày 05/4/2025.", 2025, KindOneOff, ds("2025-04-05"), ds("2025-04-05"), 0},
	{"Thời gian: từ ngày 01/6 đến ngày 30/6/2024.", 2024, KindOneOff, ds("2024-06-30"), ds("2024-06-30"), 0},
	{"Thời gian: từ ngày 01/6 đến ngày 30/6/2024, báo cáo trước ngày 05/7/2024", 2024, KindOneOff, ds("2024-07-05"), ds("2024-07-05"), 0},
	{"Định kỳ từ ngày 1 đến ngày 5 hằng tháng", 2025, KindMonthly, ds("2025-01-05", "2025-02-05"), ds("2025-01", "2025-02"), 12},
	// Another text's number and date, a telephone, a slash between names, an
	// ordinal day in words, a report's proper name, a period naming the
	// report between "Thời hạn" and its date.
	{"tổ chức Hội nghị vào tháng 12 năm 2010 để tổng kết Chương trình giai đoạn 2001-2010 ban hành kèm theo Quyết định số 136/2001/QĐ-TTg ngày 17 tháng 9 năm 2001 của Thủ tướng Chính phủ.", 2024, KindOneOff, ds("2010-12-31"), ds("2010-12"), 0},
	{"Báo cáo gửi về Bộ (qua Cục Trẻ em; điện thoại: 024.3747.5628) trước ngày 10 tháng 7 năm 2018", 2024, KindOneOff, ds("2018-07-10"), ds("2018-07-10"), 0},
	{"Hồ sơ gửi về Bộ Quốc phòng (qua Cục Dân quân tự vệ/Bộ Tổng Tham mưu) trước ngày 15 tháng 3 hằng năm.", 2026, KindAnnual, ds("2026-03-15"), ds("2026"), 0},
	{"Thời hạn nộp hồ sơ khai thuế tháng chậm nhất là ngày thứ hai mươi của tháng tiếp theo tháng phát sinh nghĩa vụ thuế.", 2026, KindMonthly, ds("2026-02-20"), ds("2026-01"), 12},
	{"Báo cáo kết quả triển khai Tháng hành động vì trẻ em năm 2018 gửi trước ngày 10 tháng 7 năm 2018", 2024, KindOneOff, ds("2018-07-10"), ds("2018-07-10"), 0},
	{"Thời hạn báo cáo kết quả công tác giải quyết khiếu nại, tố cáo năm 2020 là ngày 10/8/2020.", 2024, KindOneOff, ds("2020-08-10"), ds("2020-08-10"), 0},
	{"Báo cáo đột xuất được thực hiện khi có yêu cầu của cơ quan cấp trên hoặc của Thanh tra Chính phủ.", 2024, KindOnDemand, nil, nil, 0},
	{"đề nghị khen thưởng theo công trạng (khen thưởng thường xuyên) trước ngày 15 tháng 3 hằng năm", 2024, KindAnnual, ds("2024-03-15"), ds("2024"), 0},
	// The next quarter or January after the period; a dashed day and month
	// of every year; "năm sau" of the annual report's date alone.
	{"Thời hạn nộp hồ sơ khai thuế quý chậm nhất là ngày thứ ba mươi của quý tiếp theo quý phát sinh nghĩa vụ thuế.", 2025, KindQuarterly, ds("2025-04-30", "2025-07-30", "2025-10-30", "2026-01-30"), ds("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"), 0},
	{"Báo cáo năm: các đơn vị báo cáo gửi báo cáo chậm nhất vào ngày 20 của tháng đầu năm tiếp theo ngay sau kỳ báo cáo;", 2024, KindAnnual, ds("2025-01-20"), ds("2024"), 0},
	{"công khai kết quả sử dụng trên phương tiện thông tin đại chúng trước ngày 31-3 hằng năm", 2028, KindAnnual, ds("2028-03-31"), ds("2028"), 0},
	{"Trước ngày 05 tháng 7 và ngày 05 tháng 01 của năm sau, người sử dụng lao động báo cáo 6 tháng đầu năm và hàng năm theo Mẫu số 07/PLI.", 2024, KindSemiannual, ds("2024-07-05", "2025-01-05"), ds("2024-H1", "2024-H2"), 0},
	// A monthly duty for some months of the year; "(nếu có)"; a period that
	// "trong" named before a dated deadline; a cycle after a short duty.
	{"Ngày 05 hằng tháng (từ tháng 02 đến tháng 9), Chủ tịch Ủy ban nhân dân cấp xã tổng hợp, báo cáo kết quả rà soát hộ nghèo thường xuyên trên địa bàn (nếu có).", 2024, KindMonthly, ds("2024-02-05", "2024-03-05"), ds("2024-02", "2024-03"), 8},
	{"Riêng trong quý I năm 2019, gửi trước ngày 05/5/2019.", 2024, KindOneOff, ds("2019-05-05"), ds("2019-05-05"), 0},
	{"sơ kết hằng năm", 2024, KindAnnual, ds("2024-12-31"), ds("2024"), 0},
	{"Báo cáo chuyên đề thực hiện hằng năm.", 2026, KindAnnual, ds("2026-12-31"), ds("2026"), 0},
	// A sending window of two full dates is due on its last day.
	{"Báo cáo 6 tháng năm 2024: 15/6/2024 – 05/7/2024;", 2024, KindOneOff, ds("2024-07-05"), ds("2024-07-05"), 0},
	{"Báo cáo cả năm 2024: 20/12/2024 - 10/01/2025.", 2028, KindOneOff, ds("2025-01-10"), ds("2025-01-10"), 0},
	{"Báo cáo quý I/2028: 25/3/2028 – 10/4/2028", 2028, KindOneOff, ds("2028-04-10"), ds("2028-04-10"), 0},
}

// unresolvedCases must never produce a date.
var unresolvedCases = []struct{ expr, reason string }{
	{"", "Không có biểu thức"},
	{"   ", "Không có biểu thức"},
	{"theo quy định", "không nêu thời hạn cụ thể"},
	{"Theo hướng dẫn, trước ngày 15/12 hằng năm", "không nêu thời hạn cụ thể"},
	{"abc xyz", "Không hiểu từ \"abc\""},
	{"Định kỳ", "không nêu thời hạn cụ thể"},
	{"31/02", "Ngày 31/02 không tồn tại"},
	{"31/02 hằng năm", "Ngày 31/02 không tồn tại"},
	{"32/12/2021", "Ngày 32/12 không tồn tại"},
	{"30/2/2024", "Ngày 30/02/2024 không tồn tại"},
	{"29/2/2023", "Ngày 29/02/2023 không tồn tại"},
	{"ngày 29/02 hằng năm", "năm nhuận"},
	{"31/4 hằng năm", "Ngày 31/04 không tồn tại"},
	{"Quý V/2021", "Quý V không tồn tại"},
	{"Quý 0/2021", "Quý 0 không tồn tại"},
	{"Quý v hằng năm", "Quý V không tồn tại"},
	{"Tháng 13/2021", "Tháng 13 không tồn tại"},
	{"Quý I", "Thiếu năm"},
	{"Quý I - theo nhu cầu", "Thiếu năm"},
	{"Tháng 6", "Thiếu năm"},
	{"Trước 31/12", "Thiếu năm"},
	{"trước ngày 15", "Thiếu tháng"},
	{"ngày 20 hằng quý", "Thiếu tháng"},
	{"ngày 31 hằng tháng", "không có trong mọi tháng"},
	{"ngày 31 tháng cuối quý", "không có trong mọi tháng"},
	{"hằng quý, cuối tháng", "mâu thuẫn"},
	{"thứ Sáu", "Thiếu chu kỳ"},
	{"thứ 8 hằng tuần", "thứ 8"},
	{"giữa quý", "Điều 146"},
	{"cuối tuần", "Điều 146"},
	{"Quý IV/2021 - Quý I/2022", "khoảng thời gian"},
	{"20/6 - 20/12/2022", "khoảng thời gian"},
	{"Quý I - II/2022", "khoảng thời gian"},
	{"Quý IV/21", "bốn chữ số"},
	{"năm 3021", "ngoài khoảng"},
	{"giai đoạn 2025 - 2021", "năm đầu nhỏ hơn năm cuối"},
	{"Quý I/2022 và Quý I/2023", "nhiều năm"},
	{"trước năm 2025", "\"Trước\" một kỳ"},
	{"trước Quý I/2022", "\"Trước\" một kỳ"},
	{"hằng tháng hằng năm", "mâu thuẫn"},
	{"Quý I hằng quý", "mâu thuẫn"},
	// A weekday that is not the date's own day, or beside a recurring date.
	{"08/02/2021 (chủ Nhật)", "Thiếu chu kỳ"},
	{"thứ Sáu, ngày 10/12 hằng năm", "mâu thuẫn"},
	{"Thường xuyên, trước 31/12", "mâu thuẫn"},
	{"Định kỳ hằng năm và đột xuất", "mâu thuẫn"},
	{"Quý I hoặc Quý II/2022", "Không hiểu từ \"hoặc\""},
	{"ngày 15 tháng sáu", "Không hiểu từ \"tháng\""},
	{"ngày 10/1 và 20/1 hằng năm", "chu kỳ rõ ràng"},
	{"ít nhất 3 cuộc", "Thiếu kỳ"},
	{"ít nhất 0 lần/năm", "Số lần"},
	{"ngày 31 tháng 2 âm lịch", "âm lịch"},
	{"ngày 10 tháng 2 nhuận âm lịch năm 2024", "âm lịch"},
	{"ngày 10 tháng 3 nhuận âm lịch", "Tháng nhuận"},
	{"6 tháng", "Không hiểu từ \"6\""},
	{"Báo cáo quý I/2022", "Không hiểu từ \"Báo\""},
	{"Quý I/2022 tại Sở Nội vụ", "Không hiểu từ \"tại\""},
	{"2021/12/31", "bốn chữ số"},
	{"ít nhất 80%", "Không hiểu từ"},
	{"1/2 2/1/2022", "mâu thuẫn"},
	{"ngày 1234567/2", "Không hiểu từ \"1234567\""},
	{"Quý I Quý II/2022", "mâu thuẫn"},
	{"Quý I giai đoạn 2021-2025", "khoảng thời gian"},
	{"trước 31/12 giai đoạn 2021-2025", "khoảng thời gian"},
	{strings.Repeat("Quý I hằng năm ", 40), "quá dài"},
	// Sentences keep what they cannot read unresolved.
	{"Báo cáo quý I/2022", "Không hiểu từ \"Báo\""},
	{"Tính từ ngày 15 tháng trước đến ngày 14 của tháng thuộc kỳ báo cáo", "khoảng thời gian"},
	// A reference to another text still leaves the date to that text; "trừ"
	// on its own is still an exception.
	{"Theo mẫu và theo hướng dẫn, trước ngày 15/12 hằng năm", "không nêu thời hạn cụ thể"},
	{"trước ngày 15/12 hằng năm, trừ trường hợp khấu trừ", "\"trừ\""},
	// Only the covered period "(kỳ báo cáo …)" before the time clause is set aside.
	{"định kỳ hằng năm (kỳ báo cáo tính từ ngày 01 tháng 01 đến hết ngày 31 tháng 12)", "khoảng thời gian"},
	{"hằng năm (số liệu tính từ ngày 01 tháng 01 đến hết ngày 31 tháng 12) trước ngày 15 tháng 01 của năm tiếp theo", "chốt số liệu"},
	{"hằng năm (tính từ ngày 01 tháng 01 đến hết ngày 31 tháng 12) trước ngày 15 tháng 01 của năm tiếp theo", "khoảng thời gian"},
	{"trước ngày 15 tháng 01 (kỳ báo cáo tính từ ngày 01 tháng 01 đến hết ngày 31 tháng 12)", "khoảng thời gian"},
	{"thời gian chốt số liệu ngày 25 tháng báo cáo", "chốt số liệu"},
	{"trong thời hạn 05 ngày làm việc kể từ ngày nhận được văn bản", "Không hiểu từ \"05\""},
	{"Gửi báo cáo sau khi có hướng dẫn của Bộ Nội vụ", "sau khi"},
	{"trước khi kết thúc năm", "khi"},
	{"chậm nhất ngày 12 (mười ba) của tháng báo cáo", "không khớp"},
	{"chậm nhất vào ngày 25 của tháng cuối kỳ báo cáo", "Không hiểu từ \"tháng\""},
	{"đầu tháng sau", "đầu tháng sau"},
	{"sau Tết Nguyên đán", "tính theo một sự kiện"},
	{"dịp Tết Nguyên đán", "trước hay sau Tết"},
	{"Định kỳ 6 tháng, hằng năm", "mâu thuẫn"},
	{"trước ngày 15/12 hoặc khi có yêu cầu", "Không hiểu từ \"hoặc\""},
	{"Báo cáo quý I gửi trước ngày 05 tháng 3", "Thiếu năm"},
	{"Trước Tết Nguyên đán Ất Tỵ 2026", "không phải năm 2026"},
	{"Báo cáo quý", "không nêu thời hạn cụ thể"},
	{"Báo cáo định kỳ hằng năm", "không nêu thời hạn cụ thể"},
	{"Trước Tết Nguyên đán, các cơ quan gửi báo cáo năm 2026", "mâu thuẫn"},
	// A symbol is read only among a sentence's other words; a "theo quy
	// định" that does not close the sentence, or closes one without a day,
	// defers the deadline to another text.
	{"Quý I hằng năm @", "Không hiểu từ \"@\""},
	{"trước ngày 15/12 theo quy định của Bộ", "không nêu thời hạn cụ thể"},
	{"Hằng năm theo quy định", "không nêu thời hạn cụ thể"},
	// A range of dates that is not a sending window: backwards, longer than
	// two months, or not two full dates.
	{"05/7/2021 – 15/6/2021", "khoảng thời gian"},
	{"01/01/2021 - 31/12/2025", "khoảng thời gian"},
	{"15/6 – 05/7/2021", "khoảng thời gian"},
	// February's exception covers only a day that February alone misses.
	{"ngày 31 hằng tháng, riêng tháng 2 là ngày cuối tháng", "Ngày 31 không có trong mọi tháng"},
	{"ngày 20 hằng tháng, riêng tháng Hai là ngày cuối tháng", "mâu thuẫn"},
	// Two reports whose deadlines do not make the two halves of a year.
	{"trước ngày 05 tháng 7 đối với báo cáo quý và trước ngày 10 tháng 01 năm sau đối với báo cáo năm", "mâu thuẫn"},
	{"trước ngày 05 tháng 7 đối với báo cáo 6 tháng và trước ngày 31 tháng 12 hằng năm đối với báo cáo năm và quý", "Không hiểu từ \"quý\""},
	// "khẩn trương" with no date, a data cut-off named by "số liệu", a
	// dated Tết note that the lunar calendar contradicts.
	{"cần khẩn trương nộp báo cáo theo yêu cầu", "thực hiện ngay"},
	{"Thời điểm lấy số liệu: ngày 31/12/2024", "chốt số liệu"},
	{"Báo cáo gửi trước ngày 14/02/2021 (tức ngày mùng 02 Tết)", "mâu thuẫn"},
	{"Trường hợp dự án chậm 15 ngày thì báo cáo", "tính theo một sự kiện"},
	// The figures' date alone, a periodic report without dates beside the
	// ad hoc ones, another letter's terms, days before an event.
	{"tính đến thời điểm ngày 31/12/2021", "chốt số liệu"},
	{"báo cáo định kỳ và đột xuất với cơ quan có thẩm quyền", "không nêu thời hạn cụ thể"},
	{"trực tiếp báo cáo Bộ theo yêu cầu và hướng dẫn tại Công văn trên", "không nêu thời hạn cụ thể"},
	{"trước ngày trao thưởng ít nhất 07 ngày", ""},
	{"Trường hợp vượt thẩm quyền phải kịp thời báo cáo Chủ tịch UBND tỉnh", "thực hiện ngay"},
	// A window with a deadline of its own, a data window, a window too long;
	// "hoặc" between dates; a number that is not another text's.
	{"Số liệu tính từ ngày 01/6/2024 đến ngày 30/6/2024", "chốt số liệu"},
	{"từ ngày 01/01/2024 đến ngày 30/6/2024", "khoảng thời gian"},
	// A window that may be the period a report covers: bare, or inside the
	// period named before it.
	{"báo cáo kết quả thực hiện của đơn vị từ ngày 30/01/2020 đến ngày 24/4/2020", "khoảng thời gian"},
	{"Báo cáo quý I/2028: 20/02/2028 – 01/3/2028", "khoảng thời gian"},
	{"15/6/2021 – 05/7/2021", "khoảng thời gian"},
	{"khi có yêu cầu hoặc trước ngày 15/12", "Không hiểu từ \"hoặc\""},
	// Months named for a duty that is not monthly; a span backwards.
	{"trước ngày 15/12 hằng năm (từ tháng 02 đến tháng 9)", "mâu thuẫn"},
	{"Ngày 05 hằng tháng (từ tháng 9 đến tháng 2)", "mâu thuẫn"},
	// A share is not a count.
	{"ít nhất 80% hồ sơ", "Không hiểu từ \"%\""},
}

func TestParseSeed(t *testing.T)    { runCases(t, seedCases) }
func TestParseForms(t *testing.T)   { runCases(t, formCases) }
func TestParseRegimes(t *testing.T) { runCases(t, regimeCases) }

func runCases(t *testing.T, cases []exprCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			r := Parse(tc.expr, Options{})
			if r.Kind != tc.kind {
				t.Fatalf("Kind = %s (%s), want %s", r.Kind, r.Reason, tc.kind)
			}
			if r.Expr != tc.expr {
				t.Errorf("Expr = %q, want it verbatim", r.Expr)
			}
			if r.Reason == "" {
				t.Error("Reason is empty")
			}
			occ := r.Occurrences(tc.year)
			n := tc.n
			if n == 0 {
				n = len(tc.due)
			}
			if len(occ) != n {
				t.Fatalf("Occurrences(%d) = %v, want %d of them", tc.year, occ, n)
			}
			for i, want := range tc.due {
				if got := occ[i].Due.String(); got != want {
					t.Errorf("occurrence %d due %s, want %s", i, got, want)
				}
				if got := occ[i].Period; got != tc.periods[i] {
					t.Errorf("occurrence %d period %s, want %s", i, got, tc.periods[i])
				}
			}
			if tc.kind == KindQuota {
				for _, o := range occ {
					if o.Quota != r.Quota || o.Quota < 1 {
						t.Errorf("occurrence %v quota, rule quota %d", o, r.Quota)
					}
				}
			}
		})
	}
}

func TestParseUnresolved(t *testing.T) {
	for _, tc := range unresolvedCases {
		name := tc.expr
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			r := Parse(tc.expr, Options{})
			if r.Kind != KindUnresolved {
				t.Fatalf("Kind = %s (%s), want unresolved", r.Kind, r.Reason)
			}
			if !strings.Contains(r.Reason, tc.reason) {
				t.Errorf("Reason = %q, want it to mention %q", r.Reason, tc.reason)
			}
			if !strings.HasSuffix(r.Reason, ".") {
				t.Errorf("Reason = %q, want a sentence", r.Reason)
			}
			if occ := r.Occurrences(2022); occ != nil {
				t.Errorf("Occurrences = %v, want none", occ)
			}
			if occ := r.Between(NewDate(2000, 1, 1), NewDate(2100, 1, 1)); occ != nil {
				t.Errorf("Between = %v, want none", occ)
			}
		})
	}
}

// The reason an admin reads for an appendix row that defers to another text.
func TestReasonWording(t *testing.T) {
	r := Parse("Theo quy định của Bộ Nội vụ", Options{})
	want := "Văn bản không nêu thời hạn cụ thể (\"Theo quy định của Bộ Nội vụ\"): cần quản trị viên bổ sung quy tắc."
	if r.Reason != want {
		t.Errorf("Reason = %q\nwant %q", r.Reason, want)
	}
	if r := Parse("Trước 31/12 hàng năm", Options{}); r.Reason != "Hằng năm, hạn cuối ngày 31/12." {
		t.Errorf("Reason = %q", r.Reason)
	}
	// Messages quote the text in NFC whatever form it came in.
	if r := Parse(norm.NFD.String("Quý Năm"), Options{}); !strings.Contains(r.Reason, "Quý Năm") || !norm.NFC.IsNormalString(r.Reason) {
		t.Errorf("Reason = %q, want NFC", r.Reason)
	}
}
