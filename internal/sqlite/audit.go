package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// RequestExtension records an agency's request for more time (from the
// "Xin gia hạn" link). It grants nothing: an admin decides and, if so,
// extends the occurrence. A duty has at most one pending request: a later
// one updates it (date, reason, actor, count) instead of adding a row, and
// only the first is written to the audit log, so that repeating a request
// cannot push admin actions off the log. The request is settled when the
// duty is extended, waived or submitted.
func (db *DB) RequestExtension(ctx context.Context, occurrenceID int64, actor string, until schedule.Date, reason string) error {
	now := db.stamp()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var agency string
		err := tx.QueryRowContext(ctx, `SELECT assignee FROM occurrences WHERE id = ?`, occurrenceID).Scan(&agency)
		if errors.Is(err, sql.ErrNoRows) {
			return duty.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("read occurrence: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE extension_requests SET until = ?, reason = ?, actor = ?, times = times + 1, at = ?
			WHERE occurrence_id = ? AND agency_id = ? AND settled_at = ''`, until.String(), reason, actor, now, occurrenceID, agency)
		if err != nil {
			return fmt.Errorf("update request: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("update request: %w", err)
		} else if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO extension_requests
			(occurrence_id, agency_id, actor, until, reason, first_at, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			occurrenceID, agency, actor, until.String(), reason, now, now); err != nil {
			return fmt.Errorf("insert request: %w", err)
		}
		return audit(ctx, tx, now, actor, "occurrence.extension_requested", duty.OccurrenceObject(occurrenceID),
			map[string]string{"until": until.String(), "reason": reason})
	})
	if err != nil {
		return fmt.Errorf("request extension for occurrence %d: %w", occurrenceID, err)
	}
	return nil
}

// PendingExtensionRequest returns the occurrence's pending request, if any.
func (db *DB) PendingExtensionRequest(ctx context.Context, occurrenceID int64) (duty.ExtensionRequest, bool, error) {
	var r duty.ExtensionRequest
	var until, first, at string
	err := db.r.QueryRowContext(ctx, `SELECT actor, until, reason, times, first_at, at FROM extension_requests
		WHERE occurrence_id = ? AND settled_at = '' ORDER BY id DESC LIMIT 1`, occurrenceID).
		Scan(&r.Actor, &until, &r.Reason, &r.Times, &first, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err == nil {
		r.Until, err = schedule.ParseDate(until)
	}
	if err == nil {
		r.FirstAt, err = parseInstant(first)
	}
	if err == nil {
		r.At, err = parseInstant(at)
	}
	if err != nil {
		return r, false, fmt.Errorf("extension request of occurrence %d: %w", occurrenceID, err)
	}
	return r, true, nil
}

// SubmittedBetween returns the occurrences submitted, or recorded through a
// link, on a day in [from, to], for Sở Nội vụ's weekly summary: a link
// confirmed this week with an older, self-declared date is news this week.
// It runs once a week, so a scan of the submissions table is acceptable.
func (db *DB) SubmittedBetween(ctx context.Context, from, to schedule.Date) ([]duty.Record, error) {
	out, err := db.queryRecords(ctx, recordQuery+`
		WHERE s.submitted_on BETWEEN ?1 AND ?2 OR s.recorded_on BETWEEN ?1 AND ?2
		ORDER BY s.submitted_on, o.task_id, o.id`, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("submitted between %s and %s: %w", from, to, err)
	}
	return out, nil
}
