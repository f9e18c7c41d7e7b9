package sqlite

import (
	"context"
	"errors"
	"testing"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// A counted duty ("ít nhất 03 cuộc/năm") stays open, counted, until the
// entry that reaches its quota; its pending mail is cancelled only then.
func TestQuotaEntriesCountThenSubmit(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	rows := mustUpsert(t, db, occ("MT.2.9", "snv", "2026-12-31"), occ("T2", "snv", "2026-12-31"))
	id, other := rows[0].ID, rows[1].ID
	if _, err := db.Enqueue(ctx, []duty.Notification{note(id, "R7", "snv@x.example")}); err != nil {
		t.Fatal(err)
	}
	entry := func(ref string) error {
		return db.RecordSubmission(ctx, duty.Submission{OccurrenceID: id, Ref: ref, SubmittedOn: date("2026-05-04"),
			RecordedBy: "cli:test", Via: duty.ViaCLI, Quota: 3})
	}
	for i, ref := range []string{"01/BB-KT", "02/BB-KT"} {
		if err := entry(ref); err != nil {
			t.Fatal(err)
		}
		got, err := db.QuotaCounts(ctx, id, other)
		if err != nil {
			t.Fatal(err)
		}
		if got[id] != i+1 || got[other] != 0 || len(got) != 1 {
			t.Fatalf("after %d entries: counts %v", i+1, got)
		}
		if o, _ := db.Occurrence(ctx, id); o.State != duty.StateOpen {
			t.Fatalf("after %d of 3 entries the duty is %s, want open", i+1, o.State)
		}
		if n := count(t, db, `SELECT count(*) FROM outbox WHERE occurrence_id = ? AND state = 'pending'`, id); n != 1 {
			t.Fatalf("after %d of 3 entries %d pending mails, want 1", i+1, n)
		}
	}
	if err := entry("03/BB-KT"); err != nil {
		t.Fatal(err)
	}
	if o, _ := db.Occurrence(ctx, id); o.State != duty.StateSubmitted {
		t.Fatalf("at its quota the duty is %s, want submitted", o.State)
	}
	if n := count(t, db, `SELECT count(*) FROM outbox WHERE occurrence_id = ? AND state = 'pending'`, id); n != 0 {
		t.Fatalf("%d pending mails after the quota was reached", n)
	}
	if n := count(t, db, `SELECT count(*) FROM submissions WHERE occurrence_id = ? AND ref = '03/BB-KT'`, id); n != 1 {
		t.Fatal("the entry that reached the quota is not the submission")
	}
	if err := entry("04/BB-KT"); !errors.Is(err, duty.ErrAlreadyRecorded) {
		t.Fatalf("an entry past the quota: %v, want ErrAlreadyRecorded", err)
	}
	if n := count(t, db, `SELECT count(*) FROM quota_entries WHERE occurrence_id = ?`, id); n != 3 {
		t.Fatalf("%d entries stored, want 3", n)
	}
	if n := count(t, db, `SELECT count(*) FROM audit WHERE action = 'occurrence.counted'`); n != 2 {
		t.Fatalf("%d counted entries in the audit log, want 2", n)
	}
}
