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
	// RecordedOn is the civil day, in the configuration's zone, the
	// submission is recorded; link submissions must set it. A link's
	// SubmittedOn earlier than RecordedOn is self-declared: it counts only
	// once an admin confirms it (ConfirmSubmission), and reports judge the
	// submission by RecordedOn until then.
	RecordedOn schedule.Date
}

// SelfDeclared reports whether s's date is the official's word alone: a
// link submission dated before the day it was recorded.
func (s Submission) SelfDeclared() bool {
	return s.Via == ViaLink && s.RecordedOn != 0 && s.SubmittedOn < s.RecordedOn
}

// ErrAlreadyRecorded is returned (wrapped) by RecordSubmission when the
// occurrence already has a submission. Nothing is written: the first record
// stands. Callers that only need "it is recorded" (an official clicking the
// confirmation link twice) treat it as success.
var ErrAlreadyRecorded = errors.New("submission already recorded")

// ErrKeptWaived is returned (wrapped) by RecordSubmission for a link
// submission of a waived occurrence: the waiver stands, and the agency's
// confirmation is kept in the audit log for the admins (committed).
var ErrKeptWaived = errors.New("occurrence is waived; the link confirmation is logged")

// ErrNotSelfDeclared is returned (wrapped) by ConfirmSubmission for a
// submission whose date needs no confirmation.
var ErrNotSelfDeclared = errors.New("submission date is not self-declared")

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
	// Unconfirmed marks a submission whose date is self-declared (a link's
	// date before its recording day) and not yet confirmed by an admin;
	// RecordedOn is the day it was recorded, by which it is judged until
	// then (0 when unknown).
	Unconfirmed bool
	RecordedOn  schedule.Date
	// Dropped: a reload found that the configured plans no longer give
	// this duty (its task was removed, or it no longer falls to the
	// agency); its pending mail was cancelled. An open dropped duty is not
	// owed any more: reports and the board do not count it.
	Dropped bool
}

// Submitted reports whether a submission is recorded.
func (r Record) Submitted() bool { return r.State == StateSubmitted }

// JudgedOn is the day the submission counts as made: its date, or the day
// it was recorded while that date is an unconfirmed self-declaration.
func (r Record) JudgedOn() schedule.Date {
	if r.Unconfirmed && r.RecordedOn != 0 {
		return r.RecordedOn
	}
	return r.SubmittedOn
}

// BoardRow is an occurrence with the day it was submitted, for the board.
type BoardRow struct {
	Occurrence
	// SubmittedOn is the submission's date; 0 when there is none.
	SubmittedOn schedule.Date
	// Unconfirmed: SubmittedOn is a self-declared date an admin has not
	// confirmed yet; RecordedOn is the day the submission was recorded.
	Unconfirmed bool
	RecordedOn  schedule.Date
	// Dropped: a reload no longer plans this duty (see Record.Dropped).
	Dropped bool
}

// Submitted reports whether the row has a submission.
func (r BoardRow) Submitted() bool { return r.SubmittedOn != 0 }

// JudgedOn is the day the submission counts as made: its date, or the day
// it was recorded while that date is an unconfirmed self-declaration.
func (r BoardRow) JudgedOn() schedule.Date {
	if r.Unconfirmed && r.RecordedOn != 0 {
		return r.RecordedOn
	}
	return r.SubmittedOn
}
