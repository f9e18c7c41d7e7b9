package httpui

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/notify"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// listView is the task and agency pages: a heading, facts, and the year's
// duties with their statuses.
type listView struct {
	page
	Heading string
	Facts   []fact
	Legend  []legendItem
	Items   []chip
	// ByAgency lists agencies in the table (the task page); otherwise tasks.
	ByAgency bool
	Path     string // this page, for the year links
	Prev     int
	Next     int
}

type fact struct{ Label, Value string }

// task lists one task's duties of the year across agencies.
func (s *Server) task(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("task")
	st := s.setup()
	today := s.today(st)
	year, err := parseYear(r.URL.Query(), today.Year())
	if s.queryFailed(w, r, err) {
		return
	}
	rows, err := s.Store.BoardRows(r.Context(), year)
	if s.queryFailed(w, r, err) {
		return
	}
	tasks := tasksByID(st, id)
	if len(tasks) == 0 && !rowsHaveTask(rows, id) {
		s.notFound(w, r)
		return
	}
	v := s.list(r, st, rows, year, func(b duty.BoardRow) bool { return model.MatchesRef(id, b.ScheduleID, b.TaskID) })
	v.Title = "Nhiệm vụ " + mask(id) + " — năm " + strconv.Itoa(year)
	v.Heading = "Nhiệm vụ " + mask(id)
	v.ByAgency = true
	v.Path = "/cong-viec/" + url.PathEscape(id)
	for _, t := range tasks {
		v.Facts = append(v.Facts, taskFacts(t)...)
	}
	if len(tasks) == 0 {
		v.Facts = append(v.Facts, fact{"Ghi chú", "Nhiệm vụ này không còn trong kế hoạch hiện hành; các nghĩa vụ đã ghi nhận vẫn được hiển thị."})
	}
	s.render(w, r, http.StatusOK, "task", v)
}

func taskFacts(t *model.Task) []fact {
	fs := []fact{{"Nội dung", t.Text}}
	if t.Schedule != nil && t.Schedule.Title != "" {
		fs = append(fs, fact{"Kế hoạch", t.Schedule.Title})
	}
	tier := ""
	if t.WorkingDaysBefore > 0 {
		tier = "Các cơ quan gửi " + duty.TierPhrase(t.WorkingDaysBefore)
	}
	for _, f := range []fact{{"Sản phẩm", t.Product}, {"Thời gian thực hiện", t.Time}, {"Hạn nội bộ", tier},
		{"Thời gian chốt số liệu", t.DataCutoff}, {"Cơ quan chủ trì", t.LeadText},
		{"Cơ quan phối hợp", t.CoordText}, {"Căn cứ", t.LegalBasis}, {"Ghi chú", t.Note}} {
		if f.Value != "" {
			fs = append(fs, f)
		}
	}
	for i := range fs {
		fs[i].Value = mask(fs[i].Value)
	}
	return fs
}

// agency lists one agency's duties of the year, answering or named.
func (s *Server) agency(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("agency")
	st := s.setup()
	today := s.today(st)
	year, err := parseYear(r.URL.Query(), today.Year())
	if s.queryFailed(w, r, err) {
		return
	}
	rows, err := s.Store.BoardRows(r.Context(), year)
	if s.queryFailed(w, r, err) {
		return
	}
	if !knownAgency(st, rows, id) {
		s.notFound(w, r)
		return
	}
	v := s.list(r, st, rows, year, func(b duty.BoardRow) bool { return answers(b, id) })
	name := agencyLabel(st, id)
	v.Title = name + " — năm " + strconv.Itoa(year)
	v.Heading = name
	v.Path = "/co-quan/" + url.PathEscape(id)
	if dir := directory(st); dir != nil {
		if a, ok := dir.Agency(id); ok {
			if a.ShortName != "" {
				v.Facts = append(v.Facts, fact{"Tên viết tắt", mask(a.ShortName)})
			}
			if a.ValidFrom != schedule.MinDate {
				v.Facts = append(v.Facts, fact{"Hoạt động từ ngày", a.ValidFrom.VN()})
			}
			if a.ValidUntil != schedule.MaxDate {
				v.Facts = append(v.Facts, fact{"Hoạt động đến ngày", a.ValidUntil.VN()})
			}
			if why := dir.WhyUnassigned(a, today); why != "" {
				v.Facts = append(v.Facts, fact{"Ghi chú", mask(why)})
			}
		}
	}
	s.render(w, r, http.StatusOK, "agency", v)
}

