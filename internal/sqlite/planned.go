package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// ImpactRows returns the stored duties a reloaded plan is compared with:
// every one, whatever its state, whose nominal due date lies in [from, to],
// and the open ones owed in it (an extension may have moved them there).
func (db *DB) ImpactRows(ctx context.Context, from, to schedule.Date) ([]duty.Occurrence, error) {
	return db.queryOccurrences(ctx, `SELECT `+occColumns+` FROM occurrences
		WHERE due BETWEEN ?1 AND ?2 OR (state IN ('open', 'unassigned') AND deadline BETWEEN ?1 AND ?2)
		ORDER BY id`, from.String(), to.String())
}

// OpenIDsDue returns, in ascending order, the ids of the open and
// unassigned duties whose nominal due date lies in [from, to]: what the
// engine compares with the ids it has just stored for the window.
func (db *DB) OpenIDsDue(ctx context.Context, from, to schedule.Date) ([]int64, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id FROM occurrences
		WHERE state IN ('open', 'unassigned') AND due BETWEEN ? AND ? ORDER BY id`, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("open ids: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("open ids: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("open ids: %w", err)
	}
	return out, nil
}

// OccurrencesByID returns the occurrences with the ids, by id.
func (db *DB) OccurrencesByID(ctx context.Context, ids []int64) ([]duty.Occurrence, error) {
	var out []duty.Occurrence
	err := inChunks(ids, func(args []any, ph string) error {
		rows, err := db.queryOccurrences(ctx, `SELECT `+occColumns+` FROM occurrences
			WHERE id IN (`+ph+`) ORDER BY id`, args...)
		out = append(out, rows...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DroppedAmong returns which of the occurrences an earlier reload found no
// longer planned (CancelDropped recorded them in the audit log).
func (db *DB) DroppedAmong(ctx context.Context, ids []int64) (map[int64]bool, error) {
	objects := make([]string, len(ids))
	for i, id := range ids {
		objects[i] = duty.OccurrenceObject(id)
	}
	out := map[int64]bool{}
	err := inChunks(objects, func(args []any, ph string) error {
		rows, err := db.r.QueryContext(ctx, `SELECT DISTINCT object FROM audit
			WHERE action = 'occurrence.dropped' AND object IN (`+ph+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var obj string
			if err := rows.Scan(&obj); err != nil {
				return err
			}
			var id int64
			if _, err := fmt.Sscanf(obj, "occurrence/%d", &id); err == nil {
				out[id] = true
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("dropped among: %w", err)
	}
	return out, nil
}

// PendingCounts returns, for each of ids, how many of its notifications
// are still waiting to go out.
func (db *DB) PendingCounts(ctx context.Context, ids []int64) (map[int64]int, error) {
	return db.countByOccurrence(ctx, "pending counts", `SELECT occurrence_id, count(*) FROM outbox
		WHERE state = 'pending' AND occurrence_id IN (%s) GROUP BY occurrence_id`, ids)
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
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO occurrence_drops (occurrence_id, at, reason)
				VALUES (?, ?, ?)`, id, now, reason); err != nil {
				return fmt.Errorf("mark occurrence %d dropped: %w", id, err)
			}
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

// chunkSize bounds one IN (…) list, well under SQLite's limit on bound
// parameters.
const chunkSize = 500

// inChunks calls each with successive runs of at most chunkSize values as
// query arguments, and the matching placeholder list "?, ?, …".
func inChunks[T any](values []T, each func(args []any, placeholders string) error) error {
	for len(values) > 0 {
		n := min(len(values), chunkSize)
		args := make([]any, n)
		for i := range n {
			args[i] = values[i]
		}
		if err := each(args, "?"+strings.Repeat(", ?", n-1)); err != nil {
			return err
		}
		values = values[n:]
	}
	return nil
}

// countByOccurrence runs query, whose rows are (occurrence_id, count) and
// whose one %s takes the placeholders, over ids chunk by chunk; ids with
// no rows are absent from the result.
func (db *DB) countByOccurrence(ctx context.Context, what, query string, ids []int64) (map[int64]int, error) {
	out := make(map[int64]int, len(ids))
	err := inChunks(ids, func(args []any, ph string) error {
		rows, err := db.r.QueryContext(ctx, fmt.Sprintf(query, ph), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			out[id] = n
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
