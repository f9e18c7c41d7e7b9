package httpui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// The admin area's four actions on an occurrence. Each validates its form
// completely before it calls the store, and each store call is one
// transaction with its audit row; so bad input changes nothing, and a
// refused change (a conflict with the occurrence's state) changes nothing
// either.

// adminAction is one POST /quan-tri/nghia-vu/{id}/{slug}.
type adminAction struct {
	slug string
	done string // the confirmation shown after it
	run  func(a *adminArea, r *http.Request, id int64, actor string) error
}

var adminActions = []adminAction{
	{"nop", "Đã lưu thông tin nộp báo cáo.", (*adminArea).submit},
	{"mien", "Đã miễn thực hiện nghĩa vụ.", (*adminArea).waive},
	{"gia-han", "Đã gia hạn nghĩa vụ.", (*adminArea).extend},
	{"mo-lai", "Đã mở lại nghĩa vụ.", (*adminArea).reopen},
	{"xac-nhan-ngay", "Đã xác nhận ngày nộp do cơ quan tự khai.", (*adminArea).confirmDate},
}

// doneMessage is the confirmation for an action's slug; "" for anything
// else, so a crafted ?xong= shows nothing.
func doneMessage(slug string) string {
	for _, act := range adminActions {
		if act.slug == slug {
			return act.done
		}
	}
	return ""
}

// adminInputError is a form field the admin must correct: a 400 page that
// says which and why.
type adminInputError struct{ msg string }

func (e *adminInputError) Error() string { return e.msg }

func adminBadInput(format string, args ...any) error {
	return &adminInputError{fmt.Sprintf(format, args...)}
}

// occurrenceAction runs act and answers: 303 back to the occurrence on
// success, otherwise a Vietnamese page saying why nothing was changed.
func (a *adminArea) occurrenceAction(act adminAction) func(http.ResponseWriter, *http.Request, adminSession) {
	return func(w http.ResponseWriter, r *http.Request, sess adminSession) {
		id, ok := parseOccurrenceID(r.PathValue("id"))
		if !ok {
			a.notFound(w, r)
			return
		}
		actor := "web:" + sess.User
		err := act.run(a, r, id, actor)
		var ie *adminInputError
		switch {
		case err == nil:
			a.s.Log.Info().Str("actor", actor).Str("action", act.slug).Int64("occurrence", id).Msg("admin: occurrence changed")
			http.Redirect(w, r, fmt.Sprintf("/quan-tri/nghia-vu/%d?xong=%s", id, act.slug), http.StatusSeeOther)
		case errors.As(err, &ie):
			a.error(w, r, http.StatusBadRequest, "Thông tin chưa hợp lệ", ie.msg+" Chưa có gì được thay đổi; xin quay lại và sửa.")
		case errors.Is(err, duty.ErrNotFound):
			a.notFound(w, r)
		case errors.Is(err, duty.ErrNotLater):
			a.error(w, r, http.StatusBadRequest, "Thông tin chưa hợp lệ",
				"Hạn mới phải sau hạn hiện tại. Chưa có gì được thay đổi; xin quay lại và sửa.")
		case errors.Is(err, duty.ErrAlreadyRecorded):
			a.conflict(w, r, "Nghĩa vụ này đã được ghi nhận nộp (có thể bởi người khác, ngay trước đó). Xin tải lại trang để xem và, nếu cần, sửa thông tin đã nộp.")
		case errors.Is(err, duty.ErrNoSubmission):
			a.conflict(w, r, "Nghĩa vụ này chưa có thông tin nộp để sửa (có thể vừa được mở lại). Xin tải lại trang.")
		case errors.Is(err, duty.ErrNotOpen):
			a.conflict(w, r, "Chỉ miễn hoặc gia hạn được nghĩa vụ đang phải thực hiện; nghĩa vụ này đã nộp, đã miễn hoặc thuộc giai đoạn trước khi theo dõi.")
		case errors.Is(err, duty.ErrNotSelfDeclared):
			a.conflict(w, r, "Ngày nộp của nghĩa vụ này không phải ngày tự khai nên không cần xác nhận.")
		case errors.Is(err, duty.ErrNotClosed):
			a.conflict(w, r, "Chỉ mở lại được nghĩa vụ đã nộp hoặc đã miễn.")
		default:
			a.serverError(w, r, err)
		}
	}
}

