package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// lastAudit returns the newest audit row of the occurrence, decoded.
func lastAudit(t *testing.T, db *DB, id int64) (duty.AuditEntry, map[string]any) {
	t.Helper()
	log, err := db.AuditLog(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if e.OccurrenceID() == id {
			var d map[string]any
			if err := json.Unmarshal([]byte(e.Detail), &d); err != nil {
				t.Fatalf("detail %q: %v", e.Detail, err)
			}
			return e, d
		}
	}
	t.Fatalf("no audit row for occurrence %d", id)
	return duty.AuditEntry{}, nil
}

func TestCorrectSubmission(t *testing.T) {
	db, c, _ := openTest(t)
	ctx := context.Background()
	rows := mustUpsert(t, db, occ("T1", "a", "2026-03-20"), occ("T2", "a", "2026-03-20"))
	id := rows[0].ID
	if err := db.RecordSubmission(ctx, duty.Submission{OccurrenceID: id, Ref: "12/BC", SubmittedOn: date("2026-03-18"),
		Note: "đầu", RecordedBy: "cli:ops", Via: duty.ViaCLI}); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Hour)
	if err := db.CorrectSubmission(ctx, id, "12/BC-UBND", date("2026-03-19"), "sửa", "web:an"); err != nil {
		t.Fatal(err)
	}
	tl, err := db.Timeline(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	s := tl.Submission
	if s == nil || s.Ref != "12/BC-UBND" || s.SubmittedOn != date("2026-03-19") || s.Note != "sửa" ||
		s.RecordedBy != "cli:ops" || s.Via != duty.ViaCLI || tl.Occurrence.State != duty.StateSubmitted {
		t.Fatalf("after correction: %+v, state %s", s, tl.Occurrence.State)
	}
	e, d := lastAudit(t, db, id)
	if e.Action != "occurrence.submission_corrected" || e.Actor != "web:an" || !e.At.Equal(c.Now().Truncate(time.Second)) {
		t.Fatalf("audit row: %+v", e)
	}
	before, after := d["before"].(map[string]any), d["after"].(map[string]any)
	if before["ref"] != "12/BC" || before["submitted_on"] != "2026-03-18" || before["note"] != "đầu" ||
		after["ref"] != "12/BC-UBND" || after["submitted_on"] != "2026-03-19" || after["note"] != "sửa" {
		t.Fatalf("audit detail: %s", e.Detail)
	}

	// The same values again: nothing written.
	n := count(t, db, `SELECT count(*) FROM audit`)
	if err := db.CorrectSubmission(ctx, id, "12/BC-UBND", date("2026-03-19"), "sửa", "web:an"); err != nil {
		t.Fatal(err)
	}
	if m := count(t, db, `SELECT count(*) FROM audit`); m != n {
		t.Errorf("a no-op correction wrote %d audit rows", m-n)
	}

	// Nothing to correct, or nothing at all.
	if err := db.CorrectSubmission(ctx, rows[1].ID, "x", date("2026-03-19"), "", "web:an"); !errors.Is(err, duty.ErrNoSubmission) {
		t.Errorf("no submission: %v", err)
	}
	if err := db.CorrectSubmission(ctx, 9999, "x", date("2026-03-19"), "", "web:an"); !errors.Is(err, duty.ErrNotFound) {
		t.Errorf("unknown occurrence: %v", err)
	}
	if m := count(t, db, `SELECT count(*) FROM audit`); m != n {
		t.Errorf("failed corrections wrote %d audit rows", m-n)
	}
}

