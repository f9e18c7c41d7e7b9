package httpui

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/notify"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// option is one <option> of a filter.
type option struct {
	Value, Label string
	Selected     bool
}

// legendItem is one status with its count.
type legendItem struct {
	Status Status
	Label  string
	Short  string
	Count  int
}

// chip is one occurrence in a board cell or a list.
type chip struct {
	ID          int64
	TaskID      string
	TaskText    string
	AgencyID    string
	AgencyName  string
	Period      string
	Deadline    string
	Status      Status
	Label       string
	Short       string // what the cell writes: symbol and word
	SubmittedOn string
	// Progress counts a counted duty: "đã thực hiện 1/3 cuộc".
	Progress string

	quota int    // the period's quota of a counted duty, else 0
	unit  string // what it counts ("cuộc")
	open  bool
}

// column is one task: its id, its short name (shown) and its full text
// (the link's title).
type column struct{ ID, Label, Text string }

type boardRow struct {
	AgencyID, Name string
	Ended          string   // "đến dd/mm/yyyy" for an agency that ends or ended
	Cells          [][]chip // one per column
}

type boardView struct {
	page
	Filter                 filter
	Years                  []option
	Agencies, Tasks, State []option
	EndedAgencies          []option // agencies ended before the year
	Legend                 []legendItem
	Shown                  int
	Columns                []column
	Rows                   []boardRow
	// Agencies that ended before the year are hidden unless asked for
	// (?hien-da-ket-thuc=1): how many, with how many duties, and the
	// links that show or hide them.
	HiddenAgencies, HiddenDuties int
	ShowEnded                    bool
	ShowEndedURL, HideEndedURL   string
}

// paramShowEnded shows the agencies that ended before the board's year.
const paramShowEnded = "hien-da-ket-thuc"

// board is the year's agencies × tasks, each duty coloured by its status.
// The legend counts ignore the status filter, so that choosing "quá hạn"
// still shows how many of each there are.
func (s *Server) board(w http.ResponseWriter, r *http.Request) {
	st := s.setup()
	today := s.today(st)
	f, rows, err := parseFilter(r.URL.Query(), today.Year(), st, func(y int) ([]duty.BoardRow, error) {
		return s.Store.BoardRows(r.Context(), y)
	})
	if s.queryFailed(w, r, err) {
		return
	}
	v := boardView{page: page{Title: "Bảng theo dõi thực hiện nhiệm vụ năm " + strconv.Itoa(f.Year),
		Today: today.VN(), Year: f.Year}, Filter: f}
	v.ShowEnded = r.URL.Query().Get(paramShowEnded) == "1"
	yearStart := schedule.NewDate(f.Year, 1, 1)
	var kept []chip
	counts := map[Status]int{}
	hidden := map[string]bool{}
	for _, row := range rows {
		if f.Agency != "" && !answers(row, f.Agency) || f.Task != "" && !model.MatchesRef(f.Task, row.ScheduleID, row.TaskID) {
			continue
		}
		c := chipOf(st, row, today)
		counts[c.Status]++
		if f.Status != "" && c.Status != f.Status {
			continue
		}
		if !v.ShowEnded && f.Agency == "" && endedBefore(st, c.AgencyID, yearStart) {
			hidden[c.AgencyID] = true
			v.HiddenDuties++
			continue
		}
		kept = append(kept, c)
	}
	v.HiddenAgencies = len(hidden)
	q := r.URL.Query()
	q.Set(paramShowEnded, "1")
	v.ShowEndedURL = "/?" + q.Encode()
	q.Del(paramShowEnded)
	v.HideEndedURL = "/?" + q.Encode()
	v.Legend = legend(counts)
	if err := s.withProgress(r, kept); err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Shown = len(kept)
	v.Columns, v.Rows = grid(st, kept)
	v.Years = yearOptions(f.Year, today.Year())
	v.Agencies, v.EndedAgencies = agencyOptions(st, rows, f.Agency, yearStart)
	v.Tasks = taskOptions(st, rows, f.Task)
	v.State = []option{{Value: "", Label: "Tất cả", Selected: f.Status == ""}}
	for _, x := range statuses {
		v.State = append(v.State, option{Value: string(x), Label: x.Label(), Selected: x == f.Status})
	}
	s.render(w, r, http.StatusOK, "board", v)
}

// queryFailed answers a bad filter with 400 and a store error with 500.
func (s *Server) queryFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	var fe *filterError
	switch {
	case err == nil:
		return false
	case errors.As(err, &fe):
		s.badRequest(w, r, fe.msg)
	default:
		s.serverError(w, r, err)
	}
	return true
}

func chipOf(st notify.Setup, r duty.BoardRow, today schedule.Date) chip {
	status := statusOf(r, today)
	c := chip{ID: r.ID, TaskID: taskRef(st, r.ScheduleID, r.TaskID), AgencyID: owner(r), AgencyName: agencyLabel(st, owner(r)),
		Period: periodText(st, r.ScheduleID, r.TaskID, r.Period), Deadline: r.Deadline.VN(), Status: status, Label: status.Label(), Short: status.Short()}
	if t := findTask(st, r.ScheduleID, r.TaskID); t != nil {
		c.TaskText = mask(t.Text)
		c.quota, c.unit = t.Quota(), t.QuotaUnit()
	}
	c.open = r.State == duty.StateOpen
	if r.Submitted() {
		c.SubmittedOn = r.SubmittedOn.VN()
		if r.Unconfirmed {
			c.SubmittedOn += " (tự khai; ghi nhận ngày " + r.RecordedOn.VN() + ")"
		}
	}
	return c
}

