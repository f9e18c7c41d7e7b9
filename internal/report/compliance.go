// Package report turns stored occurrences into what Sở Nội vụ and the
// agencies read outside the web pages: the yearly compliance table (CSV,
// XLSX, HTML) and an iCalendar feed per agency.
//
// It is pure: it reads no clock (today and now are parameters), opens no
// file and touches no database; writers write to the io.Writer they are
// given. Names and texts come from the directory and the schedules, which
// admins edit, so every writer treats them as hostile: escaped in HTML and
// iCalendar, defused in CSV and XLSX (see cell.go).
package report

import (
	"sort"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Outcome is what became of one occurrence as of a day.
type Outcome int

// The outcomes. Their order is not significant.
const (
	// Untracked is a duty due before tracking started (state history) that
	// nobody recorded: nhachan cannot say, so reports leave it out.
	Untracked Outcome = iota
	// Pending is an unsubmitted duty whose deadline is today or later:
	// on its deadline day an agency can still submit on time.
	Pending
	// OnTime is a submission made on or before the deadline.
	OnTime
	// Late is a submission made after the deadline.
	Late
	// Overdue is an unsubmitted duty whose deadline has passed.
	Overdue
	// Waived is a duty excused and not submitted.
	Waived
)

// Classify says what became of r as of today. The deadline is the one in
// force, extensions included: an agency granted gia hạn is judged by it.
// A submission wins over a waiver (an agency may submit a waived duty). A
// self-declared date an admin has not confirmed does not count: until then
// the submission is judged by the day it was recorded (Record.JudgedOn).
func Classify(r duty.Record, today schedule.Date) Outcome {
	switch {
	case r.State == duty.StateSubmitted:
		if r.JudgedOn() <= r.Deadline {
			return OnTime
		}
		return Late
	case r.State == duty.StateWaived:
		return Waived
	case r.State == duty.StateHistory:
		return Untracked
	case r.Dropped && (r.State == duty.StateOpen || r.State == duty.StateUnassigned):
		// A reload no longer plans it: not owed, so neither pending nor
		// overdue; it leaves the table like a duty before tracking.
		return Untracked
	case r.Deadline < today:
		return Overdue
	}
	return Pending
}

// DaysLate is how many days r is or was late as of today: a late
// submission's delay, or an overdue duty's delay so far; 0 otherwise.
func DaysLate(r duty.Record, today schedule.Date) int {
	switch Classify(r, today) {
	case Late:
		return int(r.JudgedOn() - r.Deadline)
	case Overdue:
		return int(today - r.Deadline)
	}
	return 0
}

// Row is one line of the compliance table: one answering agency's duties.
//
// Due counts the duties that have come due or been settled:
// Due = OnTime + Late + Overdue + Waived. A duty submitted or waived before
// its deadline counts as due, so that submitting early is credited; an
// unsubmitted duty whose deadline is today or later is NotYetDue ("chưa đến
// hạn"), not held against the agency yet.
type Row struct {
	// Key is the answering agency's id, or "?" + the named agency's id for
	// duties nobody answers for (the schema's assignee column).
	Key string
	// Name is the agency's name from the directory, verbatim (hostile until
	// a writer escapes it); the id when the directory no longer has it.
	Name string
	// Unassigned marks a row of duties nobody answers for.
	Unassigned bool

	Due     int
	OnTime  int
	Late    int
	Overdue int
	Waived  int
	// DaysLate adds up the days of late submissions and, as of today, of
	// duties still overdue: not submitting at all must never score better
	// than submitting late.
	DaysLate  int
	NotYetDue int
	// Unconfirmed counts the submissions (within OnTime and Late) whose
	// self-declared date waits for an admin's confirmation: they are
	// counted by the day they were recorded until then.
	Unconfirmed int
}

// Rate returns the share of duties done on time among those that were
// owed (waived ones are not owed), and false when none were.
func (r Row) Rate() (float64, bool) {
	owed := r.OnTime + r.Late + r.Overdue
	if owed == 0 {
		return 0, false
	}
	return float64(r.OnTime) / float64(owed), true
}

// unassignedLabel is prefixed to the named agency's name on a row of duties
// nobody answers for.
const unassignedLabel = "Chưa có cơ quan thực hiện — "

// Compliance tallies records into one Row per answering agency, as of
// today. Records are typically one year's (sqlite.DB.YearRecords); untracked
// ones (history) are left out, and an agency with no other records gets no
// row. Agencies come first, then the unassigned rows, each sorted by name
// in Vietnamese collation ("Sở Tài chính" before "Sở Tư pháp", "Đ" after
// "D"), ties by key. dir may be nil: names are then the ids.
func Compliance(records []duty.Record, dir *model.Directory, today schedule.Date) []Row {
	byKey := map[string]*Row{}
	var rows []*Row
	for _, rec := range records {
		out := Classify(rec, today)
		if out == Untracked {
			continue
		}
		key := rec.AgencyID
		if key == "" {
			key = "?" + rec.NamedAgencyID
		}
		row := byKey[key]
		if row == nil {
			row = newRow(key, rec, dir)
			byKey[key] = row
			rows = append(rows, row)
		}
		switch out {
		case OnTime:
			row.OnTime++
		case Late:
			row.Late++
		case Overdue:
			row.Overdue++
		case Waived:
			row.Waived++
		case Pending:
			row.NotYetDue++
			continue
		}
		if rec.Unconfirmed && (out == OnTime || out == Late) {
			row.Unconfirmed++
		}
		row.Due++
		row.DaysLate += DaysLate(rec, today)
	}

	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Unassigned != b.Unassigned {
			return !a.Unassigned
		}
		if c := compareVietnamese(a.Name, b.Name); c != 0 {
			return c < 0
		}
		return a.Key < b.Key
	})
	out := make([]Row, len(rows))
	for i, r := range rows {
		out[i] = *r
	}
	return out
}

func newRow(key string, rec duty.Record, dir *model.Directory) *Row {
	row := &Row{Key: key, Unassigned: rec.AgencyID == ""}
	id := rec.AgencyID
	if row.Unassigned {
		id = rec.NamedAgencyID
	}
	row.Name = id
	if dir != nil {
		if a, ok := dir.Agency(id); ok && a.Name != "" {
			row.Name = a.Name
		}
	}
	if row.Unassigned {
		row.Name = unassignedLabel + row.Name
	}
	return row
}