func TestReopenSubmitted(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	id := mustUpsert(t, db, occ("T1", "a", "2026-03-20"))[0].ID
	if err := db.RecordSubmission(ctx, duty.Submission{OccurrenceID: id, Ref: "12/BC", SubmittedOn: date("2026-03-18"),
		Note: "n", RecordedBy: "link:a", Via: duty.ViaLink, RecordedOn: date("2026-03-20")}); err != nil {
		t.Fatal(err)
	}
	if err := db.Reopen(ctx, id, "Gửi nhầm báo cáo", "web:an"); err != nil {
		t.Fatal(err)
	}
	tl, err := db.Timeline(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if tl.Submission != nil || tl.Occurrence.State != duty.StateOpen {
		t.Fatalf("after reopen: %+v %s", tl.Submission, tl.Occurrence.State)
	}
	e, d := lastAudit(t, db, id)
	sub, _ := d["submission"].(map[string]any)
	if e.Action != "occurrence.reopened" || e.Actor != "web:an" || d["reason"] != "Gửi nhầm báo cáo" ||
		d["previous_state"] != "submitted" || d["new_state"] != "open" ||
		sub["ref"] != "12/BC" || sub["submitted_on"] != "2026-03-18" || sub["recorded_by"] != "link:a" || sub["via"] != "link" {
		t.Fatalf("audit row %+v", e)
	}
	// Open again: it can be submitted again, and reopening it twice fails.
	if err := db.Reopen(ctx, id, "lần nữa", "web:an"); !errors.Is(err, duty.ErrNotClosed) {
		t.Errorf("reopen an open occurrence: %v", err)
	}
	if err := db.RecordSubmission(ctx, duty.Submission{OccurrenceID: id, SubmittedOn: date("2026-03-21"), RecordedBy: "web:an", Via: duty.ViaWeb}); err != nil {
		t.Errorf("submit after reopen: %v", err)
	}
}

func TestReopenWaived(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	rows := mustUpsert(t, db, occ("T1", "a", "2026-03-20"), duty.Occurrence{ScheduleID: "qd-2025", TaskID: "T1", Period: "2026",
		NamedAgencyID: "gone", Due: date("2026-03-20"), EffectiveDue: date("2026-03-20")})
	for _, r := range rows {
		if err := db.Waive(ctx, r.ID, "Không phát sinh", "cli:ops"); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range []duty.State{duty.StateOpen, duty.StateUnassigned} {
		id := rows[i].ID
		if err := db.Reopen(ctx, id, "Có phát sinh", "web:an"); err != nil {
			t.Fatal(err)
		}
		o, err := db.Occurrence(ctx, id)
		if err != nil || o.State != want {
			t.Errorf("occurrence %d after reopen: %s %v, want %s", id, o.State, err, want)
		}
		if n := count(t, db, `SELECT count(*) FROM waivers WHERE occurrence_id = ?`, id); n != 0 {
			t.Errorf("waiver rows left: %d", n)
		}
		_, d := lastAudit(t, db, id)
		if w, _ := d["waiver"].(map[string]any); w["reason"] != "Không phát sinh" || w["actor"] != "cli:ops" || d["new_state"] != string(want) {
			t.Errorf("audit detail: %v", d)
		}
	}
}

// Reopening a submission returns to the state the submission closed:
// a waiver still standing, or a history row.
func TestReopenRestoresEarlierState(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	h := occ("T1", "a", "2025-03-20")
	h.State = duty.StateHistory
	rows := mustUpsert(t, db, occ("T2", "a", "2026-03-20"), h)
	waived, hist := rows[0].ID, rows[1].ID
	if err := db.Waive(ctx, waived, "miễn", "cli:ops"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{waived, hist} {
		if err := db.RecordSubmission(ctx, duty.Submission{OccurrenceID: id, SubmittedOn: date("2026-03-18"), RecordedBy: "import", Via: duty.ViaImport}); err != nil {
			t.Fatal(err)
		}
		if err := db.Reopen(ctx, id, "nhầm", "web:an"); err != nil {
			t.Fatal(err)
		}
	}
	if o, _ := db.Occurrence(ctx, waived); o.State != duty.StateWaived {
		t.Errorf("submitted over a waiver, reopened: %s", o.State)
	}
	if o, _ := db.Occurrence(ctx, hist); o.State != duty.StateHistory {
		t.Errorf("history row, reopened: %s", o.State)
	}
	// The waiver is still there: a second reopen lifts it.
	if err := db.Reopen(ctx, waived, "hết miễn", "web:an"); err != nil {
		t.Fatal(err)
	}
	if o, _ := db.Occurrence(ctx, waived); o.State != duty.StateOpen {
		t.Errorf("second reopen: %s", o.State)
	}
}

func TestReopenRefusals(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	id := mustUpsert(t, db, occ("T1", "a", "2026-03-20"))[0].ID
	if err := db.Waive(ctx, id, "miễn", "cli:ops"); err != nil {
		t.Fatal(err)
	}
	n := count(t, db, `SELECT count(*) FROM audit`)
	for _, tc := range []struct {
		id     int64
		reason string
		want   error
	}{{id, "", duty.ErrNoReason}, {id, "  ", duty.ErrNoReason}, {9999, "x", duty.ErrNotFound}} {
		if err := db.Reopen(ctx, tc.id, tc.reason, "web:an"); !errors.Is(err, tc.want) {
			t.Errorf("Reopen(%d, %q) = %v, want %v", tc.id, tc.reason, err, tc.want)
		}
	}
	if o, _ := db.Occurrence(ctx, id); o.State != duty.StateWaived || count(t, db, `SELECT count(*) FROM audit`) != n {
		t.Errorf("a refused reopen changed something: %s", o.State)
	}
}

func TestAuditLogNewestFirst(t *testing.T) {
	db, c, _ := openTest(t)
	ctx := context.Background()
	rows := mustUpsert(t, db, occ("T1", "a", "2026-03-20"), occ("T2", "a", "2026-03-20"), occ("T3", "a", "2026-03-20"))
	for _, r := range rows {
		c.Advance(time.Minute)
		if err := db.Waive(ctx, r.ID, "miễn", "web:an"); err != nil {
			t.Fatal(err)
		}
	}
	log, err := db.AuditLog(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].OccurrenceID() != rows[2].ID || log[1].OccurrenceID() != rows[1].ID ||
		log[0].Action != "occurrence.waived" || log[0].Actor != "web:an" || !log[0].At.After(log[1].At) {
		t.Fatalf("AuditLog(2) = %+v", log)
	}
	if _, err := db.AuditLog(ctx, 0); err == nil {
		t.Error("AuditLog(0) accepted")
	}
	for _, tc := range []struct {
		object string
		want   int64
	}{{"occurrence/12", 12}, {"occurrence/012", 0}, {"occurrence/12x", 0}, {"outbox/12", 0}, {"occurrence/", 0}} {
		if got := (duty.AuditEntry{Object: tc.object}).OccurrenceID(); got != tc.want {
			t.Errorf("OccurrenceID(%q) = %d, want %d", tc.object, got, tc.want)
		}
	}
}

// A logged-out session stays revoked across a reopen of the database (the
// daemon's restart) until it would have expired, then is pruned.
func TestRevokeSessionSurvivesReopen(t *testing.T) {
	db, c, path := openTest(t)
	ctx := context.Background()
	const id, other = "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"
	if err := db.RevokeSession(ctx, id, c.Now().Add(8*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeSession(ctx, id, c.Now().Add(8*time.Hour)); err != nil {
		t.Fatalf("revoking twice: %v", err)
	}
	db.Close()
	db, err := Open(path, Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for sid, want := range map[string]bool{id: true, other: false} {
		if got, err := db.SessionRevoked(ctx, sid); err != nil || got != want {
			t.Errorf("SessionRevoked(%s) = %v, %v; want %v", sid, got, err, want)
		}
	}
	if err := db.RevokeSession(ctx, "short", c.Now().Add(time.Hour)); err == nil {
		t.Error("a malformed session id was stored")
	}
	// Nine hours on, the next logout prunes the expired entry.
	c.Advance(9 * time.Hour)
	if err := db.RevokeSession(ctx, other, c.Now().Add(8*time.Hour)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.r.QueryRow(`SELECT count(*) FROM admin_logouts`).Scan(&n); err != nil || n != 1 {
		t.Errorf("admin_logouts holds %d rows (%v), want 1 after pruning", n, err)
	}
}
