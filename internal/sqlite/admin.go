package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// The admin area's writes beyond RecordSubmission, Waive and Extend: the
// correction of a recorded submission and the reopening of a closed
// occurrence, plus the audit log as the admin pages read it. Each write is
// one transaction with its audit row, like every decision in decisions.go.

// submissionDetail is a submission row as the audit log keeps it.
type submissionDetail struct {
	Ref         string `json:"ref"`
	SubmittedOn string `json:"submitted_on"`
	Note        string `json:"note"`
	RecordedBy  string `json:"recorded_by,omitempty"`
	Via         string `json:"via,omitempty"`
	RecordedAt  string `json:"recorded_at,omitempty"`
	RecordedOn  string `json:"recorded_on,omitempty"`
	// SelfDeclared and ConfirmedBy: a link's date earlier than its
	// recording day, and the admin who confirmed it ("" while pending).
	SelfDeclared bool   `json:"self_declared,omitempty"`
	ConfirmedBy  string `json:"confirmed_by,omitempty"`
}

// pending reports whether the submission's date still waits for an admin.
func (s submissionDetail) pending() bool { return s.SelfDeclared && s.ConfirmedBy == "" }

// waiverDetail is a waiver row as the audit log keeps it.
type waiverDetail struct {
	Reason string `json:"reason"`
	Actor  string `json:"actor"`
	At     string `json:"at"`
}

// CorrectSubmission changes the số ký hiệu, date and note of the
// occurrence's recorded submission. Who recorded it first and how stay as
// they were; the audit row names actor and keeps the values before and
// after. A self-declared date the admin saves this way counts as confirmed
// by them: the admin chose it. A correction that changes nothing and
// confirms nothing writes nothing.
func (db *DB) CorrectSubmission(ctx context.Context, occurrenceID int64, ref string, on schedule.Date, note, actor string) error {
	now := db.stamp()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := occurrenceState(ctx, tx, occurrenceID); err != nil {
			return err
		}
		before, ok, err := submissionOf(ctx, tx, occurrenceID)
		if err != nil {
			return err
		}
		if !ok {
			return duty.ErrNoSubmission
		}
		after := submissionDetail{Ref: ref, SubmittedOn: on.String(), Note: note}
		same := before.Ref == after.Ref && before.SubmittedOn == after.SubmittedOn && before.Note == after.Note
		if same && !before.pending() {
			return nil
		}
		confirm := before.pending()
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET ref = ?, submitted_on = ?, note = ?,
			confirmed_by = CASE WHEN ? THEN ? ELSE confirmed_by END,
			confirmed_at = CASE WHEN ? THEN ? ELSE confirmed_at END WHERE occurrence_id = ?`,
			ref, on.String(), note, confirm, actor, confirm, now, occurrenceID); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		detail := map[string]any{
			"before": submissionDetail{Ref: before.Ref, SubmittedOn: before.SubmittedOn, Note: before.Note},
			"after":  after,
		}
		if confirm {
			detail["confirmed"] = true
			detail["recorded_on"] = before.RecordedOn
		}
		return audit(ctx, tx, now, actor, "occurrence.submission_corrected", duty.OccurrenceObject(occurrenceID), detail)
	})
	if err != nil {
		return fmt.Errorf("correct submission of occurrence %d: %w", occurrenceID, err)
	}
	return nil
}

// ConfirmSubmission accepts the self-declared date of the occurrence's
// link submission as it stands: from then on reports judge the submission
// by that date. It is the one click an honest late confirmation costs an
// admin, and it is audited. Confirming twice writes nothing the second
// time; a submission whose date needs no confirmation is duty.ErrNotSelfDeclared.
func (db *DB) ConfirmSubmission(ctx context.Context, occurrenceID int64, actor string) error {
	now := db.stamp()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := occurrenceState(ctx, tx, occurrenceID); err != nil {
			return err
		}
		sub, ok, err := submissionOf(ctx, tx, occurrenceID)
		switch {
		case err != nil:
			return err
		case !ok:
			return duty.ErrNoSubmission
		case !sub.SelfDeclared:
			return duty.ErrNotSelfDeclared
		case sub.ConfirmedBy != "":
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET confirmed_by = ?, confirmed_at = ? WHERE occurrence_id = ?`,
			actor, now, occurrenceID); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		return audit(ctx, tx, now, actor, "occurrence.submission_confirmed", duty.OccurrenceObject(occurrenceID), map[string]string{
			"submitted_on": sub.SubmittedOn, "recorded_on": sub.RecordedOn, "recorded_by": sub.RecordedBy, "ref": sub.Ref,
		})
	})
	if err != nil {
		return fmt.Errorf("confirm submission of occurrence %d: %w", occurrenceID, err)
	}
	return nil
}

