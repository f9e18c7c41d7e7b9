package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// The read side of the status pages: one occurrence's whole history, the
// year's board, and the counts /metrics and /healthz ask for. Everything
// here reads through the query_only pool, so a page can never write.

// Timeline returns the occurrence with the given id and its whole history.
// It reads in one transaction, so the parts agree with each other even
// while the engine writes.
func (db *DB) Timeline(ctx context.Context, occurrenceID int64) (duty.Timeline, error) {
	var tl duty.Timeline
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return tl, fmt.Errorf("timeline %d: begin: %w", occurrenceID, err)
	}
	defer tx.Rollback()
	tl.Occurrence, err = scanOccurrence(tx.QueryRowContext(ctx, `SELECT `+occColumns+` FROM occurrences WHERE id = ?`, occurrenceID))
	if errors.Is(err, sql.ErrNoRows) {
		err = duty.ErrNotFound
	}
	for _, step := range []func() error{
		func() error { return err },
		func() error { return readMails(ctx, tx, occurrenceID, &tl) },
		func() error { return readSubmission(ctx, tx, occurrenceID, &tl) },
		func() error { return readWaiver(ctx, tx, occurrenceID, &tl) },
		func() error { return readExtensions(ctx, tx, occurrenceID, &tl) },
		func() error { return readAudit(ctx, tx, occurrenceID, &tl) },
		func() error {
			err := tx.QueryRowContext(ctx, `SELECT reason FROM occurrence_drops WHERE occurrence_id = ?`, occurrenceID).Scan(&tl.Dropped)
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			return err
		},
	} {
		if err := step(); err != nil {
			return duty.Timeline{}, fmt.Errorf("timeline %d: %w", occurrenceID, err)
		}
	}
	tl.Entries = mergeEntries(&tl)
	return tl, nil
}

