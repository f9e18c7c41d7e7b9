package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// ImpactRows returns the stored duties a reload can change or that a
// changed plan must be compared with: every open or unassigned one, and
// every one, whatever its state, whose nominal due date lies in [from, to];
// and, among them, those an earlier reload already found no longer planned
// (CancelDropped recorded them).
func (db *DB) ImpactRows(ctx context.Context, from, to schedule.Date) ([]duty.Occurrence, map[int64]bool, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+occColumns+`,
		EXISTS (SELECT 1 FROM audit a WHERE a.object = 'occurrence/' || o.id AND a.action = 'occurrence.dropped')
		FROM occurrences o
		WHERE state IN ('open', 'unassigned') OR due BETWEEN ? AND ?
		ORDER BY schedule_id, task_id, period, id`, from.String(), to.String())
	if err != nil {
		return nil, nil, fmt.Errorf("impact rows: %w", err)
	}
	defer rows.Close()
	var out []duty.Occurrence
	dropped := map[int64]bool{}
	for rows.Next() {
		var was int
		o, err := scanOccurrence(scanTail{rows, &was})
		if err != nil {
			return nil, nil, fmt.Errorf("impact rows: %w", err)
		}
		if was == 1 {
			dropped[o.ID] = true
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("impact rows: %w", err)
	}
	return out, dropped, nil
}

// scanTail scans a row whose last column is extra to occColumns.
type scanTail struct {
	rows *sql.Rows
	tail any
}

func (s scanTail) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.tail)...) }

// PendingCounts returns, for each of ids, how many of its notifications
// are still waiting to go out.
func (db *DB) PendingCounts(ctx context.Context, ids []int64) (map[int64]int, error) {
	out := make(map[int64]int, len(ids))
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := db.r.QueryContext(ctx, `SELECT occurrence_id, count(*) FROM outbox
			WHERE state = 'pending' AND occurrence_id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)
			GROUP BY occurrence_id`, args...)
		if err != nil {
			return nil, fmt.Errorf("pending counts: %w", err)
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("pending counts: %w", err)
			}
			out[id] = n
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("pending counts: %w", err)
		}
	}
	return out, nil
}

// CancelDropped cancels the pending notifications of occurrences the
// configuration no longer plans (their task left the plan, or the duty
// passed to another agency), with the reason, and records the drop once
// per occurrence in the audit log. The occurrences, their submissions and
// every message already sent stay: history is never deleted. It returns
// how many notifications it cancelled; run again, it changes nothing.
func (db *DB) CancelDropped(ctx context.Context, ids []int64, reason string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	now := db.stamp()
	total := 0
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'cancelled', last_error = ?
				WHERE occurrence_id = ? AND state = 'pending'`, reason, id)
			if err != nil {
				return fmt.Errorf("cancel notifications of occurrence %d: %w", id, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			total += int(n)
			var seen bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit WHERE object = ? AND action = 'occurrence.dropped')`,
				duty.OccurrenceObject(id)).Scan(&seen); err != nil {
				return fmt.Errorf("audit of occurrence %d: %w", id, err)
			}
			if seen && n == 0 {
				continue
			}
			if err := audit(ctx, tx, now, "nhachan", "occurrence.dropped", duty.OccurrenceObject(id), map[string]any{
				"reason": reason, "cancelled": n,
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("cancel dropped: %w", err)
	}
	return total, nil
}
