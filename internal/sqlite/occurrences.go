package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// UpsertOccurrences stores the planner's occurrences and returns how many
// were new. It is idempotent: an occurrence already stored keeps its id and
// state, and only its due dates follow the schedule (the config was edited),
// with an audit row for each change. New rows start in rows[i].State, or
// open (unassigned without an agency) when that is empty. It sets rows[i].ID.
func (db *DB) UpsertOccurrences(ctx context.Context, rows []duty.Occurrence) (inserted int, err error) {
	now := db.stamp()
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO occurrences
			(schedule_id, task_id, period, agency_id, named_agency_id, role, due, effective_due, state, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING
			RETURNING id`)
		if err != nil {
			return fmt.Errorf("prepare insert: %w", err)
		}
		defer ins.Close()
		get, err := tx.PrepareContext(ctx, `SELECT id, due, effective_due FROM occurrences
			WHERE schedule_id = ? AND task_id = ? AND period = ?
			  AND assignee = CASE WHEN ? <> '' THEN ? ELSE '?' || ? END`)
		if err != nil {
			return fmt.Errorf("prepare lookup: %w", err)
		}
		defer get.Close()
		// The rows already stored, read per task for the periods asked
		// (one query per task instead of one per row: a national window
		// holds a quarter of a million rows).
		stored, err := storedOccurrences(ctx, tx, rows)
		if err != nil {
			return err
		}
		for i := range rows {
			r := &rows[i]
			state := r.State
			if state == "" {
				state = duty.StateOpen
			}
			if r.AgencyID == "" && state == duty.StateOpen {
				state = duty.StateUnassigned
			}
			var due, eff string
			if st, ok := stored[occKeyOf(r)]; ok {
				r.ID, due, eff = st.id, st.due, st.eff
			} else {
				err := ins.QueryRowContext(ctx, r.ScheduleID, r.TaskID, r.Period, r.AgencyID, r.NamedAgencyID,
					r.Role.String(), r.Due.String(), r.EffectiveDue.String(), string(state), now, now).Scan(&r.ID)
				if err == nil {
					inserted++
					continue
				}
				if !errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("insert occurrence %s/%s/%s: %w", r.TaskID, r.Period, r.AgencyID, err)
				}
				// Stored meanwhile (or twice in rows): look it up.
				if err := get.QueryRowContext(ctx, r.ScheduleID, r.TaskID, r.Period, r.AgencyID, r.AgencyID, r.NamedAgencyID).
					Scan(&r.ID, &due, &eff); err != nil {
					return fmt.Errorf("look up occurrence %s/%s/%s: %w", r.TaskID, r.Period, r.AgencyID, err)
				}
			}
			if due == r.Due.String() && eff == r.EffectiveDue.String() {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE occurrences SET due = ?, effective_due = ?, updated_at = ? WHERE id = ?`,
				r.Due.String(), r.EffectiveDue.String(), now, r.ID); err != nil {
				return fmt.Errorf("update due of occurrence %d: %w", r.ID, err)
			}
			if err := audit(ctx, tx, now, "nhachan", "occurrence.due_changed", duty.OccurrenceObject(r.ID), map[string]string{
				"old_due": due, "old_effective_due": eff,
				"new_due": r.Due.String(), "new_effective_due": r.EffectiveDue.String(),
			}); err != nil {
				return err
			}
		}
		return replanned(ctx, tx, rows)
	})
	if err != nil {
		return 0, fmt.Errorf("upsert occurrences: %w", err)
	}
	return inserted, nil
}

// replanned clears the drop marks of rows: a duty that a reload dropped
// and a later configuration plans again is owed again. The marks are rare,
// so the common case costs one lookup.
func replanned(ctx context.Context, tx *sql.Tx, rows []duty.Occurrence) error {
	var marked bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM occurrence_drops)`).Scan(&marked); err != nil || !marked {
		return err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return inChunks(ids, func(args []any, ph string) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM occurrence_drops WHERE occurrence_id IN (`+ph+`)`, args...)
		return err
	})
}

// occKey is an occurrence's identity, as the unique index occurrences_key
// has it.
type occKey struct{ schedule, task, period, assignee string }

func occKeyOf(r *duty.Occurrence) occKey {
	a := r.AgencyID
	if a == "" {
		a = "?" + r.NamedAgencyID
	}
	return occKey{r.ScheduleID, r.TaskID, r.Period, a}
}

// storedOccurrence is what UpsertOccurrences compares with the plan.
type storedOccurrence struct {
	id       int64
	due, eff string
}

