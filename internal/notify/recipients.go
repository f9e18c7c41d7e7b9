package notify

import (
	"strings"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Recipients are the addresses beyond the answering agency that the
// policy involves, from config.
type Recipients struct {
	// FollowUp is the agency that follows every task up (Sở Nội vụ): it
	// gets the copies or the digest, and unassigned duties.
	FollowUp *model.Agency
	// FollowUpLeadership are Sở Nội vụ's leaders, who receive level 2.
	// Empty: Sở Nội vụ's head.
	FollowUpLeadership []string
	// ProvincialOffice is Văn phòng UBND tỉnh, which receives level 2.
	ProvincialOffice *model.Agency
	// ProvincialLeadership receives level 2 instead of FollowUpLeadership
	// when Sở Nội vụ itself answers for the task: it cannot escalate to
	// itself.
	ProvincialLeadership []string
}

// Why a target gets the mail. The values are stable: templates and the
// notification log use them.
const (
	WhyAgency               = "agency"                // the answering agency's mailboxes
	WhyHead                 = "head"                  // its head, from level 1
	WhyCoordinating         = "coordinating"          // a coordinating agency, when reminded
	WhyFollowUpCopy         = "follow-up-copy"        // Sở Nội vụ's copy
	WhyFollowUpLeadership   = "follow-up-leadership"  // level 2
	WhyProvincialOffice     = "provincial-office"     // level 2
	WhyProvincialLeadership = "provincial-leadership" // level 2 when Sở Nội vụ leads
	WhyUnassigned           = "unassigned"            // nobody answers: Sở Nội vụ must act
)

// Target is one recipient of one occurrence at one step.
type Target struct {
	Addr string
	Name string // display name: the agency's name, the head's title
	Copy bool   // Sở Nội vụ's copy, which the engine may fold into a digest
	Why  string // one of the Why constants
}

// On returns r with the follow-up agency and the provincial office routed
// through the directory to the agencies that answer for them on day d, so
// that after a merger the copies reach the successor's mailboxes and a
// task led by the successor is seen as led by Sở Nội vụ. An agency that
// ended without successor is kept: an old mailbox beats none.
func (r Recipients) On(dir *model.Directory, d schedule.Date) Recipients {
	route := func(a *model.Agency) *model.Agency {
		if a == nil {
			return nil
		}
		if as := dir.Resolve([]string{a.ID}, d); len(as) == 1 && as[0].Agency != nil {
			return as[0].Agency
		}
		return a
	}
	r.FollowUp = route(r.FollowUp)
	r.ProvincialOffice = route(r.ProvincialOffice)
	return r
}

// IsFollowUp reports whether a is the follow-up agency: the same pointer
// or id, or its first successor (the one duties pass to), for a caller
// that routed the two on different days around a merger. Sở Nội vụ must
// not get a copy of its own mail, nor escalate to its own leadership.
func (r Recipients) IsFollowUp(a *model.Agency) bool {
	f := r.FollowUp
	if a == nil || f == nil {
		return false
	}
	return a == f || a.ID == f.ID || (len(f.Successors) > 0 && a.ID == f.Successors[0])
}

// For returns who gets mail for an occurrence at step s: one Target per
// distinct address (compared without case), the first reason winning, so
// an address never gets an occurrence twice at one step. agency is the
// answering agency, nil when nobody answers; coordinating are the
// resolved coordinating agencies (nil entries are skipped).
//
//   - Reminders: the agency's mailboxes; the coordinating agencies' when
//     p.RemindCoordinating.
//   - E1: the agency's mailboxes and its head.
//   - E2 and its repeats: the agency's head, Sở Nội vụ's leadership (the
//     provincial leadership when Sở Nội vụ answers) and Văn phòng UBND
//     tỉnh's mailboxes.
//   - Every step: a copy to Sở Nội vụ when p.CopyFollowUp and not
//     p.DailyDigest, unless Sở Nội vụ is the agency.
//   - Unassigned (agency nil): Sở Nội vụ's mailboxes, not as a copy and
//     whatever the digest setting, at every step: the duty is never
//     dropped, and Sở Nội vụ is who can assign it.
func (r Recipients) For(agency *model.Agency, coordinating []*model.Agency, s duty.Step, p duty.Policy) []Target {
	var b targets
	if agency == nil {
		if r.FollowUp != nil {
			b.emails(r.FollowUp.Email, r.FollowUp.Name, WhyUnassigned, false)
		}
		return b.out
	}
	self := r.IsFollowUp(agency)
	switch {
	case s.Kind == duty.Reminder:
		b.emails(agency.Email, agency.Name, WhyAgency, false)
		if p.RemindCoordinating {
			for _, c := range coordinating {
				if c != nil {
					b.emails(c.Email, c.Name, WhyCoordinating, false)
				}
			}
		}
	case s.Level <= 1: // E1 (a zero Step is treated as E1 rather than dropped)
		b.emails(agency.Email, agency.Name, WhyAgency, false)
		b.head(agency)
	default:
		b.head(agency)
		if self {
			b.list(r.ProvincialLeadership, "Lãnh đạo UBND tỉnh", WhyProvincialLeadership)
		} else if r.FollowUp != nil {
			if len(r.FollowUpLeadership) > 0 {
				b.list(r.FollowUpLeadership, "Lãnh đạo "+r.FollowUp.Name, WhyFollowUpLeadership)
			} else {
				b.add(r.FollowUp.Head.Email, headName(r.FollowUp), WhyFollowUpLeadership, false)
			}
		}
		// Văn phòng UBND tỉnh is told of other agencies' duties; its own
		// overdue duty reaches its mailboxes as E1, a duty letter.
		if r.ProvincialOffice != nil && r.ProvincialOffice.ID != agency.ID {
			b.emails(r.ProvincialOffice.Email, r.ProvincialOffice.Name, WhyProvincialOffice, false)
		}
	}
	if p.CopyFollowUp && !p.DailyDigest && !self && r.FollowUp != nil {
		b.emails(r.FollowUp.Email, r.FollowUp.Name, WhyFollowUpCopy, true)
	}
	return b.out
}

// targets builds a deduplicated target list. A linear scan: a step has a
// handful of recipients.
type targets struct{ out []Target }

func (b *targets) add(addr, name, why string, copied bool) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return
	}
	for _, t := range b.out {
		if strings.EqualFold(t.Addr, addr) {
			return
		}
	}
	b.out = append(b.out, Target{Addr: addr, Name: name, Copy: copied, Why: why})
}

