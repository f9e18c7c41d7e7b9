package httpui

import (
	"fmt"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/notify"
)

// The query parameters, in Vietnamese like the paths.
const (
	paramYear   = "nam"
	paramAgency = "co-quan"
	paramTask   = "cong-viec"
	paramStatus = "trang-thai"
)

// The years a filter accepts: wide enough for any plan, narrow enough that
// a typo is caught.
const minYear, maxYear = 2000, 2100

// filter is the board's parsed query; empty strings match everything.
type filter struct {
	Year   int
	Agency string
	Task   string
	Status Status
}

// filterError is a bad query value, with the Vietnamese message shown on
// the 400 page.
type filterError struct{ msg string }

func (e *filterError) Error() string { return e.msg }

// quote shows a user's value in a message: masked, and cut short so a
// hostile query cannot fill the page.
func quote(v string) string {
	if utf8.RuneCountInString(v) > 60 {
		v = string([]rune(v)[:60]) + "…"
	}
	return "“" + mask(v) + "”"
}

// parseYear reads ?nam=, defaulting to def; only the first value counts.
func parseYear(q url.Values, def int) (int, error) {
	v := q.Get(paramYear)
	if v == "" {
		return def, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < minYear || y > maxYear {
		return 0, &filterError{fmt.Sprintf("Năm %s không hợp lệ: xin nhập một năm từ %d đến %d.", quote(v), minYear, maxYear)}
	}
	return y, nil
}

// parseFilter reads and checks the board's query against the directory,
// the schedules and the year's rows (an agency or task that left the
// configuration but still has duties that year is accepted).
func parseFilter(q url.Values, def int, st notify.Setup, rowsOf func(year int) ([]duty.BoardRow, error)) (filter, []duty.BoardRow, error) {
	var f filter
	var err error
	if f.Year, err = parseYear(q, def); err != nil {
		return f, nil, err
	}
	rows, err := rowsOf(f.Year)
	if err != nil {
		return f, nil, err
	}
	if v := q.Get(paramAgency); v != "" {
		if !knownAgency(st, rows, v) {
			return f, nil, &filterError{fmt.Sprintf("Không có cơ quan mã %s trong danh bạ.", quote(v))}
		}
		f.Agency = v
	}
	if v := q.Get(paramTask); v != "" {
		if len(tasksByID(st, v)) == 0 && !rowsHaveTask(rows, v) {
			return f, nil, &filterError{fmt.Sprintf("Không có nhiệm vụ mã %s trong kế hoạch.", quote(v))}
		}
		f.Task = v
	}
	if v := q.Get(paramStatus); v != "" {
		s, ok := parseStatus(v)
		if !ok {
			return f, nil, &filterError{fmt.Sprintf("Trạng thái %s không hợp lệ. Xin chọn một trạng thái trong danh sách.", quote(v))}
		}
		f.Status = s
	}
	return f, rows, nil
}

// answers reports whether the row is the agency's duty: it answers for it,
// or the schedule named it.
func answers(r duty.BoardRow, agency string) bool {
	return r.AgencyID == agency || r.NamedAgencyID == agency
}

// owner is the agency a row is listed under: the one that answers, or the
// named one while nobody does.
func owner(r duty.BoardRow) string {
	if r.AgencyID != "" {
		return r.AgencyID
	}
	return r.NamedAgencyID
}

func knownAgency(st notify.Setup, rows []duty.BoardRow, id string) bool {
	if dir := directory(st); dir != nil {
		if _, ok := dir.Agency(id); ok {
			return true
		}
	}
	for _, r := range rows {
		if answers(r, id) {
			return true
		}
	}
	return false
}

func rowsHaveTask(rows []duty.BoardRow, ref string) bool {
	for _, r := range rows {
		if model.MatchesRef(ref, r.ScheduleID, r.TaskID) {
			return true
		}
	}
	return false
}

func directory(st notify.Setup) *model.Directory {
	if st.Planner == nil {
		return nil
	}
	return st.Planner.Directory
}

// tasksByID returns the tasks a reference names: "PLAN/ID" one plan's, a
// bare id every plan's.
func tasksByID(st notify.Setup, ref string) []*model.Task {
	if st.Planner == nil {
		return nil
	}
	var out []*model.Task
	for _, s := range st.Planner.Schedules {
		for _, t := range s.Tasks {
			if model.MatchesRef(ref, s.ID, t.ID) {
				out = append(out, t)
			}
		}
	}
	return out
}

// taskRef is how a stored duty's task is shown and linked: its bare id,
// or "PLAN/ID" when another configured plan has the same id.
func taskRef(st notify.Setup, scheduleID, taskID string) string {
	if st.Planner == nil {
		return taskID
	}
	return st.Planner.Ref(scheduleID, taskID)
}

// findTask returns the task of a stored occurrence; nil when it left the
// configuration.
func findTask(st notify.Setup, scheduleID, taskID string) *model.Task {
	if st.Planner == nil {
		return nil
	}
	return st.Planner.Task(scheduleID, taskID)
}

// periodText names a stored occurrence's period in words ("quý IV/2025"),
// by the year it plans for a plan made the year before.
func periodText(st notify.Setup, scheduleID, taskID, period string) string {
	return findTask(st, scheduleID, taskID).PeriodText(period)
}

// agencyLabel names an agency id, falling back to the id itself.
func agencyLabel(st notify.Setup, id string) string {
	if dir := directory(st); dir != nil {
		if a, ok := dir.Agency(id); ok && a.Name != "" {
			return mask(a.Name)
		}
	}
	return mask(id)
}
