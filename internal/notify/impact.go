package notify

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// ChangeKind is what a reload does to one duty.
type ChangeKind string

// The kinds of change, as `check --impact` and the reload log name them.
const (
	ChangeAdd  ChangeKind = "add"  // planned, not stored: the reload stores it
	ChangeMove ChangeKind = "move" // stored with another date, or owed by another agency now
	ChangeDrop ChangeKind = "drop" // stored and open, no longer planned: its pending mail is cancelled
)

// Change is one duty a reload adds, moves or drops.
type Change struct {
	Kind                       ChangeKind
	ScheduleID, TaskID, Period string
	// Assignee is who owes the duty after the change (before it, for a
	// drop): an agency id, or "?"+the named agency when nobody answers.
	Assignee string
	// OldAssignee is set when a move passes the duty to another agency.
	OldAssignee string
	// OldDue and NewDue are effective due dates; zero where not relevant.
	OldDue, NewDue schedule.Date
	// OccurrenceID is the stored duty (move, drop); 0 for an add.
	OccurrenceID int64
	// TaskGone is set on a drop whose task left the configuration.
	TaskGone bool
	// far is the new row of a move beyond the window, which materialise's
	// store of the window does not reach: the reload applies it itself.
	far *duty.Occurrence
}

// stopsOld reports a change whose stored duty stops being owed: its
// pending mail is cancelled and nothing more is sent for it.
func (c Change) stopsOld() bool {
	return c.Kind == ChangeDrop || c.Kind == ChangeMove && c.OldAssignee != ""
}

// Impact is what a reload of a setup would change in the store.
type Impact struct {
	From, To schedule.Date // the window a reload plans
	Changes  []Change
	// Stopped are the stored open duties an earlier reload dropped and
	// that are still not planned: not a change any more, but nothing is
	// sent for them.
	Stopped []int64
}

// Count returns the number of duties added, moved and dropped.
func (im Impact) Count() (add, move, drop int) {
	for _, c := range im.Changes {
		switch c.Kind {
		case ChangeAdd:
			add++
		case ChangeMove:
			move++
		case ChangeDrop:
			drop++
		}
	}
	return
}

// Window is the range of nominal due dates that a tick materialises.
func Window(s Setup, today schedule.Date) (from, to schedule.Date) {
	back := s.Policy.EscalationSpan() + 30
	return today.AddDays(-back), today.AddDays(horizon(s))
}

// ImpactStore is what the comparison reads: the stored duties of the
// window and every open one, and which of them a reload already dropped.
type ImpactStore interface {
	ImpactRows(ctx context.Context, from, to schedule.Date) ([]duty.Occurrence, map[int64]bool, error)
}

type impactKey struct{ schedule, task, period, assignee string }

func storedKey(r duty.Occurrence) impactKey {
	a := r.AgencyID
	if a == "" {
		a = "?" + r.NamedAgencyID
	}
	return impactKey{r.ScheduleID, r.TaskID, r.Period, a}
}

func plannedKey(o model.Occurrence) impactKey {
	a := "?" + o.Assignee.Named.ID
	if o.Assignee.Agency != nil {
		a = o.Assignee.Agency.ID
	}
	return impactKey{o.Task.Schedule.ID, o.Task.ID, o.Period, a}
}

func isOpen(r duty.Occurrence) bool {
	return r.State == duty.StateOpen || r.State == duty.StateUnassigned
}

// Compare plans the window of today as s would and compares it with the
// stored duties: what a reload would add, move (date or agency) and drop.
// Duties already submitted, waived or history are compared only to tell
// an add from a duty already done; they never change. A stored open duty
// outside the window whose task is still configured is not the reload's
// business and is left out.
func Compare(ctx context.Context, st ImpactStore, s Setup, today schedule.Date) (Impact, error) {
	from, to := Window(s, today)
	return compare(ctx, st, s, from, to, s.Planner.Plan(from, to, model.Filter{LeadOnly: true}))
}

