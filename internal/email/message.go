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
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// Message is one letter: the engine's notice with the sender's identity
// (the follow-up agency's display name and mailbox) and where replies go.
type Message struct {
	duty.Notice
	From duty.Recipient
	// ReplyTo, when set, is where replies go (Sở Nội vụ's desk).
	ReplyTo duty.Recipient
}

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
	m.ReaderName = clean(m.ReaderName, maxNameRunes)
	m.Sender = clean(m.Sender, maxNameRunes)
	m.SenderShort = clean(m.SenderShort, maxNameRunes)
	m.Plan = clean(m.Plan, maxTextRunes)
	m.Contact = duty.Contact{Desk: clean(m.Contact.Desk, maxNameRunes), Addr: clean(m.Contact.Addr, maxNameRunes),
		Phone: clean(m.Contact.Phone, maxNameRunes), Address: clean(m.Contact.Address, maxNameRunes)}
	items := make([]duty.Item, len(m.Items))
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
		it.Title = clean(it.Title, maxNameRunes)
		it.PeriodText = clean(it.PeriodText, maxNameRunes)
		it.Role = clean(it.Role, 32)
		it.QuotaUnit = clean(it.QuotaUnit, 32)
		items[i] = it
	}
	m.Items = items
	duties := make([]duty.Duty, len(m.Duties))
	for i, d := range m.Duties {
		d.TaskID = clean(d.TaskID, 64)
		d.Title = clean(d.Title, maxNameRunes)
		d.TaskText = clean(d.TaskText, maxTextRunes)
		d.Product = clean(d.Product, maxTextRunes)
		d.LegalBasis = clean(d.LegalBasis, maxTextRunes)
		d.QuotaUnit = clean(d.QuotaUnit, 32)
		as := make([]duty.AgencyState, len(d.Agencies))
		for j, a := range d.Agencies {
			a.Name = clean(a.Name, maxNameRunes)
			a.Note = clean(a.Note, maxTextRunes)
			as[j] = a
		}
		d.Agencies = as
		duties[i] = d
	}
	m.Duties = duties
	return m
}
