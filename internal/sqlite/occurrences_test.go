package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ninhthuan/nhachan/internal/duty"
)

func TestUpsertOccurrences(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	moved := occ("t2", "so-tc", "2026-04-15")
	moved.EffectiveDue = date("2026-04-16")
	unassigned := occ("t3", "", "2026-04-01")
	unassigned.NamedAgencyID = "so-cu"

	steps := []struct {
		name         string
		rows         []duty.Occurrence
		wantInserted int
		wantTotal    int
		wantAudits   int
	}{
		{"first plan", []duty.Occurrence{occ("t1", "so-nv", "2026-03-31"), occ("t2", "so-tc", "2026-03-31"), unassigned}, 3, 3, 0},
		{"same plan again", []duty.Occurrence{occ("t1", "so-nv", "2026-03-31"), occ("t2", "so-tc", "2026-03-31"), unassigned}, 0, 3, 0},
		{"config edit moves t2", []duty.Occurrence{occ("t1", "so-nv", "2026-03-31"), moved}, 0, 3, 1},
		{"a new agency for t1", []duty.Occurrence{occ("t1", "so-yt", "2026-03-31")}, 1, 4, 1},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			n, err := db.UpsertOccurrences(ctx, s.rows)
			if err != nil {
				t.Fatal(err)
			}
			if n != s.wantInserted {
				t.Errorf("inserted = %d, want %d", n, s.wantInserted)
			}
			for _, r := range s.rows {
				if r.ID == 0 {
					t.Errorf("%s/%s: ID not set", r.TaskID, r.AgencyID)
				}
			}
			if got := count(t, db, `SELECT count(*) FROM occurrences`); got != s.wantTotal {
				t.Errorf("rows = %d, want %d", got, s.wantTotal)
			}
			if got := count(t, db, `SELECT count(*) FROM audit WHERE action = 'occurrence.due_changed'`); got != s.wantAudits {
				t.Errorf("due_changed audits = %d, want %d", got, s.wantAudits)
			}
		})
	}

	got, err := db.Occurrence(ctx, mustUpsert(t, db, moved)[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Due != date("2026-04-15") || got.EffectiveDue != date("2026-04-16") || got.Deadline != date("2026-04-16") {
		t.Errorf("moved occurrence = %+v", got)
	}
	u, err := db.Occurrence(ctx, mustUpsert(t, db, unassigned)[0].ID)
	if err != nil || u.State != duty.StateUnassigned || u.AgencyID != "" || u.NamedAgencyID != "so-cu" {
		t.Errorf("unassigned occurrence = %+v, %v", u, err)
	}
}

func TestOpenOccurrences(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	rows := mustUpsert(t, db,
		occ("early", "a", "2026-03-01"),
		occ("mid", "a", "2026-03-15"),
		occ("late", "a", "2026-04-30"),
		occ("done", "a", "2026-03-10"),
		occ("excused", "a", "2026-03-10"),
		occ("extended", "a", "2026-03-12"),
	)
	byTask := map[string]int64{}
	for _, r := range rows {
		byTask[r.TaskID] = r.ID
	}
	if err := db.RecordSubmission(ctx, duty.Submission{OccurrenceID: byTask["done"], Ref: "12/BC-SNV",
		SubmittedOn: date("2026-03-09"), RecordedBy: "cli:admin", Via: duty.ViaCLI}); err != nil {
		t.Fatal(err)
	}
	if err := db.Waive(ctx, byTask["excused"], "không phát sinh", "cli:admin"); err != nil {
		t.Fatal(err)
	}
	if err := db.Extend(ctx, byTask["extended"], date("2026-04-01"), "Công văn 5/UBND", "cli:admin"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		until string
		want  string // task ids in order
	}{
		{"2026-02-28", ""},
		{"2026-03-01", "early"},
		{"2026-03-14", "early"}, // done, excused and extended are no longer owed by then
		{"2026-03-31", "early mid"},
		{"2026-04-01", "early mid extended"},
		{"2026-12-31", "early mid extended late"},
	}
	for _, tt := range tests {
		t.Run(tt.until, func(t *testing.T) {
			got, err := db.openOccurrences(ctx, date(tt.until))
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, o := range got {
				ids = append(ids, o.TaskID)
			}
			if s := strings.Join(ids, " "); s != tt.want {
				t.Errorf("open until %s = %q, want %q", tt.until, s, tt.want)
			}
		})
	}
}

func TestOpenOccurrencesUsesPartialIndex(t *testing.T) {
	db, _, _ := openTest(t)
	p := queryPlan(t, db, `SELECT `+occColumns+` FROM occurrences
		WHERE state = 'open' AND deadline <= ? ORDER BY deadline, id`, "2026-01-01")
	if !strings.Contains(p, "occurrences_open_by_deadline") || strings.Contains(p, "SCAN occurrences") {
		t.Errorf("plan = %q, want a search of occurrences_open_by_deadline", p)
	}
}

// UpsertOccurrences reads what is stored per task and periods on the
// unique index, never by scanning the table (a national one holds
// millions of rows).
func TestStoredOccurrencesUsesKeyIndex(t *testing.T) {
	db, _, _ := openTest(t)
	p := queryPlan(t, db, storedOccurrencesQuery(3), "plan", "I.1", "2026", "2027", "2028")
	if !strings.Contains(p, "occurrences_key") || strings.Contains(p, "SCAN occurrences") {
		t.Errorf("plan = %q, want a search of occurrences_key", p)
	}
}

func TestDecisions(t *testing.T) {
	ctx := context.Background()
	sub := func(id int64) duty.Submission {
		return duty.Submission{OccurrenceID: id, Ref: "45/BC-STC", SubmittedOn: date("2026-03-20"), RecordedBy: "link:so-tc", Via: duty.ViaLink, RecordedOn: date("2026-03-20")}
	}
	tests := []struct {
		name      string
		do        func(db *DB, id int64) error
		wantErr   error
		wantState duty.State
	}{
		{"submit", func(db *DB, id int64) error { return db.RecordSubmission(ctx, sub(id)) }, nil, duty.StateSubmitted},
		{"submit twice", func(db *DB, id int64) error {
			if err := db.RecordSubmission(ctx, sub(id)); err != nil {
				return err
			}
			return db.RecordSubmission(ctx, sub(id))
		}, duty.ErrAlreadyRecorded, duty.StateSubmitted},
		{"waive", func(db *DB, id int64) error { return db.Waive(ctx, id, "sáp nhập", "cli:admin") }, nil, duty.StateWaived},
		{"waive a submitted one", func(db *DB, id int64) error {
			if err := db.RecordSubmission(ctx, sub(id)); err != nil {
				return err
			}
			return db.Waive(ctx, id, "x", "cli:admin")
		}, duty.ErrNotOpen, duty.StateSubmitted},
		{"submit a waived one", func(db *DB, id int64) error {
			if err := db.Waive(ctx, id, "x", "cli:admin"); err != nil {
				return err
			}
			s := sub(id)
			s.Via, s.RecordedBy = duty.ViaCLI, "cli:admin"
			return db.RecordSubmission(ctx, s)
		}, nil, duty.StateSubmitted},
		// A link cannot undo an admin's waiver: the confirmation goes to
		// the audit log and the duty stays waived.
		{"link-submit a waived one", func(db *DB, id int64) error {
			if err := db.Waive(ctx, id, "x", "cli:admin"); err != nil {
				return err
			}
			if err := db.RecordSubmission(ctx, sub(id)); !errors.Is(err, duty.ErrKeptWaived) {
				return fmt.Errorf("err = %v, want duty.ErrKeptWaived", err)
			}
			if n := count(t, db, `SELECT count(*) FROM audit WHERE action = 'occurrence.link_confirmed_waived'`); n != 1 {
				return fmt.Errorf("%d audit rows of the confirmation, want 1", n)
			}
			return nil
		}, nil, duty.StateWaived},
		{"extend", func(db *DB, id int64) error { return db.Extend(ctx, id, date("2026-04-30"), "CV 9", "cli:admin") }, nil, duty.StateOpen},
		{"extend earlier", func(db *DB, id int64) error { return db.Extend(ctx, id, date("2026-03-01"), "CV 9", "cli:admin") }, duty.ErrNotLater, duty.StateOpen},
		{"unknown occurrence", func(db *DB, id int64) error { return db.RecordSubmission(ctx, sub(id+100)) }, duty.ErrNotFound, duty.StateOpen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _, _ := openTest(t)
			id := mustUpsert(t, db, occ("t1", "so-tc", "2026-03-31"))[0].ID
			if _, err := db.Enqueue(ctx, []duty.Notification{note(id, "remind-7", "so-tc@x.vn")}); err != nil {
				t.Fatal(err)
			}
			auditsBefore := count(t, db, `SELECT count(*) FROM audit`)
			err := tt.do(db, id)
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			o, err := db.Occurrence(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if o.State != tt.wantState {
				t.Errorf("state = %s, want %s", o.State, tt.wantState)
			}
			if tt.wantErr == nil && count(t, db, `SELECT count(*) FROM audit`) <= auditsBefore {
				t.Error("no audit row")
			}
			// Whatever closed or moved the duty, its queued reminder must not go out.
			wantPending := 1
			if tt.wantErr == nil || tt.wantState != duty.StateOpen {
				wantPending = 0
			}
			if got := count(t, db, `SELECT count(*) FROM outbox WHERE state = 'pending'`); got != wantPending {
				t.Errorf("pending notifications = %d, want %d", got, wantPending)
			}
		})
	}
}
