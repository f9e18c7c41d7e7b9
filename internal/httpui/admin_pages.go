package httpui

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/notify"
)

// The admin area's pages. Unlike the public pages they show e-mail
// addresses (recipients, SMTP replies, actors) as stored; html/template
// escapes them like everything else, and adminText removes the control
// characters a page should never carry.

// auditLogLimit is how many rows the audit log page shows.
const auditLogLimit = 200

// adminText prepares stored text for an admin page: control characters other
// than a line feed become spaces, as mask does, but addresses stay.
func adminText(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029') {
			return ' '
		}
		return r
	}, s)
}

// auditLine is one audit row in words.
type auditLine struct {
	When, Actor, Action, Object string
	OccurrenceID                int64
	Details                     []string
}

type adminHomeView struct {
	adminPage
	Year      int
	Attention []chip
	// Declared lists the submissions whose self-declared date waits for
	// an admin, each with its one-click confirmation.
	Declared []declaredLine
	Recent   []auditLine
}

// declaredLine is one submission awaiting confirmation of its date.
type declaredLine struct {
	chip
	DeclaredOn, RecordedOn, Deadline string
	OnTimeIfConfirmed                bool
}

// declaredLimit bounds the overview's list of dates awaiting confirmation.
const declaredLimit = 200

// home is the overview: what needs attention this year, the latest audit
// rows, and the way to any occurrence.
func (a *adminArea) home(w http.ResponseWriter, r *http.Request, sess adminSession) {
	st := a.s.setup()
	today := a.s.today(st)
	rows, err := a.s.Store.BoardRows(r.Context(), today.Year())
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	log, err := a.s.Store.AuditLog(r.Context(), 10)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	v := adminHomeView{adminPage: a.pageFor(sess, "Quản trị"), Year: today.Year()}
	for _, row := range rows {
		c := chipOf(st, row, today)
		switch c.Status {
		case Overdue, DueSoon, Unassigned:
			v.Attention = append(v.Attention, c)
		}
	}
	declared, err := a.s.Store.UnconfirmedSubmissions(r.Context(), declaredLimit)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	for _, rec := range declared {
		b := duty.BoardRow{Occurrence: rec.Occurrence, SubmittedOn: rec.SubmittedOn, Unconfirmed: true, RecordedOn: rec.RecordedOn}
		v.Declared = append(v.Declared, declaredLine{chip: chipOf(st, b, today), DeclaredOn: rec.SubmittedOn.VN(), RecordedOn: rec.RecordedOn.VN(),
			Deadline: rec.Deadline.VN(), OnTimeIfConfirmed: rec.SubmittedOn <= rec.Deadline})
	}
	v.Recent = auditLines(st, log)
	a.render(w, r, http.StatusOK, "home", v)
}

