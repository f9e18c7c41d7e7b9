package duty

import (
	"errors"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// State is where an occurrence stands.
type State string

// The occurrence states.
const (
	StateOpen       State = "open"       // owed; reminders and escalations apply
	StateSubmitted  State = "submitted"  // done; nothing more is sent
	StateWaived     State = "waived"     // excused; nothing more is sent
	StateHistory    State = "history"    // due before tracking started; never reminded
	StateUnassigned State = "unassigned" // nobody answers (ended agency, no successor)
)

// Occurrence is a stored occurrence. Its identity is (ScheduleID,
// TaskID, Period, and AgencyID or, when that is empty, NamedAgencyID).
type Occurrence struct {
	ID            int64
	ScheduleID    string
	TaskID        string
	Period        string
	AgencyID      string // "" when unassigned
	NamedAgencyID string
	Role          model.Role
	Due           schedule.Date // nominal
	EffectiveDue  schedule.Date // rolled forward to a working day
	// ExtendedDue is the latest granted extension; 0 means none. It is read
	// back, never written by UpsertOccurrences.
	ExtendedDue schedule.Date
	// Deadline is the day the duty is owed (the later of EffectiveDue and
	// ExtendedDue); read back only.
	Deadline schedule.Date
	State    State
}

// ErrNotFound is returned (wrapped) when an occurrence or notification id
// does not exist.
var ErrNotFound = errors.New("not found")