func legend(counts map[Status]int) []legendItem {
	out := make([]legendItem, 0, len(statuses))
	for _, x := range statuses {
		out = append(out, legendItem{Status: x, Label: x.Label(), Short: x.Short(), Count: counts[x]})
	}
	return out
}

// grid lays the kept chips out: columns are the year's tasks in schedule
// order (then any no longer configured, by id), rows the agencies in
// directory order (then any no longer in the directory, by id). Only
// tasks and agencies with a kept duty appear.
func grid(st notify.Setup, kept []chip) ([]column, []boardRow) {
	colIdx := map[string]int{}
	var cols []column
	addCol := func(id, label, text string) {
		if _, ok := colIdx[id]; !ok {
			colIdx[id] = len(cols)
			cols = append(cols, column{ID: id, Label: label, Text: text})
		}
	}
	used := map[string]bool{}
	for _, c := range kept {
		used[c.TaskID] = true
	}
	if st.Planner != nil {
		for _, sc := range st.Planner.Schedules {
			for _, t := range sc.Tasks {
				if ref := t.Ref(st.Planner); used[ref] {
					addCol(ref, taskLabel(t), mask(t.Text))
				}
			}
		}
	}
	var rest []string
	for id := range used {
		if _, ok := colIdx[id]; !ok {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	for _, id := range rest {
		addCol(id, "", "")
	}

	rowIdx := map[string]int{}
	var rows []boardRow
	addRow := func(id string) {
		if _, ok := rowIdx[id]; !ok {
			rowIdx[id] = len(rows)
			rows = append(rows, boardRow{AgencyID: id, Name: agencyLabel(st, id), Ended: endsText(st, id), Cells: make([][]chip, len(cols))})
		}
	}
	present := map[string]bool{}
	for _, c := range kept {
		present[c.AgencyID] = true
	}
	if dir := directory(st); dir != nil {
		for _, a := range dir.Agencies() {
			if present[a.ID] {
				addRow(a.ID)
			}
		}
	}
	rest = rest[:0]
	for id := range present {
		if _, ok := rowIdx[id]; !ok {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	for _, id := range rest {
		addRow(id)
	}
	for _, c := range kept {
		row := &rows[rowIdx[c.AgencyID]]
		i := colIdx[c.TaskID]
		row.Cells[i] = append(row.Cells[i], c)
	}
	return cols, rows
}

func yearOptions(selected, this int) []option {
	var out []option
	lo, hi := min(selected, this-3), max(selected, this+1)
	for y := hi; y >= lo; y-- {
		out = append(out, option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == selected})
	}
	return out
}

// agencyOptions lists the agencies of the filter: those alive in the year
// (marked when they end within it, and any no longer in the directory),
// then apart those that ended before it.
func agencyOptions(st notify.Setup, rows []duty.BoardRow, selected string, yearStart schedule.Date) (out, ended []option) {
	out = []option{{Value: "", Label: "Tất cả cơ quan", Selected: selected == ""}}
	seen := map[string]bool{}
	if dir := directory(st); dir != nil {
		for _, a := range dir.Agencies() {
			seen[a.ID] = true
			o := option{Value: a.ID, Label: mask(a.Name), Selected: a.ID == selected}
			if e := endsText(st, a.ID); e != "" {
				o.Label += " (" + e + ")"
			}
			if a.ValidUntil < yearStart {
				ended = append(ended, o)
			} else {
				out = append(out, o)
			}
		}
	}
	for _, r := range rows {
		if id := owner(r); !seen[id] {
			seen[id] = true
			out = append(out, option{Value: id, Label: mask(id), Selected: id == selected})
		}
	}
	return out, ended
}

// endedBefore reports whether the agency's life ended before day.
func endedBefore(st notify.Setup, id string, day schedule.Date) bool {
	if dir := directory(st); dir != nil {
		if a, ok := dir.Agency(id); ok {
			return a.ValidUntil < day
		}
	}
	return false
}

// endsText marks an agency whose life ends: "hoạt động đến dd/mm/yyyy".
func endsText(st notify.Setup, id string) string {
	if dir := directory(st); dir != nil {
		if a, ok := dir.Agency(id); ok && a.ValidUntil != schedule.MaxDate {
			return "hoạt động đến " + a.ValidUntil.VN()
		}
	}
	return ""
}

func taskOptions(st notify.Setup, rows []duty.BoardRow, selected string) []option {
	out := []option{{Value: "", Label: "Tất cả nhiệm vụ", Selected: selected == ""}}
	seen := map[string]bool{}
	if st.Planner != nil {
		for _, sc := range st.Planner.Schedules {
			for _, t := range sc.Tasks {
				if ref := t.Ref(st.Planner); !seen[ref] {
					seen[ref] = true
					out = append(out, option{Value: ref, Label: mask(ref) + " — " + taskLabel(t), Selected: ref == selected})
				}
			}
		}
	}
	for _, r := range rows {
		if ref := taskRef(st, r.ScheduleID, r.TaskID); !seen[ref] {
			seen[ref] = true
			out = append(out, option{Value: ref, Label: mask(ref), Selected: ref == selected})
		}
	}
	return out
}

// withProgress fills the progress of the counted duties among chips with
// one query: "đã thực hiện 1/3 cuộc" until the quota is reached.
func (s *Server) withProgress(r *http.Request, chips []chip) error {
	var ids []int64
	for _, c := range chips {
		if c.quota > 1 && c.open {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	counts, err := s.Store.QuotaCounts(r.Context(), ids...)
	if err != nil {
		return err
	}
	for i := range chips {
		if c := &chips[i]; c.quota > 1 && c.open {
			c.Progress = fmt.Sprintf("đã thực hiện %d/%d %s", counts[c.ID], c.quota, c.unit)
		}
	}
	return nil
}
