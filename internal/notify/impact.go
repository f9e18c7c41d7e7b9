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
// window, and which of them an earlier reload already dropped.
type ImpactStore interface {
	ImpactRows(ctx context.Context, from, to schedule.Date) ([]duty.Occurrence, error)
	DroppedAmong(ctx context.Context, ids []int64) (map[int64]bool, error)
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
// an add from a duty already done; they never change. Stored duties
// outside the window are not the reload's business and are left out.
func Compare(ctx context.Context, st ImpactStore, s Setup, today schedule.Date) (Impact, error) {
	from, to := Window(s, today)
	im := Impact{From: from, To: to}
	stored, err := st.ImpactRows(ctx, from, to)
	if err != nil {
		return im, fmt.Errorf("impact: %w", err)
	}
	byKey := make(map[impactKey]int, len(stored))
	for i, r := range stored {
		byKey[storedKey(r)] = i
	}
	planned := map[impactKey]bool{}
	type taskPeriod struct{ schedule, task, period string }
	adds := map[taskPeriod][]int{} // indices in im.Changes of adds, for pairing
	for _, o := range s.Planner.Plan(from, to, model.Filter{LeadOnly: true}) {
		k := plannedKey(o)
		planned[k] = true
		if o.EffectiveDue < s.TrackingStart {
			continue // stored as history: nothing is ever sent for it
		}
		if i, ok := byKey[k]; ok {
			if r := stored[i]; isOpen(r) && (r.Due != o.Due || r.EffectiveDue != o.EffectiveDue) {
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
	var unplanned []duty.Occurrence
	for _, r := range stored {
		if isOpen(r) && !planned[storedKey(r)] {
			unplanned = append(unplanned, r)
		}
	}
	stopped, err := classify(ctx, st, s, from, to, unplanned, func(r duty.Occurrence, c Change) {
		// The same task and period owed by another agency now: one move.
		tp := taskPeriod{r.ScheduleID, r.TaskID, r.Period}
		if idx := adds[tp]; c.Kind == ChangeDrop && !c.TaskGone && len(idx) > 0 {
			a := &im.Changes[idx[0]]
			a.Kind, a.OldAssignee, a.OldDue, a.OccurrenceID = ChangeMove, c.Assignee, r.EffectiveDue, r.ID
			adds[tp] = idx[1:]
			return
		}
		im.Changes = append(im.Changes, c)
	})
	if err != nil {
		return im, err
	}
	im.Stopped = stopped
	slices.SortStableFunc(im.Changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.ScheduleID, b.ScheduleID), cmp.Compare(a.TaskID, b.TaskID),
			cmp.Compare(a.Period, b.Period), cmp.Compare(a.Assignee, b.Assignee))
	})
	return im, nil
}

// classify reads the stored open duties that the window's plan no longer
// has: a task gone or a duty no longer owed is a drop, a date moved out of
// the window is a move (with the row to store). Those an earlier reload
// already dropped and that stay dropped are returned, not reported.
func classify(ctx context.Context, st ImpactStore, s Setup, from, to schedule.Date, unplanned []duty.Occurrence,
	report func(duty.Occurrence, Change)) ([]int64, error) {
	if len(unplanned) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(unplanned))
	for i, r := range unplanned {
		ids[i] = r.ID
	}
	was, err := st.DroppedAmong(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("impact: %w", err)
	}
	var stopped []int64
	plans := map[[2]string][]model.Occurrence{} // a task's lead occurrences around the window, planned once
	for _, r := range unplanned {
		k := storedKey(r)
		c := Change{Kind: ChangeDrop, ScheduleID: k.schedule, TaskID: k.task, Period: k.period, Assignee: k.assignee,
			OldDue: r.EffectiveDue, OccurrenceID: r.ID}
		if t := s.Planner.Task(r.ScheduleID, r.TaskID); t == nil {
			c.TaskGone = true
		} else {
			tk := [2]string{r.ScheduleID, r.TaskID}
			occ, ok := plans[tk]
			if !ok {
				occ = s.Planner.Plan(from.AddDays(-800), to.AddDays(800), model.Filter{Schedule: r.ScheduleID, Task: r.TaskID, LeadOnly: true})
				plans[tk] = occ
			}
			if o, ok := findKey(occ, k); ok {
				// Still planned, its date moved out of the window: a move,
				// stored at once so that nothing is reminded for the old date.
				row := r
				row.Due, row.EffectiveDue = o.Due, o.EffectiveDue
				c.Kind, c.NewDue, c.far = ChangeMove, o.EffectiveDue, &row
			}
		}
		if c.Kind == ChangeDrop && was[r.ID] {
			stopped = append(stopped, r.ID)
			continue
		}
		report(r, c)
	}
	return stopped, nil
}

func findKey(occ []model.Occurrence, k impactKey) (model.Occurrence, bool) {
	for _, o := range occ {
		if plannedKey(o) == k {
			return o, true
		}
	}
	return model.Occurrence{}, false
}

// dropUnplanned cancels, with a reason, the pending mail of the stored
// open duties of the window that the setup no longer plans, and remembers
// them so that decide sends nothing more for them. Materialise calls it
// with the window's rows just stored (their ids set): only the stored open
// ids not among them are read in full, so a national window costs one
// scan of ids.
func (e *Engine) dropUnplanned(ctx context.Context, s Setup, today, from, to schedule.Date, rows []duty.Occurrence) error {
	planned := make([]int64, len(rows))
	for i, r := range rows {
		planned[i] = r.ID
	}
	slices.Sort(planned)
	open, err := e.Store.OpenIDsDue(ctx, from, to)
	if err != nil {
		return err
	}
	var ids []int64
	for _, id := range open {
		if _, found := slices.BinarySearch(planned, id); !found {
			ids = append(ids, id)
		}
	}
	dropped := map[int64]bool{}
	e.dropped = dropped
	if len(ids) == 0 {
		return nil
	}
	unplanned, err := e.Store.OccurrencesByID(ctx, ids)
	if err != nil {
		return err
	}
	cancelled, fresh := 0, 0
	var far []duty.Occurrence
	var failed error
	stopped, err := classify(ctx, e.Store, s, from, to, unplanned, func(r duty.Occurrence, c Change) {
		if failed != nil {
			return
		}
		if c.far != nil {
			far = append(far, *c.far)
			return
		}
		dropped[r.ID] = true
		fresh++
		reason := fmt.Sprintf("Hủy: nhiệm vụ %s/%s không còn trong kế hoạch (cấu hình ngày %s)", c.ScheduleID, c.TaskID, today.VN())
		if !c.TaskGone {
			reason = fmt.Sprintf("Hủy: theo kế hoạch hiện hành, nghĩa vụ %s/%s kỳ %s không còn thuộc %s (cấu hình ngày %s)",
				c.ScheduleID, c.TaskID, c.Period, c.Assignee, today.VN())
		}
		n, err := e.Store.CancelDropped(ctx, []int64{r.ID}, reason)
		cancelled += n
		failed = err
	})
	if err != nil {
		return err
	}
	if failed != nil {
		return failed
	}
	for _, id := range stopped {
		dropped[id] = true
	}
	if len(far) > 0 {
		if _, err := e.Store.UpsertOccurrences(ctx, far); err != nil {
			return fmt.Errorf("move duties: %w", err)
		}
	}
	if fresh > 0 {
		e.Log.Info().Int("duties", fresh).Int("cancelled", cancelled).
			Msg("duties no longer planned: nothing more is sent for them, their pending mail is cancelled, their history stays")
	}
	return nil
}
