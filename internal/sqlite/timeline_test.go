package sqlite

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
)

func TestTimeline(t *testing.T) {
	db, clk, _ := openTest(t)
	ctx := context.Background()
	rows := mustUpsert(t, db, occ("T1", "a", "2026-03-20"), occ("T2", "a", "2026-03-20"))
	id := rows[0].ID

	// 08:00 queued; 08:00 claimed and sent at 08:10; an extension at 09:00,
	// a second mail queued at 10:00 and cancelled by the submission at 11:00.
	if _, err := db.Enqueue(ctx, []duty.Notification{note(id, "R7", "a@t.example"), note(rows[1].ID, "R7", "a@t.example")}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Claim(ctx, "w", time.Minute, 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("Claim: %v, %d rows", err, len(got))
	}
	clk.Advance(10 * time.Minute)
	if err := db.MarkSent(ctx, "<m1>", "250 2.0.0 queued", got[0].ID, got[1].ID); err != nil {
		t.Fatal(err)
	}
	clk.Advance(50 * time.Minute)
	if err := db.Extend(ctx, id, date("2026-03-31"), "bão", "admin"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	if _, err := db.Enqueue(ctx, []duty.Notification{note(id, "R3", "head@t.example")}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	if err := db.RecordSubmission(ctx, duty.Submission{OccurrenceID: id, Ref: "12/BC-STP", SubmittedOn: date("2026-03-30"),
		RecordedBy: "admin", Via: duty.ViaCLI}); err != nil {
		t.Fatal(err)
	}

	tl, err := db.Timeline(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if tl.Occurrence.ID != id || tl.Occurrence.State != duty.StateSubmitted || tl.Occurrence.Deadline != date("2026-03-31") {
		t.Errorf("occurrence = %+v", tl.Occurrence)
	}
	if len(tl.Mails) != 2 {
		t.Fatalf("mails = %+v, want the two of occurrence %d only", tl.Mails, id)
	}
	if m := tl.Mails[0]; m.Step != "R7" || m.State != "sent" || m.Attempts != 1 || m.SMTPResponse != "250 2.0.0 queued" ||
		!m.SentAt.Equal(time.Date(2026, 3, 2, 8, 10, 0, 0, time.UTC)) {
		t.Errorf("first mail = %+v", m)
	}
	if m := tl.Mails[1]; m.Step != "R3" || m.State != "cancelled" || !m.SentAt.IsZero() || m.LastError == "" {
		t.Errorf("second mail = %+v", m)
	}
	if s := tl.Submission; s == nil || s.Ref != "12/BC-STP" || s.SubmittedOn != date("2026-03-30") || s.Via != duty.ViaCLI {
		t.Errorf("submission = %+v", s)
	}
	if tl.Waiver != nil {
		t.Errorf("waiver = %+v, want none", tl.Waiver)
	}
	if len(tl.Extensions) != 1 || tl.Extensions[0].PreviousDue != date("2026-03-20") || tl.Extensions[0].NewDue != date("2026-03-31") {
		t.Errorf("extensions = %+v", tl.Extensions)
	}
	if len(tl.Audit) != 2 || tl.Audit[0].Action != "occurrence.extended" || tl.Audit[1].Action != "occurrence.submitted" {
		t.Errorf("audit = %+v", tl.Audit)
	}
	var kinds []duty.EntryKind
	for i, e := range tl.Entries {
		kinds = append(kinds, e.Kind)
		if i > 0 && e.At.Before(tl.Entries[i-1].At) {
			t.Errorf("entry %d at %s is before entry %d", i, e.At, i-1)
		}
	}
	want := []duty.EntryKind{duty.EntryMail, duty.EntryExtension, duty.EntryAudit, duty.EntryMail, duty.EntrySubmission, duty.EntryAudit}
	if len(kinds) != len(want) {
		t.Fatalf("entries = %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("entries = %v, want %v", kinds, want)
		}
	}
}

func TestTimelineWaived(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	id := mustUpsert(t, db, occ("T1", "a", "2026-03-20"))[0].ID
	if err := db.Waive(ctx, id, "không phát sinh", "admin"); err != nil {
		t.Fatal(err)
	}
	tl, err := db.Timeline(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if tl.Waiver == nil || tl.Waiver.Reason != "không phát sinh" || tl.Submission != nil || len(tl.Mails) != 0 {
		t.Errorf("timeline = %+v", tl)
	}
}

func TestTimelineNotFound(t *testing.T) {
	db, _, _ := openTest(t)
	if _, err := db.Timeline(context.Background(), 42); !errors.Is(err, duty.ErrNotFound) {
		t.Errorf("Timeline(42) = %v, want ErrNotFound", err)
	}
}

func TestBoardRows(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	rows := mustUpsert(t, db,
		occ("T1", "a", "2026-03-20"),
		occ("T2", "b", "2026-12-31"),
		occ("T3", "a", "2027-01-01"), // next year
		occ("T4", "a", "2025-12-31"), // last year, extended into this one below
	)
	if err := db.RecordSubmission(ctx, duty.Submission{OccurrenceID: rows[0].ID, SubmittedOn: date("2026-03-25"), RecordedBy: "x", Via: duty.ViaWeb}); err != nil {
		t.Fatal(err)
	}
	if err := db.Extend(ctx, rows[3].ID, date("2026-01-05"), "lý do", "x"); err != nil {
		t.Fatal(err)
	}
	got, err := db.BoardRows(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	type fact struct {
		task      string
		submitted string
	}
	want := []fact{{"T4", ""}, {"T1", "2026-03-25"}, {"T2", ""}}
	if len(got) != len(want) {
		t.Fatalf("BoardRows = %+v, want tasks %v", got, want)
	}
	for i, w := range want {
		sub := ""
		if got[i].Submitted() {
			sub = got[i].SubmittedOn.String()
		}
		if got[i].TaskID != w.task || sub != w.submitted {
			t.Errorf("row %d = %s submitted %q, want %s %q", i, got[i].TaskID, sub, w.task, w.submitted)
		}
	}
	if got[0].ExtendedDue != date("2026-01-05") {
		t.Errorf("extended row = %+v", got[0])
	}
	if none, err := db.BoardRows(ctx, 2030); err != nil || len(none) != 0 {
		t.Errorf("BoardRows(2030) = %v, %v", none, err)
	}
}

func TestOccurrenceCountsAndPing(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	rows := mustUpsert(t, db, occ("T1", "a", "2026-03-20"), occ("T2", "a", "2026-03-20"), occ("T3", "a", "2026-03-20"))
	if err := db.Waive(ctx, rows[0].ID, "r", "x"); err != nil {
		t.Fatal(err)
	}
	got, err := db.OccurrenceCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got[duty.StateOpen] != 2 || got[duty.StateWaived] != 1 || len(got) != 2 {
		t.Errorf("OccurrenceCounts = %v", got)
	}
	if err := db.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
	db.Close()
	if err := db.Ping(ctx); err == nil {
		t.Error("Ping on a closed store succeeded")
	}
}