// findOccurrence takes the overview's "open occurrence number" form to
// the occurrence's page.
func (a *adminArea) findOccurrence(w http.ResponseWriter, r *http.Request, _ adminSession) {
	id, ok := parseOccurrenceID(strings.TrimSpace(r.URL.Query().Get("so")))
	if !ok {
		a.error(w, r, http.StatusBadRequest, "Thông tin chưa hợp lệ", "Số nghĩa vụ phải là một số nguyên dương, ví dụ 42.")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/nghia-vu/%d", id), http.StatusSeeOther)
}

// toOccurrence answers a GET of an action's address with the occurrence.
func (a *adminArea) toOccurrence(w http.ResponseWriter, r *http.Request, _ adminSession) {
	id, ok := parseOccurrenceID(r.PathValue("id"))
	if !ok {
		a.notFound(w, r)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/nghia-vu/%d", id), http.StatusSeeOther)
}

// adminOccurrenceView is one occurrence with its history and the forms
// its state allows.
type adminOccurrenceView struct {
	adminPage
	ID     int64
	Chip   chip
	Facts  []fact
	Events []event
	Done   string
	// SubmitMode is "ghi" (record) or "sua" (correct); Ref, On and Note
	// fill the form.
	SubmitMode     string
	Ref, On, Note  string
	CanWaive       bool
	CanExtend      bool
	CanReopen      bool
	TodayISO       string
	MinExtendISO   string
	DeadlineVN     string
	PublicPath     string
	SubmissionText string
	// Declared: the submission's date is self-declared and waits for an
	// admin; DeclaredOn and RecordedOn are the two dates it is between.
	Declared               bool
	DeclaredOn, RecordedOn string
}

// occurrence shows one occurrence to an admin: facts with addresses, the
// whole timeline, and the forms.
func (a *adminArea) occurrence(w http.ResponseWriter, r *http.Request, sess adminSession) {
	id, ok := parseOccurrenceID(r.PathValue("id"))
	if !ok {
		a.notFound(w, r)
		return
	}
	tl, err := a.s.Store.Timeline(r.Context(), id)
	if err != nil {
		if errors.Is(err, duty.ErrNotFound) {
			a.notFound(w, r)
			return
		}
		a.serverError(w, r, err)
		return
	}
	st := a.s.setup()
	today := a.s.today(st)
	o := tl.Occurrence
	row := timelineRow(tl)
	c := chipOf(st, row, today)
	v := adminOccurrenceView{adminPage: a.pageFor(sess, fmt.Sprintf("Nghĩa vụ số %d", id)), ID: id, Chip: c,
		Done: doneMessage(r.URL.Query().Get("xong")), TodayISO: today.String(), DeadlineVN: o.Deadline.VN(),
		MinExtendISO: o.Deadline.AddDays(1).String(), PublicPath: fmt.Sprintf("/nghia-vu/%d", id)}
	v.Facts = adminFacts(st, o, c)
	if t := findTask(st, o.ScheduleID, o.TaskID); t != nil {
		v.Facts = append(v.Facts, taskFacts(t)...)
	}
	v.Events = adminEvents(st, tl)
	req, ok, err := a.s.Store.PendingExtensionRequest(r.Context(), id)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	if ok {
		v.Facts = append(v.Facts, fact{"Đề nghị gia hạn đang chờ", fmt.Sprintf("đến ngày %s — %s (gửi %d lần, lần đầu %s, lần gần nhất %s, bởi %s)",
			req.Until.VN(), adminText(req.Reason), req.Times, clockText(req.FirstAt, st.Location), clockText(req.At, st.Location), adminText(req.Actor))})
	}
	switch {
	case tl.Submission != nil:
		s := tl.Submission
		v.SubmitMode, v.Ref, v.On, v.Note = "sua", adminText(s.Ref), s.SubmittedOn.String(), adminText(s.Note)
		if s.Unconfirmed() {
			v.Declared, v.DeclaredOn, v.RecordedOn = true, s.SubmittedOn.VN(), s.RecordedOn.VN()
		}
	case o.State != duty.StateSubmitted:
		v.SubmitMode, v.On = "ghi", today.String()
	}
	v.CanWaive = o.State == duty.StateOpen || o.State == duty.StateUnassigned
	v.CanExtend = v.CanWaive
	v.CanReopen = o.State == duty.StateSubmitted || o.State == duty.StateWaived
	a.render(w, r, http.StatusOK, "occurrence", v)
}

// adminFacts lists the occurrence's facts with the agency's addresses.
func adminFacts(st notify.Setup, o duty.Occurrence, c chip) []fact {
	fs := []fact{{"Số nghĩa vụ", strconv.FormatInt(o.ID, 10)}, {"Cơ quan", c.AgencyName}}
	if o.AgencyID != "" && o.NamedAgencyID != o.AgencyID {
		fs = append(fs, fact{"Cơ quan được giao theo kế hoạch", agencyLabel(st, o.NamedAgencyID)})
	}
	if dir := directory(st); dir != nil {
		if ag, ok := dir.Agency(owner(duty.BoardRow{Occurrence: o})); ok {
			if len(ag.Email) > 0 {
				fs = append(fs, fact{"Thư điện tử của cơ quan", adminText(strings.Join(ag.Email, ", "))})
			}
			if ag.Head.Email != "" {
				head := adminText(ag.Head.Email)
				if ag.Head.Title != "" {
					head = adminText(ag.Head.Title) + " — " + head
				}
				fs = append(fs, fact{"Lãnh đạo cơ quan", head})
			}
		}
	}
	fs = append(fs, fact{"Mã kế hoạch", adminText(o.ScheduleID)}, fact{"Mã nhiệm vụ", adminText(o.TaskID)}, fact{"Kỳ", adminText(periodText(st, o.ScheduleID, o.TaskID, o.Period))},
		fact{"Hạn theo kế hoạch", o.Due.VN()})
	if o.EffectiveDue != o.Due {
		fs = append(fs, fact{"Hạn lùi sang ngày làm việc", o.EffectiveDue.VN()})
	}
	if o.ExtendedDue != 0 {
		fs = append(fs, fact{"Hạn sau gia hạn", o.ExtendedDue.VN()})
	}
	return append(fs, fact{"Trạng thái", c.Label}, fact{"Trạng thái lưu trữ", string(o.State)})
}

// adminEvents is the timeline as events shows it, with the addresses, the
// actors and every audit row.
func adminEvents(st notify.Setup, tl duty.Timeline) []event {
	return timelineEvents(st, tl, timelineView{
		text: adminText,
		recipient: func(addr string) string {
			to := adminText(addr)
			if n, ok := st.RecipientName(addr, tl.Occurrence.Deadline); ok {
				to = adminText(n) + " <" + to + ">"
			}
			return to
		},
		admin: true,
	})
}

// auditLines puts audit rows in words.
func auditLines(st notify.Setup, log []duty.AuditEntry) []auditLine {
	out := make([]auditLine, 0, len(log))
	for _, e := range log {
		out = append(out, auditLine{When: clockText(e.At, st.Location), Actor: adminText(e.Actor), Action: adminActionLabel(e.Action),
			Object: adminText(e.Object), OccurrenceID: e.OccurrenceID(), Details: detailLines(e.Detail)})
	}
	return out
}

type auditLogView struct {
	adminPage
	Lines []auditLine
	Limit int
	// Older is the ?truoc= of the next page, 0 on the last one; First
	// says this is the newest page.
	Older int64
	First bool
}

// auditLog shows one page of audit rows, newest first; ?truoc=ID pages
// back from the row ID.
func (a *adminArea) auditLog(w http.ResponseWriter, r *http.Request, sess adminSession) {
	var before int64
	if v := r.URL.Query().Get("truoc"); v != "" {
		id, ok := parseOccurrenceID(v)
		if !ok {
			a.error(w, r, http.StatusBadRequest, "Thông tin chưa hợp lệ", "Số trang nhật ký phải là một số nguyên dương.")
			return
		}
		before = id
	}
	log, err := a.s.Store.AuditLogBefore(r.Context(), before, auditLogLimit+1)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	v := auditLogView{adminPage: a.pageFor(sess, "Nhật ký thao tác"), Limit: auditLogLimit, First: before == 0}
	if len(log) > auditLogLimit {
		log = log[:auditLogLimit]
		v.Older = log[len(log)-1].ID
	}
	v.Lines = auditLines(a.s.setup(), log)
	a.render(w, r, http.StatusOK, "log", v)
}

// adminActionLabel names an audit action: its label, or the action as
// stored (unmasked: admins may see addresses).
func adminActionLabel(action string) string {
	if l, ok := auditLabels[action]; ok {
		return l
	}
	return adminText(action)
}

var detailLabels = map[string]string{
	"ref": "Số, ký hiệu", "submitted_on": "Ngày nộp", "note": "Ghi chú", "via": "Ghi nhận qua", "reason": "Lý do",
	"previous_state": "Trạng thái trước", "new_state": "Trạng thái sau", "previous_due": "Hạn trước", "new_due": "Hạn mới",
	"before": "Trước khi sửa", "after": "Sau khi sửa", "submission": "Thông tin nộp đã xóa", "waiver": "Quyết định miễn đã xóa",
	"until": "Xin gia hạn đến", "old_due": "Hạn cũ", "old_effective_due": "Hạn làm việc cũ",
	"new_effective_due": "Hạn làm việc mới", "recorded_by": "Người ghi nhận", "recorded_at": "Thời điểm ghi nhận",
	"actor": "Người quyết định", "at": "Thời điểm", "recorded_on": "Ngày ghi nhận", "self_declared": "Ngày nộp tự khai",
	"confirmed": "Xác nhận ngày tự khai",
}

// detailLines reads an audit detail object as "label: value" lines in key
// order; nested objects are written out as compact JSON.
func detailLines(detail string) []string {
	var d map[string]any
	if json.Unmarshal([]byte(detail), &d) != nil {
		if detail == "" || detail == "{}" {
			return nil
		}
		return []string{adminText(detail)}
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		label := detailLabels[k]
		if label == "" {
			label = k
		}
		var val string
		switch x := d[k].(type) {
		case string:
			val = x
		case nil:
			val = ""
		case bool:
			val = map[bool]string{true: "có", false: "không"}[x]
		default:
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false) // the template escapes; \u003c would only hide what it is
			enc.Encode(x)
			val = strings.TrimSpace(b.String())
		}
		if val == "" {
			continue
		}
		out = append(out, adminText(label)+": "+adminText(val))
	}
	return out
}
