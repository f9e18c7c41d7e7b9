package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// RecordSubmission marks the occurrence submitted, which stops every later
// reminder and escalation and cancels notifications not yet claimed.
// Any state but submitted accepts a submission: an import of past reports
// completes history rows, and an agency may submit a waived duty anyway.
func (db *DB) RecordSubmission(ctx context.Context, s duty.Submission) error {
	now := db.stamp()
	if s.Via == duty.ViaLink && s.RecordedOn == 0 {
		return fmt.Errorf("record submission for occurrence %d: a link submission needs its recording day", s.OccurrenceID)
	}
	recordedOn := ""
	if s.RecordedOn != 0 {
		recordedOn = s.RecordedOn.String()
	}
	keptWaived := false
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		st, err := occurrenceState(ctx, tx, s.OccurrenceID)
		if err != nil {
			return err
		}
		if st == duty.StateSubmitted {
			return duty.ErrAlreadyRecorded
		}
		detail := map[string]any{
			"ref": s.Ref, "submitted_on": s.SubmittedOn.String(), "via": string(s.Via), "note": s.Note, "previous_state": string(st),
		}
		if recordedOn != "" {
			detail["recorded_on"] = recordedOn
		}
		if s.SelfDeclared() {
			detail["self_declared"] = true
		}
		if st == duty.StateWaived && s.Via == duty.ViaLink {
			// An admin excused the duty; a link must not undo that. The
			// confirmation is kept for the admins to see and decide.
			keptWaived = true
			return audit(ctx, tx, now, s.RecordedBy, "occurrence.link_confirmed_waived", duty.OccurrenceObject(s.OccurrenceID), detail)
		}
		if s.Quota > 1 {
			n, err := addQuotaEntry(ctx, tx, s, now)
			if err != nil {
				return err
			}
			if n < s.Quota {
				return audit(ctx, tx, now, s.RecordedBy, "occurrence.counted", duty.OccurrenceObject(s.OccurrenceID), map[string]string{
					"ref": s.Ref, "done_on": s.SubmittedOn.String(), "via": string(s.Via), "note": s.Note,
					"count": fmt.Sprintf("%d/%d", n, s.Quota),
				})
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO submissions
			(occurrence_id, ref, submitted_on, note, recorded_by, via, recorded_at, recorded_on, self_declared)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.OccurrenceID, s.Ref, s.SubmittedOn.String(), s.Note, s.RecordedBy, string(s.Via), now, recordedOn,
			s.SelfDeclared()); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if err := setState(ctx, tx, s.OccurrenceID, duty.StateSubmitted, now); err != nil {
			return err
		}
		return audit(ctx, tx, now, s.RecordedBy, "occurrence.submitted", duty.OccurrenceObject(s.OccurrenceID), detail)
	})
	if err == nil && keptWaived {
		err = duty.ErrKeptWaived
	}
	if err != nil {
		return fmt.Errorf("record submission for occurrence %d: %w", s.OccurrenceID, err)
	}
	return nil
}

