package model

import (
	"regexp"
	"strings"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Schedule is one plan document (a decision and its appendix) with its
// dated duties.
type Schedule struct {
	ID           string
	Title        string
	Number       string // số ký hiệu of the document: "681/QĐ-UBND"
	Issuer       string // "Ủy ban nhân dân tỉnh Ninh Thuận"
	Decision     string
	Issued       schedule.Date
	From, Until  schedule.Date // the plan's own period
	CarryUntil   schedule.Date // an admin may carry recurring tasks past Until; equals Until otherwise
	StrictBefore bool
	FollowUp     string // the standing agency that follows up every task (Sở Nội vụ)
	Sections     []Section
	Tasks        []*Task
	File         string
}

// Section is a heading of the plan's appendix.
type Section struct {
	ID    string
	Title string
}

// Task is one dated duty of a schedule. Text fields are the decision's
// words, verbatim.
type Task struct {
	ID      string
	Section string
	// Title is a short name in Vietnamese for letters, subjects and pages
	// ("Kế hoạch CCHC năm"); Text keeps the decision's words. Empty: the
	// id stands for it (Label).
	Title        string
	Text         string
	Product      string
	Time         string // the time expression as the decision writes it
	Rule         string // an admin's expression used instead of Time, or ""
	RuleSource   string // the citation for Rule
	LeadText     string
	Lead         []string // agency or group ids
	CoordText    string
	Coordinating []string
	Note         string
	LegalBasis   string
	// WorkingDaysBefore sets the agencies' internal deadline N working days
	// before the rule's (the province's) date: tiered deadlines, Nghị định
	// 09/2019/NĐ-CP, Điều 8 khoản 5.
	WorkingDaysBefore int
	// DataCutoff is the regime's data cut-off as written (thời gian chốt số
	// liệu, Nghị định 09/2019/NĐ-CP, Điều 12), or ""; Cutoff is its reading.
	DataCutoff string
	Cutoff     schedule.Cutoff
	// ReminderDays overrides the policy's reminder days for this task (nil:
	// the policy's).
	ReminderDays []int
	// RemindOnly marks a soft duty ("theo nhu cầu", `escalate: false` in
	// the schedule): it is reminded, never escalated. The zero value
	// escalates, as every duty did before the key existed.
	RemindOnly bool
	// PlansNextYear marks a plan made in the year before the one it plans
	// (I.1, "Kế hoạch … hàng năm", due 31/12): its period is named by the
	// year it plans, like "trước ngày 10/12 của năm trước" is.
	PlansNextYear bool

	// Schedule is the schedule the task belongs to.
	Schedule *Schedule
	// Parsed is the rule the dates come from: Rule when given, else Time.
	Parsed schedule.Rule
	// Line is where the task starts in its file, for messages.
	Line, Col int
}

// Expression returns the text the dates are read from.
func (t *Task) Expression() string {
	if t.Rule != "" {
		return t.Rule
	}
	return t.Time
}

// periodYear reads the leading year of a period label ("2027-Q1": 2027).
func periodYear(label string) (int, bool) { return periodStartYear(label) }

// RuleDue returns the date the rule gives for period, before any
// working_days_before shift: the province's deadline when the agency's is
// earlier. ok is false when the rule has no such period.
func (t *Task) RuleDue(period string) (schedule.Date, bool) {
	y, ok := periodYear(period)
	if !ok {
		return 0, false
	}
	for _, o := range t.Parsed.Occurrences(y) {
		if o.Period == period {
			return o.Due, true
		}
	}
	return 0, false
}

// CutoffWindow returns the data window of period (thời gian chốt số liệu),
// or false when the task has no data_cutoff.
func (t *Task) CutoffWindow(period string) (from, to schedule.Date, ok bool) {
	y, ok := periodYear(period)
	if !ok || t.Cutoff.IsZero() {
		return 0, 0, false
	}
	return t.Cutoff.Window(period, y)
}

// Label is the task's title, or its id when it has none.
func (t *Task) Label() string {
	if t.Title != "" {
		return t.Title
	}
	return t.ID
}

// PeriodText names an occurrence's period in words for officials ("năm
// 2026", "quý IV/2025"), shifted to the year the task plans when it is a
// plan made the year before.
func (t *Task) PeriodText(period string) string {
	if t != nil && t.PlansNextYear {
		return schedule.PeriodTextShifted(period, 1)
	}
	return schedule.PeriodText(period)
}

// Quota is the count each period of a counted duty asks for ("ít nhất 03
// cuộc/năm": 3), or 0 for any other task.
func (t *Task) Quota() int {
	if t == nil || t.Parsed.Kind != schedule.KindQuota {
		return 0
	}
	return t.Parsed.Quota
}

// quotaUnitRE finds the counted word after the number: "03 cuộc/năm".
var quotaUnitRE = regexp.MustCompile(`\d+\s+(\p{L}+(?:\s+\p{L}+)?)\s*/`)

// QuotaUnit is what a counted duty counts, in the decision's word ("cuộc"),
// or "lần" when the text names none.
func (t *Task) QuotaUnit() string {
	if t != nil {
		if m := quotaUnitRE.FindStringSubmatch(t.Expression()); m != nil {
			return strings.ToLower(m[1])
		}
	}
	return "lần"
}