func (s *Server) list(r *http.Request, st notify.Setup, rows []duty.BoardRow, year int, keep func(duty.BoardRow) bool) listView {
	today := s.today(st)
	v := listView{page: page{Today: today.VN(), Year: year}, Prev: year - 1, Next: year + 1}
	counts := map[Status]int{}
	for _, b := range rows {
		if keep(b) {
			c := chipOf(st, b, today)
			counts[c.Status]++
			v.Items = append(v.Items, c)
		}
	}
	v.Legend = legend(counts)
	if err := s.withProgress(r, v.Items); err != nil {
		// The page is still right without the counts: say so in the log.
		s.Log.Error().Err(err).Msg("quota counts")
	}
	return v
}

// occurrenceView is one duty and its timeline.
type occurrenceView struct {
	page
	Chip   chip
	Facts  []fact
	Events []event
	// Tier and Cutoff are the report regime's two dates, in words: the
	// province's deadline beside the agency's earlier one, and the data
	// cut-off of the period (Nghị định 09/2019/NĐ-CP, Điều 8 khoản 5, Điều 12).
	Tier, Cutoff string
}

// event is one line of the timeline, already in words.
type event struct {
	When, What string
	Details    []string
	Class      string
}

// occurrence shows one duty: its facts and every mail, submission, waiver,
// extension and due-date change, oldest first.
func (s *Server) occurrence(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return
	}
	tl, err := s.Store.Timeline(r.Context(), id)
	if errors.Is(err, duty.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	st := s.setup()
	today := s.today(st)
	o := tl.Occurrence
	row := timelineRow(tl)
	c := chipOf(st, row, today)
	one := []chip{c}
	if err := s.withProgress(r, one); err != nil {
		s.serverError(w, r, err)
		return
	}
	c = one[0]
	v := occurrenceView{page: page{Title: "Nhiệm vụ " + mask(c.TaskID) + ", kỳ " + mask(c.Period) + " — " + c.AgencyName,
		Today: today.VN(), Year: o.Deadline.Year()}, Chip: c}
	v.Facts = append(v.Facts, fact{"Cơ quan", c.AgencyName})
	if o.AgencyID != "" && o.NamedAgencyID != o.AgencyID {
		v.Facts = append(v.Facts, fact{"Cơ quan được giao theo kế hoạch", agencyLabel(st, o.NamedAgencyID)})
	}
	v.Facts = append(v.Facts, fact{"Kỳ", mask(c.Period)}, fact{"Hạn theo kế hoạch", o.Due.VN()})
	if o.EffectiveDue != o.Due {
		v.Facts = append(v.Facts, fact{"Hạn lùi sang ngày làm việc", o.EffectiveDue.VN()})
	}
	if o.ExtendedDue != 0 {
		v.Facts = append(v.Facts, fact{"Hạn sau gia hạn", o.ExtendedDue.VN()})
	}
	v.Facts = append(v.Facts, fact{"Trạng thái", c.Label})
	if t := findTask(st, o.ScheduleID, o.TaskID); t != nil {
		v.Facts = append(v.Facts, taskFacts(t)...)
		v.Tier, v.Cutoff = regimeDates(t, o.Period, o.Due)
	}
	v.Events = events(st, tl)
	s.render(w, r, http.StatusOK, "occurrence", v)
}

// events puts the timeline in words for the public pages: recipients are
// named, never shown by address (see labels.go), and audit rows that repeat
// a submission, waiver or extension already listed are left out.
func events(st notify.Setup, tl duty.Timeline) []event {
	return timelineEvents(st, tl, timelineView{
		text: mask,
		recipient: func(addr string) string {
			return recipientName(st, addr, tl.Occurrence.Deadline)
		},
	})
}

// timelineView is who reads a timeline: the public (masked text, no
// actors) or an admin (addresses, actors, every audit row).
type timelineView struct {
	text      func(string) string // how free text is shown
	recipient func(string) string // how a recipient address is shown
	admin     bool
}