func readMails(ctx context.Context, tx *sql.Tx, id int64, tl *duty.Timeline) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, step, recipient, kind, state, attempts, created_at,
		coalesce(sent_at, ''), smtp_response, last_error FROM outbox WHERE occurrence_id = ? ORDER BY created_at, id`, id)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m duty.OutboxRow
		var created, sent string
		if err := rows.Scan(&m.ID, &m.Step, &m.Recipient, &m.Kind, &m.State, &m.Attempts, &created, &sent,
			&m.SMTPResponse, &m.LastError); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		if m.CreatedAt, err = parseInstant(created); err != nil {
			return err
		}
		if sent != "" {
			if m.SentAt, err = parseInstant(sent); err != nil {
				return err
			}
		}
		tl.Mails = append(tl.Mails, m)
	}
	return rows.Err()
}

func readSubmission(ctx context.Context, tx *sql.Tx, id int64, tl *duty.Timeline) error {
	var s duty.SubmissionRecord
	var on, at, via, recOn, confAt string
	err := tx.QueryRowContext(ctx, `SELECT ref, submitted_on, note, recorded_by, via, recorded_at, recorded_on,
		self_declared, confirmed_by, confirmed_at FROM submissions WHERE occurrence_id = ?`, id).
		Scan(&s.Ref, &on, &s.Note, &s.RecordedBy, &via, &at, &recOn, &s.Declared, &s.ConfirmedBy, &confAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("submission: %w", err)
	}
	s.OccurrenceID, s.Via = id, duty.Via(via)
	if s.SubmittedOn, err = schedule.ParseDate(on); err != nil {
		return fmt.Errorf("submission: %w", err)
	}
	if s.RecordedAt, err = parseInstant(at); err != nil {
		return err
	}
	if recOn != "" {
		if s.RecordedOn, err = schedule.ParseDate(recOn); err != nil {
			return fmt.Errorf("submission: %w", err)
		}
	}
	if confAt != "" {
		if s.ConfirmedAt, err = parseInstant(confAt); err != nil {
			return err
		}
	}
	tl.Submission = &s
	return nil
}

func readWaiver(ctx context.Context, tx *sql.Tx, id int64, tl *duty.Timeline) error {
	var w duty.WaiverRecord
	var at string
	err := tx.QueryRowContext(ctx, `SELECT reason, actor, at FROM waivers WHERE occurrence_id = ?`, id).
		Scan(&w.Reason, &w.Actor, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("waiver: %w", err)
	}
	if w.At, err = parseInstant(at); err != nil {
		return err
	}
	tl.Waiver = &w
	return nil
}

func readExtensions(ctx context.Context, tx *sql.Tx, id int64, tl *duty.Timeline) error {
	rows, err := tx.QueryContext(ctx, `SELECT previous_due, new_due, reason, actor, at FROM extensions
		WHERE occurrence_id = ? ORDER BY at, id`, id)
	if err != nil {
		return fmt.Errorf("extensions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e duty.ExtensionRecord
		var prev, next, at string
		if err := rows.Scan(&prev, &next, &e.Reason, &e.Actor, &at); err != nil {
			return fmt.Errorf("extensions: %w", err)
		}
		if e.PreviousDue, err = schedule.ParseDate(prev); err != nil {
			return fmt.Errorf("extensions: %w", err)
		}
		if e.NewDue, err = schedule.ParseDate(next); err != nil {
			return fmt.Errorf("extensions: %w", err)
		}
		if e.At, err = parseInstant(at); err != nil {
			return err
		}
		tl.Extensions = append(tl.Extensions, e)
	}
	return rows.Err()
}

func readAudit(ctx context.Context, tx *sql.Tx, id int64, tl *duty.Timeline) error {
	rows, err := tx.QueryContext(ctx, `SELECT at, actor, action, detail FROM audit WHERE object = ? ORDER BY at, id`, duty.OccurrenceObject(id))
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a duty.AuditRecord
		var at string
		if err := rows.Scan(&at, &a.Actor, &a.Action, &a.Detail); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		if a.At, err = parseInstant(at); err != nil {
			return err
		}
		tl.Audit = append(tl.Audit, a)
	}
	return rows.Err()
}

// merge lists every record as an entry, in time order.
func mergeEntries(tl *duty.Timeline) []duty.TimelineEntry {
	var out []duty.TimelineEntry
	for i := range tl.Mails {
		m := &tl.Mails[i]
		at := m.CreatedAt
		if !m.SentAt.IsZero() {
			at = m.SentAt
		}
		out = append(out, duty.TimelineEntry{At: at, Kind: duty.EntryMail, Mail: m})
	}
	if s := tl.Submission; s != nil {
		out = append(out, duty.TimelineEntry{At: s.RecordedAt, Kind: duty.EntrySubmission, Submission: s})
	}
	if w := tl.Waiver; w != nil {
		out = append(out, duty.TimelineEntry{At: w.At, Kind: duty.EntryWaiver, Waiver: w})
	}
	for i := range tl.Extensions {
		out = append(out, duty.TimelineEntry{At: tl.Extensions[i].At, Kind: duty.EntryExtension, Extension: &tl.Extensions[i]})
	}
	for i := range tl.Audit {
		out = append(out, duty.TimelineEntry{At: tl.Audit[i].At, Kind: duty.EntryAudit, Audit: &tl.Audit[i]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// BoardRows returns the occurrences whose deadline falls in year, with
// their submission dates, by deadline, task and id. The year is the
// deadline's, as `nhachan status` counts it.
func (db *DB) BoardRows(ctx context.Context, year int) ([]duty.BoardRow, error) {
	from, to := schedule.NewDate(year, time.January, 1), schedule.NewDate(year, time.December, 31)
	rows, err := db.r.QueryContext(ctx, `SELECT `+boardColumns+`, coalesce(s.submitted_on, ''),
		coalesce(s.self_declared = 1 AND s.confirmed_by = '', 0), coalesce(s.recorded_on, ''),
		x.occurrence_id IS NOT NULL
		FROM occurrences o LEFT JOIN submissions s ON s.occurrence_id = o.id
		LEFT JOIN occurrence_drops x ON x.occurrence_id = o.id
		WHERE o.deadline BETWEEN ? AND ? ORDER BY o.deadline, o.task_id, o.id`, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("board %d: %w", year, err)
	}
	defer rows.Close()
	var out []duty.BoardRow
	for rows.Next() {
		var r duty.BoardRow
		var on, recOn string
		o, err := scanOccurrence(scanFunc(func(dest ...any) error { return rows.Scan(append(dest, &on, &r.Unconfirmed, &recOn, &r.Dropped)...) }))
		if err != nil {
			return nil, fmt.Errorf("board %d: %w", year, err)
		}
		r.Occurrence = o
		if on != "" {
			if r.SubmittedOn, err = schedule.ParseDate(on); err != nil {
				return nil, fmt.Errorf("board %d: occurrence %d: %w", year, o.ID, err)
			}
		}
		if recOn != "" {
			if r.RecordedOn, err = schedule.ParseDate(recOn); err != nil {
				return nil, fmt.Errorf("board %d: occurrence %d: %w", year, o.ID, err)
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("board %d: %w", year, err)
	}
	return out, nil
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// boardColumns is occColumns qualified by the alias o, in the same order,
// so that scanOccurrence reads both.
const boardColumns = `o.id, o.schedule_id, o.task_id, o.period, o.agency_id, o.named_agency_id, o.role,
	o.due, o.effective_due, coalesce(o.extended_due, ''), o.deadline, o.state`

// OccurrenceCounts counts occurrences by stored state, for /metrics. It
// scans the table; at a national plan's million rows that is tens of
// milliseconds, once per scrape.
func (db *DB) OccurrenceCounts(ctx context.Context) (map[duty.State]int, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT state, count(*) FROM occurrences GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("occurrence counts: %w", err)
	}
	defer rows.Close()
	out := map[duty.State]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("occurrence counts: %w", err)
		}
		out[duty.State(st)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("occurrence counts: %w", err)
	}
	return out, nil
}

// Ping runs a trivial query on the read pool: the cheap check /healthz
// makes on every request (quick_check runs daily, not per probe).
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.r.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}
