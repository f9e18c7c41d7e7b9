package notify

// compose: what a message says. A recipient's rows of the day become one
// letter of one kind: a duty letter (what the reader's agency owes), an
// oversight letter (other agencies' duties, by duty and state), or one of
// Sở Nội vụ's summaries. Sở Nội vụ, as it is named on the send day, is who
// speaks in every one of them.

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// compose builds the notice for one recipient's rows, and the steps it
// carries for the log. A notice with nothing in it has nothing left to say.
func (e *Engine) compose(ctx context.Context, s Setup, now time.Time, today schedule.Date, g []duty.Notification) (duty.Notice, []string, error) {
	n := s.letterBase(messageKey(g), g[0].Recipient, now, today)
	var steps []string
	var err error
	switch kind := g[0].Kind; {
	case kind == string(duty.KindWeekly):
		n.Kind = duty.KindWeekly
		n.Duties, err = e.weeklyDuties(ctx, s, today, n.To.Addr)
		steps = []string{"tổng hợp tuần"}
	case strings.HasPrefix(kind, string(duty.KindDigest)):
		n.Kind = duty.KindDigest
		n.Duties, err = e.digestDuties(ctx, s, today, n.To.Addr)
		steps = []string{"tổng hợp ngày"}
	case IsOversight(kind):
		n.Kind = duty.KindOversight
		n.Duties, steps, err = e.oversightDuties(ctx, s, today, g)
	default:
		steps, err = e.dutyItems(ctx, s, today, g, &n)
	}
	if err != nil || len(n.Items) == 0 && len(n.Duties) == 0 {
		return n, steps, err
	}
	s.reader(&n, today)
	n.Plan = plans(s, n)
	return n, steps, nil
}

// letterBase is what every letter carries: Sở Nội vụ as it is named on the
// send day speaks (the sender's display name), replies go to its desk of
// that day, whose contacts the footer names.
func (s Setup) letterBase(key, addr string, now time.Time, today schedule.Date) duty.Notice {
	n := duty.Notice{Key: key, To: duty.Recipient{Addr: addr}, Date: now.In(s.Location), Demo: s.Demo}
	if fu := s.followUpOn(today); fu != nil {
		n.Sender, n.SenderShort = fu.Name, shortName(fu)
	}
	if c, ok := duty.ContactOn(s.Contacts, today); ok {
		n.Contact = c
	}
	return n
}

// followUpOn is the follow-up agency that answers on day d.
func (s Setup) followUpOn(d schedule.Date) *model.Agency {
	if s.Planner == nil || s.Planner.Directory == nil {
		return nil
	}
	a, ok := s.Planner.Directory.Agency(s.FollowUp)
	if !ok {
		return nil
	}
	return Recipients{FollowUp: a}.On(s.Planner.Directory, d).FollowUp
}

func shortName(a *model.Agency) string {
	if a.ShortName != "" {
		return a.ShortName
	}
	return a.Name
}

// reader names the recipient and sets the letter's register: an agency's
// mailbox or head about its own duties, Sở Nội vụ's own mailbox, Văn phòng
// UBND tỉnh, or a leadership, which is reported to.
func (s Setup) reader(m *duty.Notice, today schedule.Date) {
	addr := m.To.Addr
	dir := s.Planner.Directory
	name, _ := s.RecipientName(addr, today)
	m.To.Name = name
	oversight := m.Kind == duty.KindOversight || m.Kind == duty.KindDigest || m.Kind == duty.KindWeekly
	if a := dir.ByEmail(addr); a != nil {
		own := false
		for _, e := range a.Email {
			own = own || strings.EqualFold(e, addr)
		}
		po := AnsweringOn(dir, s.ProvincialOffice, "", today)
		fu := s.followUpOn(today)
		switch {
		case own && oversight && po != nil && po.ID == a.ID:
			m.Reader, m.ReaderName = duty.ReaderProvincialOffice, shortName(a)
		case own && oversight:
			m.Reader, m.ReaderName = duty.ReaderFollowUp, shortName(a)
		case own && fu != nil && fu.ID == a.ID:
			m.Reader, m.ReaderName = duty.ReaderOwn, shortName(a)
		case own:
			m.Reader, m.ReaderName = duty.ReaderAgency, shortName(a)
		case oversight:
			// The follow-up agency's head stands in for its leadership.
			m.Reader, m.ReaderName = duty.ReaderFollowUpLeadership, headTitle(a)
		case fu != nil && fu.ID == a.ID:
			m.Reader, m.ReaderName = duty.ReaderOwnHead, headTitle(a)
		default:
			m.Reader, m.ReaderName = duty.ReaderHead, headName(a)
		}
		return
	}
	switch {
	case hasAddr(s.ProvincialLeadership, addr):
		m.Reader, m.ReaderName = duty.ReaderProvincialLeadership, "Lãnh đạo UBND tỉnh"
	default:
		m.Reader, m.ReaderName = duty.ReaderFollowUpLeadership, "Lãnh đạo Sở"
	}
}

