package httpui

import (
	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Status is where an occurrence stands as the board shows it: the stored
// state read against today and the submission date. The values are the
// slugs of the "trang-thai" filter and the CSS classes of the cells.
type Status string

// The board's statuses, in legend order.
const (
	OnTime       Status = "dung-han"       // submitted on or before the deadline
	Late         Status = "nop-muon"       // submitted after the deadline
	InTime       Status = "trong-han"      // open, more than dueSoonDays left
	DueSoon      Status = "sap-den-han"    // open, 0 to dueSoonDays left
	Overdue      Status = "qua-han"        // open, the deadline has passed
	Excused      Status = "mien-gia-han"   // waived, or extended and not yet overdue
	Unassigned   Status = "chua-giao"      // nobody answers for it
	BeforeTracks Status = "truoc-theo-doi" // due before tracking started, never reminded
	// Declared: submitted through a link with a sending date earlier than
	// the day it was recorded, not yet confirmed by an admin. It is not
	// counted on time until then.
	Declared Status = "tu-khai"
	// Dropped: a reload no longer plans the duty (its task left the
	// schedule, or it no longer falls to the agency): not owed any more.
	Dropped Status = "ngung-theo-doi"
)

// dueSoonDays is how near a deadline must be for "sắp đến hạn", the same
// week the first reminder (R7) goes out.
const dueSoonDays = 7

// statuses lists every status in legend order.
var statuses = []Status{OnTime, Late, Declared, InTime, DueSoon, Overdue, Excused, Unassigned, BeforeTracks, Dropped}

var statusLabels = map[Status]string{
	OnTime:       "Đã nộp đúng hạn",
	Late:         "Nộp muộn",
	InTime:       "Trong hạn",
	DueSoon:      "Sắp đến hạn (≤ 7 ngày)",
	Overdue:      "Quá hạn",
	Excused:      "Miễn/gia hạn",
	Unassigned:   "Chưa có cơ quan nhận",
	BeforeTracks: "Trước khi theo dõi",
	Declared:     "Tự khai, chờ xác nhận",
	Dropped:      "Không còn trong kế hoạch",
}

// Label is the status in Vietnamese.
func (s Status) Label() string { return statusLabels[s] }

// parseStatus reads a filter value; ok is false for an unknown slug.
func parseStatus(v string) (Status, bool) {
	s := Status(v)
	_, ok := statusLabels[s]
	return s, ok
}

// statusOf classifies an occurrence on day today. A submission decides
// first, whatever the stored state (history rows completed by an import
// count as on time or late like any other); an extension shows as
// "miễn/gia hạn" only until the extended deadline passes. A self-declared
// sending date that an admin has not confirmed is "tự khai, chờ xác nhận",
// never "đúng hạn".
func statusOf(r duty.BoardRow, today schedule.Date) Status {
	if r.Submitted() && r.Unconfirmed {
		return Declared
	}
	if r.Submitted() || r.State == duty.StateSubmitted {
		if r.Submitted() && r.SubmittedOn > r.Deadline {
			return Late
		}
		return OnTime
	}
	if r.Dropped && (r.State == duty.StateOpen || r.State == duty.StateUnassigned) {
		return Dropped
	}
	switch r.State {
	case duty.StateWaived:
		return Excused
	case duty.StateUnassigned:
		return Unassigned
	case duty.StateHistory:
		return BeforeTracks
	}
	left := int(r.Deadline - today)
	switch {
	case left < 0:
		return Overdue
	case r.ExtendedDue != 0:
		return Excused
	case left <= dueSoonDays:
		return DueSoon
	}
	return InTime
}

// StatusOf is the board's status of an occurrence on day today, for
// `nhachan status`, which names states as the board does.
func StatusOf(r duty.BoardRow, today schedule.Date) Status { return statusOf(r, today) }

// Statuses lists every status in legend order.
func Statuses() []Status { return append([]Status(nil), statuses...) }

// statusShort is what each board cell writes: a symbol and a word, so that
// the state reads without the colour (a phone in the sun, a colour-blind
// reader, a printout). The legend gives the symbols with the full names.
var statusShort = map[Status]string{
	OnTime:       "✓ đúng hạn",
	Late:         "✓ nộp muộn",
	InTime:       "○ trong hạn",
	DueSoon:      "◔ sắp đến hạn",
	Overdue:      "✗ quá hạn",
	Excused:      "– miễn/gia hạn",
	Unassigned:   "? chưa giao",
	BeforeTracks: "· trước theo dõi",
	Declared:     "! tự khai",
	Dropped:      "⊘ ngừng theo dõi",
}

// Short is the status as a board cell writes it.
func (s Status) Short() string { return statusShort[s] }

// timelineRow is the board row of a timeline's occurrence and submission.
func timelineRow(tl duty.Timeline) duty.BoardRow {
	row := duty.BoardRow{Occurrence: tl.Occurrence}
	row.Dropped = tl.Dropped != ""
	if sb := tl.Submission; sb != nil {
		row.SubmittedOn, row.RecordedOn, row.Unconfirmed = sb.SubmittedOn, sb.RecordedOn, sb.Unconfirmed()
	}
	return row
}
