package duty

import (
	"errors"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Via is how a submission reached nhachan.
type Via string

// The channels a submission can be recorded through.
const (
	ViaCLI    Via = "cli"
	ViaWeb    Via = "web"
	ViaLink   Via = "link"
	ViaImport Via = "import"
)

// Submission records that an agency sent what an occurrence asked for.
type Submission struct {
	OccurrenceID int64
	Ref          string // số ký hiệu of the document sent
	SubmittedOn  schedule.Date
	Note         string
	RecordedBy   string
	Via          Via
	// Quota, above 1, makes this one of the period's counted entries ("ít
	// nhất 03 cuộc/năm"): the duty is submitted only by the entry that
	// reaches the quota, and stays open, counted, until then.
	Quota int
}

// ErrAlreadyRecorded is returned (wrapped) by RecordSubmission when the
// occurrence already has a submission. Nothing is written: the first record
// stands. Callers that only need "it is recorded" (an official clicking the
// confirmation link twice) treat it as success.
var ErrAlreadyRecorded = errors.New("submission already recorded")

// ErrNotOpen is returned (wrapped) by Waive and Extend for an occurrence
// that is no longer owed (submitted, waived or history).
var ErrNotOpen = errors.New("occurrence is not open")

// ErrNotLater is returned (wrapped) by Extend when the new date does not
// move the deadline later: an extension that shortens a deadline would make
// agencies late retroactively.
var ErrNotLater = errors.New("extension is not later than the current deadline")

// ErrNoSubmission is returned (wrapped) by CorrectSubmission for an
// occurrence that has no submission to correct.
var ErrNoSubmission = errors.New("occurrence has no submission")

// ErrNotClosed is returned (wrapped) by Reopen for an occurrence that is
// neither submitted nor waived: there is nothing to reopen.
var ErrNotClosed = errors.New("occurrence is neither submitted nor waived")

// ErrNoReason is returned (wrapped) by Reopen when the reason is empty:
// undoing a decision must say why.
var ErrNoReason = errors.New("a reason is required")

// Record is an occurrence with what became of it: its submission, if any,
// and whether it was waived. Reports and calendar feeds read these.
type Record struct {
	Occurrence
	// SubmittedOn is the day the submission was made; 0 when none.
	SubmittedOn schedule.Date
	// Ref is the submission's số ký hiệu; "" when none.
	Ref string
	// Waived reports whether a waiver was granted. It can be true beside a
	// submission: an agency may submit a duty it was excused from, and the
	// state is then submitted.
	Waived bool
}

// Submitted reports whether a submission is recorded.
func (r Record) Submitted() bool { return r.State == StateSubmitted }

// BoardRow is an occurrence with the day it was submitted, for the board.
type BoardRow struct {
	Occurrence
	// SubmittedOn is the submission's date; 0 when there is none.
	SubmittedOn schedule.Date
}

// Submitted reports whether the row has a submission.
func (r BoardRow) Submitted() bool { return r.SubmittedOn != 0 }
