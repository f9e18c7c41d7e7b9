package model

import (
	"fmt"
	"sort"
	"strings"
)

// Task ids are unique within their plan, not across plans: a province's
// five-year plan and its yearly plans all number their rows "I.1", "I.2"…
// A task is named "PLAN/ID" anywhere (CLI, URLs, reports, letters), or by
// its bare id where only one configured plan has it.

// TaskRefError says why a task reference names no single task. Msg is
// Vietnamese, for the admin who typed it.
type TaskRefError struct {
	Ref        string
	Candidates []string // "PLAN/ID" of every match when ambiguous
	Msg        string
}

func (e *TaskRefError) Error() string { return e.Msg }

// SplitTaskRef splits "PLAN/ID" into its plan and id; a bare id has no plan.
func SplitTaskRef(ref string) (plan, id string) {
	if i := strings.Index(ref, "/"); i >= 0 {
		return ref[:i], ref[i+1:]
	}
	return "", ref
}

// FindTask resolves a task reference: "PLAN/ID", or a bare id that exactly
// one plan has.
func (p *Planner) FindTask(ref string) (*Task, error) {
	plan, id := SplitTaskRef(ref)
	if plan != "" {
		if t := p.Task(plan, id); t != nil {
			return t, nil
		}
		return nil, &TaskRefError{Ref: ref, Msg: fmt.Sprintf("không có nhiệm vụ %q trong kế hoạch %q", id, plan)}
	}
	var found []*Task
	for _, s := range p.Schedules {
		if t := p.Task(s.ID, id); t != nil {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 0:
		return nil, &TaskRefError{Ref: ref, Msg: fmt.Sprintf("không có nhiệm vụ %q trong các kế hoạch đã cấu hình", id)}
	case 1:
		return found[0], nil
	}
	var c []string
	for _, t := range found {
		c = append(c, t.Schedule.ID+"/"+t.ID)
	}
	sort.Strings(c)
	return nil, &TaskRefError{Ref: ref, Candidates: c,
		Msg: fmt.Sprintf("mã nhiệm vụ %q có trong nhiều kế hoạch; ghi rõ KẾ-HOẠCH/MÃ: %s", id, strings.Join(c, ", "))}
}

// Ref is how a task is shown and linked: its bare id when no other
// configured plan has the same id, else "PLAN/ID". With one plan configured
// every ref is the bare id, as before plans were scoped.
func (p *Planner) Ref(scheduleID, taskID string) string {
	for _, s := range p.Schedules {
		if s.ID != scheduleID && p.Task(s.ID, taskID) != nil {
			return scheduleID + "/" + taskID
		}
	}
	return taskID
}

// MatchesRef reports whether a stored duty's (plan, task) is what ref
// names: "PLAN/ID" exactly, a bare id in any plan.
func MatchesRef(ref, scheduleID, taskID string) bool {
	plan, id := SplitTaskRef(ref)
	return id == taskID && (plan == "" || plan == scheduleID)
}

// Ref is the task's reference in its planner's terms; see Planner.Ref.
func (t *Task) Ref(p *Planner) string { return p.Ref(t.Schedule.ID, t.ID) }
