package email

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// View is what the templates see. Every string in it has been cleaned (one
// line, no control characters, NFC, capped), so an override template cannot
// reintroduce header injection through data.
type View struct {
	Kind   duty.Kind
	Reader duty.Reader
	// Superior: the reader is a leadership, written to in the reporting
	// register ("kính báo cáo … xem xét, chỉ đạo").
	Superior bool
	// Own: the letter is about the follow-up agency's own duties, written
	// by its desk to its mailbox or its head.
	Own bool
	// Addressee is the name after "Kính gửi:"; ReaderName how the prose
	// names the reader ("Sở Tư pháp", "Giám đốc Sở Tư pháp", "Lãnh đạo
	// UBND tỉnh").
	Addressee  string
	ReaderName string
	To         duty.Recipient
	// Sender is the follow-up agency that speaks ("Sở Nội vụ tỉnh Ninh
	// Thuận"), SenderShort the prose's name for it ("Sở Nội vụ"), Reporter
	// who reports to a leadership (the desk, to Sở Nội vụ's own leaders).
	Sender, SenderShort, Reporter string
	// Plan cites the decision ("Quyết định số 681/QĐ-UBND ngày …").
	Plan    string
	Contact duty.Contact
	Demo    bool
	// Date is the message date in Vietnam.
	Date   schedule.Date
	Items  []ItemView
	Duties []DutyView
	// Count is the number of items (duty letters) or duties (oversight
	// letters and summaries); Others is Count-1.
	Count, Others int
	// SubjectTitle names the duty due first; Earliest is its deadline and
	// EarliestStatus how far it is ("còn 4 ngày", "đã quá hạn 5 ngày").
	SubjectTitle   string
	Earliest       schedule.Date
	EarliestStatus string
	// HasLinks: some item carries the signed links.
	HasLinks bool
	// Coordinating: the reader's agency coordinates every duty of the
	// letter (remind_coordinating) rather than leads it.
	Coordinating bool
	// Unassigned: some duty has agencies nobody answers for.
	Unassigned bool
	// TaskIDs lists the distinct task ids, capped with ", …" (for admins'
	// override templates; the embedded ones name duties by title).
	TaskIDs string
	// First is the most urgent item (fewest days left); zero when no items.
	First ItemView
	// Subject is the rendered subject (empty while rendering the subject).
	Subject string
}

// ItemView is an duty.Item with the phrases the templates need precomputed.
type ItemView struct {
	duty.Item
	// Name is the title, or the task id when the schedule gives none.
	Name string
	// DueText is "Thứ Ba, ngày 31/03/2026".
	DueText string
	// Deadline is the date the deadline really ends: EffectiveDue, or Due
	// when no effective date was given.
	Deadline schedule.Date
	// EffectiveText is the same for EffectiveDue, empty when it equals Due.
	EffectiveText string
	// Postponed is true when the deadline moved later past non-working days
	// (Điều 148 Bộ luật Dân sự 2015) or by an extension.
	Postponed bool
	// Status is "còn 7 ngày", "đến hạn hôm nay" or "đã quá hạn 3 ngày".
	Status string
	// StepText names the step: "nhắc trước 7 ngày", "thông báo quá hạn lần 1".
	StepText string
	// Progress counts a counted duty: "đã thực hiện 1/3 cuộc".
	Progress string
}

// DutyView is a duty.Duty with its agencies sorted into the states an oversight
// letter reports, each list in the order given.
type DutyView struct {
	duty.Duty
	Name       string
	DueText    string
	Submitted  []AgencyView
	Open       []AgencyView
	Overdue    []AgencyView
	Waived     []AgencyView
	Unassigned []AgencyView
	// Same* hold the detail every agency of a state shares ("quá hạn 35
	// ngày"), said once after the count instead of after each name.
	SameSubmitted, SameOpen, SameOverdue, SameUnassigned string
	// More* count the agencies of a state beyond the first maxListed, which
	// a letter names only by number ("và 3.350 cơ quan khác"): a national
	// directory must not make a letter of thousands of names.
	MoreSubmitted, MoreOpen, MoreOverdue, MoreWaived, MoreUnassigned int
	// Count* are the states' sizes before the cut.
	CountSubmitted, CountOpen, CountOverdue, CountWaived, CountUnassigned int
}

// maxListed is how many agencies of one state a letter names.
const maxListed = 60

// AgencyView is one agency's line: its name and where it stands
// ("ngày 02/12/2024", "còn 3 ngày", "quá hạn 5 ngày").
type AgencyView struct {
	duty.AgencyState
	Status   string
	Progress string
	// Detail joins the two for the parentheses after the name.
	Detail string
}