func (b *targets) emails(addrs []string, name, why string, copied bool) {
	for _, a := range addrs {
		b.add(a, name, why, copied)
	}
}

func (b *targets) list(addrs []string, name, why string) { b.emails(addrs, name, why, false) }

func (b *targets) head(a *model.Agency) { b.add(a.Head.Email, headName(a), WhyHead, false) }

// headName is the head's title ("Giám đốc Sở Tư pháp"), or a formal
// stand-in when the directory gives none.
func headName(a *model.Agency) string {
	t := strings.TrimSpace(a.Head.Title)
	switch {
	case t == "":
		return "Thủ trưởng " + a.Name
	case strings.Contains(t, a.Name) || (a.ShortName != "" && strings.Contains(t, a.ShortName)):
		return t // "Giám đốc Sở Tư pháp"
	default:
		return t + " " + a.Name // "Giám đốc" of Sở Tư pháp
	}
}

// RecipientName says who addr is, as a letter addresses them ("Kính gửi:
// …") and the web pages name them: an agency's mailbox is the agency, its
// head's address the head's title, the follow-up and provincial leadership
// addresses their leadership (Sở Nội vụ routed to the agency that answers
// for it on day on). ok is false for an address the configuration does not
// know.
func (s Setup) RecipientName(addr string, on schedule.Date) (name string, ok bool) {
	addr = strings.TrimSpace(addr)
	if s.Planner == nil || s.Planner.Directory == nil || addr == "" {
		return "", false
	}
	dir := s.Planner.Directory
	if a := dir.ByEmail(addr); a != nil {
		for _, e := range a.Email {
			if strings.EqualFold(e, addr) {
				return a.Name, true
			}
		}
		return headName(a), true
	}
	has := func(list []duty.Dated) bool {
		for _, e := range list {
			if strings.EqualFold(strings.TrimSpace(e.Addr), addr) {
				return true
			}
		}
		return false
	}
	if has(s.FollowUpLeadership) {
		if a, found := dir.Agency(s.FollowUp); found {
			return "Lãnh đạo " + Recipients{FollowUp: a}.On(dir, on).FollowUp.Name, true
		}
		return "Lãnh đạo cơ quan theo dõi", true
	}
	if has(s.ProvincialLeadership) {
		return "Lãnh đạo UBND tỉnh", true
	}
	return "", false
}