// compare is Compare with the window's lead occurrences already planned
// (materialise has them).
func compare(ctx context.Context, st ImpactStore, s Setup, from, to schedule.Date, occ []model.Occurrence) (Impact, error) {
	im := Impact{From: from, To: to}
	stored, wasDropped, err := st.ImpactRows(ctx, from, to)
	if err != nil {
		return im, fmt.Errorf("impact: %w", err)
	}
	byKey := make(map[impactKey]duty.Occurrence, len(stored))
	for _, r := range stored {
		byKey[storedKey(r)] = r
	}
	planned := map[impactKey]bool{}
	type taskPeriod struct{ schedule, task, period string }
	adds := map[taskPeriod][]int{} // indices in im.Changes of adds, for pairing
	for _, o := range occ {
		k := plannedKey(o)
		planned[k] = true
		if o.EffectiveDue < s.TrackingStart {
			continue // stored as history: nothing is ever sent for it
		}
		if r, ok := byKey[k]; ok {
			if isOpen(r) && (r.Due != o.Due || r.EffectiveDue != o.EffectiveDue) {
				im.Changes = append(im.Changes, Change{Kind: ChangeMove, ScheduleID: k.schedule, TaskID: k.task,
					Period: k.period, Assignee: k.assignee, OldDue: r.EffectiveDue, NewDue: o.EffectiveDue, OccurrenceID: r.ID})
			}
			continue
		}
		tp := taskPeriod{k.schedule, k.task, k.period}
		adds[tp] = append(adds[tp], len(im.Changes))
		im.Changes = append(im.Changes, Change{Kind: ChangeAdd, ScheduleID: k.schedule, TaskID: k.task,
			Period: k.period, Assignee: k.assignee, NewDue: o.EffectiveDue})
	}
	for _, r := range stored {
		k := storedKey(r)
		if !isOpen(r) || planned[k] {
			continue
		}
		if wasDropped[r.ID] {
			if _, still := movedOut(s, r, k); !still {
				im.Stopped = append(im.Stopped, r.ID)
				continue
			}
		}
		t := s.Planner.Task(r.ScheduleID, r.TaskID)
		if t == nil {
			im.Changes = append(im.Changes, Change{Kind: ChangeDrop, ScheduleID: k.schedule, TaskID: k.task,
				Period: k.period, Assignee: k.assignee, OldDue: r.EffectiveDue, OccurrenceID: r.ID, TaskGone: true})
			continue
		}
		if r.Due < from || r.Due > to {
			continue
		}
		// The same task and period owed by another agency now: one move.
		tp := taskPeriod{k.schedule, k.task, k.period}
		if idx := adds[tp]; len(idx) > 0 {
			c := &im.Changes[idx[0]]
			c.Kind, c.OldAssignee, c.OldDue, c.OccurrenceID = ChangeMove, k.assignee, r.EffectiveDue, r.ID
			adds[tp] = idx[1:]
			continue
		}
		// Still planned, but its date moved out of the window: a move.
		if o, ok := movedOut(s, r, k); ok {
			if o.Due != r.Due || o.EffectiveDue != r.EffectiveDue {
				row := r
				row.Due, row.EffectiveDue = o.Due, o.EffectiveDue
				im.Changes = append(im.Changes, Change{Kind: ChangeMove, ScheduleID: k.schedule, TaskID: k.task,
					Period: k.period, Assignee: k.assignee, OldDue: r.EffectiveDue, NewDue: o.EffectiveDue, OccurrenceID: r.ID, far: &row})
			}
			continue
		}
		im.Changes = append(im.Changes, Change{Kind: ChangeDrop, ScheduleID: k.schedule, TaskID: k.task,
			Period: k.period, Assignee: k.assignee, OldDue: r.EffectiveDue, OccurrenceID: r.ID})
	}
	slices.SortStableFunc(im.Changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.ScheduleID, b.ScheduleID), cmp.Compare(a.TaskID, b.TaskID),
			cmp.Compare(a.Period, b.Period), cmp.Compare(a.Assignee, b.Assignee))
	})
	return im, nil
}

// movedOut finds a stored duty that its task still plans, with a due date
// outside the window.
func movedOut(s Setup, r duty.Occurrence, k impactKey) (model.Occurrence, bool) {
	occ := s.Planner.Plan(r.Due.AddDays(-800), r.Due.AddDays(800),
		model.Filter{Schedule: r.ScheduleID, Task: r.TaskID, LeadOnly: true})
	for _, o := range occ {
		if plannedKey(o) == k {
			return o, true
		}
	}
	return model.Occurrence{}, false
}

// dropUnplanned cancels, with a reason, the pending mail of the stored
// duties the setup no longer plans, and remembers them so that decide
// sends nothing more for them. Materialise calls it after storing the
// window, so the adds and moves are already applied.
func (e *Engine) dropUnplanned(ctx context.Context, s Setup, today, from, to schedule.Date, occ []model.Occurrence) error {
	im, err := compare(ctx, e.Store, s, from, to, occ)
	if err != nil {
		return err
	}
	dropped := map[int64]bool{}
	for _, id := range im.Stopped {
		dropped[id] = true
	}
	cancelled := 0
	var far []duty.Occurrence
	for _, c := range im.Changes {
		if c.far != nil {
			far = append(far, *c.far)
		}
		if !c.stopsOld() {
			continue
		}
		dropped[c.OccurrenceID] = true
		reason := fmt.Sprintf("Hủy: nhiệm vụ %s/%s không còn trong kế hoạch (cấu hình ngày %s)", c.ScheduleID, c.TaskID, today.VN())
		if !c.TaskGone {
			reason = fmt.Sprintf("Hủy: theo kế hoạch hiện hành, nghĩa vụ %s/%s kỳ %s không còn thuộc %s (cấu hình ngày %s)",
				c.ScheduleID, c.TaskID, c.Period, c.OldAssigneeOrSelf(), today.VN())
		}
		n, err := e.Store.CancelDropped(ctx, []int64{c.OccurrenceID}, reason)
		if err != nil {
			return err
		}
		cancelled += n
	}
	if len(far) > 0 {
		// Dates moved beyond the window: stored now, so that nothing is
		// reminded for the old date (an audit row records each move).
		if _, err := e.Store.UpsertOccurrences(ctx, far); err != nil {
			return fmt.Errorf("move duties: %w", err)
		}
	}
	if len(dropped) > len(im.Stopped) {
		e.Log.Info().Int("duties", len(dropped)-len(im.Stopped)).Int("cancelled", cancelled).
			Msg("duties no longer planned: nothing more is sent for them, their pending mail is cancelled, their history stays")
	}
	e.dropped = dropped
	return nil
}

// OldAssigneeOrSelf is who owed the stopped duty.
func (c Change) OldAssigneeOrSelf() string {
	if c.OldAssignee != "" {
		return c.OldAssignee
	}
	return c.Assignee
}
