package email

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// View is what the templates see. Every string in it has been cleaned (one
// line, no control characters, NFC, capped), so an override template cannot
// reintroduce header injection through data.
type View struct {
	Kind duty.Kind
	// Copy marks Sở Nội vụ's copy; Addressee is then the agency the
	// original went to.
	Copy bool
	// Oversight: see Message.Oversight.
	Oversight bool
	// Addressee is the name after "Kính gửi:".
	Addressee string
	To        duty.Recipient
	// Date is the message date in Vietnam.
	Date  schedule.Date
	Items []ItemView
	// TaskIDs lists the distinct task ids for the subject, capped with ", …".
	TaskIDs string
	// First is the most urgent item (fewest days left); zero when no items.
	First ItemView
	// Subject is the rendered subject (empty while rendering the subject).
	Subject string
}

// ItemView is an Item with the phrases the templates need precomputed.
type ItemView struct {
	duty.Item
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
		Kind:      m.Kind,
		Copy:      m.Copy,
		Oversight: m.Oversight,
		To:        m.To,
		Date:      schedule.DateOf(m.Date),
	}
	var ids, agencies []string
	seenID, seenAgency := map[string]bool{}, map[string]bool{}
	for i, it := range m.Items {
		iv := ItemView{
			Item:     it,
			DueText:  DayText(it.Due),
			Status:   StatusText(it.DaysLeft),
			StepText: stepText(it.Step),
			Deadline: it.Due,
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
		if it.TaskID != "" && !seenID[it.TaskID] {
			seenID[it.TaskID] = true
			ids = append(ids, it.TaskID)
		}
		if it.Agency != "" && !seenAgency[it.Agency] {
			seenAgency[it.Agency] = true
			agencies = append(agencies, it.Agency)
		}
	}
	v.TaskIDs = capList(ids, maxSubjectIDRunes)
	v.Addressee = m.To.Name
	if m.Copy && len(agencies) > 0 {
		// The copy is the agency's letter as the agency received it.
		v.Addressee = strings.Join(agencies, "; ")
	}
	if v.Addressee == "" {
		v.Addressee = m.To.Addr
	}
	return v
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