func timelineEvents(st notify.Setup, tl duty.Timeline, v timelineView) []event {
	var out []event
	for _, e := range tl.Entries {
		ev := event{When: clockText(e.At, st.Location), Class: string(e.Kind)}
		switch e.Kind {
		case duty.EntryMail:
			m := e.Mail
			ev.What = stepLabel(m.Step) + " — " + kindLabel(m.Kind)
			ev.Details = append(ev.Details, "Người nhận: "+v.recipient(m.Recipient), "Kết quả: "+mailStateLabel(m.State))
			if m.Attempts > 1 {
				ev.Details = append(ev.Details, "Số lần gửi: "+strconv.Itoa(m.Attempts))
			}
			// The server's reply and the last error name internal hosts,
			// addresses and, with the file outbox, server paths: admins only.
			if v.admin && m.SMTPResponse != "" {
				ev.Details = append(ev.Details, "Máy chủ thư trả lời: "+v.text(m.SMTPResponse))
			}
			if v.admin && m.LastError != "" {
				ev.Details = append(ev.Details, "Lỗi gần nhất: "+v.text(m.LastError))
			}
			if m.State == "failed" {
				ev.Class += " failed"
			}
		case duty.EntrySubmission:
			sb := e.Submission
			ev.What = "Ghi nhận đã nộp"
			ev.Details = append(ev.Details, "Ngày nộp: "+sb.SubmittedOn.VN(), "Ghi nhận qua: "+viaLabel(string(sb.Via)))
			switch {
			case sb.Unconfirmed():
				ev.Details = append(ev.Details, "Ngày gửi do cơ quan tự khai, sớm hơn ngày ghi nhận "+sb.RecordedOn.VN()+
					": chờ xác nhận; đến khi được xác nhận, việc nộp được tính theo ngày ghi nhận")
			case sb.Declared:
				ev.Details = append(ev.Details, "Ngày gửi do cơ quan tự khai, đã được xác nhận lúc "+clockText(sb.ConfirmedAt, st.Location))
			}
			if v.admin {
				ev.Details = append(ev.Details, "Người ghi nhận: "+v.text(sb.RecordedBy))
			}
			if sb.Ref != "" {
				ev.Details = append(ev.Details, "Số, ký hiệu văn bản: "+v.text(sb.Ref))
			}
			if v.admin && sb.Note != "" {
				ev.Details = append(ev.Details, "Ghi chú: "+v.text(sb.Note))
			}
		case duty.EntryWaiver:
			ev.What = "Miễn thực hiện"
			if v.admin {
				ev.Details = append(ev.Details, "Lý do: "+v.text(e.Waiver.Reason), "Người quyết định: "+v.text(e.Waiver.Actor))
			}
		case duty.EntryExtension:
			x := e.Extension
			ev.What = "Gia hạn"
			ev.Details = append(ev.Details, "Từ hạn "+x.PreviousDue.VN()+" đến hạn "+x.NewDue.VN())
			if v.admin {
				ev.Details = append(ev.Details, "Lý do: "+v.text(x.Reason), "Người quyết định: "+v.text(x.Actor))
			}
		case duty.EntryAudit:
			a := e.Audit
			if v.admin {
				// Admins see every audit row, those that repeat a record
				// above too: they name who acted, and outlive a reopened
				// record.
				ev.What = "Nhật ký: " + adminActionLabel(a.Action)
				ev.Details = append([]string{"Người thực hiện: " + v.text(a.Actor)}, detailLines(a.Detail)...)
				break
			}
			switch a.Action {
			case "occurrence.submitted", "occurrence.waived", "occurrence.extended", "occurrence.link_confirmed_waived":
				continue
			}
			ev.What = auditLabel(a.Action)
			ev.Details = auditDetails(a)
		}
		out = append(out, ev)
	}
	return out
}

// auditDetails shows the one audit detail the pages know, a change of due
// date; other details wait for the admin area.
func auditDetails(a *duty.AuditRecord) []string {
	if a.Action != "occurrence.due_changed" {
		return nil
	}
	var d map[string]string
	if json.Unmarshal([]byte(a.Detail), &d) != nil {
		return nil
	}
	return []string{"Từ hạn " + mask(d["old_effective_due"]) + " sang hạn " + mask(d["new_effective_due"])}
}

// regimeDates says, for one period of a task, the province's deadline when
// the agency's is working_days_before earlier, and the data cut-off window.
// The letters say the same (duty.Regime), so an official reads one wording.
func regimeDates(t *model.Task, period string, due schedule.Date) (tier, cutoff string) {
	r := duty.RegimeOf(t, period, due)
	if s := r.TierText(); s != "" {
		tier = "Hạn của cơ quan: " + s + "."
	}
	if s := r.CutoffText(); s != "" {
		cutoff = "Thời gian chốt số liệu của kỳ này: " + s + "."
	}
	return tier, cutoff
}
