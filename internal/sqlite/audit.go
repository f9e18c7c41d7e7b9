package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// RequestExtension records an agency's request for more time (from the
// "Xin gia hạn" link) in the audit log. It grants nothing: an admin decides
// and, if so, extends the occurrence.
func (db *DB) RequestExtension(ctx context.Context, occurrenceID int64, actor string, until schedule.Date, reason string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := occurrenceState(ctx, tx, occurrenceID); err != nil {
			return fmt.Errorf("request extension: %w", err)
		}
		return audit(ctx, tx, db.stamp(), actor, "occurrence.extension_requested", duty.OccurrenceObject(occurrenceID),
			map[string]string{"until": until.String(), "reason": reason})
	})
}

// SubmittedBetween returns the occurrences submitted on a day in [from, to],
// for Sở Nội vụ's weekly summary. It runs once a week, so a scan of the
// submissions table is acceptable.
func (db *DB) SubmittedBetween(ctx context.Context, from, to schedule.Date) ([]duty.Record, error) {
	out, err := db.queryRecords(ctx, recordQuery+`
		WHERE s.submitted_on BETWEEN ? AND ?
		ORDER BY s.submitted_on, o.task_id, o.id`, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("submitted between %s and %s: %w", from, to, err)
	}
	return out, nil
}
