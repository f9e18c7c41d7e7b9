package report

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Limits on texts that come from the schedules and the directory. A
// calendar app shows a summary on one line; a description is capped only
// so that a runaway text cannot bloat the feed every client polls.
const (
	summaryMax     = 160
	descriptionMax = 4000
	calNameMax     = 200
	maxAlarmDays   = 366
)

// ErrAlarmDays is returned (wrapped) by Calendar for a negative or absurd
// alarm offset.
var ErrAlarmDays = errors.New("alarm days must be between 0 and 366")

// EventUID returns the stable UID of an occurrence's event, so that a
// client updates the event on refresh instead of duplicating it.
func EventUID(occurrenceID int64) string {
	return "occ-" + strconv.FormatInt(occurrenceID, 10) + "@nhachan"
}

// Calendar returns the iCalendar feed (RFC 5545, METHOD:PUBLISH) of one
// agency's duties: one all-day VEVENT per record, on its deadline
// (extensions included), sorted by deadline then id. The caller chooses the
// records, typically sqlite.DB.AgencyRecords over a window around now.
// tasks looks up a record's task for its text, product and legal basis; it
// may be nil or return nil (a task since removed from the config), and the
// event then names the task id only.
//
// What each record becomes:
//   - owed (open): SUMMARY "[Hạn] <task id> — <task text>" ("[Quá hạn] …"
//     once the deadline has passed), STATUS:CONFIRMED, and one VALARM
//     (ACTION:DISPLAY, TRIGGER:-P<n>D) per n in alarmDays whose time has not
//     yet come: an alarm already past would only pop up as "missed" when an
//     official subscribes.
//   - submitted: SUMMARY prefixed "✓ Đã nộp", STATUS:CONFIRMED, no alarms:
//     it stays in the calendar as the record that it was done.
//   - waived: SUMMARY prefixed "Được miễn", STATUS:CANCELLED, no alarms: the
//     deadline no longer exists, and clients show a cancelled event struck
//     through (Thunderbird, Outlook) or not at all.
//   - history and unassigned: shown, without alarms.
//
// Events are transparent (they do not make the agency "busy"). DTSTAMP is
// now. Every text is made safe for the library, which escapes and folds:
// line breaks are normalised to LF (the library escapes LF as \n but would
// write a CR raw) and other control characters become spaces, so no name
// or task text can start a line of its own such as "BEGIN:VEVENT".
func Calendar(agency *model.Agency, records []duty.Record, tasks func(scheduleID, taskID string) *model.Task,
	now time.Time, alarmDays []int) (string, error) {
	if agency == nil {
		return "", errors.New("calendar: no agency")
	}
	days, err := alarmOffsets(alarmDays)
	if err != nil {
		return "", fmt.Errorf("calendar of %s: %w", agency.ID, err)
	}
	today := schedule.DateOf(now) // now is in the configured zone

	cal := ics.NewCalendarFor("nhachan")
	cal.SetProductId("-//nhachan//Nhắc hạn//VI")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName(capRunes(lineText("Nhắc hạn — "+agency.Name), calNameMax))
	// Outlook reads X-PUBLISHED-TTL as how often to refresh a subscription;
	// its default of a week would hide a submission for days.
	cal.SetXPublishedTTL("PT6H")

	recs := slices.Clone(records)
	slices.SortStableFunc(recs, func(a, b duty.Record) int {
		if c := cmp.Compare(a.Deadline, b.Deadline); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	for _, r := range recs {
		var task *model.Task
		if tasks != nil {
			task = tasks(r.ScheduleID, r.TaskID)
		}
		addEvent(cal, r, task, now, today, days)
	}

	var b strings.Builder
	// RFC 5545 lines end in CRLF; the library's default is a bare LF.
	if err := cal.SerializeTo(&b, ics.WithNewLine("\r\n")); err != nil {
		return "", fmt.Errorf("calendar of %s: %w", agency.ID, err)
	}
	return b.String(), nil
}

// alarmOffsets checks the offsets and returns them without duplicates,
// largest (earliest alarm) first.
func alarmOffsets(in []int) ([]int, error) {
	out := slices.Clone(in)
	for _, n := range out {
		if n < 0 || n > maxAlarmDays {
			return nil, fmt.Errorf("%w: %d", ErrAlarmDays, n)
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return slices.Compact(out), nil
}

func addEvent(cal *ics.Calendar, r duty.Record, task *model.Task, now time.Time, today schedule.Date, alarmDays []int) {
	out := Classify(r, today)
	e := cal.AddEvent(EventUID(r.ID))
	e.SetDtStampTime(now)
	// All-day: DTSTART;VALUE=DATE is the deadline, DTEND the next day
	// (exclusive). A date has no zone, which is what a deadline is.
	e.SetAllDayStartAt(r.Deadline.In(time.UTC))
	e.SetAllDayEndAt(r.Deadline.AddDays(1).In(time.UTC))
	e.SetTimeTransparency(ics.TransparencyTransparent)
	e.SetSummary(summary(r, task, out))
	e.SetDescription(description(r, task, out, today))
	if out == Waived || dropped(r) {
		e.SetStatus(ics.ObjectStatusCancelled)
	} else {
		e.SetStatus(ics.ObjectStatusConfirmed)
	}
	if out != Pending || r.State != duty.StateOpen {
		return
	}
	for _, n := range alarmDays {
		if r.Deadline.AddDays(-n) < today {
			continue
		}
		a := e.AddAlarm()
		a.SetAction(ics.ActionDisplay)
		a.SetTrigger(trigger(n))
		// RFC 5545 requires a DESCRIPTION in a DISPLAY alarm.
		a.SetDescription(capRunes(strings.TrimSpace(lineText(alarmText(n, r, task))), summaryMax))
	}
}

// trigger is the alarm's offset before the start of the deadline day.
func trigger(days int) string {
	if days == 0 {
		return "PT0S"
	}
	return "-P" + strconv.Itoa(days) + "D"
}

func alarmText(days int, r duty.Record, task *model.Task) string {
	what := r.TaskID
	if task != nil && task.Text != "" {
		what += " — " + task.Text
	}
	if days == 0 {
		return "Hôm nay đến hạn: " + what
	}
	return "Còn " + strconv.Itoa(days) + " ngày đến hạn: " + what
}

func summary(r duty.Record, task *model.Task, out Outcome) string {
	s := "[Hạn] " + r.TaskID
	if out == Overdue {
		s = "[Quá hạn] " + r.TaskID
	}
	if task != nil && task.Text != "" {
		s += " — " + task.Text
	}
	switch out {
	case OnTime, Late:
		s = "✓ Đã nộp " + s
	case Waived:
		s = "Được miễn " + s
	case Untracked:
		if dropped(r) {
			s = "Không còn trong kế hoạch " + s
		}
	}
	return capRunes(strings.TrimSpace(lineText(s)), summaryMax)
}

// dropped reports an open duty that a reload no longer plans.
func dropped(r duty.Record) bool {
	return r.Dropped && (r.State == duty.StateOpen || r.State == duty.StateUnassigned)
}

func description(r duty.Record, task *model.Task, out Outcome, today schedule.Date) string {
	var lines []string
	add := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			lines = append(lines, label+": "+v)
		}
	}
	if task != nil {
		add("Nhiệm vụ", task.Text)
		add("Sản phẩm", task.Product)
	}
	add("Kỳ", task.PeriodText(r.Period))
	due := r.Deadline.WeekdayVN() + ", " + r.Deadline.VN()
	if r.ExtendedDue != 0 && r.Deadline != r.EffectiveDue {
		due += " (đã gia hạn; hạn ban đầu " + r.EffectiveDue.VN() + ")"
	}
	add("Hạn", due)
	if r.Role == model.RoleCoordinating {
		add("Vai trò", "phối hợp")
	} else {
		add("Vai trò", "chủ trì")
	}
	if task != nil {
		add("Căn cứ", task.LegalBasis)
		if task.Schedule != nil {
			add("Kế hoạch", task.Schedule.Decision)
		}
	}
	add("Trạng thái", stateText(r, out, today))
	if r.Ref != "" {
		add("Số ký hiệu", r.Ref)
	}
	return capRunes(multilineText(strings.Join(lines, "\n")), descriptionMax)
}

// stateText says in Vietnamese where the duty stands as of today.
func stateText(r duty.Record, out Outcome, today schedule.Date) string {
	switch out {
	case OnTime, Late:
		s := "Đã nộp ngày " + r.SubmittedOn.VN()
		if r.Unconfirmed {
			s = "Tự khai đã gửi ngày " + r.SubmittedOn.VN() + ", ghi nhận ngày " + r.RecordedOn.VN() + ", chờ xác nhận"
		}
		if out == OnTime {
			return s + ", đúng hạn"
		}
		return s + ", muộn " + strconv.Itoa(DaysLate(r, today)) + " ngày"
	case Waived:
		return "Được miễn"
	case Overdue:
		return "Chưa nộp, quá hạn " + strconv.Itoa(DaysLate(r, today)) + " ngày"
	case Untracked:
		if dropped(r) {
			return "Không còn trong kế hoạch: không phải thực hiện"
		}
		return "Đến hạn trước khi bắt đầu theo dõi"
	}
	if r.State == duty.StateUnassigned {
		return "Chưa có cơ quan thực hiện"
	}
	if d := int(r.Deadline - today); d > 0 {
		return "Chưa nộp, còn " + strconv.Itoa(d) + " ngày"
	}
	return "Chưa nộp, hôm nay là hạn cuối"
}