// DayText formats a date with its weekday, the way official letters do.
func DayText(d schedule.Date) string {
	return d.WeekdayVN() + ", ngày " + d.VN()
}

// StatusText says how far the deadline is from the message date.
func StatusText(daysLeft int) string {
	switch {
	case daysLeft > 0:
		return fmt.Sprintf("còn %d ngày", daysLeft)
	case daysLeft == 0:
		return "đến hạn hôm nay"
	default:
		return fmt.Sprintf("đã quá hạn %d ngày", -daysLeft)
	}
}

// ProgressText counts a counted duty: "đã thực hiện 1/3 cuộc".
func ProgressText(done, quota int, unit string) string {
	if quota <= 1 {
		return ""
	}
	if unit == "" {
		unit = "lần"
	}
	return fmt.Sprintf("đã thực hiện %d/%d %s", done, quota, unit)
}

// stepText reads a policy step aloud; unknown steps are shown as they are.
func stepText(step string) string {
	if st, err := duty.ParseStepKey(step); err == nil {
		return st.Label()
	}
	return step
}

// maxSubjectIDRunes bounds the id list so that the date and status still fit
// in a subject line that clients show whole.
const maxSubjectIDRunes = 60

// newView prepares a sanitized message for the templates.
func newView(m Message) View {
	v := View{
		Kind: m.Kind, Reader: m.Reader, To: m.To, Demo: m.Demo,
		Superior: m.Reader == duty.ReaderFollowUpLeadership || m.Reader == duty.ReaderProvincialLeadership || m.Reader == duty.ReaderOwnHead,
		Own:      m.Reader == duty.ReaderOwn || m.Reader == duty.ReaderOwnHead,
		Sender:   m.Sender, SenderShort: m.SenderShort, Plan: m.Plan, Contact: m.Contact,
		Date: schedule.DateOf(m.Date),
	}
	if v.Sender == "" {
		v.Sender = m.From.Name
	}
	if v.Plan == "" {
		v.Plan = "kế hoạch đã ban hành" // a schedule without its decision's citation
	}
	if v.SenderShort == "" {
		v.SenderShort = v.Sender
	}
	v.Reporter = v.SenderShort
	if (m.Reader == duty.ReaderFollowUpLeadership || v.Own) && m.Contact.Desk != "" {
		// Within Sở Nội vụ its desk speaks.
		desk, _, _ := strings.Cut(m.Contact.Desk, ",")
		v.Reporter = strings.TrimSpace(desk)
	}
	var ids []string
	seenID := map[string]bool{}
	addID := func(id string) {
		if id != "" && !seenID[id] {
			seenID[id] = true
			ids = append(ids, id)
		}
	}
	for i, it := range m.Items {
		iv := ItemView{
			Item:     it,
			Name:     orID(it.Title, it.TaskID),
			DueText:  DayText(it.Due),
			Status:   StatusText(it.DaysLeft),
			StepText: stepText(it.Step),
			Deadline: it.Due,
			Progress: ProgressText(it.QuotaDone, it.Quota, it.QuotaUnit),
		}
		if it.SubmittedOn != 0 {
			iv.Status = "đã nộp ngày " + it.SubmittedOn.VN()
		}
		if it.EffectiveDue != 0 && it.EffectiveDue != it.Due {
			iv.EffectiveText = DayText(it.EffectiveDue)
			iv.Postponed = it.EffectiveDue > it.Due
			iv.Deadline = it.EffectiveDue
		}
		v.Items = append(v.Items, iv)
		if i == 0 || it.DaysLeft < v.First.DaysLeft {
			v.First = iv
		}
		v.HasLinks = v.HasLinks || it.ConfirmURL != "" || it.ExtendURL != ""
		addID(it.TaskID)
	}
	if len(m.Items) > 0 {
		v.Coordinating = true
		for _, it := range m.Items {
			v.Coordinating = v.Coordinating && it.Role == "phối hợp"
		}
		v.Count = len(m.Items)
		v.SubjectTitle, v.Earliest, v.EarliestStatus = v.First.Name, v.First.Deadline, v.First.Status
	}
	for _, d := range m.Duties {
		dv := dutyView(d)
		v.Duties = append(v.Duties, dv)
		v.Unassigned = v.Unassigned || len(dv.Unassigned) > 0
		addID(d.TaskID)
	}
	if len(m.Duties) > 0 && len(m.Items) == 0 {
		v.Count = len(v.Duties)
		first := earliestDuty(v.Duties)
		v.SubjectTitle = first.Name
		v.Earliest, v.EarliestStatus = first.deadline(v.Date)
	}
	v.Others = max(v.Count-1, 0)
	v.TaskIDs = capList(ids, maxSubjectIDRunes)
	v.Addressee = m.To.Name
	if v.Addressee == "" {
		v.Addressee = m.To.Addr
	}
	v.ReaderName = m.ReaderName
	if v.ReaderName == "" {
		v.ReaderName = v.Addressee
	}
	return v
}

