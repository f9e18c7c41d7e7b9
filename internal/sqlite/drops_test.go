package sqlite

import (
	"context"
	"testing"
)

// A duty a reload dropped is marked: the board, the records and the
// timeline say so; planning it again clears the mark.
func TestDroppedDutyIsMarkedAndReplanningClearsIt(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	rows := mustUpsert(t, db, occ("T1", "a", "2026-03-20"), occ("T2", "b", "2026-03-20"))
	const reason = "Hủy: nhiệm vụ p/T1 không còn trong kế hoạch"
	if _, err := db.CancelDropped(ctx, []int64{rows[0].ID}, reason); err != nil {
		t.Fatal(err)
	}
	check := func(when string, want bool) {
		t.Helper()
		board, err := db.BoardRows(ctx, 2026)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := db.YearRecords(ctx, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if len(board) != 2 || len(recs) != 2 {
			t.Fatalf("%s: %d board rows, %d records", when, len(board), len(recs))
		}
		for i := range board {
			dropped := board[i].ID == rows[0].ID && want
			if board[i].Dropped != dropped || recs[i].ID != board[i].ID || recs[i].Dropped != dropped {
				t.Errorf("%s: occurrence %d board dropped %t, record dropped %t, want %t", when, board[i].ID, board[i].Dropped, recs[i].Dropped, dropped)
			}
		}
		tl, err := db.Timeline(ctx, rows[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if (tl.Dropped == reason) != want || (!want && tl.Dropped != "") {
			t.Errorf("%s: timeline says dropped %q", when, tl.Dropped)
		}
	}
	check("after the drop", true)
	// A second drop of the same duty (the next reload) changes nothing.
	if _, err := db.CancelDropped(ctx, []int64{rows[0].ID}, reason); err != nil {
		t.Fatal(err)
	}
	check("after a second drop", true)
	// The configuration plans it again.
	mustUpsert(t, db, occ("T1", "a", "2026-03-20"))
	check("after it was planned again", false)
}

// Drops recorded before migration 0006 (in the audit log only) become marks.
func TestMigration0006MarksEarlierDrops(t *testing.T) {
	ctx := context.Background()
	path, w := databaseBefore(t, 6)
	for _, q := range []string{
		`INSERT INTO occurrences (id, schedule_id, task_id, period, agency_id, named_agency_id, role, due, effective_due, state, created_at, updated_at)
		 VALUES (7, 's', 't1', '2026', 'stp', 'stp', 'lead', '2026-03-15', '2026-03-16', 'open', 'x', 'x'),
		        (8, 's', 't2', '2026', 'stp', 'stp', 'lead', '2026-03-15', '2026-03-16', 'open', 'x', 'x')`,
		`INSERT INTO audit (at, actor, action, object, detail) VALUES
		 ('2026-03-02T01:00:00Z', 'nhachan', 'occurrence.dropped', 'occurrence/7', '{"reason":"Hủy: không còn trong kế hoạch","cancelled":1}'),
		 ('2026-03-03T01:00:00Z', 'nhachan', 'occurrence.dropped', 'occurrence/7', '{"reason":"Hủy: lần hai","cancelled":0}'),
		 ('2026-03-02T01:00:00Z', 'nhachan', 'occurrence.dropped', 'occurrence/99', '{"reason":"không có"}'),
		 ('2026-03-02T01:00:00Z', 'an', 'occurrence.waived', 'occurrence/8', '{"reason":"miễn"}')`,
	} {
		if _, err := w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	_, c, _ := openTest(t)
	db, err := Open(path, Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := count(t, db, `SELECT count(*) FROM occurrence_drops`); n != 1 {
		t.Fatalf("%d drop marks after the migration, want 1 (occurrence 7)", n)
	}
	tl, err := db.Timeline(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if tl.Dropped == "" {
		t.Error("occurrence 7's earlier drop is not marked")
	}
}