func (a *adminArea) conflict(w http.ResponseWriter, r *http.Request, msg string) {
	a.error(w, r, http.StatusConflict, "Không thực hiện được", msg+" Chưa có gì được thay đổi.")
}

func (a *adminArea) notFound(w http.ResponseWriter, r *http.Request) {
	a.error(w, r, http.StatusNotFound, "Không tìm thấy nghĩa vụ", "Không có nghĩa vụ nào với số này.")
}

// parseOccurrenceID reads an occurrence id: a positive decimal, nothing else.
func parseOccurrenceID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != s {
		return 0, false
	}
	return id, true
}

// Field limits, in characters.
const (
	maxRef    = 100
	maxNote   = 2000
	maxReason = 1000
)

// earliestAdminDate is the earliest submission date accepted: nothing the
// system tracks is older.
var earliestAdminDate = schedule.NewDate(2000, 1, 1)

// submit records a submission ("che-do=ghi") or corrects the recorded one
// ("che-do=sua"). The mode is the form the admin saw, so that a
// submission recorded meanwhile by someone else is never overwritten by a
// "record" form: that is a conflict.
func (a *adminArea) submit(r *http.Request, id int64, actor string) error {
	f := r.PostForm
	mode := f.Get("che-do")
	if mode != "ghi" && mode != "sua" {
		return adminBadInput("Biểu mẫu thiếu thông tin (ghi mới hay sửa).")
	}
	ref, err := adminFormText(f, "so-ky-hieu", "Số, ký hiệu văn bản", maxRef, false, false)
	if err != nil {
		return err
	}
	on, err := adminFormDate(f, "ngay-nop", "Ngày nộp")
	if err != nil {
		return err
	}
	note, err := adminFormText(f, "ghi-chu", "Ghi chú", maxNote, true, false)
	if err != nil {
		return err
	}
	today := a.s.today(a.s.setup())
	if on > today {
		return adminBadInput("Ngày nộp (%s) không được sau hôm nay (%s).", on.VN(), today.VN())
	}
	if on < earliestAdminDate {
		return adminBadInput("Ngày nộp (%s) quá xa trong quá khứ.", on.VN())
	}
	if mode == "sua" {
		return a.s.Store.CorrectSubmission(r.Context(), id, ref, on, note, actor)
	}
	quota := 0
	if o, err := a.s.Store.Occurrence(r.Context(), id); err == nil {
		quota = findTask(a.s.setup(), o.ScheduleID, o.TaskID).Quota() // one more of a counted duty
	}
	return a.s.Store.RecordSubmission(r.Context(), duty.Submission{OccurrenceID: id, Ref: ref, SubmittedOn: on,
		Note: note, RecordedBy: actor, Via: duty.ViaWeb, Quota: quota})
}

func (a *adminArea) waive(r *http.Request, id int64, actor string) error {
	reason, err := adminFormText(r.PostForm, "ly-do", "Lý do", maxReason, true, true)
	if err != nil {
		return err
	}
	return a.s.Store.Waive(r.Context(), id, reason, actor)
}

// maxExtensionYears bounds how far an extension may reach past the
// current deadline: further is a typo (2062 for 2026), not a decision.
const maxExtensionYears = 2