// headTitle is the head's title alone ("Giám đốc Sở"), for the prose of a
// report to the agency's own head.
func headTitle(a *model.Agency) string {
	if t := strings.TrimSpace(a.Head.Title); t != "" {
		return t
	}
	return headName(a)
}

func hasAddr(list []duty.Dated, addr string) bool {
	for _, e := range list {
		if strings.EqualFold(strings.TrimSpace(e.Addr), addr) {
			return true
		}
	}
	return false
}

// plans cites the decisions the letter's duties come from.
func plans(s Setup, m duty.Notice) string {
	var out []string
	seen := map[string]bool{}
	add := func(scheduleID, taskID string) {
		t := s.Planner.Task(scheduleID, taskID)
		if t == nil || t.Schedule == nil {
			return
		}
		c := t.Schedule.Decision
		if c == "" {
			c = t.Schedule.Title
		}
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, it := range m.Items {
		sc, task, _ := splitKey(it.Key)
		add(sc, task)
	}
	for _, d := range m.Duties {
		sc, task, _ := splitKey(d.Key)
		add(sc, task)
	}
	return strings.Join(out, "; ")
}

// splitKey reads "schedule/task/period[/agency]".
func splitKey(key string) (scheduleID, taskID, period string) {
	parts := strings.SplitN(key, "/", 4)
	if len(parts) < 3 {
		return "", "", ""
	}
	return parts[0], parts[1], parts[2]
}

// dutyItems fills a duty letter: the occurrences the reader's agency owes
// (as lead, or as coordinating when configured), each with its step.
func (e *Engine) dutyItems(ctx context.Context, s Setup, today schedule.Date, g []duty.Notification, m *duty.Notice) ([]string, error) {
	dir := s.Planner.Directory
	self := dir.ByEmail(m.To.Addr)
	m.Kind = duty.KindReminder
	var steps []string
	var quota []int64
	for _, n := range g {
		o, err := e.Store.Occurrence(ctx, n.OccurrenceID)
		if err != nil {
			return nil, err
		}
		if o.State != duty.StateOpen && o.State != duty.StateUnassigned {
			continue
		}
		it, ok := itemFor(s, o, n.Step, today)
		if !ok {
			continue
		}
		if it.Escalation {
			m.Kind = duty.KindEscalation
		}
		answering := AnsweringOn(dir, o.NamedAgencyID, o.AgencyID, today)
		if self == nil || answering == nil || answering.ID != self.ID {
			// A coordinating agency is told of the duty; the links act for
			// the agency that answers for it.
			it.Role, it.ConfirmURL, it.ExtendURL = "phối hợp", "", ""
		}
		if it.Quota > 1 {
			quota = append(quota, o.ID)
		}
		m.Items = append(m.Items, it)
		steps = appendStep(steps, s, o, n.Step)
	}
	if len(quota) > 0 {
		counts, err := e.Store.QuotaCounts(ctx, quota...)
		if err != nil {
			return nil, err
		}
		for i := range m.Items {
			m.Items[i].QuotaDone = counts[itemOccurrence(m.Items[i])]
		}
	}
	sort.SliceStable(m.Items, func(i, j int) bool { return m.Items[i].DaysLeft < m.Items[j].DaysLeft })
	return steps, nil
}

// itemOccurrence reads back the occurrence id itemFor keeps in the item.
func itemOccurrence(it duty.Item) int64 { return it.OccurrenceID }

// itemFor describes an occurrence in a duty letter, with the agencies
// named as they are on the send day.
func itemFor(s Setup, o duty.Occurrence, step string, today schedule.Date) (duty.Item, bool) {
	t := findTask(s, o.ScheduleID, o.TaskID)
	if t == nil {
		return duty.Item{}, false
	}
	dir := s.Planner.Directory
	it := duty.Item{
		Key:  fmt.Sprintf("%s/%s/%s/%s", o.ScheduleID, o.TaskID, o.Period, o.NamedAgencyID),
		Step: step, Escalation: isEscalation(step),
		TaskID: t.Ref(s.Planner), TaskText: t.Text, Product: t.Product, Period: o.Period,
		Title: title(t, o.Period), PeriodText: t.PeriodText(o.Period), Role: "chủ trì",
		Due: o.Due, EffectiveDue: o.Deadline, DaysLeft: int(o.Deadline - today),
		LegalBasis: t.LegalBasis, Quota: t.Quota(), QuotaUnit: t.QuotaUnit(), OccurrenceID: o.ID,
		Regime: duty.RegimeOf(t, o.Period, o.Due),
	}
	if a := AnsweringOn(dir, o.NamedAgencyID, o.AgencyID, today); a != nil {
		it.Agency = agencyOn(dir, a, o.NamedAgencyID)
		if s.Links != nil {
			it.ConfirmURL, it.ExtendURL = s.Links(o.ID, a.ID, o.Deadline)
		}
	} else if a, ok := dir.Agency(o.NamedAgencyID); ok {
		it.Agency = a.Name
		it.Unassigned = dir.WhyUnassigned(a, today)
	}
	it.Lead = roleNames(dir, t.Lead, today)
	it.Coordinating = roleNames(dir, t.Coordinating, today)
	return it, true
}

// title names a duty: the task's title with its period in words ("Kế
// hoạch CCHC năm 2026"); a one-off task's title already says when.
func title(t *model.Task, period string) string {
	if t.Parsed.Kind == schedule.KindOneOff || t.Title == "" {
		return t.Label()
	}
	return t.Title + " " + t.PeriodText(period)
}

// agencyOn names the agency that answers for a duty on the send day, with
// the agency the decision named in parentheses when the duty passed to a
// successor.
func agencyOn(dir *model.Directory, a *model.Agency, named string) string {
	if n, ok := dir.Agency(named); ok && n.ID != a.ID {
		return a.Name + " (Quyết định giao: " + n.Name + ")"
	}
	return a.Name
}

// roleNames names a task's lead or coordinating agencies as a letter shows
// them on day on: a group by its own name ("Các Sở, ban, ngành"), never by
// its members, which may be thousands, and only while some member answers
// that day (no "UBND các huyện, thành phố" after the district level
// ended); an agency by the agency that answers for it that day. An agency
// that nobody answers for any more is left out, as it is from the
// recipients.
func roleNames(dir *model.Directory, ids []string, on schedule.Date) []string {
	var out []string
	seen := map[string]bool{}
	add := func(name string) {
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	for _, id := range ids {
		if g, ok := dir.Group(id); ok {
			for _, a := range dir.Resolve([]string{id}, on) {
				if a.Agency != nil {
					add(g.Name)
					break
				}
			}
			continue
		}
		for _, a := range dir.Resolve([]string{id}, on) {
			if a.Agency != nil {
				add(a.Agency.Name)
			}
		}
	}
	return out
}

// isEscalation reports whether a stored step key is an escalation's.
func isEscalation(key string) bool {
	st, err := duty.ParseStepKey(key)
	return err == nil && st.Kind == duty.Escalation
}

// appendStep adds what a letter says of one duty, in words, for simulate's
// output and the log ("Kế hoạch CCHC năm 2026 (TCTH.1a.hang-nam): nhắc
// trước 3 ngày"), once per letter however many agencies it covers.
func appendStep(steps []string, s Setup, o duty.Occurrence, key string) []string {
	name := o.TaskID + " " + o.Period
	if t := findTask(s, o.ScheduleID, o.TaskID); t != nil {
		name = title(t, o.Period) + " (" + t.ID + ")"
	}
	label := key
	if st, err := duty.ParseStepKey(key); err == nil {
		label = st.Label()
	}
	w := name + ": " + label
	if slices.Contains(steps, w) {
		return steps
	}
	return append(steps, w)
}
