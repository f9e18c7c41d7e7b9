package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
)

// A link's date before its recording day waits for an admin: confirming
// accepts it (audited, once); correcting it confirms the date saved; an
// admin's own submission and a same-day link date need nothing.
func TestSelfDeclaredSubmissions(t *testing.T) {
	ctx := context.Background()
	db, _, _ := openTest(t)
	rows := mustUpsert(t, db, occ("t1", "so-tc", "2026-03-31"), occ("t2", "so-tc", "2026-03-31"),
		occ("t3", "so-tc", "2026-03-31"), occ("t4", "so-tc", "2026-03-31"))
	link := func(id int64, on, recorded string) duty.Submission {
		return duty.Submission{OccurrenceID: id, Ref: "1/BC", SubmittedOn: date(on), RecordedBy: "link:so-tc", Via: duty.ViaLink, RecordedOn: date(recorded)}
	}
	for _, s := range []duty.Submission{
		link(rows[0].ID, "2026-03-25", "2026-04-10"),
		link(rows[1].ID, "2026-03-25", "2026-04-10"),
		link(rows[2].ID, "2026-04-10", "2026-04-10"),
		{OccurrenceID: rows[3].ID, SubmittedOn: date("2026-03-25"), RecordedBy: "web:an", Via: duty.ViaWeb},
	} {
		if err := db.RecordSubmission(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	// The weekly summary of 8–14/4 lists the links recorded that week,
	// whatever date they declare.
	week, err := db.SubmittedBetween(ctx, date("2026-04-08"), date("2026-04-14"))
	if err != nil {
		t.Fatal(err)
	}
	if len(week) != 3 {
		t.Errorf("the week of 8/4 lists %d submissions, want the 3 links", len(week))
	}
	pending, err := db.UnconfirmedSubmissions(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 2 || !pending[0].Unconfirmed || pending[0].RecordedOn != date("2026-04-10") || pending[0].JudgedOn() != date("2026-04-10") {
		t.Fatalf("pending = %+v", pending)
	}
	audits := func() int { return count(t, db, `SELECT count(*) FROM audit`) }

	before := audits()
	if err := db.ConfirmSubmission(ctx, rows[0].ID, "web:an"); err != nil {
		t.Fatal(err)
	}
	if err := db.ConfirmSubmission(ctx, rows[0].ID, "web:binh"); err != nil {
		t.Fatal(err)
	}
	if n := audits() - before; n != 1 {
		t.Errorf("two confirmations wrote %d audit rows, want 1", n)
	}
	if err := db.CorrectSubmission(ctx, rows[1].ID, "1/BC", date("2026-03-28"), "", "web:an"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{rows[0].ID, rows[1].ID} {
		tl, err := db.Timeline(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if s := tl.Submission; s.Unconfirmed() || !s.Declared || s.ConfirmedBy != "web:an" || s.ConfirmedAt.IsZero() {
			t.Errorf("occurrence %d after the admin: %+v", id, s)
		}
	}
	for _, id := range []int64{rows[2].ID, rows[3].ID} {
		if err := db.ConfirmSubmission(ctx, id, "web:an"); !errors.Is(err, duty.ErrNotSelfDeclared) {
			t.Errorf("confirming occurrence %d: %v, want duty.ErrNotSelfDeclared", id, err)
		}
	}
	if pending, _ := db.UnconfirmedSubmissions(ctx, 10); len(pending) != 0 {
		t.Errorf("still pending: %+v", pending)
	}
}

// The health check has a connection of its own: with every connection of
// the read pool taken (pages under a flood), it still answers at once,
// while a query on the read pool waits.
func TestHealthCheckOwnConnection(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	var held []*sql.Tx
	for range 4 { // the default read pool
		tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM occurrences`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		held = append(held, tx)
	}
	defer func() {
		for _, tx := range held {
			tx.Rollback()
		}
	}()
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if err := db.Ping(short); err == nil {
		t.Fatal("the read pool answered with all its connections taken: the test holds nothing")
	}
	short2, cancel2 := context.WithTimeout(ctx, 5*time.Second)
	defer cancel2()
	if _, err := db.HealthCheck(short2); err != nil {
		t.Errorf("HealthCheck with the read pool taken: %v", err)
	}
}
