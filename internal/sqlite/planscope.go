package sqlite

import (
	"context"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// FindPlanOccurrences is FindOccurrences within one plan: task ids are
// unique per plan, so a second plan's "I.1" is another task.
func (db *DB) FindPlanOccurrences(ctx context.Context, scheduleID, taskID, agencyID, period string) ([]duty.Occurrence, error) {
	return db.queryOccurrences(ctx, `SELECT `+occColumns+` FROM occurrences
		WHERE schedule_id = ? AND task_id = ? AND period = ? AND (agency_id = ? OR named_agency_id = ?) ORDER BY id`,
		scheduleID, taskID, period, agencyID, agencyID)
}
