package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// Enqueue inserts notifications whose keys are new and returns how many
// were. A key already present, whatever its state, is left alone: that is
// what lets a tick run twice, or after a crash, without sending twice.
func (db *DB) Enqueue(ctx context.Context, ns []duty.Notification) (inserted int, err error) {
	if len(ns) == 0 {
		return 0, nil // no write transaction for an idle tick
	}
	now := db.now()
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO outbox
			(key, occurrence_id, step, recipient, kind, lease_until, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		defer st.Close()
		for _, n := range ns {
			var occ any // NULL, not 0, so the foreign key is not checked for a digest
			if n.OccurrenceID != 0 {
				occ = n.OccurrenceID
			}
			// Ready now means claimable by the same tick: round now down, as
			// Claim does. Only a future "not before" rounds up.
			ready := formatInstant(now)
			if n.NotBefore.After(now) {
				ready = formatDeadline(n.NotBefore)
			}
			res, err := st.ExecContext(ctx, n.Key, occ, n.Step, n.Recipient, n.Kind, ready, formatInstant(now))
			if err != nil {
				return fmt.Errorf("insert %q: %w", n.Key, err)
			}
			k, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("insert %q: %w", n.Key, err)
			}
			inserted += int(k)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("enqueue: %w", err)
	}
	return inserted, nil
}

// Claim takes the notifications that are ready — pending and past their
// not-before time, or claimed by a worker whose lease has run out (it
// crashed) — and leases them to worker until now+lease. It claims every
// ready row of at most limit recipients, never part of a recipient's rows,
// because one recipient's rows become one message: a split would send two.
// The rows come back ordered by recipient, then id.
//
// The select and the update are one statement in one IMMEDIATE
// transaction, so two workers, in one process or two, never get the same
// row while its lease holds.
func (db *DB) Claim(ctx context.Context, worker string, lease time.Duration, limit int) ([]duty.Notification, error) {
	if limit <= 0 || lease <= 0 {
		return nil, fmt.Errorf("claim: limit %d and lease %s must be positive", limit, lease)
	}
	now := db.now()
	nowS, until := formatInstant(now), formatDeadline(now.Add(lease))
	var out []duty.Notification
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE outbox
			SET state = 'claimed', claimed_by = ?, lease_until = ?, attempts = attempts + 1
			WHERE state IN ('pending', 'claimed') AND lease_until <= ?
			  AND recipient IN (
				SELECT recipient FROM outbox
				WHERE state IN ('pending', 'claimed') AND lease_until <= ?
				GROUP BY recipient ORDER BY min(lease_until), recipient LIMIT ?)
			RETURNING `+outboxColumns, worker, until, nowS, nowS, limit)
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			n, err := scanNotification(rows)
			if err != nil {
				return err
			}
			out = append(out, n)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("claim for %s: %w", worker, err)
	}
	// RETURNING gives no order guarantee.
	sort.Slice(out, func(i, j int) bool {
		if out[i].Recipient != out[j].Recipient {
			return out[i].Recipient < out[j].Recipient
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// MarkSent records that the message messageID carrying the rows ids was
// accepted by the mail server with smtpResponse. All rows of one message
// are marked in one transaction: a crash either keeps all of them claimed
// (and they are re-sent together: the one duplicate SMTP cannot avoid) or
// none. Marking a row that is already sent changes nothing.
func (db *DB) MarkSent(ctx context.Context, messageID, smtpResponse string, ids ...int64) error {
	now := db.stamp()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `UPDATE outbox
				SET state = 'sent', sent_at = ?, message_id = ?, smtp_response = ?, last_error = ''
				WHERE id = ? AND state <> 'sent'`, now, messageID, smtpResponse, id)
			if err := mustExist(ctx, tx, id, res, err); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark sent %s: %w", messageID, err)
	}
	return nil
}

// MarkFailed records a failed attempt for the rows ids. A permanent
// failure (a 5xx for this recipient) ends the rows as failed, to be
// reported; a temporary one returns them to pending, not to be claimed
// before retryAt (the engine's capped backoff). Rows that are no longer
// claimed (another worker took over an expired lease and sent them) are
// left as they are.
func (db *DB) MarkFailed(ctx context.Context, errText string, permanent bool, retryAt time.Time, ids ...int64) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			var res sql.Result
			var err error
			if permanent {
				res, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', last_error = ?
					WHERE id = ? AND state = 'claimed'`, errText, id)
			} else {
				res, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', last_error = ?, lease_until = ?, claimed_by = ''
					WHERE id = ? AND state = 'claimed'`, errText, formatDeadline(retryAt), id)
			}
			if err := mustExist(ctx, tx, id, res, err); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark failed: %w", err)
	}
	return nil
}

// mustExist turns "updated nothing" into ErrNotFound when the row does not
// exist at all; a row that exists in another state is not an error.
func mustExist(ctx context.Context, tx *sql.Tx, id int64, res sql.Result, err error) error {
	if err != nil {
		return fmt.Errorf("notification %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM outbox WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("notification %d: %w", id, duty.ErrNotFound)
	}
	return err
}

// OutboxDepth returns the outbox's depth, for /metrics and the status page.
// It reads through the (state, lease_until) index, touching only unfinished
// rows, so its cost does not grow with years of sent mail.
func (db *DB) OutboxDepth(ctx context.Context) (duty.Depth, error) {
	return outboxDepth(ctx, db.r)
}

// HealthCheck is /healthz's query: the outbox's depth, read on the health
// check's own connection, so that a flood of page requests holding every
// connection of the read pool cannot make the daemon look dead. An error
// means the database does not answer.
func (db *DB) HealthCheck(ctx context.Context) (duty.Depth, error) {
	return outboxDepth(ctx, db.h)
}

func outboxDepth(ctx context.Context, q *sql.DB) (duty.Depth, error) {
	rows, err := q.QueryContext(ctx, `SELECT state, count(*) FROM outbox
		WHERE state IN ('pending', 'claimed', 'failed') GROUP BY state`)
	if err != nil {
		return duty.Depth{}, fmt.Errorf("outbox depth: %w", err)
	}
	defer rows.Close()
	var d duty.Depth
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return duty.Depth{}, fmt.Errorf("outbox depth: %w", err)
		}
		switch st {
		case "pending":
			d.Pending = n
		case "claimed":
			d.Claimed = n
		case "failed":
			d.Failed = n
		}
	}
	if err := rows.Err(); err != nil {
		return duty.Depth{}, fmt.Errorf("outbox depth: %w", err)
	}
	return d, nil
}

const outboxColumns = `id, key, coalesce(occurrence_id, 0), step, recipient, kind, state, attempts,
	lease_until, claimed_by, message_id, last_error, created_at`

func scanNotification(s scanner) (duty.Notification, error) {
	var n duty.Notification
	var lease, created string
	if err := s.Scan(&n.ID, &n.Key, &n.OccurrenceID, &n.Step, &n.Recipient, &n.Kind, &n.State, &n.Attempts,
		&lease, &n.ClaimedBy, &n.MessageID, &n.LastError, &created); err != nil {
		return n, fmt.Errorf("scan notification: %w", err)
	}
	var err error
	if n.LeaseUntil, err = parseInstant(lease); err != nil {
		return n, err
	}
	if n.CreatedAt, err = parseInstant(created); err != nil {
		return n, err
	}
	n.NotBefore = n.LeaseUntil
	return n, nil
}
