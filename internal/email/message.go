// Package email turns the engine's notifications into Vietnamese mail and
// delivers it: templates (embedded, overridable by admins), a go-mail
// message builder with deterministic Message-IDs and threading headers, an
// SMTP sender that reuses one connection per batch and classifies every
// failure, and a directory sender that writes .eml files when no SMTP server
// is configured.
//
// The package is named email so that it does not shadow go-mail's package
// mail, which callers use for *mail.Msg.
package email

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Recipient is one mailbox. Name is shown in the From/To header and in
// "Kính gửi:"; for agencies it is their Vietnamese name.
type Recipient struct {
	Addr string
	Name string
}

// Kind says what a message is for; it picks the subject prefix and the
// wording of the body.
type Kind string

// The kinds of message nhachan sends.
const (
	KindReminder   Kind = "reminder"
	KindEscalation Kind = "escalation"
	KindDigest     Kind = "digest"
	KindWeekly     Kind = "weekly" // Sở Nội vụ's weekly summary
	KindTest       Kind = "test"
)

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

// Message is one mail to one recipient, grouping all of that recipient's
// items of the day.
type Message struct {
	// Key is stable across retries and restarts (e.g.
	// "2027-03-24/vanthu.snv@x.example/reminder"); the Message-ID derives
	// from it, so a re-sent message is recognisably the same message.
	Key  string
	From Recipient
	To   Recipient
	// ReplyTo, when set, is where replies go (Sở Nội vụ); optional.
	ReplyTo Recipient
	Kind    Kind
	// Copy marks Sở Nội vụ's copy of mail sent to another agency.
	Copy bool
	// Oversight marks an escalation to someone who follows the duties up
	// rather than answers for them (Sở Nội vụ's or the province's
	// leadership, Văn phòng UBND tỉnh): it informs them and asks them to
	// urge the agencies on, instead of asking them to submit.
	Oversight bool
	// Date is the send time shown in the Date header; under simulation it
	// is the virtual clock's time.
	Date  time.Time
	Items []Item
}

// vnZone is Vietnam's civil time. It has been UTC+7 without daylight saving
// since 1975, so a fixed zone is exact and needs no tzdata.
var vnZone = time.FixedZone("+07", 7*3600)

// MessageID returns "<h@domain>" where h is the first 32 hex digits of
// SHA-256(key). Hashing keeps addresses and Vietnamese text out of the
// header while staying deterministic, so a retried message keeps its id.
func MessageID(key, domain string) string {
	return "<" + idPart(key) + "@" + domain + ">"
}

// threadID is the id every message about one occurrence refers to.
func threadID(itemKey, domain string) string { return MessageID("thread/"+itemKey, domain) }

func idPart(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])[:32]
}

// Limits on hostile or runaway text: a name or task text longer than this
// is a data error, and truncating it keeps a mail readable.
const (
	maxNameRunes    = 300
	maxTextRunes    = 4000
	maxSubjectRunes = 150
)

// clean makes one field of directory or schedule text safe to render:
// valid UTF-8, NFC (so the same Vietnamese word is the same bytes
// everywhere), no control characters (CR, LF, NUL… become spaces: every
// field is one line), trimmed and capped.
func clean(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = norm.NFC.String(s)
	s = strings.Map(func(r rune) rune {
		if isControl(r) {
			return ' '
		}
		return r
	}, s)
	return truncate(strings.TrimSpace(s), max)
}

// isControl covers C0/C1 controls and the Unicode line and paragraph
// separators, which some clients render as line breaks.
func isControl(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// truncate caps s at max runes, marking the cut with "…".
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

func cleanList(in []string) []string {
	var out []string
	for _, s := range in {
		if s = clean(s, maxNameRunes); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// sanitized returns a copy of m whose text fields are all clean; the
// templates and headers only ever see sanitized text.
func sanitized(m Message) Message {
	m.From.Name = clean(m.From.Name, maxNameRunes)
	m.To.Name = clean(m.To.Name, maxNameRunes)
	m.ReplyTo.Name = clean(m.ReplyTo.Name, maxNameRunes)
	items := make([]Item, len(m.Items))
	for i, it := range m.Items {
		it.Step = clean(it.Step, 16)
		it.TaskID = clean(it.TaskID, 64)
		it.TaskText = clean(it.TaskText, maxTextRunes)
		it.Product = clean(it.Product, maxTextRunes)
		it.Period = clean(it.Period, maxNameRunes)
		it.LegalBasis = clean(it.LegalBasis, maxTextRunes)
		it.Agency = clean(it.Agency, maxNameRunes)
		it.Lead = cleanList(it.Lead)
		it.Coordinating = cleanList(it.Coordinating)
		it.ConfirmURL = clean(it.ConfirmURL, 2000)
		it.ExtendURL = clean(it.ExtendURL, 2000)
		it.Unassigned = clean(it.Unassigned, maxTextRunes)
		items[i] = it
	}
	m.Items = items
	return m
}
