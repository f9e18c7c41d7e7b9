package duty

import (
	"fmt"
	"strings"
	"time"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// SubmissionRecord is a stored submission.
type SubmissionRecord struct {
	Submission
	RecordedAt time.Time
	// Declared: the date is self-declared (Submission.SelfDeclared, as
	// stored); ConfirmedBy and ConfirmedAt say which admin confirmed it,
	// "" and zero while it waits.
	Declared    bool
	ConfirmedBy string
	ConfirmedAt time.Time
}

// Unconfirmed reports whether the date still waits for an admin.
func (s SubmissionRecord) Unconfirmed() bool { return s.Declared && s.ConfirmedBy == "" }

// WaiverRecord is a stored waiver.
type WaiverRecord struct {
	Reason, Actor string
	At            time.Time
}

// ExtensionRecord is one granted extension.
type ExtensionRecord struct {
	PreviousDue, NewDue schedule.Date
	Reason, Actor       string
	At                  time.Time
}

// ExtensionRequest is an agency's pending request for more time (from a
// "Xin gia hạn" link), as admins see it: the latest date and reason asked
// for, who asked, how many times, and when first and last.
type ExtensionRequest struct {
	Actor       string
	Until       schedule.Date
	Reason      string
	Times       int
	FirstAt, At time.Time
}

// AuditRecord is one row of the audit log; Detail is its JSON object.
type AuditRecord struct {
	At                    time.Time
	Actor, Action, Detail string
}

// EntryKind says what a timeline entry is.
type EntryKind string

// The kinds of timeline entries.
const (
	EntryMail       EntryKind = "mail"
	EntrySubmission EntryKind = "submission"
	EntryWaiver     EntryKind = "waiver"
	EntryExtension  EntryKind = "extension"
	EntryAudit      EntryKind = "audit"
)

// TimelineEntry is one event of an occurrence's life; exactly the field
// named by Kind is set.
type TimelineEntry struct {
	At         time.Time
	Kind       EntryKind
	Mail       *OutboxRow
	Submission *SubmissionRecord
	Waiver     *WaiverRecord
	Extension  *ExtensionRecord
	Audit      *AuditRecord
}

// Timeline is everything recorded about one occurrence.
type Timeline struct {
	Occurrence Occurrence
	Mails      []OutboxRow // by creation, then id
	Submission *SubmissionRecord
	Waiver     *WaiverRecord
	Extensions []ExtensionRecord // oldest first
	Audit      []AuditRecord     // rows for "occurrence/<id>", oldest first
	// Entries merges all of the above in time order (a mail counts at its
	// sending, or its queueing when unsent); ties keep the order above.
	Entries []TimelineEntry
	// Dropped says why a reload stopped planning the duty ("" when it did
	// not): see Record.Dropped.
	Dropped string
}

// AuditEntry is one row of the audit log with its id and object, as the
// admin area lists it. Detail is the row's JSON object.
type AuditEntry struct {
	ID     int64
	At     time.Time
	Actor  string
	Action string
	Object string // "occurrence/<id>", or another object's name
	Detail string
}

// OccurrenceID returns the occurrence the entry is about, or 0 when its
// object is not an occurrence.
func (e AuditEntry) OccurrenceID() int64 {
	rest, ok := strings.CutPrefix(e.Object, "occurrence/")
	if !ok {
		return 0
	}
	var id int64
	if _, err := fmt.Sscanf(rest, "%d", &id); err != nil || OccurrenceObject(id) != e.Object {
		return 0
	}
	return id
}

// OccurrenceObject is the audit log's name of an occurrence.
func OccurrenceObject(id int64) string { return fmt.Sprintf("occurrence/%d", id) }
