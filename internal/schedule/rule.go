package schedule

// Kind classifies what a time expression asks for.
type Kind string

// The kinds of rule. Their string values are a stable contract (JSON, CLI).
const (
	KindOneOff     Kind = "one-off"    // fixed dates in the text: "Quý IV/2021", "Năm 2023"
	KindAnnual     Kind = "annual"     // once per year: "Quý I hàng năm", "trước ngày 10/12 của năm trước"
	KindSemiannual Kind = "semiannual" // twice per year: "định kỳ 6 tháng", "trước ngày 20/6 và 20/12 hằng năm"
	KindQuarterly  Kind = "quarterly"  // "hằng quý", "chậm nhất vào ngày 20 tháng cuối quý"
	KindMonthly    Kind = "monthly"    // "hằng tháng", "trước ngày 15 hằng tháng"
	KindWeekly     Kind = "weekly"     // "hằng tuần", "thứ Sáu hằng tuần"
	KindQuota      Kind = "quota"      // a count per period: "ít nhất 03 cuộc/năm"
	KindContinuous Kind = "continuous" // "Thường xuyên trong năm": ongoing, no due date
	KindOnDemand   Kind = "on-demand"  // "Khi có yêu cầu", "Đột xuất": no due date until asked
	KindUnresolved Kind = "unresolved" // the text gives no date that can be read with confidence
)

// HasDueDates reports whether rules of this kind produce due dates.
func (k Kind) HasDueDates() bool {
	switch k {
	case KindContinuous, KindOnDemand, KindUnresolved:
		return false
	}
	return true
}

// Options change how expressions are read; they are per schedule.
type Options struct {
	// StrictBefore reads "trước ngày X" as ending the day before X. The
	// default (false) is the offices' reading: no later than X, the reading
	// under which a report sent on day X is on time.
	StrictBefore bool
}

// Occurrence is one due date of a rule: the period (kỳ) it is for and the
// nominal due date the text gives. The effective date (after Điều 148
// roll-forward) is the calendar's business.
//
// Period labels are a stable contract: "2027" (a year), "2027-H1"/"2027-H2"
// (half years), "2027-Q1".."2027-Q4", "2027-03" (a month), "2027-W05" (an
// ISO week), "2024-2025" (a multi-year span), "2021-11-10" (a bare date).
type Occurrence struct {
	Period string `json:"period"`
	Due    Date   `json:"due"`
	// Quota is the count the period asks for (KindQuota only), else 0.
	Quota int `json:"quota,omitempty"`
}
