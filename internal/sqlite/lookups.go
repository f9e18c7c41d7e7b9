package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Meta returns the value stored under key, and whether there is one.
func (db *DB) Meta(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := db.r.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("meta %s: %w", key, err)
	}
	return v, true, nil
}

// SetMeta stores value under key.
func (db *DB) SetMeta(ctx context.Context, key, value string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		if err != nil {
			return fmt.Errorf("set meta %s: %w", key, err)
		}
		return nil
	})
}

// InitMeta stores value under key unless the key is already set, and
// returns the value in force: the first writer wins, for good.
func (db *DB) InitMeta(ctx context.Context, key, value string) (string, error) {
	var out string
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value); err != nil {
			return fmt.Errorf("init meta %s: %w", key, err)
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&out)
	})
	return out, err
}

// FindOccurrences returns the occurrences of a task and period owed by an
// agency, matching the answering agency or the one the schedule named.
func (db *DB) FindOccurrences(ctx context.Context, taskID, agencyID, period string) ([]duty.Occurrence, error) {
	return db.queryOccurrences(ctx, `SELECT `+occColumns+` FROM occurrences
		WHERE task_id = ? AND period = ? AND (agency_id = ? OR named_agency_id = ?) ORDER BY id`,
		taskID, period, agencyID, agencyID)
}

// OccurrencesBetween returns every occurrence whose deadline lies in
// [from, to], optionally of one agency (answering or named), by deadline.
func (db *DB) OccurrencesBetween(ctx context.Context, from, to schedule.Date, agencyID string) ([]duty.Occurrence, error) {
	if agencyID == "" {
		return db.queryOccurrences(ctx, `SELECT `+occColumns+` FROM occurrences
			WHERE deadline BETWEEN ? AND ? ORDER BY deadline, task_id, id`, from.String(), to.String())
	}
	return db.queryOccurrences(ctx, `SELECT `+occColumns+` FROM occurrences
		WHERE deadline BETWEEN ? AND ? AND (agency_id = ? OR named_agency_id = ?) ORDER BY deadline, task_id, id`,
		from.String(), to.String(), agencyID, agencyID)
}

func (db *DB) queryOccurrences(ctx context.Context, q string, args ...any) ([]duty.Occurrence, error) {
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query occurrences: %w", err)
	}
	defer rows.Close()
	var out []duty.Occurrence
	for rows.Next() {
		o, err := scanOccurrence(rows)
		if err != nil {
			return nil, fmt.Errorf("query occurrences: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query occurrences: %w", err)
	}
	return out, nil
}

// SupersedePending cancels an occurrence's pending notifications of other
// steps than keep to the given recipients (compared without case), who get
// keep's notice instead: after downtime a stale "còn 7 ngày" must not go
// out beside the overdue notice that replaced it. A pending notification to
// anyone else stays: keep's notice does not reach them, and what they were
// to be told still holds.
func (db *DB) SupersedePending(ctx context.Context, occurrenceID int64, keep string, recipients []string) (int, error) {
	if len(recipients) == 0 {
		return 0, nil
	}
	args := []any{"superseded by " + keep, occurrenceID, keep}
	marks := make([]string, len(recipients))
	for i, r := range recipients {
		marks[i] = "?"
		args = append(args, strings.ToLower(r))
	}
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'cancelled', last_error = ?
			WHERE occurrence_id = ? AND state = 'pending' AND step <> ?
			  AND lower(recipient) IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return fmt.Errorf("supersede: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// Sent lists notifications sent at or after since (UTC text), in send order.
func (db *DB) Sent(ctx context.Context, since string) ([]duty.SentRow, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT key, step, recipient, kind, state, message_id, smtp_response,
		last_error, coalesce(occurrence_id, 0), coalesce(sent_at, '') FROM outbox
		WHERE state = 'sent' AND sent_at >= ? ORDER BY sent_at, recipient, key`, since)
	if err != nil {
		return nil, fmt.Errorf("sent: %w", err)
	}
	defer rows.Close()
	var out []duty.SentRow
	for rows.Next() {
		var r duty.SentRow
		if err := rows.Scan(&r.Key, &r.Step, &r.Recipient, &r.Kind, &r.State, &r.MessageID, &r.Response,
			&r.LastError, &r.OccurrenceID, &r.SentAt); err != nil {
			return nil, fmt.Errorf("sent: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// OpenOccurrencesBetween returns the open occurrences owed in [from, until],
// by deadline then id. The engine bounds from by the escalation span, so
// that duties abandoned years ago do not make every tick slower.
func (db *DB) OpenOccurrencesBetween(ctx context.Context, from, until schedule.Date) ([]duty.Occurrence, error) {
	return db.queryOccurrences(ctx, `SELECT `+occColumns+` FROM occurrences
		WHERE state = 'open' AND deadline BETWEEN ? AND ? ORDER BY deadline, id`, from.String(), until.String())
}

// EnqueuedSince returns the notifications about occurrences queued at or
// after since that were not cancelled: what a daily digest lists.
func (db *DB) EnqueuedSince(ctx context.Context, since time.Time) ([]duty.Notification, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox
		WHERE created_at >= ? AND occurrence_id IS NOT NULL AND state <> 'cancelled'
		ORDER BY occurrence_id, id`, formatInstant(since))
	if err != nil {
		return nil, fmt.Errorf("enqueued since: %w", err)
	}
	defer rows.Close()
	var out []duty.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, fmt.Errorf("enqueued since: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnassignedBetween returns the duties nobody answers for (an agency ended
// without successor) owed in [from, until]. Their assignee key starts with
// '?', so the range on the assignee index reads only them.
func (db *DB) UnassignedBetween(ctx context.Context, from, until schedule.Date) ([]duty.Occurrence, error) {
	return db.queryOccurrences(ctx, `SELECT `+occColumns+` FROM occurrences
		WHERE assignee >= '?' AND assignee < '@' AND state = 'unassigned' AND deadline BETWEEN ? AND ?
		ORDER BY deadline, id`, from.String(), until.String())
}

// Checkpoint copies the WAL back into the database file; truncate also
// shrinks the WAL to nothing. The daemon runs it after every tick: on a
// small disk the WAL must not grow until no commit fits, and after a disk
// full error a truncating checkpoint gives the space back.
func (db *DB) Checkpoint(ctx context.Context, truncate bool) error {
	mode := "PASSIVE"
	if truncate {
		mode = "TRUNCATE"
	}
	if _, err := db.w.ExecContext(ctx, "PRAGMA wal_checkpoint("+mode+")"); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}