func (a *adminArea) extend(r *http.Request, id int64, actor string) error {
	due, err := adminFormDate(r.PostForm, "han-moi", "Hạn mới")
	if err != nil {
		return err
	}
	reason, err := adminFormText(r.PostForm, "ly-do", "Lý do", maxReason, true, true)
	if err != nil {
		return err
	}
	o, err := a.s.Store.Occurrence(r.Context(), id)
	if err != nil {
		return err
	}
	if due <= o.Deadline {
		return adminBadInput("Hạn mới (%s) phải sau hạn hiện tại (%s).", due.VN(), o.Deadline.VN())
	}
	y, m, d := o.Deadline.Civil()
	if due > schedule.NewDate(y+maxExtensionYears, m, d) {
		return adminBadInput("Hạn mới (%s) quá xa: không được quá %d năm sau hạn hiện tại.", due.VN(), maxExtensionYears)
	}
	return a.s.Store.Extend(r.Context(), id, due, reason, actor)
}

// confirmDate accepts a link submission's self-declared date as it
// stands: the one click an honest late confirmation costs. To change the
// date instead, the admin corrects the submission ("sua"), which confirms
// the date saved.
func (a *adminArea) confirmDate(r *http.Request, id int64, actor string) error {
	return a.s.Store.ConfirmSubmission(r.Context(), id, actor)
}

func (a *adminArea) reopen(r *http.Request, id int64, actor string) error {
	reason, err := adminFormText(r.PostForm, "ly-do", "Lý do", maxReason, true, true)
	if err != nil {
		return err
	}
	return a.s.Store.Reopen(r.Context(), id, reason, actor)
}

// adminFormText reads a text field: valid UTF-8, trimmed, within max
// characters, without control characters (line feeds and tabs allowed in
// multi-line fields) or the invisible direction overrides that could make
// the audit log read other than it says.
func adminFormText(f url.Values, field, label string, max int, multiline, required bool) (string, error) {
	if len(f[field]) > 1 {
		return "", adminBadInput("Trường “%s” được gửi nhiều lần.", label)
	}
	s := strings.ReplaceAll(f.Get(field), "\r\n", "\n")
	if !utf8.ValidString(s) {
		return "", adminBadInput("Trường “%s” chứa ký tự không hợp lệ.", label)
	}
	s = strings.TrimSpace(s)
	if required && s == "" {
		return "", adminBadInput("Xin nhập “%s”.", label)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", adminBadInput("Trường “%s” dài %d ký tự, vượt quá %d ký tự cho phép.", label, n, max)
	}
	for _, c := range s {
		if multiline && (c == '\n' || c == '\t') {
			continue
		}
		if unicode.IsControl(c) || unicode.Is(unicode.Bidi_Control, c) || c == '\u2028' || c == '\u2029' {
			return "", adminBadInput("Trường “%s” chứa ký tự điều khiển không hợp lệ.", label)
		}
	}
	return s, nil
}

var (
	isoDateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	vnDateRE  = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)
)

// adminFormDate reads a required date field: YYYY-MM-DD as a date input sends
// it, or dd/mm/yyyy as officials type it where the browser has no picker.
func adminFormDate(f url.Values, field, label string) (schedule.Date, error) {
	if len(f[field]) > 1 {
		return 0, adminBadInput("Trường “%s” được gửi nhiều lần.", label)
	}
	s := strings.TrimSpace(f.Get(field))
	if s == "" {
		return 0, adminBadInput("Xin nhập “%s”.", label)
	}
	if isoDateRE.MatchString(s) {
		if d, err := schedule.ParseDate(s); err == nil {
			return d, nil
		}
		return 0, adminBadInput("“%s”: ngày %s không có thật.", label, s)
	}
	if m := vnDateRE.FindStringSubmatch(s); m != nil {
		day, _ := strconv.Atoi(m[1])
		month, _ := strconv.Atoi(m[2])
		year, _ := strconv.Atoi(m[3])
		if d, ok := schedule.ValidDate(year, month, day); ok {
			return d, nil
		}
		return 0, adminBadInput("“%s”: ngày %s không có thật.", label, s)
	}
	return 0, adminBadInput("“%s” không đúng dạng ngày/tháng/năm (ví dụ 18/03/2026).", label)
}
