package duty

import (
	"time"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// The kinds of notice nhachan sends.
const (
	// KindReminder and KindEscalation are duty letters: they tell an
	// agency (its mailboxes or its head) what it owes, and nothing else.
	KindReminder   Kind = "reminder"
	KindEscalation Kind = "escalation"
	// KindOversight tells those who follow duties up (Sở Nội vụ, Văn
	// phòng UBND tỉnh, the leadership) about other agencies' duties,
	// grouped by duty and state; it never asks the reader to submit.
	KindOversight Kind = "oversight"
	KindDigest    Kind = "digest"
	KindWeekly    Kind = "weekly" // Sở Nội vụ's weekly summary
	KindTest      Kind = "test"
)

// Reader says who reads a letter, which sets its register: a peer agency
// is asked ("Sở Nội vụ đề nghị Sở Tư pháp …"), a head is asked to direct
// ("đề nghị Giám đốc Sở … quan tâm chỉ đạo"), superiors are reported to
// ("kính báo cáo … xem xét, chỉ đạo").
type Reader string

// The readers.
const (
	ReaderAgency               Reader = "agency"                // an agency's mailbox, about its own duties
	ReaderHead                 Reader = "head"                  // its head, about its own duties
	ReaderFollowUp             Reader = "follow-up"             // Sở Nội vụ's own mailbox (copies, unassigned duties, summaries)
	ReaderFollowUpLeadership   Reader = "follow-up-leadership"  // Sở Nội vụ's leaders
	ReaderProvincialOffice     Reader = "provincial-office"     // Văn phòng UBND tỉnh
	ReaderProvincialLeadership Reader = "provincial-leadership" // the provincial leadership
	// The follow-up agency about its own duties: its mailbox is reminded by
	// its desk, its head is reported to.
	ReaderOwn     Reader = "own"
	ReaderOwnHead Reader = "own-head"
)

// Duty is one task for one period in an oversight letter or a summary:
// its text once, then every agency that owes it, by state.
type Duty struct {
	// Key identifies the duty ("681-QD-UBND-2021/TCTH.1a.hang-nam/2026")
	// for threading.
	Key      string
	TaskID   string
	Title    string // "Kế hoạch CCHC năm 2026"
	TaskText string
	Product  string
	// Due is the date the document sets; agencies' own deadlines may
	// differ (extensions).
	Due        schedule.Date
	LegalBasis string
	// Quota and QuotaUnit describe a counted duty ("3", "cuộc").
	Quota     int
	QuotaUnit string
	// Regime is the period's report-regime dates (tier, data cut-off), or
	// zero.
	Regime   Regime
	Agencies []AgencyState
}

// DutyState is where one agency stands on a duty.
type DutyState string

// The states, as Quyết định 42/2014/QĐ-TTg names them, and the two an
// oversight letter must also show.
const (
	DutySubmitted  DutyState = "submitted"  // đã hoàn thành
	DutyOpen       DutyState = "open"       // chưa hoàn thành, còn trong hạn
	DutyOverdue    DutyState = "overdue"    // chưa hoàn thành, đã quá hạn
	DutyWaived     DutyState = "waived"     // được miễn
	DutyUnassigned DutyState = "unassigned" // chưa có cơ quan thực hiện
)

// AgencyState is one agency's standing on a duty.
type AgencyState struct {
	// Name is the agency as it is on the send day, with the decision's
	// agency in parentheses when the duty passed to a successor.
	Name     string
	State    DutyState
	Deadline schedule.Date
	// DaysLeft counts from the letter's date to Deadline (<0: late).
	DaysLeft    int
	SubmittedOn schedule.Date
	// QuotaDone counts a counted duty's entries so far.
	QuotaDone int
	// Note says why nobody answers (DutyUnassigned).
	Note string
}

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
	// Title names the duty in words: the task's title and its period
	// ("Kế hoạch CCHC năm 2026"); PeriodText the period alone.
	Title      string
	PeriodText string
	// Role is "chủ trì" or "phối hợp".
	Role string
	// Quota, QuotaDone and QuotaUnit count a counted duty: "đã thực hiện
	// 1/3 cuộc".
	Quota, QuotaDone int
	QuotaUnit        string
	// Regime is the period's report-regime dates: the province's deadline
	// when the agency's is earlier, and the data cut-off; zero for a duty
	// of no regime.
	Regime Regime
	// OccurrenceID is the stored duty, for the composer; never shown.
	OccurrenceID int64
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
	// Kind is the notice's purpose: a duty letter (reminder, escalation),
	// an oversight letter, a digest or the weekly summary.
	Kind Kind
	// Reader sets the register (see Reader); ReaderName is how the body
	// names the reader after "đề nghị" ("Sở Tư pháp", "Giám đốc Sở Tư
	// pháp"); empty: To.Name.
	Reader     Reader
	ReaderName string
	// Sender is the follow-up agency as it is named on the send day ("Sở
	// Nội vụ tỉnh Ninh Thuận"), who speaks in every letter; SenderShort
	// how the prose names it ("Sở Nội vụ").
	Sender, SenderShort string
	// Plan cites the decision the duties come from ("Quyết định số
	// 681/QĐ-UBND ngày 27/10/2021 của Ủy ban nhân dân tỉnh Ninh Thuận").
	Plan string
	// Contact is the desk of the send day: replies go to it and the
	// footer names it.
	Contact Contact
	// Demo marks a demonstration: the first line says so.
	Demo bool
	// Date is the send time in the configured zone, which letters read
	// their dates in; under simulation it is the virtual clock's.
	Date  time.Time
	Items []Item
	// Duties are what an oversight letter or a summary reports on.
	Duties []Duty
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
