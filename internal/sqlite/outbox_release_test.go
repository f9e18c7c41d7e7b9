package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/ninhthuan/nhachan/internal/duty"
)

func TestReleaseClaimsAfterACrash(t *testing.T) {
	db, _, _ := openTest(t)
	ctx := context.Background()
	if _, err := db.Enqueue(ctx, []duty.Notification{{Key: "k1", Step: "R7", Recipient: "a@t.example", Kind: "reminder"}}); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Claim(ctx, "dead", 5*time.Minute, 10); err != nil || len(got) != 1 {
		t.Fatalf("claim: %v %v", got, err)
	}
	// A restarted daemon can take the row at once, without waiting out the lease.
	if n, err := db.ReleaseClaims(ctx); err != nil || n != 1 {
		t.Fatalf("release: %d %v", n, err)
	}
	got, err := db.Claim(ctx, "alive", 5*time.Minute, 10)
	if err != nil || len(got) != 1 || got[0].Attempts != 2 {
		t.Fatalf("re-claim: %+v %v", got, err)
	}
}
