package duty

import (
	"fmt"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Regime is what a report regime (Nghị định 09/2019/NĐ-CP) adds to one
// period of a duty: the province's deadline when the agencies' is set
// working days earlier (tiered deadlines, Điều 8 khoản 5), and the
// period's data cut-off (thời gian chốt số liệu, Điều 12). The zero value
// is a duty of no regime: it says nothing.
//
// The duty page and the letters word both facts with TierText and
// CutoffText, so an official reads the same sentence wherever they look.
type Regime struct {
	// AgencyDue is the agencies' deadline (the rule's date moved
	// WorkingDaysBefore working days earlier) and ProvinceDue the rule's
	// own date, by which the province reports; both 0 without a tier.
	AgencyDue, ProvinceDue schedule.Date
	WorkingDaysBefore      int
	// CutoffFrom and CutoffTo bound the period's data (both days
	// included); both 0 without a data_cutoff.
	CutoffFrom, CutoffTo schedule.Date
}

// RegimeOf reads task t's regime for one period whose agencies' (nominal)
// due date is due. A task without working_days_before or data_cutoff
// gives the zero Regime.
func RegimeOf(t *model.Task, period string, due schedule.Date) Regime {
	var r Regime
	if t == nil {
		return r
	}
	if t.WorkingDaysBefore > 0 {
		if rd, ok := t.RuleDue(period); ok && rd != due {
			r.AgencyDue, r.ProvinceDue, r.WorkingDaysBefore = due, rd, t.WorkingDaysBefore
		}
	}
	if from, to, ok := t.CutoffWindow(period); ok {
		r.CutoffFrom, r.CutoffTo = from, to
	}
	return r
}

// IsZero reports whether the duty has neither a tier nor a cut-off.
func (r Regime) IsZero() bool { return r == Regime{} }

// TierPhrase says how much earlier the agencies' deadline is: "trước 3
// ngày làm việc so với hạn tỉnh báo cáo".
func TierPhrase(workingDays int) string {
	return fmt.Sprintf("trước %d ngày làm việc so với hạn tỉnh báo cáo", workingDays)
}

// TierText gives both deadlines of a tiered duty: "17/03/2026, trước 3
// ngày làm việc so với hạn tỉnh báo cáo: 20/03/2026"; "" without a tier.
func (r Regime) TierText() string {
	if r.ProvinceDue == 0 {
		return ""
	}
	return r.AgencyDue.VN() + ", " + TierPhrase(r.WorkingDaysBefore) + ": " + r.ProvinceDue.VN()
}

// ProvinceText gives, for a letter that has just stated the agencies'
// deadline, the province's: "ngày 20/03/2026 (hạn của cơ quan sớm hơn 3
// ngày làm việc)"; "" without a tier.
func (r Regime) ProvinceText() string {
	if r.ProvinceDue == 0 {
		return ""
	}
	return fmt.Sprintf("ngày %s (hạn của cơ quan sớm hơn %d ngày làm việc)", r.ProvinceDue.VN(), r.WorkingDaysBefore)
}

// CutoffText gives the period's data window: "từ ngày 15/12/2025 đến
// ngày 14/03/2026"; "" without a cut-off.
func (r Regime) CutoffText() string {
	if r.CutoffFrom == 0 {
		return ""
	}
	return "từ ngày " + r.CutoffFrom.VN() + " đến ngày " + r.CutoffTo.VN()
}
