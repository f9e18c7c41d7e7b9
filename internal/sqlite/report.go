package sqlite

import (
	"context"
	"fmt"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// recordQuery joins each occurrence with its submission and waiver. Both
// are UNIQUE per occurrence, so the LEFT JOINs never multiply rows. The
// occurrence columns are those of occColumns, qualified, in the same order,
// so that scanOccurrence reads them.
const recordQuery = `SELECT o.id, o.schedule_id, o.task_id, o.period, o.agency_id, o.named_agency_id, o.role,
	o.due, o.effective_due, coalesce(o.extended_due, ''), o.deadline, o.state,
	coalesce(s.submitted_on, ''), coalesce(s.ref, ''), w.id IS NOT NULL,
	coalesce(s.self_declared = 1 AND s.confirmed_by = '', 0), coalesce(s.recorded_on, ''),
	x.occurrence_id IS NOT NULL
	FROM occurrences o
	LEFT JOIN submissions s ON s.occurrence_id = o.id
	LEFT JOIN waivers w ON w.occurrence_id = o.id
	LEFT JOIN occurrence_drops x ON x.occurrence_id = o.id`

// YearRecords returns every occurrence whose deadline (extensions included)
// falls in year, with its submission and waiver, by deadline, task and id.
// An extension into the next year moves a duty into that year's report:
// the report judges agencies against the deadline they were actually given.
func (db *DB) YearRecords(ctx context.Context, year int) ([]duty.Record, error) {
	from := schedule.NewDate(year, 1, 1)
	to := schedule.NewDate(year, 12, 31)
	out, err := db.queryRecords(ctx, recordQuery+`
		WHERE o.deadline BETWEEN ? AND ?
		ORDER BY o.deadline, o.task_id, o.id`, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("records of %d: %w", year, err)
	}
	return out, nil
}

// AgencyRecords returns the occurrences that agencyID answers for (after
// successor routing, so an ended agency's duties appear in its successor's
// feed) whose deadline lies in [from, to], by deadline, task and id. It
// reads the (assignee, deadline) index.
func (db *DB) AgencyRecords(ctx context.Context, agencyID string, from, to schedule.Date) ([]duty.Record, error) {
	out, err := db.queryRecords(ctx, recordQuery+`
		WHERE o.assignee = ? AND o.deadline BETWEEN ? AND ?
		ORDER BY o.deadline, o.task_id, o.id`, agencyID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("records of agency %s: %w", agencyID, err)
	}
	return out, nil
}

func (db *DB) queryRecords(ctx context.Context, q string, args ...any) ([]duty.Record, error) {
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	var out []duty.Record
	for rows.Next() {
		var r duty.Record
		var submittedOn, recordedOn string
		o, err := scanOccurrence(extraScanner{rows, []any{&submittedOn, &r.Ref, &r.Waived, &r.Unconfirmed, &recordedOn, &r.Dropped}})
		if err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
		r.Occurrence = o
		if submittedOn != "" {
			if r.SubmittedOn, err = schedule.ParseDate(submittedOn); err != nil {
				return nil, fmt.Errorf("submission of occurrence %d: %w", o.ID, err)
			}
		}
		if recordedOn != "" {
			if r.RecordedOn, err = schedule.ParseDate(recordedOn); err != nil {
				return nil, fmt.Errorf("submission of occurrence %d: %w", o.ID, err)
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("rows: %w", err)
	}
	return out, nil
}

// extraScanner appends destinations to those scanOccurrence passes, so that
// a joined query reuses its parsing of the occurrence columns.
type extraScanner struct {
	s     scanner
	extra []any
}

func (e extraScanner) Scan(dest ...any) error { return e.s.Scan(append(dest, e.extra...)...) }

// DutyRecords returns every occurrence of one duty (a task of a schedule
// for one period), each agency's, with its submission and waiver, in id
// order: what an oversight letter reports on. It reads the unique index.
func (db *DB) DutyRecords(ctx context.Context, scheduleID, taskID, period string) ([]duty.Record, error) {
	out, err := db.queryRecords(ctx, recordQuery+`
		WHERE o.schedule_id = ? AND o.task_id = ? AND o.period = ?
		ORDER BY o.id`, scheduleID, taskID, period)
	if err != nil {
		return nil, fmt.Errorf("records of %s %s %s: %w", scheduleID, taskID, period, err)
	}
	return out, nil
}
