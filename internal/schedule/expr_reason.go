package schedule

import (
	"fmt"
	"strings"
)

// The messages an admin reads when an expression is unresolved. They quote
// the expression so the admin can find the cell, say what is wrong in formal
// Vietnamese, and say what to do.

const (
	toAdmin = ": cần quản trị viên bổ sung quy tắc."
	toFix   = ": cần quản trị viên sửa lại thời hạn."
)

func reasonEmpty() string { return "Không có biểu thức thời gian" + toAdmin }

func reasonTooLong() string {
	return fmt.Sprintf("Biểu thức thời gian quá dài (hơn %d ký tự), không phải một thời hạn đọc được%s", maxExprRunes, toAdmin)
}

func reasonReference(expr string) string {
	return fmt.Sprintf("Văn bản không nêu thời hạn cụ thể (%q)%s", display(expr), toAdmin)
}

func reasonNoDate(expr string) string { return reasonReference(expr) }

func reasonUnknown(expr, raw string) string {
	return fmt.Sprintf("Không hiểu từ %q trong thời hạn %q; chưa thể xác định hạn%s", displayRaw(raw), display(expr), toAdmin)
}

func reasonConflict(expr string) string {
	return fmt.Sprintf("Thời hạn %q có các thành phần mâu thuẫn hoặc không đi được với nhau%s", display(expr), toAdmin)
}

func reasonRange(expr string) string {
	return fmt.Sprintf("Thời hạn %q nêu một khoảng thời gian nhưng không nói rõ hạn cuối%s", display(expr), toAdmin)
}

func reasonYearRange(expr string, y int) string {
	return fmt.Sprintf("Năm %d trong %q nằm ngoài khoảng %d–%d, có thể viết nhầm%s", y, display(expr), minYear, maxYear, toFix)
}

func reasonManyYears(expr string) string {
	return fmt.Sprintf("Thời hạn %q nêu nhiều năm khác nhau, chưa rõ hạn nào%s", display(expr), toAdmin)
}

func reasonShortYear(expr, raw string) string {
	return fmt.Sprintf("Năm %q trong %q không đủ bốn chữ số%s", displayRaw(raw), display(expr), toFix)
}

func reasonQuotaCount(expr string) string {
	return fmt.Sprintf("Số lần trong %q không hợp lệ (phải từ 1 đến 999)%s", display(expr), toFix)
}

func reasonQuotaPeriod(expr string) string {
	return fmt.Sprintf("Thiếu kỳ: %q không nói số lần tính theo năm, quý, tháng hay tuần%s", display(expr), toAdmin)
}

func reasonWeekday(expr, raw string) string {
	return fmt.Sprintf("Không có \"thứ %s\" trong tuần (%q)%s", displayRaw(raw), display(expr), toFix)
}

func reasonMonth(expr, raw string) string {
	return fmt.Sprintf("Tháng %s không tồn tại (%q)%s", displayRaw(raw), display(expr), toFix)
}

func reasonQuarter(expr, raw string) string {
	return fmt.Sprintf("Quý %s không tồn tại (%q)%s", strings.ToUpper(displayRaw(raw)), display(expr), toFix)
}

func reasonPoint(expr string) string {
	return fmt.Sprintf("Bộ luật Dân sự 2015 (Điều 146) chỉ định nghĩa đầu, giữa, cuối tháng và năm; cách hiểu %q chưa rõ%s", display(expr), toAdmin)
}

func reasonSpan(expr string) string {
	return fmt.Sprintf("Giai đoạn trong %q phải gồm năm đầu và năm cuối, năm đầu nhỏ hơn năm cuối%s", display(expr), toFix)
}

func reasonInvalidDate(expr, date string) string {
	return fmt.Sprintf("Ngày %s không tồn tại (%q)%s", date, display(expr), toFix)
}

func reasonLeapDay(expr string) string {
	return fmt.Sprintf("Ngày 29/02 chỉ có trong năm nhuận nên không thể lặp lại hằng năm (%q)%s", display(expr), toFix)
}

func reasonDayNotEveryMonth(expr string, d int) string {
	return fmt.Sprintf("Ngày %d không có trong mọi tháng của chu kỳ (%q); nếu là ngày cuối tháng, nên ghi \"cuối tháng\"%s", d, display(expr), toFix)
}

func reasonMissingYear(expr string) string {
	return fmt.Sprintf("Thiếu năm: %q không nói rõ năm nào, cũng không ghi \"hằng năm\"%s", display(expr), toAdmin)
}

func reasonMissingMonth(expr string) string {
	return fmt.Sprintf("Thiếu tháng: %q chỉ nêu ngày, không rõ của tháng nào%s", display(expr), toAdmin)
}

func reasonMissingCycle(expr string) string {
	return fmt.Sprintf("Thiếu chu kỳ: %q không nói rõ kỳ nào, cũng không nói lặp lại theo chu kỳ nào%s", display(expr), toAdmin)
}

func reasonBeforePeriod(expr string) string {
	return fmt.Sprintf("\"Trước\" một kỳ (%q) chưa rõ là trước khi kỳ bắt đầu hay trước khi kỳ kết thúc%s", display(expr), toAdmin)
}

func reasonNoCycle(expr string) string {
	return fmt.Sprintf("Các ngày trong %q không tạo thành một chu kỳ rõ ràng%s", display(expr), toAdmin)
}

func reasonLunarMissing(expr string) string {
	return fmt.Sprintf("Ngày âm lịch trong %q không tồn tại%s", display(expr), toFix)
}

func reasonLeapMonthAnnual(expr string) string {
	return fmt.Sprintf("Tháng nhuận không năm nào cũng có, nên %q không thể lặp lại hằng năm%s", display(expr), toAdmin)
}

func reasonRelative(expr, raw string) string {
	return fmt.Sprintf("Thời hạn trong %q tính theo một sự kiện, một số ngày hoặc một kỳ khác (%q), không phải một ngày xác định%s", display(expr), raw, toAdmin)
}

func reasonCutoffText(expr string) string {
	return fmt.Sprintf("%q nêu thời gian chốt số liệu, không phải hạn gửi; khai báo ở data_cutoff%s", display(expr), toAdmin)
}

func reasonNumberWords(expr, raw string) string {
	return fmt.Sprintf("Số và chữ trong %q không khớp nhau (%s)%s", display(expr), raw, toFix)
}

func reasonCanChi(expr, name string, y int) string {
	return fmt.Sprintf("Tên năm %q không phải năm %d (%q)%s", name, y, display(expr), toFix)
}

func reasonTetBefore(expr string) string {
	return fmt.Sprintf("%q không nói trước hay sau Tết%s", display(expr), toAdmin)
}

// The readings of resolved expressions.

// ddmm formats a day and month the Vietnamese way: "31/12", "05/01".
func ddmm(d, m int) string { return fmt.Sprintf("%02d/%02d", d, m) }

// joinVN joins items as Vietnamese lists them: "a, b và c".
func joinVN(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " và " + items[len(items)-1]
}

var weekdayNames = [...]string{"", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"}

var unitNames = [...]string{uWeek: "tuần", uMonth: "tháng", uQuarter: "quý", uHalf: "sáu tháng", uYear: "năm"}

func reasonUrgent(expr string) string {
	return fmt.Sprintf("Văn bản yêu cầu thực hiện ngay (%q), không nêu một ngày cụ thể%s", display(expr), toAdmin)
}
