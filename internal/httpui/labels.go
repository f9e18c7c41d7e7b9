package httpui

import (
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/notify"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Public pages may not show an e-mail address. Recipients are named by the
// agency or the leadership they belong to, and free text that may quote
// one (SMTP replies, errors, actors, notes) is masked. The admin area,
// behind the login, shows the addresses.

// addrLike matches any token with an '@': an address, or a fragment of one
// quoted by a server ("<a@b>:"). Masking whole tokens errs on the side of
// hiding.
var addrLike = regexp.MustCompile(`[^\s]*@[^\s]*`)

// maskedAddr replaces an address in shown text.
const maskedAddr = "[địa chỉ đã ẩn]"

// mask prepares free text for a page: addresses hidden, and control
// characters other than a line feed (kept for multi-line task texts)
// turned into spaces. html/template does the HTML escaping.
func mask(s string) string {
	s = strings.Map(func(r rune) rune {
		if r != '\n' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
			return ' '
		}
		return r
	}, s)
	if !strings.Contains(s, "@") {
		return s
	}
	return addrLike.ReplaceAllLiteralString(s, maskedAddr)
}

// recipientName says who an address is, never the address itself.
func recipientName(st notify.Setup, addr string, on schedule.Date) string {
	if n, ok := st.RecipientName(addr, on); ok {
		return mask(n)
	}
	return "Người nhận khác (địa chỉ đã ẩn)"
}

// stepLabel reads a step key aloud, as the mail itself does.
func stepLabel(step string) string {
	st, err := duty.ParseStepKey(step)
	if err != nil {
		return mask(step)
	}
	l := []rune(st.Label())
	return strings.ToUpper(string(l[0])) + string(l[1:])
}

// label reads a stored code aloud from labels; an unknown code is shown
// masked, as stored.
func label(labels map[string]string, code string) string {
	if l, ok := labels[code]; ok {
		return l
	}
	return mask(code)
}

var kindLabels = map[string]string{
	"reminder":        "thư nhắc hạn",
	"reminder-copy":   "thư theo dõi (nhắc hạn)",
	"escalation":      "thông báo quá hạn",
	"escalation-copy": "thư theo dõi (quá hạn)",
	// Level 2 to the leadership or Văn phòng UBND tỉnh, and duties nobody
	// answers for: oversight letters.
	"reminder-oversight":   "thư theo dõi (nhắc hạn)",
	"escalation-oversight": "thư theo dõi (quá hạn)",
	"digest":               "thư tổng hợp",
	"weekly":               "thư tổng hợp tuần",
}

func kindLabel(k string) string { return label(kindLabels, k) }

var mailStateLabels = map[string]string{
	"pending":   "Chờ gửi",
	"claimed":   "Đang gửi",
	"sent":      "Đã gửi",
	"failed":    "Gửi không thành công",
	"cancelled": "Đã hủy (không cần gửi)",
}

func mailStateLabel(s string) string { return label(mailStateLabels, s) }

var viaLabels = map[string]string{
	"cli":    "dòng lệnh quản trị",
	"web":    "trang quản trị",
	"link":   "liên kết xác nhận trong thư",
	"import": "nhập từ tệp",
}

func viaLabel(v string) string { return label(viaLabels, v) }

var auditLabels = map[string]string{
	"occurrence.submitted":   "Ghi nhận đã nộp",
	"occurrence.waived":      "Miễn thực hiện",
	"occurrence.extended":    "Gia hạn",
	"occurrence.due_changed": "Hạn thay đổi theo kế hoạch",

	"occurrence.extension_requested":   "Cơ quan xin gia hạn",
	"occurrence.submission_corrected":  "Sửa thông tin đã nộp",
	"occurrence.reopened":              "Mở lại nghĩa vụ",
	"occurrence.submission_confirmed":  "Xác nhận ngày nộp do cơ quan tự khai",
	"occurrence.link_confirmed_waived": "Cơ quan xác nhận đã nộp qua liên kết (nghĩa vụ đã được miễn, giữ nguyên)",
}

func auditLabel(a string) string { return label(auditLabels, a) }

// clockText shows an instant in Vietnam, the way officials write it.
func clockText(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("15:04 02/01/2006")
}

// taskLabelMax is how long a task's short name may be, in letters: enough
// for a column header or a filter option on a phone.
const taskLabelMax = 60

// taskLabel is a task's short name for the board's column headers and its
// filter: the task's title when the schedule gives one, else the
// decision's text cut at a word near taskLabelMax. The one place that
// names a task briefly.
func taskLabel(t *model.Task) string {
	if t == nil {
		return ""
	}
	return shorten(mask(taskTitle(t)), taskLabelMax)
}

// taskTitle is the text a task's short name starts from: the schedule's
// title for it, else the decision's words.
func taskTitle(t *model.Task) string {
	if t.Title != "" {
		return t.Title
	}
	return strings.Join(strings.Fields(t.Text), " ")
}

// shorten cuts s at a word boundary to at most n letters, with "…".
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n - 1
	for i := cut; i > n/2; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(r[:cut]), " ,;:") + "…"
}