func orID(title, id string) string {
	if title != "" {
		return title
	}
	return id
}

// dutyView sorts a duty's agencies into its states.
func dutyView(d duty.Duty) DutyView {
	dv := DutyView{Duty: d, Name: orID(d.Title, d.TaskID), DueText: DayText(d.Due)}
	for _, a := range d.Agencies {
		av := AgencyView{AgencyState: a, Progress: ProgressText(a.QuotaDone, d.Quota, d.QuotaUnit)}
		switch a.State {
		case duty.DutySubmitted:
			if a.SubmittedOn != 0 {
				av.Status = "ngày " + a.SubmittedOn.VN()
			}
			dv.Submitted = append(dv.Submitted, av)
		case duty.DutyOverdue:
			av.Status = fmt.Sprintf("quá hạn %d ngày", -a.DaysLeft)
			dv.Overdue = append(dv.Overdue, av)
		case duty.DutyWaived:
			dv.Waived = append(dv.Waived, av)
		case duty.DutyUnassigned:
			av.Status = strings.TrimSuffix(a.Note, ".")
			dv.Unassigned = append(dv.Unassigned, av)
		default:
			av.Status = StatusText(a.DaysLeft)
			if a.Deadline != 0 && a.Deadline != d.Due {
				av.Status = "hạn " + a.Deadline.VN() + ", " + av.Status
			}
			dv.Open = append(dv.Open, av)
		}
	}
	same := func(list []AgencyView) string {
		for i := range list {
			a := &list[i]
			switch {
			case a.Status != "" && a.Progress != "":
				a.Detail = a.Status + "; " + a.Progress
			default:
				a.Detail = a.Status + a.Progress
			}
		}
		if len(list) < 2 || list[0].Detail == "" {
			return ""
		}
		for _, a := range list[1:] {
			if a.Detail != list[0].Detail {
				return ""
			}
		}
		common := list[0].Detail
		for i := range list {
			list[i].Detail = ""
		}
		return common
	}
	dv.SameSubmitted, dv.SameOpen, dv.SameOverdue, dv.SameUnassigned = same(dv.Submitted), same(dv.Open), same(dv.Overdue), same(dv.Unassigned)
	same(dv.Waived)
	cut := func(list *[]AgencyView, more *int) {
		if len(*list) > maxListed {
			*more = len(*list) - maxListed
			*list = (*list)[:maxListed]
		}
	}
	// The count before the colon stays the whole state's.
	dv.CountSubmitted, dv.CountOpen, dv.CountOverdue, dv.CountWaived, dv.CountUnassigned = len(dv.Submitted), len(dv.Open), len(dv.Overdue), len(dv.Waived), len(dv.Unassigned)
	cut(&dv.Submitted, &dv.MoreSubmitted)
	cut(&dv.Open, &dv.MoreOpen)
	cut(&dv.Overdue, &dv.MoreOverdue)
	cut(&dv.Waived, &dv.MoreWaived)
	cut(&dv.Unassigned, &dv.MoreUnassigned)
	// The most overdue first: that is whom the reader urges first.
	sort.SliceStable(dv.Overdue, func(i, j int) bool { return dv.Overdue[i].DaysLeft < dv.Overdue[j].DaysLeft })
	return dv
}

// deadline is the earliest deadline of the duty's agencies that still owe
// it (its due date when none does), with how far it is from today.
func (d DutyView) deadline(today schedule.Date) (schedule.Date, string) {
	best := schedule.Date(0)
	for _, list := range [][]AgencyView{d.Overdue, d.Open, d.Unassigned} {
		for _, a := range list {
			if a.Deadline != 0 && (best == 0 || a.Deadline < best) {
				best = a.Deadline
			}
		}
	}
	if best == 0 {
		best = d.Due
	}
	return best, StatusText(int(best - today))
}

func earliestDuty(ds []DutyView) DutyView {
	first := ds[0]
	fd, _ := first.deadline(0)
	for _, d := range ds[1:] {
		if dd, _ := d.deadline(0); dd < fd {
			first, fd = d, dd
		}
	}
	return first
}

// capList joins ids with ", " and stops with ", …" before exceeding max runes.
func capList(ids []string, max int) string {
	var b strings.Builder
	for i, id := range ids {
		sep := ""
		if i > 0 {
			sep = ", "
		}
		if i > 0 && utf8.RuneCountInString(b.String())+len(sep)+utf8.RuneCountInString(id) > max {
			b.WriteString(", …")
			break
		}
		b.WriteString(sep + id)
	}
	return b.String()
}