// Waive excuses an open (or unassigned) occurrence: nothing more is sent.
func (db *DB) Waive(ctx context.Context, occurrenceID int64, reason, actor string) error {
	now := db.stamp()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		st, err := occurrenceState(ctx, tx, occurrenceID)
		if err != nil {
			return err
		}
		if st != duty.StateOpen && st != duty.StateUnassigned {
			return fmt.Errorf("%w (%s)", duty.ErrNotOpen, st)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO waivers (occurrence_id, reason, actor, at) VALUES (?, ?, ?, ?)`,
			occurrenceID, reason, actor, now); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if err := setState(ctx, tx, occurrenceID, duty.StateWaived, now); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "occurrence.waived", duty.OccurrenceObject(occurrenceID), map[string]string{"reason": reason})
	})
	if err != nil {
		return fmt.Errorf("waive occurrence %d: %w", occurrenceID, err)
	}
	return nil
}

// Extend grants a new deadline to an open occurrence. Notifications not yet
// claimed are cancelled, since they were computed for the old deadline; the
// engine enqueues the right ones on its next tick.
func (db *DB) Extend(ctx context.Context, occurrenceID int64, newDue schedule.Date, reason, actor string) error {
	now := db.stamp()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var st, deadline string
		err := tx.QueryRowContext(ctx, `SELECT state, deadline FROM occurrences WHERE id = ?`, occurrenceID).Scan(&st, &deadline)
		if errors.Is(err, sql.ErrNoRows) {
			return duty.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("read occurrence: %w", err)
		}
		if duty.State(st) != duty.StateOpen && duty.State(st) != duty.StateUnassigned {
			return fmt.Errorf("%w (%s)", duty.ErrNotOpen, st)
		}
		if newDue.String() <= deadline {
			return fmt.Errorf("%w: %s is not after %s", duty.ErrNotLater, newDue, deadline)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO extensions (occurrence_id, previous_due, new_due, reason, actor, at)
			VALUES (?, ?, ?, ?, ?, ?)`, occurrenceID, deadline, newDue.String(), reason, actor, now); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE occurrences SET extended_due = ?, updated_at = ? WHERE id = ?`,
			newDue.String(), now, occurrenceID); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if err := cancelPending(ctx, tx, occurrenceID, "extended", now); err != nil {
			return err
		}
		if err := settleRequests(ctx, tx, occurrenceID, now); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "occurrence.extended", duty.OccurrenceObject(occurrenceID), map[string]string{
			"previous_due": deadline, "new_due": newDue.String(), "reason": reason,
		})
	})
	if err != nil {
		return fmt.Errorf("extend occurrence %d: %w", occurrenceID, err)
	}
	return nil
}

func occurrenceState(ctx context.Context, tx *sql.Tx, id int64) (duty.State, error) {
	var st string
	err := tx.QueryRowContext(ctx, `SELECT state FROM occurrences WHERE id = ?`, id).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", duty.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("read state: %w", err)
	}
	return duty.State(st), nil
}

// setState moves an occurrence to a closed state and cancels its pending
// notifications in the same transaction, so a reminder can never be claimed
// after the submission that makes it wrong has committed.
func setState(ctx context.Context, tx *sql.Tx, id int64, st duty.State, now string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE occurrences SET state = ?, updated_at = ? WHERE id = ?`, string(st), now, id); err != nil {
		return fmt.Errorf("set state %s: %w", st, err)
	}
	if err := settleRequests(ctx, tx, id, now); err != nil {
		return err
	}
	return cancelPending(ctx, tx, id, string(st), now)
}

// settleRequests closes the occurrence's pending extension requests: an
// admin's decision or a submission answered them.
func settleRequests(ctx context.Context, tx *sql.Tx, id int64, now string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE extension_requests SET settled_at = ?
		WHERE occurrence_id = ? AND settled_at = ''`, now, id); err != nil {
		return fmt.Errorf("settle extension requests: %w", err)
	}
	return nil
}

func cancelPending(ctx context.Context, tx *sql.Tx, occurrenceID int64, why, now string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'cancelled', last_error = ?
		WHERE occurrence_id = ? AND state = 'pending'`, "occurrence "+why+" at "+now, occurrenceID); err != nil {
		return fmt.Errorf("cancel pending notifications: %w", err)
	}
	return nil
}

// audit appends one row to the audit log inside the caller's transaction,
// so the log can never disagree with what was committed.
func audit(ctx context.Context, tx *sql.Tx, at, actor, action, object string, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, object, detail) VALUES (?, ?, ?, ?, ?)`,
		at, actor, action, object, string(b)); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// addQuotaEntry records one counted entry and returns the period's count.
func addQuotaEntry(ctx context.Context, tx *sql.Tx, s duty.Submission, now string) (int, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO quota_entries
		(occurrence_id, ref, done_on, note, recorded_by, via, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		s.OccurrenceID, s.Ref, s.SubmittedOn.String(), s.Note, s.RecordedBy, string(s.Via), now); err != nil {
		return 0, fmt.Errorf("insert quota entry: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM quota_entries WHERE occurrence_id = ?`, s.OccurrenceID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count quota entries: %w", err)
	}
	return n, nil
}

// QuotaCounts returns how many counted entries each of the occurrences
// has; occurrences with none are absent.
func (db *DB) QuotaCounts(ctx context.Context, ids ...int64) (map[int64]int, error) {
	return db.countByOccurrence(ctx, "quota counts",
		`SELECT occurrence_id, count(*) FROM quota_entries WHERE occurrence_id IN (%s) GROUP BY occurrence_id`, ids)
}
