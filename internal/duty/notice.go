package duty

import (
	"time"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// The kinds of notice nhachan sends.
const (
	KindReminder   Kind = "reminder"
	KindEscalation Kind = "escalation"
	KindDigest     Kind = "digest"
	KindWeekly     Kind = "weekly" // Sở Nội vụ's weekly summary
	KindTest       Kind = "test"
)

// Recipient is one mailbox. Name is shown in the From/To header and in
// "Kính gửi:"; for agencies it is their Vietnamese name.
type Recipient struct {
	Addr string
	Name string
}

// Kind says what a notice is for; it picks the subject prefix and the
// wording of the letter.
type Kind string

// Item is one occurrence (task × period × agency) mentioned in a message.
type Item struct {
	// Key identifies the occurrence for good, e.g.
	// "681-QD-UBND-2021/I.3/2027/so-noi-vu"; every mail about it carries
	// the same thread id derived from it, so mail clients thread them.
	Key string
	// Step is the policy step: "R14","R7","R3","R1","R0" for reminders,
	// "E1","E2","E3"… for escalations.
	Step       string
	Escalation bool
	TaskID     string
	TaskText   string
	Product    string
	Period     string
	// Due is the date the document sets; EffectiveDue is the date the
	// deadline really ends (moved past non-working days, or extended).
	Due          schedule.Date
	EffectiveDue schedule.Date
	// DaysLeft counts days from the message date to EffectiveDue: >0 days
	// left, 0 due today, <0 days late.
	DaysLeft     int
	LegalBasis   string
	Agency       string
	Lead         []string
	Coordinating []string
	// ConfirmURL and ExtendURL are the signed links of the web UI; empty
	// until it exists, and then the links are omitted.
	ConfirmURL string
	ExtendURL  string
	// Unassigned, when non-empty, says why nobody receives this item
	// (no agency, no address); Sở Nội vụ sees the reason.
	Unassigned string
	// SubmittedOn is the day the agency submitted (weekly summary), or 0.
	SubmittedOn schedule.Date
}

// Notice is what the engine hands a delivery channel: one recipient's
// outgoing notice of the day, grouping all of that recipient's items. The
// channel turns it into a letter (the mail adapter: templates, headers,
// go-mail) and reports an Outcome.
type Notice struct {
	// Key is stable across retries and restarts (a hash of the outbox keys
	// it carries); a channel derives its message id from it, so a notice
	// sent again after a crash is recognisably the same notice.
	Key string
	To  Recipient
	// Kind is the notice's purpose: reminder, escalation, digest, weekly.
	Kind Kind
	// Copy marks the follow-up agency's (Sở Nội vụ's) copy of a notice sent
	// to another agency.
	Copy bool
	// Oversight marks an escalation to someone who follows the duties up
	// rather than answers for them (Sở Nội vụ's or the province's
	// leadership, Văn phòng UBND tỉnh): it informs them and asks them to
	// urge the agencies on, instead of asking them to submit.
	Oversight bool
	// Date is the send time in the configured zone, which letters read
	// their dates in; under simulation it is the virtual clock's.
	Date  time.Time
	Items []Item
}

// Class says what the engine should do about one notice's outcome.
type Class int

// String names the class for logs.
func (c Class) String() string {
	switch c {
	case Delivered:
		return "ok"
	case Temporary:
		return "temporary"
	case Permanent:
		return "permanent"
	case Misconfigured:
		return "config"
	}
	return "unknown"
}

// The classes of outcome.
const (
	// Delivered: the channel accepted the message (its final "250" was read).
	Delivered Class = iota
	// Temporary: retry later with backoff — a 4xx reply, a refused, reset
	// or timed-out connection, a DNS failure, or a message not attempted
	// because the connection was lost earlier in the batch.
	Temporary
	// Permanent: the server refused this message for good (5xx for its
	// recipient or content). Record and report it; do not retry.
	Permanent
	// Misconfigured: the setup is wrong (authentication, TLS missing or failing,
	// sender refused). Every message would fail the same way: report once
	// and hold the outbox until the configuration changes, instead of
	// retrying each message in a storm.
	Misconfigured
)

// Outcome is what a channel reports for one notice.
type Outcome struct {
	Class Class
	Err   error
	// Response is the far end's final reply, e.g. "250 2.0.0 Ok: queued as
	// 4F2…", or where a file channel wrote the letter. It is for admins.
	Response string
	// MessageID and Subject identify what was sent, for the log and the
	// notification record; set whenever the letter could be built.
	MessageID string
	Subject   string
}