// UnconfirmedSubmissions lists the link submissions whose self-declared
// date waits for an admin, oldest recording first, at most limit.
func (db *DB) UnconfirmedSubmissions(ctx context.Context, limit int) ([]duty.Record, error) {
	out, err := db.queryRecords(ctx, recordQuery+`
		WHERE s.self_declared = 1 AND s.confirmed_by = ''
		ORDER BY s.recorded_at, o.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("unconfirmed submissions: %w", err)
	}
	return out, nil
}

// Reopen undoes the decision that closed an occurrence, so that it is owed
// again: a submission or a waiver is deleted, its row kept whole in the
// audit detail. The occurrence returns to the state it had before:
//   - submitted: its waiver's state when it still has one (a waived duty
//     that was submitted anyway), history when the submission completed a
//     history row, otherwise open (unassigned when nobody answers for it);
//   - waived: open, or unassigned when nobody answers for it.
//
// Notifications are not touched: the engine decides on its next tick what
// an open occurrence needs. Outbox rows already sent or cancelled keep
// their keys, so a step the occurrence had already reached is not sent a
// second time; later steps go out as usual.
func (db *DB) Reopen(ctx context.Context, occurrenceID int64, reason, actor string) error {
	now := db.stamp()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if strings.TrimSpace(reason) == "" {
			return duty.ErrNoReason
		}
		var st, agency string
		err := tx.QueryRowContext(ctx, `SELECT state, agency_id FROM occurrences WHERE id = ?`, occurrenceID).Scan(&st, &agency)
		if errors.Is(err, sql.ErrNoRows) {
			return duty.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("read occurrence: %w", err)
		}
		owed := duty.StateOpen
		if agency == "" {
			owed = duty.StateUnassigned
		}
		detail := map[string]any{"reason": reason, "previous_state": st}
		var next duty.State
		switch duty.State(st) {
		case duty.StateSubmitted:
			sub, ok, err := submissionOf(ctx, tx, occurrenceID)
			if err != nil {
				return err
			}
			if ok {
				detail["submission"] = sub
				if _, err := tx.ExecContext(ctx, `DELETE FROM submissions WHERE occurrence_id = ?`, occurrenceID); err != nil {
					return fmt.Errorf("delete submission: %w", err)
				}
			}
			_, waived, err := waiverOf(ctx, tx, occurrenceID)
			if err != nil {
				return err
			}
			before, err := stateBeforeSubmission(ctx, tx, occurrenceID)
			if err != nil {
				return err
			}
			switch {
			case waived:
				next = duty.StateWaived
			case before == duty.StateHistory:
				next = duty.StateHistory
			default:
				next = owed
			}
		case duty.StateWaived:
			wv, ok, err := waiverOf(ctx, tx, occurrenceID)
			if err != nil {
				return err
			}
			if ok {
				detail["waiver"] = wv
				if _, err := tx.ExecContext(ctx, `DELETE FROM waivers WHERE occurrence_id = ?`, occurrenceID); err != nil {
					return fmt.Errorf("delete waiver: %w", err)
				}
			}
			next = owed
		default:
			return fmt.Errorf("%w (%s)", duty.ErrNotClosed, st)
		}
		detail["new_state"] = string(next)
		if _, err := tx.ExecContext(ctx, `UPDATE occurrences SET state = ?, updated_at = ? WHERE id = ?`,
			string(next), now, occurrenceID); err != nil {
			return fmt.Errorf("set state %s: %w", next, err)
		}
		return audit(ctx, tx, now, actor, "occurrence.reopened", duty.OccurrenceObject(occurrenceID), detail)
	})
	if err != nil {
		return fmt.Errorf("reopen occurrence %d: %w", occurrenceID, err)
	}
	return nil
}

// AuditLog returns the latest limit rows of the audit log, newest first.
func (db *DB) AuditLog(ctx context.Context, limit int) ([]duty.AuditEntry, error) {
	return db.AuditLogBefore(ctx, 0, limit)
}

// AuditLogBefore returns up to limit rows of the audit log older than the
// row with id before (0: the latest), newest first: one page of the log.
// Rows are appended in commit order, so the id orders them; a page is read
// through the primary key, however long the log.
func (db *DB) AuditLogBefore(ctx context.Context, before int64, limit int) ([]duty.AuditEntry, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("audit log: limit %d must be positive", limit)
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, at, actor, action, object, detail FROM audit
		WHERE id < ? ORDER BY id DESC LIMIT ?`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []duty.AuditEntry
	for rows.Next() {
		var e duty.AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Object, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		if e.At, err = parseInstant(at); err != nil {
			return nil, fmt.Errorf("audit log: row %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}

func submissionOf(ctx context.Context, tx *sql.Tx, id int64) (submissionDetail, bool, error) {
	var s submissionDetail
	err := tx.QueryRowContext(ctx, `SELECT ref, submitted_on, note, recorded_by, via, recorded_at, recorded_on,
		self_declared, confirmed_by FROM submissions WHERE occurrence_id = ?`, id).Scan(&s.Ref, &s.SubmittedOn, &s.Note,
		&s.RecordedBy, &s.Via, &s.RecordedAt, &s.RecordedOn, &s.SelfDeclared, &s.ConfirmedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return s, false, nil
	}
	if err != nil {
		return s, false, fmt.Errorf("read submission: %w", err)
	}
	return s, true, nil
}

func waiverOf(ctx context.Context, tx *sql.Tx, id int64) (waiverDetail, bool, error) {
	var w waiverDetail
	err := tx.QueryRowContext(ctx, `SELECT reason, actor, at FROM waivers WHERE occurrence_id = ?`, id).
		Scan(&w.Reason, &w.Actor, &w.At)
	if errors.Is(err, sql.ErrNoRows) {
		return w, false, nil
	}
	if err != nil {
		return w, false, fmt.Errorf("read waiver: %w", err)
	}
	return w, true, nil
}

// stateBeforeSubmission reads the state the latest submission found, from
// its audit row; "" when there is none.
func stateBeforeSubmission(ctx context.Context, tx *sql.Tx, id int64) (duty.State, error) {
	var st string
	err := tx.QueryRowContext(ctx, `SELECT coalesce(json_extract(detail, '$.previous_state'), '') FROM audit
		WHERE object = ? AND action = 'occurrence.submitted' ORDER BY at DESC, id DESC LIMIT 1`, duty.OccurrenceObject(id)).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read state before submission: %w", err)
	}
	return duty.State(st), nil
}

// RevokeSession records that the admin session id was logged out; it
// counts until expires, when the session would have ended anyway. Entries
// past their expiry are pruned on the way.
func (db *DB) RevokeSession(ctx context.Context, id string, expires time.Time) error {
	now := db.stamp()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM admin_logouts WHERE expires_at <= ?`, now); err != nil {
			return fmt.Errorf("prune admin logouts: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO admin_logouts (session_id, expires_at) VALUES (?, ?)
			ON CONFLICT (session_id) DO NOTHING`, id, formatInstant(expires)); err != nil {
			return fmt.Errorf("revoke admin session: %w", err)
		}
		return nil
	})
}

// SessionRevoked reports whether the admin session id was logged out.
func (db *DB) SessionRevoked(ctx context.Context, id string) (bool, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM admin_logouts WHERE session_id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("admin logouts: %w", err)
	}
	return n > 0, nil
}
