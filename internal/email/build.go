package email

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"

	"github.com/wneessen/go-mail"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// Build assembles the go-mail message for m with its rendered content.
// Everything that reaches a header is checked or cleaned here: addresses
// must parse as one plain addr-spec (no CR/LF, no display-name tricks), the
// subject is forced onto one line, and the ids are derived from hashes. The
// MIME boundary is derived from the key and the content, so the same
// message always serialises to the same bytes (the outbox folder relies on
// it), while text that guesses the boundary cannot exist: the boundary
// depends on that very text.
func Build(m Message, r Rendered, domain string) (*mail.Msg, error) {
	if m.Key == "" {
		return nil, errors.New("email: message has no key")
	}
	if err := checkDomain(domain); err != nil {
		return nil, err
	}
	if m.Date.IsZero() {
		return nil, fmt.Errorf("email: message %q has no date", m.Key)
	}
	from, err := address(m.From)
	if err != nil {
		return nil, fmt.Errorf("email: from: %w", err)
	}
	to, err := address(m.To)
	if err != nil {
		return nil, fmt.Errorf("email: to: %w", err)
	}

	sum := sha256.Sum256([]byte(m.Key + "\x00" + r.Subject + "\x00" + r.Text + "\x00" + r.HTML))
	msg := mail.NewMsg(
		mail.WithCharset(mail.CharsetUTF8),
		mail.WithEncoding(mail.EncodingQP),
		mail.WithBoundary("nhachan-"+hex.EncodeToString(sum[:16])),
		mail.WithNoDefaultUserAgent(),
	)
	msg.FromMailAddress(from)
	msg.ToMailAddress(to)
	if m.ReplyTo.Addr != "" {
		rt, err := address(m.ReplyTo)
		if err != nil {
			return nil, fmt.Errorf("email: reply-to: %w", err)
		}
		msg.ReplyToMailAddress(rt)
	}
	msg.Subject(clean(r.Subject, maxSubjectRunes))
	msg.SetDateWithValue(m.Date)
	msg.SetMessageIDWithValue(idPart(m.Key) + "@" + domain) // go-mail adds the brackets
	if refs := threadIDs(m, domain); refs != "" {
		// Generic, not preformatted, headers: go-mail writes those sorted,
		// which keeps the serialisation deterministic. Ids are ASCII, so
		// they are not encoded.
		msg.SetGenHeader(mail.HeaderInReplyTo, refs)
		msg.SetGenHeader(mail.HeaderReferences, refs)
	}
	// RFC 3834: marks the mail as automatic, so well-behaved responders do
	// not answer it; the Microsoft header does the same for Exchange.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(mail.HeaderXAutoResponseSuppress, "All")
	msg.SetGenHeader(mail.HeaderUserAgent, "nhachan")
	msg.SetGenHeader("X-Nhachan-duty.Kind", clean(string(m.Kind), 32))
	if ids := taskIDs(m); ids != "" {
		msg.SetGenHeader("X-Nhachan-Tasks", ids)
	}
	msg.SetBodyString(mail.TypeTextPlain, r.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, r.HTML)
	return msg, nil
}

// address validates a recipient. The address must be exactly what
// net/mail parses back, so "a@x.example\r\nBcc: e@evil" or
// "a@x, b@y" are rejected rather than repaired.
func address(r duty.Recipient) (*netmail.Address, error) {
	if r.Addr == "" {
		return nil, errors.New("empty address")
	}
	if strings.ContainsFunc(r.Addr, isControl) {
		return nil, fmt.Errorf("address %q contains control characters", r.Addr)
	}
	a, err := netmail.ParseAddress(r.Addr)
	if err != nil || a.Address != r.Addr || a.Name != "" {
		return nil, fmt.Errorf("invalid address %q", r.Addr)
	}
	return &netmail.Address{Name: clean(r.Name, maxNameRunes), Address: a.Address}, nil
}

// checkDomain accepts a plain host name for the right-hand side of ids.
func checkDomain(d string) error {
	if d == "" || len(d) > 253 {
		return fmt.Errorf("email: invalid message-id domain %q", d)
	}
	for _, c := range d {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return fmt.Errorf("email: invalid message-id domain %q", d)
		}
	}
	return nil
}

// threadIDs lists the distinct occurrence thread ids, space separated as
// References wants; go-mail folds the line at the spaces.
func threadIDs(m Message, domain string) string {
	var ids []string
	seen := map[string]bool{}
	add := func(key string) {
		if key == "" || seen[key] {
			return
		}
		seen[key] = true
		ids = append(ids, threadID(key, domain))
	}
	for _, it := range m.Items {
		add(it.Key)
	}
	for _, d := range m.Duties {
		add(d.Key)
	}
	return strings.Join(ids, " ")
}

// taskIDs is the X-Nhachan-Tasks value: distinct ids, cleaned, capped, so
// that filters and scripts can match on them.
func taskIDs(m Message) string {
	var ids []string
	seen := map[string]bool{}
	all := make([]string, 0, len(m.Items)+len(m.Duties))
	for _, it := range m.Items {
		all = append(all, it.TaskID)
	}
	for _, d := range m.Duties {
		all = append(all, d.TaskID)
	}
	for _, raw := range all {
		id := strings.ReplaceAll(clean(raw, 64), ",", " ")
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		ids = append(ids, id)
	}
	return truncate(strings.Join(ids, ", "), 900)
}
