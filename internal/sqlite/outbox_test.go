package sqlite

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
)

func TestEnqueueIdempotent(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	id := mustUpsert(t, db, occ("t1", "so-tc", "2026-03-31"))[0].ID
	batch := []duty.Notification{note(id, "remind-7", "a@x.vn"), note(id, "remind-7", "snv@x.vn")}
	tests := []struct {
		name string
		ns   []duty.Notification
		want int
	}{
		{"first tick", batch, 2},
		{"same tick again", batch, 0},
		{"one new step", append(batch, note(id, "remind-3", "a@x.vn")), 1},
		{"a digest with no occurrence", []duty.Notification{note(0, "digest-2026-03-02", "snv@x.vn")}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := db.Enqueue(ctx, tt.ns)
			if err != nil || n != tt.want {
				t.Fatalf("Enqueue = %d, %v; want %d", n, err, tt.want)
			}
		})
	}
	if d, err := db.OutboxDepth(ctx); err != nil || d != (duty.Depth{Pending: 4}) {
		t.Errorf("OutboxDepth = %+v, %v", d, err)
	}
}

func TestClaimLeaseExpiry(t *testing.T) {
	db, c, _ := openTest(t)
	ctx := context.Background()
	id := mustUpsert(t, db, occ("t1", "so-tc", "2026-03-31"))[0].ID
	if _, err := db.Enqueue(ctx, []duty.Notification{note(id, "remind-7", "a@x.vn")}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name      string
		advance   time.Duration
		worker    string
		wantRows  int
		wantTries int
	}{
		{"A claims", 0, "A", 1, 1},
		{"B finds it leased", 0, "B", 0, 0},
		{"B still does a second before expiry", 59 * time.Second, "B", 0, 0},
		{"A's lease ran out: B takes over", time.Second, "B", 1, 2},
		{"A cannot take it back", 0, "A", 0, 0},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			c.Advance(s.advance)
			got, err := db.Claim(ctx, s.worker, time.Minute, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != s.wantRows {
				t.Fatalf("claimed %d rows, want %d", len(got), s.wantRows)
			}
			if len(got) == 1 && (got[0].ClaimedBy != s.worker || got[0].Attempts != s.wantTries ||
				!got[0].LeaseUntil.Equal(c.Now().Add(time.Minute))) {
				t.Errorf("claimed %+v", got[0])
			}
		})
	}
}

func TestClaimWholeRecipients(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	rows := mustUpsert(t, db, occ("t1", "so-tc", "2026-03-31"), occ("t2", "so-tc", "2026-03-31"))
	if _, err := db.Enqueue(ctx, []duty.Notification{
		note(rows[0].ID, "remind-7", "b@x.vn"),
		note(rows[0].ID, "remind-7", "a@x.vn"),
		note(rows[1].ID, "remind-7", "a@x.vn"),
	}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Claim(ctx, "w", time.Minute, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Recipient != "a@x.vn" || got[1].Recipient != "a@x.vn" || got[0].ID > got[1].ID {
		t.Fatalf("limit 1 claimed %+v, want both rows of a@x.vn in id order", got)
	}
}

func TestClaimConcurrent(t *testing.T) {
	tests := []struct {
		name    string
		handles int // 1: goroutines share a DB; 2: each has its own, as two processes would
	}{
		{"one handle", 1},
		{"two handles", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, c, path := openTest(t)
			ctx := context.Background()
			const n = 200
			ns := make([]duty.Notification, n)
			for i := range ns {
				ns[i] = note(0, "digest", string(rune('a'+i%26))+"@x.vn")
				ns[i].Key = ns[i].Recipient + "/" + string(rune(i))
			}
			if _, err := db.Enqueue(ctx, ns); err != nil {
				t.Fatal(err)
			}
			dbs := []*DB{db, db}
			if tt.handles == 2 {
				other, err := Open(path, Options{Now: c.Now})
				if err != nil {
					t.Fatal(err)
				}
				defer other.Close()
				dbs[1] = other
			}
			var mu sync.Mutex
			seen := map[int64]string{}
			var wg sync.WaitGroup
			errs := make(chan error, 2)
			for w, d := range dbs {
				name := string(rune('A' + w))
				wg.Go(func() {
					for {
						got, err := d.Claim(ctx, name, time.Hour, 3)
						if err != nil {
							errs <- err
							return
						}
						if len(got) == 0 {
							return
						}
						mu.Lock()
						for _, g := range got {
							if prev, dup := seen[g.ID]; dup {
								errs <- errors.New("row claimed by " + prev + " and " + name)
							}
							seen[g.ID] = name
						}
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if len(seen) != n {
				t.Errorf("claimed %d distinct rows, want %d", len(seen), n)
			}
		})
	}
}

func TestMarkSentAndFailed(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		mark      func(db *DB, ids []int64) error
		wantDepth duty.Depth
		// whether the rows can be claimed again 10 minutes later
		wantReclaim int
	}{
		{"sent", func(db *DB, ids []int64) error { return db.MarkSent(ctx, "<m1@nhachan>", "250 2.0.0 Ok", ids...) }, duty.Depth{}, 0},
		{"permanent failure", func(db *DB, ids []int64) error {
			return db.MarkFailed(ctx, "550 5.1.1 no such user", true, time.Time{}, ids...)
		}, duty.Depth{Failed: 2}, 0},
		{"temporary failure, retry in 5 minutes", func(db *DB, ids []int64) error {
			return db.MarkFailed(ctx, "421 try later", false, testNow().Add(5*time.Minute), ids...)
		}, duty.Depth{Pending: 2}, 2},
		{"unknown id", func(db *DB, ids []int64) error { return db.MarkSent(ctx, "<m>", "250", 999) }, duty.Depth{Claimed: 2}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, c, _ := openTest(t)
			id := mustUpsert(t, db, occ("t1", "so-tc", "2026-03-31"))[0].ID
			if _, err := db.Enqueue(ctx, []duty.Notification{note(id, "remind-7", "a@x.vn"), note(id, "remind-3", "a@x.vn")}); err != nil {
				t.Fatal(err)
			}
			got, err := db.Claim(ctx, "w", time.Minute, 10)
			if err != nil || len(got) != 2 {
				t.Fatalf("Claim = %d, %v", len(got), err)
			}
			err = tt.mark(db, []int64{got[0].ID, got[1].ID})
			if tt.name == "unknown id" {
				if !errors.Is(err, duty.ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if d, err := db.OutboxDepth(ctx); err != nil || d != tt.wantDepth {
				t.Errorf("OutboxDepth = %+v, %v; want %+v", d, err, tt.wantDepth)
			}
			if again, _ := db.Claim(ctx, "w2", time.Minute, 10); len(again) != 0 {
				t.Errorf("reclaimed %d rows at once", len(again))
			}
			c.Advance(10 * time.Minute)
			if again, _ := db.Claim(ctx, "w2", time.Minute, 10); len(again) != tt.wantReclaim {
				t.Errorf("reclaimed %d rows after 10 minutes, want %d", len(again), tt.wantReclaim)
			}
		})
	}
}

func testNow() time.Time { return newClock().Now() }