// storedOccurrences reads the stored rows of rows' tasks and periods: one
// query per task, on the unique index.
func storedOccurrences(ctx context.Context, tx *sql.Tx, rows []duty.Occurrence) (map[occKey]storedOccurrence, error) {
	type task struct{ schedule, task string }
	periods := map[task][]string{}
	seen := map[occKey]bool{}
	for i := range rows {
		r := &rows[i]
		k := occKey{r.ScheduleID, r.TaskID, r.Period, ""}
		if seen[k] {
			continue
		}
		seen[k] = true
		t := task{r.ScheduleID, r.TaskID}
		periods[t] = append(periods[t], r.Period)
	}
	out := make(map[occKey]storedOccurrence, len(rows))
	for t, ps := range periods {
		for len(ps) > 0 {
			chunk := ps[:min(len(ps), 500)] // well under SQLite's limit on variables
			ps = ps[len(chunk):]
			args := []any{t.schedule, t.task}
			for _, p := range chunk {
				args = append(args, p)
			}
			rs, err := tx.QueryContext(ctx, storedOccurrencesQuery(len(chunk)), args...)
			if err != nil {
				return nil, fmt.Errorf("read stored occurrences of %s/%s: %w", t.schedule, t.task, err)
			}
			for rs.Next() {
				var st storedOccurrence
				var period, assignee string
				if err := rs.Scan(&st.id, &period, &assignee, &st.due, &st.eff); err != nil {
					rs.Close()
					return nil, fmt.Errorf("read stored occurrences of %s/%s: %w", t.schedule, t.task, err)
				}
				out[occKey{t.schedule, t.task, period, assignee}] = st
			}
			err = rs.Err()
			rs.Close()
			if err != nil {
				return nil, fmt.Errorf("read stored occurrences of %s/%s: %w", t.schedule, t.task, err)
			}
		}
	}
	return out, nil
}

// storedOccurrencesQuery reads the stored rows of one task for n periods.
func storedOccurrencesQuery(n int) string {
	return `SELECT id, period, assignee, due, effective_due FROM occurrences
		WHERE schedule_id = ? AND task_id = ? AND period IN (?` + strings.Repeat(", ?", n-1) + `)`
}

const occColumns = `id, schedule_id, task_id, period, agency_id, named_agency_id, role,
	due, effective_due, coalesce(extended_due, ''), deadline, state`

// openOccurrences returns the open occurrences owed on or before until
// (overdue ones included: escalation needs them), by deadline then id.
// The partial index on open deadlines makes its cost depend on the rows
// returned, not on the size of the table.
func (db *DB) openOccurrences(ctx context.Context, until schedule.Date) ([]duty.Occurrence, error) {
	return db.queryOccurrences(ctx, `SELECT `+occColumns+` FROM occurrences
		WHERE state = 'open' AND deadline <= ? ORDER BY deadline, id`, until.String())
}

// Occurrence returns the occurrence with the given id.
func (db *DB) Occurrence(ctx context.Context, id int64) (duty.Occurrence, error) {
	o, err := scanOccurrence(db.r.QueryRowContext(ctx, `SELECT `+occColumns+` FROM occurrences WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		err = duty.ErrNotFound
	}
	if err != nil {
		return duty.Occurrence{}, fmt.Errorf("occurrence %d: %w", id, err)
	}
	return o, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanOccurrence(s scanner) (duty.Occurrence, error) {
	var o duty.Occurrence
	var role, due, eff, ext, deadline, state string
	if err := s.Scan(&o.ID, &o.ScheduleID, &o.TaskID, &o.Period, &o.AgencyID, &o.NamedAgencyID, &role,
		&due, &eff, &ext, &deadline, &state); err != nil {
		return o, err
	}
	if role == "coordinating" {
		o.Role = model.RoleCoordinating
	}
	o.State = duty.State(state)
	var err error
	if o.Due, err = schedule.ParseDate(due); err != nil {
		return o, fmt.Errorf("occurrence %d: %w", o.ID, err)
	}
	if o.EffectiveDue, err = schedule.ParseDate(eff); err != nil {
		return o, fmt.Errorf("occurrence %d: %w", o.ID, err)
	}
	if o.Deadline, err = schedule.ParseDate(deadline); err != nil {
		return o, fmt.Errorf("occurrence %d: %w", o.ID, err)
	}
	if ext != "" {
		if o.ExtendedDue, err = schedule.ParseDate(ext); err != nil {
			return o, fmt.Errorf("occurrence %d: %w", o.ID, err)
		}
	}
	return o, nil
}
